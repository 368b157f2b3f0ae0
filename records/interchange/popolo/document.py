"""The Popolo document, streamed: ``{"persons": [...], "organizations": [...],
"memberships": [...], "posts": [...], "areas": [...], "events": [...]}``,
each array written a batch of records at a time (a few queries per batch),
so that memory stays bounded whatever the number of people."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

import orjson
from django.db.models import QuerySet

from records.interchange.popolo import events, gazetteer, memberships, persons, posts
from records.interchange.popolo.selection import IDS_PER_QUERY, Selection, batched
from records.knowledge import EVERYTHING, Knowledge
from records.models import Constituency, Election, Organisation, Place

BATCH = 500
SECTIONS = ("persons", "organizations", "memberships", "posts", "areas", "events")


@dataclass
class PopoloCounts:
    persons: int = 0
    organizations: int = 0
    memberships: int = 0
    posts: int = 0
    areas: int = 0
    events: int = 0

    @property
    def objects(self) -> int:
        return sum(asdict(self).values())


Build = Callable[[list[dict], Knowledge, str | None], list[dict]]


def _rows(queryset: QuerySet, columns: tuple[str, ...], pks: set[int] | None) -> Iterator[list[dict]]:
    """Batches of rows in id order: of the whole queryset, or of the rows ``pks``."""
    if pks is None:
        yield from batched(queryset.order_by("id").values(*columns).iterator(chunk_size=BATCH), BATCH)
        return
    for chunk in batched(sorted(pks), IDS_PER_QUERY):
        yield list(queryset.filter(id__in=chunk).order_by("id").values(*columns))


class Document:
    def __init__(self, selection: Selection, sources_url: str | None):
        self.selection = selection
        self.sources_url = sources_url

    def _built(self, batches: Iterator[list[dict]], build: Build) -> Iterator[list[dict]]:
        for rows in batches:
            yield build(rows, self.selection.knowledge, self.sources_url)

    def persons(self) -> Iterator[list[dict]]:
        rows = self.selection.people.order_by("name", "id").values(*persons.COLUMNS)
        yield from self._built(batched(rows.iterator(chunk_size=BATCH), BATCH), persons.persons)

    def organizations(self) -> Iterator[list[dict]]:
        pks = self.selection.ids(Organisation)
        rows = _rows(Organisation.objects.all(), gazetteer.ORGANISATION_COLUMNS, pks)
        yield from self._built(rows, gazetteer.organizations)

    def memberships(self) -> Iterator[list[dict]]:
        postings = self.selection.postings().order_by("id").values(*memberships.POSTING_COLUMNS)
        yield from self._built(batched(postings.iterator(chunk_size=BATCH), BATCH), memberships.posting_memberships)
        seats = self.selection.seats().order_by("id").values(*memberships.SEAT_MEMBERSHIP_COLUMNS)
        yield from self._built(batched(seats.iterator(chunk_size=BATCH), BATCH), memberships.seat_memberships)

    def posts(self) -> Iterator[list[dict]]:
        yield from batched(posts.posting_posts(self.selection.postings()), BATCH)
        yield from batched(posts.seat_posts(self.selection.seats()), BATCH)

    def areas(self) -> Iterator[list[dict]]:
        places = _rows(Place.objects.all(), gazetteer.PLACE_COLUMNS, self.selection.ids(Place))
        yield from self._built(places, gazetteer.place_areas)
        constituencies = _rows(
            Constituency.objects.all(), gazetteer.CONSTITUENCY_COLUMNS, self.selection.ids(Constituency)
        )
        yield from self._built(constituencies, gazetteer.constituency_areas)

    def events(self) -> Iterator[list[dict]]:
        rows = _rows(Election.objects.all(), events.ELECTION_COLUMNS, self.selection.ids(Election))
        yield from self._built(rows, events.election_events)


def popolo_chunks(
    persons: QuerySet | None = None,
    *,
    knowledge: Knowledge = EVERYTHING,
    sources_url: str | None = None,
    counts: PopoloCounts | None = None,
) -> Iterator[bytes]:
    """The document's bytes, a batch at a time. ``persons``: the people chosen
    (None: the whole dataset); ``sources_url``: where a source without an
    address of its own is served, its slug appended (records/interchange/popolo/sources.py);
    ``counts``: filled in with the objects written."""
    document = Document(Selection(persons, knowledge), sources_url)
    counts = counts if counts is not None else PopoloCounts()
    yield b"{"
    for index, section in enumerate(SECTIONS):
        yield (b"," if index else b"") + orjson.dumps(section) + b":["
        written = 0
        for batch in getattr(document, section)():
            if batch:
                written += len(batch)
                setattr(counts, section, written)  # up to date as each batch goes out
                yield (b"," if written > len(batch) else b"") + b",".join(orjson.dumps(obj) for obj in batch)
        setattr(counts, section, written)
        yield b"]"
    yield b"}"


def write_popolo(
    fp, persons: QuerySet | None = None, *, knowledge: Knowledge = EVERYTHING, sources_url: str | None = None
) -> PopoloCounts:
    """Write the Popolo document to the binary file object ``fp`` in bounded
    memory; return how many objects of each class it holds."""
    counts = PopoloCounts()
    for chunk in popolo_chunks(persons, knowledge=knowledge, sources_url=sources_url, counts=counts):
        fp.write(chunk)
    return counts

"""What a Popolo document holds: every record (the whole dataset), or chosen
people and what their memberships refer to.

For chosen people: their postings and seats won (as memberships), the posts
those hold, the organisations and areas they name (with every organisation's
and place's ancestors, so that each ``parent_id`` is in the document too) and
the elections the seats were won in. What is referred to is kept as sets of
ids: as many as the gazetteer has rows at most, never one per person.

A point of view (``as_of``, ``according_to``: records/knowledge.py) keeps the
people, memberships and other names its sources are cited for, and only those
sources' quotes; what they refer to is always included, as the API's nested
references are."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet

from records.knowledge import EVERYTHING, Knowledge, known
from records.models import Candidacy, Constituency, Election, Organisation, Person, Place, Posting

# Ids per IN (...) list: well under SQLite's limit on a statement's parameters.
IDS_PER_QUERY = 900


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _ids(queryset: QuerySet, column: str) -> set[int]:
    return set(queryset.order_by().values_list(column, flat=True).distinct()) - {None}


def _ids_of(model, pks: set[int], *columns: str) -> set[int]:
    """The values of ``columns`` on the rows ``pks`` of ``model``."""
    found: set[int] = set()
    for chunk in batched(sorted(pks), IDS_PER_QUERY):
        rows = model.objects.filter(id__in=chunk)
        for column in columns:
            found |= _ids(rows, column)
    return found


def with_ancestors(model, pks: set[int]) -> set[int]:
    """The nodes and every node above them, by their materialised paths."""
    paths: set[str] = set()
    for chunk in batched(sorted(pks), IDS_PER_QUERY):
        for path in model.objects.filter(id__in=chunk).values_list("path", flat=True):
            parts = path.split("/")
            paths.update("/".join(parts[: n + 1]) for n in range(len(parts)))
    found: set[int] = set()
    for chunk in batched(sorted(paths), IDS_PER_QUERY):
        found.update(model.objects.filter(path__in=chunk).values_list("id", flat=True))
    return found


class Selection:
    def __init__(self, persons: QuerySet | None = None, knowledge: Knowledge = EVERYTHING):
        self.whole = persons is None
        self.knowledge = knowledge
        self.people = Person.objects.filter(known(Person, knowledge)) if persons is None else persons
        self._references: dict[str, set[int]] | None = None

    def _of_people(self, queryset: QuerySet) -> QuerySet:
        if self.whole:
            return queryset
        return queryset.filter(person_id__in=self.people.order_by().values("id"))

    def postings(self) -> QuerySet:
        return self._of_people(Posting.objects.filter(known(Posting, self.knowledge)))

    def seats(self) -> QuerySet:
        """Candidacies that won an official contest."""
        won = Candidacy.objects.filter(known(Candidacy, self.knowledge), won=True, contest__isnull=False)
        return self._of_people(won)

    def ids(self, model) -> set[int] | None:
        """The ids of ``model`` (Organisation, Place, Constituency, Election) the
        document holds; None for all of them (the whole dataset)."""
        if self.whole:
            return None
        if self._references is None:
            self._references = self._referenced()
        return self._references[model.__name__]

    def _referenced(self) -> dict[str, set[int]]:
        postings, seats = self.postings(), self.seats()
        elections = _ids(seats, "election_id")
        constituencies = _ids(seats, "contest__constituency_id")
        organisations = _ids(postings, "organisation_id") | _ids(seats, "party_id")
        organisations = with_ancestors(Organisation, organisations | _ids_of(Election, elections, "body_id"))
        places = _ids(postings, "place_id") | _ids_of(Organisation, organisations, "place_id")
        places |= _ids_of(Election, elections, "jurisdiction_id")
        places |= _ids_of(Constituency, constituencies, "district_id", "jurisdiction_id")
        return {
            "Organisation": organisations,
            "Place": with_ancestors(Place, places),
            "Constituency": constituencies,
            "Election": elections,
        }

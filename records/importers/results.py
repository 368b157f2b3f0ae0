"""Import official results into constituencies, contests and candidacies.

All or nothing: every row is checked before anything is written, and the
writes run in one transaction. Importing the same file again changes nothing.
Every record created cites the dataset's Source with the row it came from.

Matching a candidate to an existing person (conservative: never on the name
alone) needs both:
1. exactly one person whose name or one of whose aliases is the candidate's
   name, compared case-, accent- and punctuation-insensitively; and
2. that person already tied to this place: a candidacy in a contest of the
   same constituency (any election), or a candidacy in this election whose
   place is the constituency's district.
Anyone else becomes a new person, marked as imported from the dataset.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.text import slugify

from records.importers.rows import ResultRow, RowError
from records.models import (
    Candidacy,
    Citation,
    Constituency,
    Contest,
    Election,
    OrganisationAlias,
    Party,
    Person,
    PersonAlias,
    Place,
    Source,
)
from records.text import normalise_name


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    new_parties: list[str] = field(default_factory=list)
    nota_counts: int = 0

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.matched) | set(self.updated))
        out = [
            f"{kind}: {self.created[kind]} created, {self.matched[kind]} matched, {self.updated[kind]} updated"
            for kind in kinds
        ]
        out.append(f"NOTA counts recorded on contests (not as candidates): {self.nota_counts}")
        if self.new_parties:
            shown = ", ".join(self.new_parties[:15]) + (" ..." if len(self.new_parties) > 15 else "")
            out.append(f"parties not known before, created: {len(self.new_parties)} ({shown})")
        return out


@dataclass
class ContestRows:
    number: int
    rows: list[ResultRow]

    @property
    def first(self) -> ResultRow:
        return self.rows[0]

    @property
    def candidates(self) -> list[ResultRow]:
        return [r for r in self.rows if not r.is_nota]


def group_and_check(rows: Iterable[ResultRow], election: Election) -> list[ContestRows]:
    """Rows by constituency, checked for consistency before any write."""
    years = {d.year for d in (election.start_earliest, election.end_latest) if d}
    groups: dict[int, ContestRows] = {}
    for row in rows:
        if years and not min(years) <= row.year <= max(years):
            raise RowError(row.locator, f"year {row.year} is not the year of {election.name}")
        group = groups.setdefault(row.constituency_number, ContestRows(row.constituency_number, []))
        first = group.rows[0] if group.rows else row
        for column in ("constituency_name", "reservation", "district", "total_votes", "electors"):
            if getattr(row, column) != getattr(first, column):
                raise RowError(row.locator, f"{column} differs from {first.locator} for the same constituency")
        if row.is_nota and any(r.is_nota for r in group.rows):
            raise RowError(row.locator, "a second NOTA row for this constituency")
        group.rows.append(row)
    for group in groups.values():
        _check_outcome(group)
    return list(groups.values())


def _check_outcome(group: ContestRows) -> None:
    candidates = group.candidates
    if not candidates:
        raise RowError(group.first.locator, "a constituency without candidates")
    stated = [r for r in candidates if r.won]
    if len(stated) > 1:
        raise RowError(stated[1].locator, f"a second winner in constituency {group.number}")
    votes = sorted((r.votes for r in candidates), reverse=True)
    if stated and stated[0].votes != votes[0]:
        raise RowError(stated[0].locator, "marked as winner without the most votes")
    if not stated and len(votes) > 1 and votes[0] == votes[1]:
        raise RowError(group.first.locator, f"a tie for first place in constituency {group.number}; give 'won'")
    winner_margin = votes[0] - votes[1] if len(votes) > 1 else None
    for row in candidates:
        if row.margin is not None and row.won and row.margin != winner_margin:
            raise RowError(row.locator, f"margin {row.margin} disagrees with the votes ({winner_margin})")
    total = sum(r.votes for r in group.rows)
    if group.first.total_votes is not None and group.first.total_votes < total:
        raise RowError(group.first.locator, f"total_votes {group.first.total_votes} is below the votes ({total})")


class ResultsImporter:
    def __init__(
        self,
        *,
        election: Election,
        source: Source,
        party_map: dict[str, Party] | None = None,
        progress: Callable[[Iterable], Iterable] = lambda items: items,
    ):
        self.election = election
        self.jurisdiction = election.jurisdiction
        self.source = source
        self.party_map = {normalise_name(k): v for k, v in (party_map or {}).items()}
        self.progress = progress
        self.report = Report()
        self.citations: list[Citation] = []

    def run(self, rows: Iterable[ResultRow]) -> Report:
        groups = group_and_check(rows, self.election)
        with transaction.atomic():
            self.cited = self._existing_citations()
            constituencies = self._constituencies(groups)
            contests = self._contests(groups, constituencies)
            parties = self._parties(groups)
            self._index_people(groups)
            for group in self.progress(groups):
                self._candidacies(group, contests[group.number], constituencies[group.number], parties)
            Citation.objects.bulk_create(self.citations, batch_size=1000)
        return self.report

    # -- citations --------------------------------------------------------

    def _existing_citations(self) -> set[tuple[int, int, str]]:
        rows = Citation.objects.filter(source=self.source).values_list("content_type_id", "object_id", "locator")
        return set(rows)

    def _cite(self, record: models.Model, locator: str) -> None:
        content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
        key = (content_type.id, record.pk, locator)
        if key not in self.cited:
            self.cited.add(key)
            self.citations.append(
                Citation(source=self.source, content_type=content_type, object_id=record.pk, locator=locator)
            )

    # -- constituencies, districts, contests ------------------------------

    def _constituencies(self, groups: list[ContestRows]) -> dict[int, Constituency]:
        existing = {c.number: c for c in Constituency.objects.filter(jurisdiction=self.jurisdiction)}
        out = {}
        for group in groups:
            row = group.first
            district = self._district(row) if row.district else None
            constituency = existing.get(group.number)
            if constituency is None:
                constituency = Constituency.objects.create(
                    slug=f"{self.jurisdiction.slug}-{group.number:03d}-{slugify(row.constituency_name)}"[:120],
                    jurisdiction=self.jurisdiction,
                    number=group.number,
                    name=row.constituency_name,
                    reservation=row.reservation,
                    district=district,
                )
                self.report.created["constituencies"] += 1
            else:
                if normalise_name(constituency.name) != normalise_name(row.constituency_name):
                    raise RowError(
                        row.locator,
                        f"constituency {group.number} is {constituency.name!r} already, not {row.constituency_name!r}",
                    )
                changed = self._fill(constituency, reservation=row.reservation, district_id=district and district.pk)
                self.report.updated["constituencies"] += changed
                self.report.matched["constituencies"] += not changed
            self._cite(constituency, row.locator.rsplit(".", 1)[0])
            out[group.number] = constituency
        return out

    def _district(self, row: ResultRow) -> Place:
        districts = Place.objects.subtree(self.jurisdiction).filter(
            kind=Place.Kind.DISTRICT, search_name=normalise_name(row.district)
        )
        district = districts.first()
        if district is None:
            district = Place.objects.create(
                slug=_free_slug(Place, f"{slugify(row.district)}-district"),
                name=row.district,
                kind=Place.Kind.DISTRICT,
                parent=self.jurisdiction,
            )
            self.report.created["districts"] += 1
        self._cite(district, row.locator)
        return district

    def _contests(self, groups: list[ContestRows], constituencies: dict[int, Constituency]) -> dict[int, Contest]:
        existing = {c.constituency_id: c for c in Contest.objects.filter(election=self.election)}
        out = {}
        for group in groups:
            row, constituency = group.first, constituencies[group.number]
            nota = next((r.votes for r in group.rows if r.is_nota), None)
            self.report.nota_counts += nota is not None
            values = {
                "total_votes": row.total_votes if row.total_votes is not None else sum(r.votes for r in group.rows),
                "nota_votes": nota,
                "electors": row.electors,
            }
            contest = existing.get(constituency.pk)
            if contest is None:
                contest = Contest.objects.create(election=self.election, constituency=constituency, **values)
                self.report.created["contests"] += 1
            else:
                changed = self._fill(contest, overwrite=True, **values)
                self.report.updated["contests"] += changed
                self.report.matched["contests"] += not changed
            self._cite(contest, row.locator.rsplit(".", 1)[0])
            out[group.number] = contest
        return out

    # -- parties ----------------------------------------------------------

    def _parties(self, groups: list[ContestRows]) -> dict[str, Party]:
        names = {r.party: r for g in groups for r in g.rows if r.party}
        index: dict[str, Party] = {}
        for party in Party.objects.all():
            for key in (party.search_name, normalise_name(party.abbreviation)):
                if key:
                    index.setdefault(key, party)
        for alias in OrganisationAlias.objects.filter(organisation__kind="party").select_related("organisation"):
            index.setdefault(alias.search_name, alias.organisation)
        out = {}
        for name, row in sorted(names.items()):
            key = normalise_name(name)
            party = index.get(key)
            if party is None and key in self.party_map:
                party = self.party_map[key]
                alias, created = OrganisationAlias.objects.get_or_create(
                    organisation=party, search_name=key, defaults={"name": name, "kind": "other"}
                )
                self._cite(alias, row.locator)
                self.report.created["party aliases"] += created
            if party is None:
                party = Party.objects.create(slug=_free_slug(Party, slugify(name) or "party"), name=name)
                self.report.created["parties"] += 1
                self.report.new_parties.append(name)
            else:
                self.report.matched["parties"] += 1
            self._cite(party, row.locator)
            index[key] = party
            out[name] = party
        return out

    # -- candidacies and people -------------------------------------------

    def _index_people(self, groups: list[ContestRows]) -> None:
        """Who already bears each candidate's name (one query each for names and aliases)."""
        keys = {normalise_name(r.candidate) for g in groups for r in g.candidates}
        self.named: dict[str, set[int]] = defaultdict(set)
        for key, pk in Person.objects.filter(search_name__in=keys).values_list("search_name", "pk"):
            self.named[key].add(pk)
        for key, pk in PersonAlias.objects.filter(search_name__in=keys).values_list("search_name", "person_id"):
            self.named[key].add(pk)
        self.person_slugs = set(Person.objects.values_list("slug", flat=True))

    def _candidacies(self, group: ContestRows, contest: Contest, constituency: Constituency, parties) -> None:
        existing, seen = {}, Counter()
        for candidacy in contest.candidacies.order_by("id"):
            name = normalise_name(candidacy.ballot_name)
            seen[name] += 1
            existing[(name, seen[name])] = candidacy
        ranks = _ranks(group.candidates)
        top = sorted((r.votes for r in group.candidates), reverse=True)
        winner = next((r for r in group.candidates if r.won), None) or max(group.candidates, key=lambda r: r.votes)
        new: list[tuple[ResultRow, Candidacy]] = []
        changed: list[Candidacy] = []
        seen.clear()
        for row in group.candidates:
            name = normalise_name(row.candidate)
            seen[name] += 1
            values = {
                "party": parties.get(row.party),
                "votes": row.votes,
                "rank": ranks[row.locator],
                "won": row is winner,
                "margin": (top[0] - top[1]) if row is winner and len(top) > 1 else None,
            }
            candidacy = existing.get((name, seen[name]))
            if candidacy is None:
                candidacy = Candidacy(
                    election=self.election, contest=contest, ballot_name=row.candidate, status="confirmed", **values
                )
                candidacy.person = self._person(row, constituency)
                new.append((row, candidacy))
            elif self._differs(candidacy, values):
                changed.append(candidacy)
            else:
                self.report.matched["candidacies"] += 1
            if candidacy.pk is not None:
                self._cite(candidacy, row.locator)
        new_people = [(row, c.person) for row, c in new if c.person.pk is None]
        Person.objects.bulk_create([person for _, person in new_people])
        for row, person in new_people:
            self._cite(person, row.locator)
        for _, candidacy in new:
            candidacy.person_id = candidacy.person.pk
        Candidacy.objects.bulk_create([c for _, c in new])
        for row, candidacy in new:
            self._cite(candidacy, row.locator)
        Candidacy.objects.bulk_update(changed, ["party", "votes", "rank", "won", "margin"])
        self.report.created["candidacies"] += len(new)
        self.report.updated["candidacies"] += len(changed)

    def _person(self, row: ResultRow, constituency: Constituency) -> Person:
        """An existing person under the matching rule (module docstring), or a new, unsaved one."""
        named = self.named.get(normalise_name(row.candidate), set())
        if len(named) == 1:
            (person_id,) = named
            here = Candidacy.objects.filter(person_id=person_id).filter(
                models.Q(contest__constituency=constituency)
                | models.Q(election=self.election, place_id=constituency.district_id, place__isnull=False)
            )
            if here.exists():
                self.report.matched["people"] += 1
                return Person.objects.get(pk=person_id)
        slug = base = slugify(row.candidate)[:100] or "candidate"
        n = 1
        while slug in self.person_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.person_slugs.add(slug)
        self.report.created["people"] += 1
        return Person(slug=slug, name=row.candidate, imported_from=self.source)

    @staticmethod
    def _differs(record: models.Model, values: dict) -> bool:
        changed = False
        for name, value in values.items():
            if getattr(record, name) != value:
                setattr(record, name, value)
                changed = True
        return changed

    # -- helpers ----------------------------------------------------------

    @staticmethod
    def _fill(record: models.Model, *, overwrite: bool = False, **values) -> bool:
        """Set values that differ (only empty ones unless ``overwrite``); save if any did."""
        changed = []
        for name, value in values.items():
            current = getattr(record, name)
            if value in (None, "") or current == value:
                continue
            if overwrite or current in (None, ""):
                setattr(record, name, value)
                changed.append(name)
        if changed:
            record.save(update_fields=[*changed, "updated_at"])
        return bool(changed)


def _ranks(rows: list[ResultRow]) -> dict[str, int]:
    """Competition ranking by votes: 1, 2, 2, 4."""
    ordered = sorted(rows, key=lambda r: -r.votes)
    ranks, previous, rank = {}, None, 0
    for position, row in enumerate(ordered, start=1):
        if row.votes != previous:
            rank, previous = position, row.votes
        ranks[row.locator] = rank
    return ranks


def _free_slug(model: type[models.Model], base: str) -> str:
    base = base[:100] or "record"
    slug, n = base, 1
    while model._base_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug

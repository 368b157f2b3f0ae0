"""Scoring an incoming candidate record against known people, with evidence.

A record (a name, the election, the constituency or district, the party, an
age or birth year) is compared with each known person who shares a name word
with it (names.blocking_keys). Each comparison yields named pieces of evidence
with weights (points for, negative points against); the score is their sum:

- the name (names.py): same name 4, another order 3.5, a spelling variant 3,
  one name within the other 2.5, less for less; initials that fit or clash;
- the place: a candidacy in the same constituency 3, else in the same district
  1.5; known only elsewhere -2 (namesakes in other places stay apart);
- the election: a candidacy of the person in this election here (a claim
  that they would stand, or the official result when the record is another
  source's account) 2.5; standing elsewhere in this election -2; in a place
  that cannot be compared 1; a person who stood in the record's own contest
  is someone else (never scored);
- the party: the person's latest party 1.5, an earlier one 0.75, only
  others -0.5 (people change parties);
- the age: birth years one year apart at most 1.5; three or more -4; ten or
  more -8.

The decision is conservative: link only at LINK_AT or above with a lead of
MARGIN over the next candidate; from PROPOSE_AT, a possible match for a
curator; below, nothing. The weights were set by what each piece tells
apart (see the module's tests) and the thresholds checked against the
labelled set of records/identity/evaluation.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from records.identity.evidence import Evidence, total
from records.identity.names import NAME_EVIDENCE, blocking_keys, compare_names
from records.models import Candidacy, PersonAlias
from records.text import normalise_name, same_place_name

LINK_AT = 8.0
PROPOSE_AT = 4.0
MARGIN = 2.0
MAX_PROPOSALS = 3
BEARS_THE_NAME = 3.0  # a name agreeing as a spelling variant or better
BEST_NAME = 4.5  # the most a name can weigh: the same name (4) and initials that agree (0.5)


@dataclass(frozen=True)
class CandidateRecord:
    """What a source says of one candidate. ``born``: the earliest and latest
    birth year it allows (``born_from_age``). ``contest_ids``: contests the
    record itself stood in (whoever else stood there is someone else)."""

    name: str
    election_id: int | None = None
    constituency_id: int | None = None
    constituency_name: str = ""
    district_id: int | None = None
    district_name: str = ""
    party_id: int | None = None
    born: tuple[int, int] | None = None
    contest_ids: frozenset[int] = frozenset()
    other_names: tuple[str, ...] = ()


def born_from_age(age: int, on: date) -> tuple[int, int]:
    """Birth years of someone ``age`` years old on a day: that year minus age, or one before."""
    return (on.year - age - 1, on.year - age)


@dataclass(frozen=True)
class KnownCandidacy:
    election_id: int
    election: str
    day: date | None
    contest_id: int | None
    constituency_id: int | None
    constituency: str
    district_id: int | None  # the contest's constituency's district, else the candidacy's place
    district: str
    party_id: int | None
    party: str
    status: str


@dataclass
class KnownPerson:
    id: int
    name: str
    names: list[str]
    born: tuple[int, int] | None
    imported_from_id: int | None
    candidacies: list[KnownCandidacy] = field(default_factory=list)


@dataclass(frozen=True)
class Scored:
    person_id: int
    person_name: str
    score: float
    evidence: tuple[Evidence, ...]

    def evidence_json(self) -> list[dict]:
        return [piece.as_json() for piece in self.evidence]


@dataclass(frozen=True)
class Decision:
    link: Scored | None
    proposals: tuple[Scored, ...]
    ranked: tuple[Scored, ...]


# -- the people compared against ---------------------------------------------


class PeoplePool:
    """Known people with their names, birth years and candidacies, filed by name keys."""

    def __init__(self, people: list[KnownPerson]):
        self.people = {person.id: person for person in people}
        self.index: dict[str, set[int]] = defaultdict(set)
        for person in people:
            for name in person.names:
                for key in blocking_keys(name):
                    self.index[key].add(person.id)

    @classmethod
    def load(cls, people) -> PeoplePool:
        """The people of a queryset: three queries (people, other names, candidacies)."""
        rows = people.order_by().values("id", "name", "birth_date_earliest", "birth_date_latest", "imported_from_id")
        known = {
            row["id"]: KnownPerson(
                id=row["id"],
                name=row["name"],
                names=[row["name"]],
                born=_years(row["birth_date_earliest"], row["birth_date_latest"]),
                imported_from_id=row["imported_from_id"],
            )
            for row in rows
        }
        ids = people.order_by().values("id")
        for person_id, name in PersonAlias.objects.filter(person_id__in=ids).values_list("person_id", "name"):
            if person_id in known:
                known[person_id].names.append(name)
        candidacies = Candidacy.objects.filter(person_id__in=ids).values(
            "person_id",
            "ballot_name",
            "election_id",
            "election__name",
            "election__start_earliest",
            "contest_id",
            "contest__constituency_id",
            "contest__constituency__name",
            "contest__constituency__district_id",
            "contest__constituency__district__name",
            "place_id",
            "place__name",
            "party_id",
            "party__name",
            "status",
        )
        for row in candidacies.order_by("election__start_earliest", "id"):
            person = known.get(row["person_id"])
            if person is None:
                continue
            if row["ballot_name"] and row["ballot_name"] not in person.names:
                person.names.append(row["ballot_name"])
            district_id = row["contest__constituency__district_id"] or row["place_id"]
            district = row["contest__constituency__district__name"] or row["place__name"] or ""
            person.candidacies.append(
                KnownCandidacy(
                    election_id=row["election_id"],
                    election=row["election__name"],
                    day=row["election__start_earliest"],
                    contest_id=row["contest_id"],
                    constituency_id=row["contest__constituency_id"],
                    constituency=row["contest__constituency__name"] or "",
                    district_id=district_id,
                    district=district,
                    party_id=row["party_id"],
                    party=row["party__name"] or "",
                    status=row["status"],
                )
            )
        return cls(list(known.values()))

    def candidates(self, record: CandidateRecord) -> list[KnownPerson]:
        found: set[int] = set()
        for name in (record.name, *record.other_names):
            for key in blocking_keys(name):
                found |= self.index.get(key, set())
        return [self.people[pk] for pk in sorted(found)]


def _years(earliest: date | None, latest: date | None) -> tuple[int, int] | None:
    if earliest is None or latest is None:
        return None
    return (earliest.year, latest.year)


# -- scoring ------------------------------------------------------------------


class Matcher:
    def __init__(
        self,
        pool: PeoplePool,
        *,
        link_at: float = LINK_AT,
        propose_at: float = PROPOSE_AT,
        margin: float = MARGIN,
    ):
        self.pool, self.link_at, self.propose_at, self.margin = pool, link_at, propose_at, margin

    def score(self, record: CandidateRecord, person: KnownPerson, *, worth_asking: bool = False) -> Scored | None:
        """The evidence for ``person``; None when the names share nothing that
        counts, or the person stood in the record's own contest. ``worth_asking``:
        None too when not even the same name could lift the rest to the floor
        (saves comparing names with every namesake elsewhere)."""
        if record.contest_ids and any(c.contest_id in record.contest_ids for c in person.candidacies):
            return None
        others = _beyond_the_name(record, person)
        if worth_asking and total(others) + BEST_NAME < self.propose_at:
            return None
        name = _best_name(record, person)
        if not name:
            return None
        pieces = [*name, *others]
        return Scored(person.id, person.name, total(pieces), tuple(pieces))

    def ranked(self, record: CandidateRecord, exclude: frozenset[int] | set[int] = frozenset()) -> list[Scored]:
        candidates = self.pool.candidates(record)
        scored = [self.score(record, p, worth_asking=True) for p in candidates if p.id not in exclude]
        return sorted((s for s in scored if s is not None), key=lambda s: (-s.score, s.person_id))

    def decide(self, record: CandidateRecord, exclude: frozenset[int] | set[int] = frozenset()) -> Decision:
        ranked = self.ranked(record, exclude)
        link = None
        if ranked and ranked[0].score >= self.link_at:
            runner_up = ranked[1].score if len(ranked) > 1 else float("-inf")
            namesakes = self.namesakes(record, ranked[0], exclude)
            if namesakes:
                # A name two people bear is never linked on the rest of the evidence: a curator decides.
                shown = ", ".join(f"#{p.id} {p.name}" for p in namesakes[:3])
                ranked[0] = _with(ranked[0], Evidence("another person bears the name", 0.0, shown))
            elif ranked[0].score - runner_up >= self.margin:
                link = ranked[0]
        proposals = tuple(s for s in ranked if s is not link and s.score >= self.propose_at)[:MAX_PROPOSALS]
        return Decision(link, proposals, tuple(ranked))

    def namesakes(self, record: CandidateRecord, best: Scored, exclude) -> list[KnownPerson]:
        """Other people who bear the record's name (the same name, in any order or
        spelling) as well as the best one does, and whom nothing tells apart from
        the record: no place elsewhere, no other age, not a rival in its contest.
        Sharing a word is not bearing a name."""
        strength = max(BEARS_THE_NAME, total(p for p in best.evidence if p.name in NAME_EVIDENCE))
        return [
            person
            for person in self.pool.candidates(record)
            if person.id != best.person_id
            and person.id not in exclude
            and not any(c.contest_id in record.contest_ids for c in person.candidacies)
            and total(_best_name(record, person)) >= strength
            and total(_beyond_the_name(record, person)) >= 0
        ]


def _beyond_the_name(record: CandidateRecord, person: KnownPerson) -> list[Evidence]:
    return [*_place(record, person), *_election(record, person), *_party(record, person), *_age(record, person)]


def _with(scored: Scored, piece: Evidence) -> Scored:
    return Scored(scored.person_id, scored.person_name, total([*scored.evidence, piece]), (*scored.evidence, piece))


def _best_name(record: CandidateRecord, person: KnownPerson) -> tuple[Evidence, ...]:
    best: tuple[Evidence, ...] = ()
    for given in (record.name, *record.other_names):
        for known in person.names:
            pieces = compare_names(given, known)
            if pieces and (not best or total(pieces) > total(best)):
                best = pieces
    return best


def _same_district(record: CandidateRecord, candidacy: KnownCandidacy) -> bool:
    if record.district_id is not None and candidacy.district_id == record.district_id:
        return True
    if record.district_name and candidacy.district:
        return normalise_name(record.district_name) == normalise_name(candidacy.district) or same_place_name(
            candidacy.district, record.district_name
        )
    return False


def _has_place(record: CandidateRecord) -> bool:
    return bool(record.constituency_id or record.district_id or record.district_name)


def _place(record: CandidateRecord, person: KnownPerson) -> list[Evidence]:
    if not _has_place(record):
        return []
    here = [c for c in person.candidacies if record.constituency_id and c.constituency_id == record.constituency_id]
    if here:
        elections = ", ".join(dict.fromkeys(c.election for c in here))
        return [Evidence("same constituency", 3.0, f"stood in {here[0].constituency} ({elections})")]
    district = [c for c in person.candidacies if _same_district(record, c)]
    if district:
        return [Evidence("same district", 1.5, f"a candidacy in {district[0].district} ({district[0].election})")]
    elsewhere = [c.constituency or c.district for c in person.candidacies if _elsewhere(record, c)]
    if elsewhere:
        shown = ", ".join(dict.fromkeys(elsewhere))
        return [Evidence("known elsewhere only", -2.0, f"candidacies in {shown}; this record: {_where(record)}")]
    return []


def _elsewhere(record: CandidateRecord, candidacy: KnownCandidacy) -> bool:
    """Whether the candidacy was in another place than the record's, as far as
    both tell: another constituency, or another district (a constituency whose
    district is not recorded is not compared with a district)."""
    if record.constituency_id and candidacy.constituency_id:
        return True  # not the same one (checked before), and not in the same district
    return bool((record.district_id or record.district_name) and (candidacy.district_id or candidacy.district))


def _where(record: CandidateRecord) -> str:
    return record.constituency_name or record.district_name or "a known place"


def _election(record: CandidateRecord, person: KnownPerson) -> list[Evidence]:
    if record.election_id is None:
        return []
    same = [c for c in person.candidacies if c.election_id == record.election_id]
    if not same:
        return []
    here = [
        c
        for c in same
        if (record.constituency_id and c.constituency_id == record.constituency_id)
        or (c.contest_id is None and _same_district(record, c))
    ]
    unplaced = [c for c in same if c.contest_id is None and not (c.district_id or c.district or c.constituency_id)]
    if not here and unplaced:
        # A claim that names no place says less than one in the record's district.
        c = unplaced[0]
        return [Evidence("a claimed candidacy in this election", 1.0, f"{c.status} in {c.election}: no place given")]
    if here:
        c = here[0]
        kind = "stood" if c.contest_id else f"claimed ({c.status})"
        place = c.constituency or c.district or "no place given"
        return [Evidence("a candidacy in this election here", 2.5, f"{kind} in {c.election}: {place}")]
    if all(_elsewhere(record, c) for c in same):
        elsewhere = ", ".join(dict.fromkeys(c.constituency or c.district for c in same))
        return [Evidence("a candidacy in this election elsewhere", -2.0, f"{same[0].election}: {elsewhere}")]
    # Where it was cannot be compared with the record's place (a constituency of no recorded district).
    shown = ", ".join(dict.fromkeys(c.constituency or c.district or "no place given" for c in same))
    return [Evidence("a candidacy in this election", 1.0, f"{same[0].election}: {shown}")]


def _party(record: CandidateRecord, person: KnownPerson) -> list[Evidence]:
    if record.party_id is None:
        return []
    with_party = [c for c in person.candidacies if c.party_id is not None]
    if not with_party:
        return []
    latest = with_party[-1]
    if latest.party_id == record.party_id:
        return [Evidence("same party", 1.5, f"{latest.party} ({latest.election})")]
    earlier = next((c for c in with_party if c.party_id == record.party_id), None)
    if earlier is not None:
        return [Evidence("a party of before", 0.75, f"{earlier.party} ({earlier.election}); latest {latest.party}")]
    return [Evidence("other party", -0.5, f"latest {latest.party} ({latest.election})")]


def _age(record: CandidateRecord, person: KnownPerson) -> list[Evidence]:
    if record.born is None or person.born is None:
        return []
    (a_low, a_high), (b_low, b_high) = record.born, person.born
    gap = max(0, b_low - a_high, a_low - b_high)
    shown = f"born {_span(record.born)} / {_span(person.born)}"
    if gap <= 1:
        return [Evidence("age agrees", 1.5, shown)]
    if gap >= 10:  # a generation apart: a father and a son of one name
        return [Evidence("age differs by a generation", -8.0, shown)]
    if gap >= 3:  # affidavits' ages drift a year or two between elections, not three
        return [Evidence("age differs", -4.0, shown)]
    return []


def _span(years: tuple[int, int]) -> str:
    return str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"

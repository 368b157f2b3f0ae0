"""Persons reconciled by the person matcher (records/identity/), the one that
links the people of an import: the same name evidence (spelling variants,
word order, initials, titles, one name within another) and the same place
and party evidence, read from the same pool of people, with what a
reconciliation query may add and an import record does not carry:

- a constituency stood in by a claim (a source says they would stand there:
  the claim names a place, not an official contest) counts as the matcher
  counts an official candidacy there (3 points);
- a party membership (a posting in the party) counts as the matcher counts a
  candidacy's party, for a person whose candidacies name none;
- a year: a candidacy in an election of that year 2, else a post that may
  have been held in it 1.

Candidates are the people whose name or other name the API's name search
finds for the query (indexed: records/search.py), and, for a name of three
words or more, for the query less any one word ("Asim Kumar Arun" finds
"Asim Arun").

A candidate is a ``match`` when its evidence is strong, it leads the next by
the matcher's margin, and no one else bears the name as well whom nothing
asked tells apart (no piece of evidence against them: a year that agrees
does not make up for another constituency): the matcher's rule for linking. Strong is the matcher's
link threshold, or a name the person bears (a spelling variant or better)
with every property the query asked confirmed and nothing against: a query
says what its client knows, and when all of it holds of one person only,
the answer is unambiguous.

The score (0-100) is the evidence as a share of the most the query could
get: the best a name can weigh plus the most each property asked can."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from records.identity.evidence import Evidence, total
from records.identity.matcher import (
    BEARS_THE_NAME,
    BEST_NAME,
    LINK_AT,
    MARGIN,
    CandidateRecord,
    KnownPerson,
    Matcher,
    PeoplePool,
    Scored,
)
from records.identity.names import NAME_EVIDENCE
from records.models import Person, PersonAlias, Posting
from records.reconcile.named import split_reservation
from records.reconcile.vocabulary import TYPES, record_id
from records.search import indexed_name_search
from records.search_rank import RANK, ranked
from records.text import same_place_name, spelling_key

SEARCH_CAP = 25  # people read per search, best ranked first: enough to see namesakes beyond a query's limit
# The most each property can weigh: the matcher's weights for a constituency and a party, and the year's.
SAME_CONSTITUENCY = 3.0
SAME_PARTY = 1.5
PARTY_BEFORE = 0.75
OTHER_PARTY = -0.5
STOOD_THAT_YEAR = 2.0
HELD_A_POST_THAT_YEAR = 1.0
MOST = {"constituency": SAME_CONSTITUENCY, "party": SAME_PARTY, "year": STOOD_THAT_YEAR}
PERSON = TYPES["person"]


@dataclass(frozen=True)
class PartyAsked:
    text: str
    id: int | None  # None: no party, or several, bear the name


@dataclass(frozen=True)
class ConstituencyAsked:
    text: str
    constituency_ids: frozenset[int]  # constituencies of official results that bear the name
    place_ids: frozenset[int]  # places of kind constituency that bear it (claims name those)


@dataclass(frozen=True)
class PersonQuery:
    text: str
    limit: int
    party: PartyAsked | None = None
    constituency: ConstituencyAsked | None = None
    year: int | None = None

    @property
    def asked(self) -> list[str]:
        return [name for name in ("constituency", "party", "year") if getattr(self, name) is not None]

    def record(self) -> CandidateRecord:
        """The query as the matcher's incoming record."""
        place = self.constituency
        one_place = place is not None and len(place.constituency_ids) == 1
        return CandidateRecord(
            name=self.text,
            constituency_id=next(iter(place.constituency_ids)) if one_place else None,
            constituency_name=place.text if one_place else "",
            party_id=self.party.id if self.party else None,
        )


@dataclass(frozen=True)
class Post:
    person_id: int
    role: str
    organisation_id: int | None
    organisation: str
    abbreviation: str
    is_party: bool
    starts: date | None
    ends: date | None


# -- finding and loading ------------------------------------------------------------


def search_texts(text: str) -> list[str]:
    words = spelling_key(text).split()
    if len(words) < 3:
        return [text]
    return [text, *(" ".join(words[:i] + words[i + 1 :]) for i in range(len(words)))]


def searched(text: str):
    """The people whose name or other name the text finds, best first (the persons list's `q`)."""
    by_name = Person.objects.filter(indexed_name_search(Person, text)).order_by().values("id")
    by_alias = PersonAlias.objects.filter(indexed_name_search(PersonAlias, text)).order_by().values("person_id")
    best = ranked(Person.objects.filter(id__in=by_name.union(by_alias)), text, aliases=(PersonAlias, "person"))
    return best.order_by(RANK, "name", "id")


def find_people(text: str) -> set[int]:
    """Ids of the people the name search finds for the query (and its shorter forms)."""
    found: set[int] = set()
    for wanted in search_texts(text):
        found |= set(searched(wanted).values_list("id", flat=True)[:SEARCH_CAP])
    return found


@dataclass
class People:
    """The candidates of a whole batch, loaded at once: the matcher's pool
    (people, other names, candidacies: three queries), their posts (one)."""

    pool: PeoplePool
    slugs: dict[int, str]
    posts: dict[int, list[Post]]

    @classmethod
    def load(cls, ids: set[int]) -> People:
        people = Person.objects.filter(id__in=ids)
        pool = PeoplePool.load(people)
        slugs = dict(people.order_by().values_list("id", "slug"))
        posts: dict[int, list[Post]] = {pk: [] for pk in ids}
        rows = Posting.objects.filter(person_id__in=ids).values_list(
            "id",
            "person_id",
            "role",
            "organisation_id",
            "organisation__name",
            "organisation__abbreviation",
            "organisation__kind",
            "start_earliest",
            "end_latest",
        )
        for row in sorted(rows, key=lambda r: (r[7] or date.min, r[0])):
            posts[row[1]].append(Post(*row[1:6], row[6] == "party", row[7], row[8]))
        return cls(pool, slugs, posts)


# -- evidence -----------------------------------------------------------------------


def score(query: PersonQuery, person: KnownPerson, posts: list[Post], matcher: Matcher) -> Scored | None:
    scored = matcher.score(query.record(), person)
    if scored is None:
        return None
    pieces = list(scored.evidence)
    if query.constituency is not None:
        pieces = _claimed_constituency(query.constituency, person, pieces)
    if query.party is not None and query.party.id is not None:
        pieces += _membership(query.party.id, person, posts, pieces)
    if query.year is not None:
        pieces += _year(query.year, person, posts)
    return Scored(person.id, person.name, total(pieces), tuple(pieces))


def _claimed_constituency(asked: ConstituencyAsked, person: KnownPerson, pieces: list[Evidence]) -> list[Evidence]:
    """A candidacy in the constituency the matcher does not see: a claim placed
    at a place that bears its name, or one of several constituencies of that name."""
    if any(p.name == "same constituency" for p in pieces):
        return pieces
    name, _ = split_reservation(asked.text)
    for c in person.candidacies:
        official = c.constituency_id is not None and c.constituency_id in asked.constituency_ids
        claimed = (
            c.contest_id is None
            and bool(c.district)
            and (c.district_id in asked.place_ids or same_place_name(split_reservation(c.district)[0], name))
        )
        if official or claimed:
            kind = "stood" if official else f"claimed ({c.status})"
            where = c.constituency or c.district
            here = Evidence("same constituency", SAME_CONSTITUENCY, f"{kind} in {where} ({c.election})")
            return [p for p in pieces if p.name != "known elsewhere only"] + [here]
    return pieces


def _membership(party_id: int, person: KnownPerson, posts: list[Post], pieces: list[Evidence]) -> list[Evidence]:
    """The party of a person whose candidacies name none: their memberships."""
    if any(c.party_id is not None for c in person.candidacies):
        return []  # the matcher has weighed the parties they stood for
    memberships = [p for p in posts if p.is_party]
    if not memberships:
        return []
    latest = memberships[-1]
    if latest.organisation_id == party_id:
        return [Evidence("same party", SAME_PARTY, f"a member of {latest.organisation}")]
    if any(p.organisation_id == party_id for p in memberships):
        return [Evidence("a party of before", PARTY_BEFORE, f"a member before; latest {latest.organisation}")]
    return [Evidence("other party", OTHER_PARTY, f"a member of {latest.organisation}")]


def _year(year: int, person: KnownPerson, posts: list[Post]) -> list[Evidence]:
    stood = [c for c in person.candidacies if c.day is not None and c.day.year == year]
    if stood:
        return [Evidence("stood that year", STOOD_THAT_YEAR, stood[-1].election)]
    held = [p for p in posts if _may_hold_in(p, year)]
    if held:
        return [Evidence("held a post that year", HELD_A_POST_THAT_YEAR, held[-1].role or held[-1].organisation)]
    return []


def _may_hold_in(post: Post, year: int) -> bool:
    if post.starts is None and post.ends is None:
        return False  # undated: says nothing of a year
    return (post.starts is None or post.starts.year <= year) and (post.ends is None or post.ends.year >= year)


# -- the answer ---------------------------------------------------------------------


def _name_strength(scored: Scored) -> float:
    return total(p for p in scored.evidence if p.name in NAME_EVIDENCE)


def _told_apart(scored: Scored) -> bool:
    """Whether something beyond the name speaks against the person (another
    constituency, party or age): what else agrees does not make up for it."""
    return any(p.weight < 0 for p in scored.evidence if p.name not in NAME_EVIDENCE)


def _confirms_all(query: PersonQuery, scored: Scored) -> bool:
    """Every property asked gave evidence for, and no piece is against."""
    if any(p.weight < 0 for p in scored.evidence):
        return False
    names = {p.name for p in scored.evidence}
    wanted = {
        "constituency": {"same constituency"},
        "party": {"same party", "a party of before"},
        "year": {"stood that year", "held a post that year"},
    }
    return all(names & wanted[asked] for asked in query.asked)


def decide(query: PersonQuery, ranked_people: list[Scored]) -> Scored | None:
    """The candidate to match, if one is unambiguous."""
    if not ranked_people:
        return None
    best, others = ranked_people[0], ranked_people[1:]
    strength = _name_strength(best)
    strong = best.score >= LINK_AT or (strength >= BEARS_THE_NAME and _confirms_all(query, best))
    lead = best.score - (others[0].score if others else float("-inf"))
    namesakes = [s for s in others if _name_strength(s) >= max(BEARS_THE_NAME, strength) and not _told_apart(s)]
    return best if strong and lead >= MARGIN and not namesakes else None


def attainable(query: PersonQuery) -> float:
    return BEST_NAME + sum(MOST[name] for name in query.asked)


def answer(query: PersonQuery, people: People, matcher: Matcher, candidate_ids: set[int]) -> list[dict]:
    scored = []
    for pk in sorted(candidate_ids):
        person = people.pool.people.get(pk)
        found = score(query, person, people.posts.get(pk, []), matcher) if person else None
        if found is not None:
            scored.append(found)
    scored.sort(key=lambda s: (-s.score, s.person_id))
    chosen = decide(query, scored)
    most = attainable(query)
    return [
        _candidate(s, people, most, match=s is chosen) for s in scored[: query.limit] if s.person_id in people.slugs
    ]


def _candidate(scored: Scored, people: People, most: float, *, match: bool) -> dict:
    share = max(0.0, min(100.0, 100 * scored.score / most))
    out = {
        "id": record_id(PERSON, people.slugs[scored.person_id]),
        "name": scored.person_name,
        "type": [{"id": PERSON.id, "name": PERSON.name}],
        "score": round(share, 1),
        "match": match,
        "features": [{"id": piece.name, "value": piece.weight} for piece in scored.evidence],
    }
    description = describe(people.pool.people[scored.person_id], people.posts.get(scored.person_id, []))
    if description:
        out["description"] = description
    return out


def describe(person: KnownPerson, posts: list[Post]) -> str:
    """Who they are, in a line: their party, their last post, their last candidacy."""
    parts = []
    parties = [(p.abbreviation or p.organisation) for p in posts if p.is_party]
    parties += [c.party for c in person.candidacies if c.party]
    if parties:
        parts.append(parties[-1])
    offices = [p for p in posts if not p.is_party and p.role]
    if offices:
        office = offices[-1]
        parts.append(f"{office.role}, {office.organisation}" if office.organisation else office.role)
    if person.candidacies:
        last = person.candidacies[-1]
        where = last.constituency or last.district
        parts.append(f"{'stood' if last.contest_id else last.status} in {where or 'an election'}: {last.election}")
    return "; ".join(parts)

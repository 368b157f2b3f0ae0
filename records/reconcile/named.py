"""Parties, constituencies and places found by their names: the API's own
search (records/search.py: name, other names, abbreviation, spelling and
sound keys, served by indexes) and its ranking (records/search_rank.py),
whose tier says how well a record's best name agrees with the text.

Score (0-100) by tier: the name, an abbreviation or another name is the
text 100; has its spelling 95; begins with it 80; has its words at word
starts 70; contains it 55; sounds like it 45. A match is a record whose
name is the text or its spelling (tier 0 or 1) when no other record's is.
A constituency's reservation written after its name ("Kannauj (SC)") is
compared with the one recorded: a recorded other reservation costs 30 and
rules the record out of a match; one not recorded says nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

from records.importers.party_names import load_party_names
from records.models import Constituency, ConstituencyAlias, Organisation, OrganisationAlias, Party, Place
from records.reconcile.vocabulary import TYPES, record_id
from records.search import indexed_name_search
from records.search_rank import RANK, ranked
from records.search_sql import TIER
from records.text import normalise_name

TIER_SCORES = {0: 100, 1: 95, 2: 80, 3: 70, 4: 55, 5: 45}
STRONG_TIER = 1  # the name is the text or has its spelling
OTHER_RESERVATION = 30
SEARCH_CAP = 25  # records read per search: beyond a query's limit, enough to see a second strong one
_RESERVATION = re.compile(r"\s*\(\s*(SC|ST|GEN)\s*\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A record a text found, as an answer's candidate."""

    id: str
    pk: int
    name: str
    tier: int
    score: float
    description: str
    other_reservation: bool = False

    @property
    def strong(self) -> bool:
        return self.tier <= STRONG_TIER and not self.other_reservation

    def as_candidate(self, type_id: str, *, match: bool) -> dict:
        kind = TYPES[type_id]
        out = {
            "id": self.id,
            "name": self.name,
            "type": [{"id": kind.id, "name": kind.name}],
            "score": self.score,
            "match": match,
        }
        if self.description:
            out["description"] = self.description
        return out


def split_reservation(text: str) -> tuple[str, str]:
    """("Kannauj", "SC") for "Kannauj (SC)"; the text and "" without one."""
    found = _RESERVATION.search(text)
    if found is None:
        return text, ""
    return text[: found.start()].strip(), found.group(1).upper()


def searched(type_id: str, text: str):
    """The records of a type whose names the text finds, best first (a ranked queryset)."""
    if type_id == "party":
        by_name = Organisation.objects.filter(indexed_name_search(Organisation, text)).order_by().values("id")
        by_abbreviation = Organisation.objects.filter(abbreviation__iexact=text).order_by().values("id")
        by_alias = OrganisationAlias.objects.filter(indexed_name_search(OrganisationAlias, text))
        found = by_name.union(by_abbreviation, by_alias.order_by().values("organisation_id"))
        aliases, exact, records = (OrganisationAlias, "organisation"), Q(abbreviation__iexact=text), Party.objects
    elif type_id == "constituency":
        by_name = Constituency.objects.filter(indexed_name_search(Constituency, text)).order_by().values("id")
        by_alias = ConstituencyAlias.objects.filter(indexed_name_search(ConstituencyAlias, text))
        found = by_name.union(by_alias.order_by().values("constituency_id"))
        aliases, exact, records = (ConstituencyAlias, "constituency"), None, Constituency.objects
    else:
        found = Place.objects.filter(indexed_name_search(Place, text)).order_by().values("id")
        aliases, exact, records = None, None, Place.objects
    best = ranked(records.filter(id__in=found), text, aliases=aliases, also_exact=exact)
    return best.order_by(RANK, "name", "id")


def _rows(type_id: str, text: str, fields: tuple[str, ...]) -> list[dict]:
    return list(searched(type_id, text).values("id", "slug", "name", RANK, *fields)[:SEARCH_CAP])


def _found(type_id: str, row: dict, description: str, other_reservation: bool = False) -> Found:
    tier = min(row[RANK] // TIER, max(TIER_SCORES))
    score = TIER_SCORES[tier] - (OTHER_RESERVATION if other_reservation else 0)
    return Found(
        record_id(TYPES[type_id], row["slug"]), row["id"], row["name"], tier, score, description, other_reservation
    )


def find_parties(text: str) -> list[Found]:
    """Parties by name, abbreviation or other name; an abbreviation of the shipped
    list of party names (data/party-names/) also by the name it stands for."""
    texts = [text]
    full_name = load_party_names().get(normalise_name(text))
    if full_name:
        texts.append(full_name)
    best: dict[int, Found] = {}
    for wanted in texts:
        rows = _rows("party", wanted, ("abbreviation",))
        for row in rows:
            candidate = _found("party", row, row["abbreviation"])
            if row["id"] not in best or candidate.tier < best[row["id"]].tier:
                best[row["id"]] = candidate
    return _in_order(best.values())


def find_constituencies(text: str) -> list[Found]:
    name, reservation = split_reservation(text)
    if not name:
        return []
    rows = _rows("constituency", name, ("number", "jurisdiction__name", "district__name", "reservation"))
    out = []
    for row in rows:
        other = bool(reservation and row["reservation"] and row["reservation"] != reservation)
        out.append(_found("constituency", row, _constituency_description(row), other))
    return _in_order(out)


def _constituency_description(row: dict) -> str:
    parts = [f"No. {row['number']} of {row['jurisdiction__name']}"]
    if row["district__name"]:
        parts.append(f"district {row['district__name']}")
    if row["reservation"]:
        parts.append(Constituency.Reservation(row["reservation"]).label)
    return "; ".join(parts)


def find_places(text: str) -> list[Found]:
    rows = _rows("place", text, ("kind", "parent__name"))
    out = []
    for row in rows:
        within = f" in {row['parent__name']}" if row["parent__name"] else ""
        out.append(_found("place", row, f"{Place.Kind(row['kind']).label}{within}"))
    return _in_order(out)


def _in_order(found) -> list[Found]:
    return sorted(found, key=lambda f: (-f.score, f.tier, f.name, f.pk))


FINDERS = {"party": find_parties, "constituency": find_constituencies, "place": find_places}


def answer(type_id: str, text: str, limit: int) -> list[dict]:
    """A query's candidates for a party, constituency or place."""
    found = FINDERS[type_id](text)
    strong = [f for f in found if f.strong]
    return [f.as_candidate(type_id, match=len(strong) == 1 and f is strong[0]) for f in found[:limit]]

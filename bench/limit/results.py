"""/constituencies/ and /contests/: lists and details; a contest's detail adds
every candidate, most votes first."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Q

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.identifiers import identified, identifiers_of, with_citations
from bench.limit.knowledge import EVERY_SOURCE, known, viewpoint
from bench.limit.people import record_q
from bench.limit.search import indexed_name_matches, name_matches, normalised, ranked_keys, with_rank
from bench.limit.shapes import (
    ELECTION,
    PARTY,
    PERSON,
    PLACE,
    REVIEW,
    citations,
    columns,
    moment,
    nested,
    percent,
    review,
)
from records.models import (
    Candidacy,
    Constituency,
    ConstituencyAlias,
    ConstituencyIdentifier,
    Contest,
    Election,
    Party,
    Person,
)

CONSTITUENCY_ROW = (
    "id",
    "slug",
    "number",
    "name",
    *columns("jurisdiction", PLACE),
    "reservation",
    *columns("district", PLACE),
    "updated_at",
    *REVIEW,
)
CONSTITUENCY_ORDERS = {"number": "number", "name": "name", "id": "id"}


def constituency_json(row, aliases, cited) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "number": row["number"],
        "name": row["name"],
        "jurisdiction": nested(row, "jurisdiction", PLACE),
        "reservation": row["reservation"],
        "district": nested(row, "district", PLACE),
        "aliases": [{**a, "citations": cited[(ConstituencyAlias, a["id"])]} for a in aliases[row["id"]]],
        "citations": cited[(Constituency, row["id"])],
        "updated_at": moment(row["updated_at"]),
        **review(row),
    }


def constituencies_filtered(params, seen=EVERY_SOURCE):
    found = Constituency.objects.filter(known(Constituency, seen))
    if params.get("q"):
        by_alias = ConstituencyAlias.objects.filter(indexed_name_matches(ConstituencyAlias, params["q"]))
        by_name = Constituency.objects.filter(indexed_name_matches(Constituency, params["q"])).values("id")
        found = found.filter(Q(id__in=by_name) | Q(id__in=by_alias.values("constituency_id")))
        found = with_rank(found, params["q"], ConstituencyAlias, "constituency")
    jurisdiction = lookups.place(params, "jurisdiction")
    if jurisdiction:
        found = found.filter(jurisdiction__in=lookups.subtree_ids(jurisdiction))
    district = lookups.place(params, "district")
    if district:
        found = found.filter(district__in=lookups.subtree_ids(district))
    if params.get("reservation"):
        found = found.filter(reservation=params["reservation"])
    election = lookups.by_id_or_key(params, "election", Election.objects.all(), "slug")
    if election:
        found = found.filter(id__in=Contest.objects.filter(election=election).values("constituency_id"))
    if params.get("review_status"):
        found = found.filter(review_status=params["review_status"])
    return identified(found, ConstituencyIdentifier, "constituency", params)


def constituency_keys(params):
    return ranked_keys(params, paging.keys_for(params, CONSTITUENCY_ORDERS, "number"))


def _constituencies_json(rows, seen, identifiers=()) -> tuple[list[dict], dict]:
    """With each one's aliases (by name), and every citation of both (and of a
    detail's ``identifiers``) in one query; and those citations."""
    ids = [r["id"] for r in rows]
    aliases = defaultdict(list)
    found = ConstituencyAlias.objects.filter(known(ConstituencyAlias, seen), constituency_id__in=ids)
    found = found.order_by("constituency_id", "name")
    for alias in found.values("id", "constituency_id", "name", "kind", "status"):
        aliases[alias.pop("constituency_id")].append(alias)
    alias_ids = [a["id"] for listed in aliases.values() for a in listed]
    identifier_ids = [i["id"] for i in identifiers]
    cited = citations({Constituency: ids, ConstituencyAlias: alias_ids, ConstituencyIdentifier: identifier_ids}, seen)
    return [constituency_json(r, aliases, cited) for r in rows], cited


@viewpoint
def constituencies(request, seen):
    order = constituency_keys(request.GET)
    page = paging.page(request, constituencies_filtered(request.GET, seen), order, CONSTITUENCY_ROW)
    return envelope(request, page, _constituencies_json(page.rows, seen)[0])


@viewpoint
def constituency(request, key: str, seen):
    found = list(Constituency.objects.filter(record_q(key), known(Constituency, seen)).values(*CONSTITUENCY_ROW)[:1])
    if not found:
        return not_found()
    pk = found[0]["id"]
    identifiers = identifiers_of(ConstituencyIdentifier, "constituency", pk, seen)
    built, cited = _constituencies_json(found, seen, identifiers)
    body = built[0]
    tail = {name: body.pop(name) for name in ("citations", "updated_at", "review_status", "verified_by", "verified_at")}
    body["identifiers"] = with_citations(ConstituencyIdentifier, identifiers, cited)
    return json_response({**body, **tail})


# -- contests ---------------------------------------------------------------------

CONTEST_ROW = (
    "id",
    *columns("election", ELECTION),
    *columns("constituency", ("id", "slug", "number", "name", "reservation")),
    *columns("constituency__district", PLACE),
    "total_votes",
    "nota_votes",
    "electors",
    "result_declared",
    "updated_at",
    *REVIEW,
)
CONTEST_ORDERS = {"number": "constituency_number", "margin": "winner_margin", "total_votes": "total_votes", "id": "id"}


def _winners():
    return Candidacy.objects.filter(won=True).order_by("id")


def contests_annotated():
    return Contest.objects.annotate(constituency_number=F("constituency__number"))


def _one_constituency(key: str):
    found = list(Constituency.objects.filter(slug=key)[:1])
    if not found:
        number = key.isascii() and key.isdigit() and len(key) < 10
        matches = (
            Constituency.objects.filter(number=int(key))
            if number
            else Constituency.objects.filter(search_name=normalised(key))
        )
        found = list(matches.order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


def contests_filtered(params, seen=EVERY_SOURCE):
    found = contests_annotated().filter(known(Contest, seen))
    election = lookups.by_id_or_key(params, "election", Election.objects.all(), "slug")
    if election:
        found = found.filter(election=election)
    if params.get("constituency_id"):
        found = found.filter(constituency_id=int(params["constituency_id"]))
    if params.get("constituency"):
        found = found.filter(constituency=_one_constituency(params["constituency"]))
    if params.get("q"):
        found = found.filter(name_matches(params["q"], "constituency__"))
    candidate = lookups.by_id_or_key(params, "candidate", Person.objects.all(), "slug")
    if candidate:
        found = found.filter(Exists(Candidacy.objects.filter(contest=OuterRef("pk"), person=candidate)))
    party = lookups.by_id_or_key(params, "party", Party.objects.all(), "slug", "abbreviation__iexact")
    if party:
        stood = Candidacy.objects.filter(contest=OuterRef("pk"), party=party)
        if params.get("party_result"):
            stood = stood.filter(won=params["party_result"] == "won")
        found = found.filter(Exists(stood))
    jurisdiction = lookups.place(params, "jurisdiction")
    if jurisdiction:
        found = found.filter(constituency__jurisdiction__in=lookups.subtree_ids(jurisdiction))
    district = lookups.place(params, "district")
    if district:
        found = found.filter(constituency__district__in=lookups.subtree_ids(district))
    if params.get("reservation"):
        found = found.filter(constituency__reservation=params["reservation"])
    winner_party = lookups.by_id_or_key(params, "winner_party", Party.objects.all(), "slug", "abbreviation__iexact")
    if winner_party:
        found = found.filter(Exists(Candidacy.objects.filter(contest=OuterRef("pk"), won=True, party=winner_party)))
    if params.get("margin_min"):
        found = found.filter(winner_margin__gte=int(params["margin_min"]))
    if params.get("margin_max"):
        found = found.filter(winner_margin__lte=int(params["margin_max"]))
    if params.get("review_status"):
        found = found.filter(review_status=params["review_status"])
    return found


def contest_keys(params):
    return paging.keys_for(params, CONTEST_ORDERS, "number", frozenset({"winner_margin", "total_votes"}))


def _winner_of(contest_ids: list[int], seen) -> dict:
    first = {}
    rows = (
        _winners()
        .filter(known(Candidacy, seen), contest_id__in=contest_ids)
        .values(
            "id", "contest_id", *columns("person", PERSON), "ballot_name", *columns("party", PARTY), "votes", "margin"
        )
    )
    for w in rows:  # by id: a contest's first winner is the one shown
        first.setdefault(w["contest_id"], _winner_json(w))
    return first


def _winner_json(w) -> dict:
    return {
        "id": w["id"],
        "person": nested(w, "person", PERSON),
        "ballot_name": w["ballot_name"],
        "party": nested(w, "party", PARTY),
        "votes": w["votes"],
        "margin": w["margin"],
    }


def contest_json(row, winners, cited) -> dict:
    constituency = {name: row[f"constituency__{name}"] for name in ("id", "slug", "number", "name", "reservation")}
    return {
        "id": row["id"],
        "election": nested(row, "election", ELECTION),
        "constituency": {**constituency, "district": nested(row, "constituency__district", PLACE)},
        "total_votes": row["total_votes"],
        "nota_votes": row["nota_votes"],
        "electors": row["electors"],
        "turnout": percent(row["total_votes"], row["electors"]),
        "result_declared": row["result_declared"],
        "winner": winners.get(row["id"]),
        "citations": cited[(Contest, row["id"])],
        "updated_at": moment(row["updated_at"]),
        **review(row),
    }


@viewpoint
def contests(request, seen):
    order = contest_keys(request.GET)
    page = paging.page(request, contests_filtered(request.GET, seen), order, CONTEST_ROW)
    ids = [r["id"] for r in page.rows]
    winners, cited = _winner_of(ids, seen), citations({Contest: ids}, seen)
    return envelope(request, page, [contest_json(r, winners, cited) for r in page.rows])


@viewpoint
def contest(request, key: str, seen):
    if not key.isdigit():
        return not_found()
    found = list(Contest.objects.filter(known(Contest, seen), pk=int(key)).values(*CONTEST_ROW)[:1])
    if not found:
        return not_found()
    row = found[0]
    candidates = list(
        Candidacy.objects.filter(known(Candidacy, seen), contest_id=row["id"])
        .order_by(F("votes").desc(nulls_last=True), F("rank").asc(nulls_last=True), "id")
        .values(
            "id",
            "rank",
            *columns("person", PERSON),
            "ballot_name",
            *columns("party", PARTY),
            "votes",
            "won",
            "margin",
            "status",
        )
    )
    cited = citations({Contest: [row["id"]], Candidacy: [c["id"] for c in candidates]}, seen)
    winner = next((c for c in sorted(candidates, key=lambda c: c["id"]) if c["won"]), None)
    winners = {row["id"]: _winner_json(winner)} if winner is not None else {}
    body = contest_json(row, winners, cited)
    body["candidates"] = [
        {
            "id": c["id"],
            "rank": c["rank"],
            "person": nested(c, "person", PERSON),
            "ballot_name": c["ballot_name"],
            "party": nested(c, "party", PARTY),
            "votes": c["votes"],
            "vote_share": percent(c["votes"], row["total_votes"]),
            "won": c["won"],
            "margin": c["margin"],
            "status": c["status"],
            "citations": cited[(Candidacy, c["id"])],
        }
        for c in candidates
    ]
    return json_response(body)

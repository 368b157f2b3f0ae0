"""/parties/, /organisations/, /places/: lists and details; a party's detail
adds its leaders and claimed results."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Q

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.identifiers import identified, identifiers_of, with_citations
from bench.limit.knowledge import EVERY_SOURCE, known, linked, links, viewpoint
from bench.limit.people import record_q
from bench.limit.search import indexed_name_matches, ranked_keys, with_rank
from bench.limit.shapes import (
    ELECTION,
    PARTY,
    PERSON,
    PLACE,
    REVIEW,
    cents,
    citations,
    columns,
    fuzzy,
    fuzzy_columns,
    moment,
    nested,
    review,
)
from records.models import (
    Government,
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    Party,
    PartyResult,
    Place,
    PlaceIdentifier,
    Posting,
)

ORGANISATION_ORDERS = {"name": "name", "abbreviation": "abbreviation", "id": "id"}
PLACE_ORDERS = {"name": "name", "path": "path", "id": "id"}
TAIL = ("updated_at", *REVIEW)


def _aliases(organisation_ids: list[int], seen) -> tuple[dict, list[int]]:
    """Each organisation's aliases (by name), and all their ids (whose citations
    the caller reads with the organisations', in one query)."""
    aliases = defaultdict(list)
    rows = OrganisationAlias.objects.filter(known(OrganisationAlias, seen), organisation_id__in=organisation_ids)
    for row in rows.order_by("organisation_id", "name").values("id", "organisation_id", "name", "kind", "status"):
        aliases[row.pop("organisation_id")].append(row)
    return aliases, [a["id"] for found in aliases.values() for a in found]


def _with_aliases(org_id, aliases, cited):
    return [{**a, "citations": cited[(OrganisationAlias, a["id"])]} for a in aliases[org_id]]


def _tail(row) -> dict:
    return {"updated_at": moment(row["updated_at"]), **review(row)}


def party_json(row, aliases, cited) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "abbreviation": row["abbreviation"],
        "aliases": aliases,
        "citations": cited[(Organisation, row["id"])],
        **_tail(row),
    }


def organisation_json(row, aliases, cited) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "abbreviation": row["abbreviation"],
        "kind": row["kind"],
        "parent": row["parent_id"],
        "path": row["path"],
        "place": nested(row, "place", PLACE),
        "aliases": aliases,
        "citations": cited[(Organisation, row["id"])],
        **_tail(row),
    }


def place_json(row, cited) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "kind": row["kind"],
        "parent": row["parent_id"],
        "path": row["path"],
        "other_names": row["other_names"],
        "citations": cited[(Place, row["id"])],
        **_tail(row),
    }


def _organisations_filtered(queryset, params, seen):
    queryset = queryset.filter(known(Organisation, seen))
    if params.get("q"):
        text = params["q"]
        by_alias = OrganisationAlias.objects.filter(indexed_name_matches(OrganisationAlias, text))
        by_name = Organisation.objects.filter(indexed_name_matches(Organisation, text)).values("id")
        queryset = queryset.filter(
            Q(id__in=by_name) | Q(abbreviation__iexact=text) | Q(id__in=by_alias.values("organisation_id"))
        )
        queryset = with_rank(queryset, text, OrganisationAlias, "organisation", abbreviation=True)
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    within = lookups.organisation(params, "within")
    if within:
        queryset = queryset.filter(id__in=lookups.subtree_ids(within))
    if params.get("review_status"):
        queryset = queryset.filter(review_status=params["review_status"])
    return identified(queryset, OrganisationIdentifier, "organisation", params)


ORGANISATION_ROW = ("id", "slug", "name", "abbreviation", "kind", "parent_id", "path", *columns("place", PLACE), *TAIL)
PARTY_ROW = ("id", "slug", "name", "abbreviation", *TAIL)


def organisation_keys(params):
    return ranked_keys(params, paging.keys_for(params, ORGANISATION_ORDERS, "name"))


def parties_filtered(params, seen=EVERY_SOURCE):
    return _organisations_filtered(Party.objects.all(), params, seen)


def organisations_filtered(params, seen=EVERY_SOURCE):
    return _organisations_filtered(Organisation.objects.all(), params, seen)


def _organisation_page(request, queryset, row_names, build, seen):
    order = organisation_keys(request.GET)
    page = paging.page(request, queryset, order, row_names)
    ids = [r["id"] for r in page.rows]
    aliases, alias_ids = _aliases(ids, seen)
    cited = citations({Organisation: ids, OrganisationAlias: alias_ids}, seen)
    return envelope(request, page, [build(r, _with_aliases(r["id"], aliases, cited), cited) for r in page.rows])


@viewpoint
def parties(request, seen):
    return _organisation_page(request, parties_filtered(request.GET, seen), PARTY_ROW, party_json, seen)


@viewpoint
def organisations(request, seen):
    found = organisations_filtered(request.GET, seen)
    return _organisation_page(request, found, ORGANISATION_ROW, organisation_json, seen)


@viewpoint
def organisation(request, key: str, seen):
    found = list(Organisation.objects.filter(record_q(key), known(Organisation, seen)).values(*ORGANISATION_ROW)[:1])
    if not found:
        return not_found()
    row = found[0]
    aliases, alias_ids = _aliases([row["id"]], seen)
    identifiers = identifiers_of(OrganisationIdentifier, "organisation", row["id"], seen)
    cited = citations(
        {
            Organisation: [row["id"]],
            OrganisationAlias: alias_ids,
            OrganisationIdentifier: [i["id"] for i in identifiers],
        },
        seen,
    )
    body = organisation_json(row, _with_aliases(row["id"], aliases, cited), cited)
    tail = {name: body.pop(name) for name in ("citations", "updated_at", *REVIEW_KEYS)}
    body["identifiers"] = with_citations(OrganisationIdentifier, identifiers, cited)
    return json_response({**body, **tail})


@viewpoint
def party(request, key: str, seen):
    found = list(Party.objects.filter(record_q(key), known(Organisation, seen)).values(*PARTY_ROW)[:1])
    if not found:
        return not_found()
    row = found[0]
    pk = row["id"]
    aliases, alias_ids = _aliases([pk], seen)
    identifiers = identifiers_of(OrganisationIdentifier, "organisation", pk, seen)
    leaders = list(
        Posting.objects.filter(known(Posting, seen), organisation_id=pk, role__iexact="leader")
        .order_by("person_id", F("start_sort").asc(nulls_last=True), "id")
        .values("id", *columns("person", PERSON), "role", *fuzzy_columns("start"), *fuzzy_columns("end"), "status")
    )
    results = list(
        PartyResult.objects.filter(known(PartyResult, seen), party_id=pk)
        .order_by("election_id", "-seats_won", "party_id", "id")
        .values("id", *columns("election", ELECTION), "seats_won", "seats_with_allies", "vote_share", "status")
    )
    governs = _governments(seen, party_id=pk)
    cited = citations(
        {
            Organisation: [pk],
            OrganisationAlias: alias_ids,
            OrganisationIdentifier: [i["id"] for i in identifiers],
            Posting: [p["id"] for p in leaders],
            PartyResult: [r["id"] for r in results],
            Government: [g["id"] for g in governs],
        },
        seen,
    )
    linking = links({PartyResult: [r["id"] for r in results]}, seen)
    body = party_json(row, _with_aliases(pk, aliases, cited), cited)
    tail = {name: body.pop(name) for name in ("citations", "updated_at", *REVIEW_KEYS)}
    body["identifiers"] = with_citations(OrganisationIdentifier, identifiers, cited)
    body["leaders"] = [
        {
            "id": p["id"],
            "person": nested(p, "person", PERSON),
            "role": p["role"],
            "start": fuzzy(p, "start"),
            "end": fuzzy(p, "end"),
            "status": p["status"],
            "citations": cited[(Posting, p["id"])],
        }
        for p in leaders
    ]
    body["results"] = [
        {
            "id": r["id"],
            "election": nested(r, "election", ELECTION),
            "seats_won": r["seats_won"],
            "seats_with_allies": r["seats_with_allies"],
            "vote_share": cents(r["vote_share"]),
            "status": r["status"],
            "citations": cited[(PartyResult, r["id"])],
            **linked(PartyResult, r["id"], linking),
        }
        for r in results
    ]
    body["governs"] = [_government_json(g, "place", PLACE, cited) for g in governs]
    return json_response({**body, **tail})


def _governments(seen, **where) -> list[dict]:
    return list(
        Government.objects.filter(known(Government, seen), **where)
        .order_by("place_id", F("start_earliest").asc(nulls_first=True), "id")
        .values(
            "id",
            *columns("party", PARTY),
            *columns("place", PLACE),
            *fuzzy_columns("start"),
            *fuzzy_columns("end"),
            "status",
        )
    )


def _government_json(g: dict, side: str, shape: tuple, cited) -> dict:
    return {
        "id": g["id"],
        side: nested(g, side, shape),
        "start": fuzzy(g, "start"),
        "end": fuzzy(g, "end"),
        "status": g["status"],
        "citations": cited[(Government, g["id"])],
    }


REVIEW_KEYS = ("review_status", "verified_by", "verified_at")
PLACE_ROW = ("id", "slug", "name", "kind", "parent_id", "path", "other_names", *TAIL)


def place_keys(params):
    return ranked_keys(params, paging.keys_for(params, PLACE_ORDERS, "path"))


def places_filtered(params, seen=EVERY_SOURCE):
    queryset = Place.objects.filter(known(Place, seen))
    if params.get("q"):
        queryset = with_rank(queryset.filter(indexed_name_matches(Place, params["q"])), params["q"])
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    within = lookups.place(params, "within")
    if within:
        queryset = queryset.filter(id__in=lookups.subtree_ids(within))
    if params.get("review_status"):
        queryset = queryset.filter(review_status=params["review_status"])
    return identified(queryset, PlaceIdentifier, "place", params)


@viewpoint
def places(request, seen):
    order = place_keys(request.GET)
    page = paging.page(request, places_filtered(request.GET, seen), order, PLACE_ROW)
    cited = citations({Place: [r["id"] for r in page.rows]}, seen)
    return envelope(request, page, [place_json(r, cited) for r in page.rows])


@viewpoint
def place(request, key: str, seen):
    found = list(Place.objects.filter(record_q(key), known(Place, seen)).values(*PLACE_ROW)[:1])
    if not found:
        return not_found()
    pk = found[0]["id"]
    identifiers = identifiers_of(PlaceIdentifier, "place", pk, seen)
    governed_by = _governments(seen, place_id=pk)
    cited = citations(
        {Place: [pk], PlaceIdentifier: [i["id"] for i in identifiers], Government: [g["id"] for g in governed_by]},
        seen,
    )
    body = place_json(found[0], cited)
    tail = {name: body.pop(name) for name in ("citations", "updated_at", *REVIEW_KEYS)}
    body["identifiers"] = with_citations(PlaceIdentifier, identifiers, cited)
    body["governed_by"] = [_government_json(g, "party", PARTY, cited) for g in governed_by]
    return json_response({**body, **tail})

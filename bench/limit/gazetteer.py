"""/parties/, /organisations/, /places/: lists and details; a party's detail
adds its leaders and claimed results."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F, Q

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.people import record_q
from bench.limit.search import indexed_name_matches, ranked_keys, with_rank
from bench.limit.shapes import (
    ELECTION,
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
from records.models import Organisation, OrganisationAlias, Party, PartyResult, Place, Posting

ORGANISATION_ORDERS = {"name": "name", "abbreviation": "abbreviation", "id": "id"}
PLACE_ORDERS = {"name": "name", "path": "path", "id": "id"}
TAIL = ("updated_at", *REVIEW)


def _aliases(organisation_ids: list[int]) -> tuple[dict, dict]:
    """Each organisation's aliases (by name) and their citations."""
    aliases = defaultdict(list)
    rows = OrganisationAlias.objects.filter(organisation_id__in=organisation_ids).order_by("organisation_id", "name")
    for row in rows.values("id", "organisation_id", "name", "kind", "status"):
        aliases[row.pop("organisation_id")].append(row)
    return aliases, citations({OrganisationAlias: [a["id"] for found in aliases.values() for a in found]})


def _with_aliases(org_ids, aliases, alias_cites):
    return [{**a, "citations": alias_cites[(OrganisationAlias, a["id"])]} for a in aliases[org_ids]]


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


def _organisations_filtered(queryset, params):
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
    return queryset


ORGANISATION_ROW = ("id", "slug", "name", "abbreviation", "kind", "parent_id", "path", *columns("place", PLACE), *TAIL)
PARTY_ROW = ("id", "slug", "name", "abbreviation", *TAIL)


def organisation_keys(params):
    return ranked_keys(params, paging.keys_for(params, ORGANISATION_ORDERS, "name"))


def parties_filtered(params):
    return _organisations_filtered(Party.objects.all(), params)


def organisations_filtered(params):
    return _organisations_filtered(Organisation.objects.all(), params)


def _organisation_page(request, queryset, row_names, build):
    order = organisation_keys(request.GET)
    page = paging.page(request, queryset, order, row_names)
    ids = [r["id"] for r in page.rows]
    aliases, alias_cites = _aliases(ids)
    cited = citations({Organisation: ids})
    return envelope(request, page, [build(r, _with_aliases(r["id"], aliases, alias_cites), cited) for r in page.rows])


def parties(request):
    return _organisation_page(request, parties_filtered(request.GET), PARTY_ROW, party_json)


def organisations(request):
    return _organisation_page(request, organisations_filtered(request.GET), ORGANISATION_ROW, organisation_json)


def organisation(request, key: str):
    found = list(Organisation.objects.filter(record_q(key)).values(*ORGANISATION_ROW)[:1])
    if not found:
        return not_found()
    row = found[0]
    aliases, alias_cites = _aliases([row["id"]])
    cited = citations({Organisation: [row["id"]]})
    return json_response(organisation_json(row, _with_aliases(row["id"], aliases, alias_cites), cited))


def party(request, key: str):
    found = list(Party.objects.filter(record_q(key)).values(*PARTY_ROW)[:1])
    if not found:
        return not_found()
    row = found[0]
    pk = row["id"]
    aliases, alias_cites = _aliases([pk])
    leaders = list(
        Posting.objects.filter(organisation_id=pk, role__iexact="leader")
        .order_by("person_id", F("start_sort").asc(nulls_last=True), "id")
        .values("id", *columns("person", PERSON), "role", *fuzzy_columns("start"), *fuzzy_columns("end"), "status")
    )
    results = list(
        PartyResult.objects.filter(party_id=pk)
        .order_by("election_id", "-seats_won", "party_id", "id")
        .values("id", *columns("election", ELECTION), "seats_won", "seats_with_allies", "vote_share", "status")
    )
    cited = citations(
        {Organisation: [pk], Posting: [p["id"] for p in leaders], PartyResult: [r["id"] for r in results]}
    )
    body = party_json(row, _with_aliases(pk, aliases, alias_cites), cited)
    tail = {
        name: body.pop(name) for name in ("citations", "updated_at", *("review_status", "verified_by", "verified_at"))
    }
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
        }
        for r in results
    ]
    return json_response({**body, **tail})


PLACE_ROW = ("id", "slug", "name", "kind", "parent_id", "path", "other_names", *TAIL)


def place_keys(params):
    return ranked_keys(params, paging.keys_for(params, PLACE_ORDERS, "path"))


def places_filtered(params):
    queryset = Place.objects.all()
    if params.get("q"):
        queryset = with_rank(queryset.filter(indexed_name_matches(Place, params["q"])), params["q"])
    if params.get("kind"):
        queryset = queryset.filter(kind=params["kind"])
    within = lookups.place(params, "within")
    if within:
        queryset = queryset.filter(id__in=lookups.subtree_ids(within))
    if params.get("review_status"):
        queryset = queryset.filter(review_status=params["review_status"])
    return queryset


def places(request):
    order = place_keys(request.GET)
    page = paging.page(request, places_filtered(request.GET), order, PLACE_ROW)
    cited = citations({Place: [r["id"] for r in page.rows]})
    return envelope(request, page, [place_json(r, cited) for r in page.rows])


def place(request, key: str):
    found = list(Place.objects.filter(record_q(key)).values(*PLACE_ROW)[:1])
    if not found:
        return not_found()
    return json_response(place_json(found[0], citations({Place: [found[0]["id"]]})))

"""/postings/: the list and the detail (the same row)."""

from __future__ import annotations

from django.db.models import Q

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.knowledge import EVERY_SOURCE, known, linked, linked_against, links, viewpoint
from bench.limit.shapes import (
    ORGANISATION,
    PERSON,
    PLACE,
    REVIEW,
    citations,
    columns,
    fuzzy,
    fuzzy_columns,
    moment,
    nested,
    review,
)
from records.models import Person, Posting

ROW = (
    "id",
    "key",
    *columns("person", PERSON),
    "role",
    "rank",
    *columns("organisation", ORGANISATION),
    *columns("place", PLACE),
    *columns("serves", PERSON),
    *fuzzy_columns("start"),
    *fuzzy_columns("end"),
    "previous_id",
    "note",
    "status",
    "updated_at",
    *REVIEW,
)
ORDERS = {
    "start": "start_sort",
    "end": "end_sort",
    "career": "person_id,career_position",
    "role": "role",
    "updated": "updated_at",
    "id": "id",
}


def posting_json(p: dict, cited, linking) -> dict:
    return {
        "id": p["id"],
        "key": p["key"],
        "person": nested(p, "person", PERSON),
        "role": p["role"],
        "rank": p["rank"],
        "organisation": nested(p, "organisation", ORGANISATION),
        "place": nested(p, "place", PLACE),
        "serves": nested(p, "serves", PERSON),
        "start": fuzzy(p, "start"),
        "end": fuzzy(p, "end"),
        "previous": p["previous_id"],
        "note": p["note"],
        "status": p["status"],
        "citations": cited[(Posting, p["id"])],
        **linked(Posting, p["id"], linking),
        "updated_at": moment(p["updated_at"]),
        **review(p),
    }


def filtered(params, seen=EVERY_SOURCE):
    postings = Posting.objects.filter(known(Posting, seen))
    person = lookups.by_id_or_key(params, "person", Person.objects.all(), "slug")
    if person:
        postings = postings.filter(person=person)
    if params.get("role"):
        postings = postings.filter(role__icontains=params["role"])
    if params.get("rank"):
        postings = postings.filter(rank__iexact=params["rank"])
    organisation = lookups.organisation(params)
    if organisation:
        postings = postings.filter(organisation__in=lookups.subtree_ids(organisation))
    place = lookups.place(params)
    if place:
        postings = postings.filter(place__in=lookups.subtree_ids(place))
    if params.getlist("status"):
        postings = postings.filter(status__in=params.getlist("status"))
    maybe = lookups.possibly(params)
    day = lookups.iso_day(params, "active_on")
    if day:
        postings = postings.filter(lookups.held_on(day, maybe, span_statistics=True))
    for name, field, compare in (
        ("started_before", "start", lookups.on_or_before),
        ("started_after", "start", lookups.on_or_after),
        ("ended_before", "end", lookups.on_or_before),
        ("ended_after", "end", lookups.on_or_after),
    ):
        day = lookups.iso_day(params, name)
        if day:
            postings = postings.filter(compare(field, day, maybe))
    if params.get("disputed"):
        disputed = linked_against(Posting)
        postings = postings.filter(disputed if params["disputed"].lower() in ("true", "1") else ~disputed)
    if params.get("review_status"):
        postings = postings.filter(review_status=params["review_status"])
    return postings


def keys(params):
    return paging.keys_for(params, ORDERS, "start", frozenset({"start_sort", "end_sort"}))


def _postings_json(rows, seen) -> list[dict]:
    ids = {Posting: [p["id"] for p in rows]}
    cited, linking = citations(ids, seen), links(ids, seen)
    return [posting_json(p, cited, linking) for p in rows]


@viewpoint
def postings(request, seen):
    order = keys(request.GET)
    page = paging.page(request, filtered(request.GET, seen), order, ROW)
    return envelope(request, page, _postings_json(page.rows, seen))


@viewpoint
def posting(request, key: str, seen):
    if not key.isdigit():
        return not_found()
    found = list(Posting.objects.filter(Q(pk=int(key)), known(Posting, seen)).values(*ROW)[:1])
    if not found:
        return not_found()
    return json_response(_postings_json(found, seen)[0])

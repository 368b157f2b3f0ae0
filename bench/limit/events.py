"""/events/: events as their sources tell them (with their participants and
the versions other sources tell: the events a contradicts link joins them to)."""

from __future__ import annotations

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.knowledge import EVERY_SOURCE, known, linked, linked_against, links, viewpoint
from bench.limit.people import event_links
from bench.limit.shapes import (
    ORGANISATION,
    PERSON,
    REVIEW,
    citations,
    columns,
    fuzzy,
    fuzzy_columns,
    moment,
    nested,
    review,
)
from records.models import Event, Person

Participation = Event.participants.through
ROW = (
    "id",
    "key",
    *columns("person", PERSON),
    "kind",
    "title",
    *columns("organisation", ORGANISATION),
    *fuzzy_columns("date"),
    "status",
    "updated_at",
    *REVIEW,
)
ORDERS = {"date": "date_earliest", "updated": "updated_at", "id": "id"}


def event_json(row, participants, contradicts, cited, linking) -> dict:
    return {
        "id": row["id"],
        "key": row["key"],
        "person": nested(row, "person", PERSON),
        "kind": row["kind"],
        "title": row["title"],
        "organisation": nested(row, "organisation", ORGANISATION),
        "date": fuzzy(row, "date"),
        "participants": participants[row["id"]],
        "contradicts": contradicts[row["id"]],
        "status": row["status"],
        "citations": cited[(Event, row["id"])],
        **linked(Event, row["id"], linking),
        "updated_at": moment(row["updated_at"]),
        **review(row),
    }


def filtered(params, seen=EVERY_SOURCE):
    events = Event.objects.filter(known(Event, seen))
    person = lookups.by_id_or_key(params, "person", Person.objects.all(), "slug")
    if person:
        events = events.filter(person=person)
    participant = lookups.by_id_or_key(params, "participant", Person.objects.all(), "slug")
    if participant:
        events = events.filter(id__in=Participation.objects.filter(person=participant).values("event_id"))
    organisation = lookups.organisation(params)
    if organisation:
        events = events.filter(organisation__in=lookups.subtree_ids(organisation))
    if params.getlist("kind"):
        events = events.filter(kind__in=params.getlist("kind"))
    if params.getlist("status"):
        events = events.filter(status__in=params.getlist("status"))
    if params.get("disputed"):
        disputed = linked_against(Event)
        events = events.filter(disputed if params["disputed"].lower() in ("true", "1") else ~disputed)
    if params.get("review_status"):
        events = events.filter(review_status=params["review_status"])
    return events


def keys(params):
    return paging.keys_for(params, ORDERS, "date", frozenset({"date_earliest"}))


def _events_json(rows, seen) -> list[dict]:
    ids = [r["id"] for r in rows]
    participants, contradicts = event_links(ids, seen)
    cited, linking = citations({Event: ids}, seen), links({Event: ids}, seen)
    return [event_json(r, participants, contradicts, cited, linking) for r in rows]


@viewpoint
def events(request, seen):
    page = paging.page(request, filtered(request.GET, seen), keys(request.GET), ROW)
    return envelope(request, page, _events_json(page.rows, seen))


@viewpoint
def event(request, key: str, seen):
    found = list(Event.objects.filter(known(Event, seen), pk=int(key)).values(*ROW)[:1]) if key.isdigit() else []
    return json_response(_events_json(found, seen)[0]) if found else not_found()

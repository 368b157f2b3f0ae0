"""/events/ and /disputes/: events as their sources tell them (with their
participants and the versions other sources tell), and every pair of events
that contradict each other, once, the lower id first."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q

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

Contradiction = Event.contradicts.through
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
        disputed = Q(Exists(Contradiction.objects.filter(from_event_id=OuterRef("pk")))) | linked_against(Event)
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


# -- disputes ---------------------------------------------------------------------

SIDE = ("id", *columns("person", PERSON), "kind", "title", *fuzzy_columns("date"), "status")
DISPUTE_ROW = ("id", *columns("from_event", SIDE), *columns("to_event", SIDE))
DISPUTE_ORDERS = {"id": "id"}


def _side(row, name: str, cited) -> dict:
    side = {column: row[f"{name}__{column}"] for column in SIDE}
    return {
        "id": side["id"],
        "person": nested(side, "person", PERSON),
        "kind": side["kind"],
        "title": side["title"],
        "date": fuzzy(side, "date"),
        "status": side["status"],
        "citations": cited[(Event, side["id"])],
    }


def _disputes_json(rows, seen) -> list[dict]:
    cited = citations({Event: {r[f"{side}__id"] for r in rows for side in ("from_event", "to_event")}}, seen)
    return [
        {
            "id": r["id"],
            "type": "event",
            "claim": _side(r, "from_event", cited),
            "disputed_by": _side(r, "to_event", cited),
        }
        for r in rows
    ]


def _both_known(seen) -> Q:
    return known(Event, seen, "from_event__") & known(Event, seen, "to_event__")


def disputes_filtered(params, seen=EVERY_SOURCE):
    pairs = Contradiction.objects.filter(_both_known(seen), from_event_id__lt=F("to_event_id"))
    person = lookups.by_id_or_key(params, "person", Person.objects.all(), "slug")
    if person:
        pairs = pairs.filter(Q(from_event__person=person) | Q(to_event__person=person))
    return pairs


def dispute_keys(params):
    return paging.keys_for(params, DISPUTE_ORDERS, "id")


@viewpoint
def disputes(request, seen):
    page = paging.page(request, disputes_filtered(request.GET, seen), dispute_keys(request.GET), DISPUTE_ROW)
    return envelope(request, page, _disputes_json(page.rows, seen))


@viewpoint
def dispute(request, key: str, seen):
    pairs = Contradiction.objects.filter(_both_known(seen), from_event_id__lt=F("to_event_id"))
    found = list(pairs.filter(pk=int(key)).values(*DISPUTE_ROW)[:1]) if key.isdigit() else []
    return json_response(_disputes_json(found, seen)[0]) if found else not_found()

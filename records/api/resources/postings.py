"""Postings: a person in a role for a period, and the events of a career."""

from __future__ import annotations

from django.db.models import F

from records.api.readspec import Citations, Field, Fuzzy, Many, Ref, Review, Spec, Timestamp
from records.api.refs import ORGANISATION_REF, PARTY_REF, PERSON_REF, PLACE_REF
from records.models import Event, Posting

POSTING = Spec(
    Posting,
    "Posting",
    [
        Field("id"),
        Ref("person", PERSON_REF),
        Field("role"),
        Field("rank"),
        Ref("organisation", ORGANISATION_REF, allow_null=True),
        Ref("place", PLACE_REF, allow_null=True),
        Fuzzy("start"),
        Fuzzy("end"),
        Field("previous", "previous_id", help_text="Id of the posting held just before, where a source says."),
        Field("note"),
        Field("status"),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A posting as listed: who, what, where, when, how certain, and why we know.",
)
PERSON_POSTING = POSTING.only(
    "PersonPosting",
    ["id", "role", "rank", "organisation", "place", "start", "end", "previous", "note", "status", "citations"],
    doc="A posting inside its person's record (the person is the parent).",
)
MEMBERSHIP = POSTING.only(
    "Membership",
    ["id", "party", "role", "start", "end", "status", "citations"],
    {"party": Ref("party", PARTY_REF, source="organisation")},
    doc="A posting in a party: membership or party office.",
)
PARTY_OFFICE = POSTING.only(
    "PartyOffice", ["id", "person", "role", "start", "end", "status", "citations"], doc=POSTING.doc
)

EVENT = Spec(
    Event,
    "Event",
    [
        Field("id"),
        Field("kind"),
        Field("title"),
        Ref("organisation", ORGANISATION_REF, allow_null=True),
        Fuzzy("date"),
        Many(
            "participants",
            PERSON_REF,
            model=Event.participants.through,
            fk="event_id",
            prefix="person__",
            order_by=("person__name", "person__id"),
        ),
        Many(
            "contradicts",
            None,
            model=Event.contradicts.through,
            fk="from_event_id",
            flat="to_event_id",
            # Event's own ordering: undated events last.
            order_by=("to_event__person_id", F("to_event__date_earliest").asc(nulls_last=True), "to_event_id"),
            help_text="Ids of events another source tells differently.",
        ),
        Field("status"),
        Citations(),
    ],
)

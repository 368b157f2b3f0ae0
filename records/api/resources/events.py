"""Events: what happened to or was done by a person, each as its source tells
it; versions that sources tell differently are joined by a ``contradicts``
claim link (their ids in ``contradicts``; both sides in disputes.py)."""

from __future__ import annotations

import django_filters as filters

from records.api.claim_parts import Review
from records.api.filtering import KeysetOrderingFilter, RecordsFilterSet, disputed_filter, review_status_filter
from records.api.filtersets.relations import organisation_filters, person_filters, status_filter
from records.api.readspec import Ref, Spec, Timestamp
from records.api.refs import PERSON_REF
from records.api.resources.base import RecordViewSet, documented
from records.api.resources.postings import EVENT
from records.models import Event

EVENT_RECORD = Spec(
    Event,
    "EventRecord",
    [EVENT.parts[0], Ref("person", PERSON_REF), *EVENT.parts[1:], Timestamp("updated_at"), Review()],
    doc="An event in a person's life as one source tells it; `contradicts` lists the versions other sources tell.",
)


class EventFilterSet(RecordsFilterSet):
    person_id, person = person_filters(help_text=" The person the event is about.")
    participant_id, participant = person_filters(
        field="participants", help_text=" A person who took part (not the one it is about)."
    )
    organisation_id, organisation = organisation_filters()
    kind = filters.MultipleChoiceFilter(
        choices=Event.Kind.choices, distinct=False, help_text="Kind of event; repeat the parameter for several."
    )
    status = status_filter()
    disputed = disputed_filter(
        help_text="true: only events another source tells differently (a `contradicts` link, either side; "
        "/disputes/ lists the pairs with both claims); false: only the others."
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(
        fields={"date_earliest": "date", "updated_at": "updated", "id": "id"},
        default="date",
        help_text="Sort order; prefix with - for descending. Default: date (the earliest day it can have "
        "happened; undated events last in both directions).",
    )

    class Meta:
        model = Event
        fields = []


@documented("event", "events", " with its participants, the versions other sources tell, and its citations")
class EventViewSet(RecordViewSet):
    queryset = Event.objects.all()
    list_spec = EVENT_RECORD
    filterset_class = EventFilterSet

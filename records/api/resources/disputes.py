"""Disputes: every pair of claims that sources tell differently, across the
dataset, with both sides, their statuses and their sources, in one list.

Today the claims that can be marked as contradicting each other are events
(``Event.contradicts``); each pair is listed once, the earlier-recorded side first."""

from __future__ import annotations

from django.db.models import F, Q
from rest_framework import serializers

from records.api.filtering import KeysetOrderingFilter, RecordsFilterSet
from records.api.filtersets.relations import person_filters
from records.api.readspec import Computed, Field, Ref, Spec
from records.api.resources.base import ReadViewSet, documented
from records.api.resources.events import EVENT_RECORD
from records.knowledge import known
from records.models import Event

Contradiction = Event.contradicts.through
SIDE = EVENT_RECORD.only(
    "DisputedEvent",
    ["id", "person", "kind", "title", "date", "status", "citations"],
    doc="One side of a dispute: the event as one source tells it, with that source's words.",
)

DISPUTE = Spec(
    Contradiction,
    "Dispute",
    [
        Field("id", schema=serializers.IntegerField(help_text="The dispute's id.")),
        Computed(
            "type",
            serializers.ChoiceField(choices=["event"], help_text="The kind of the claims in dispute."),
            (),
            lambda: "event",
        ),
        Ref("claim", SIDE, source="from_event", read_only=False, help_text="The side recorded first."),
        Ref("disputed_by", SIDE, source="to_event", read_only=False, help_text="The side that tells it differently."),
    ],
    doc="Two claims that sources tell differently; neither is preferred.",
)


class DisputeFilterSet(RecordsFilterSet):
    person_id, person = person_filters(
        method="filter_person", help_text=" Disputes about this person's events (either side)."
    )
    ordering = KeysetOrderingFilter(fields={"id": "id"}, default="id")

    def filter_person(self, queryset, name, person):
        return queryset.filter(Q(from_event__person=person) | Q(to_event__person=person))

    @classmethod
    def known(cls, knowledge):
        """A dispute is known once both its sides are."""
        return known(Event, knowledge, "from_event__") & known(Event, knowledge, "to_event__")

    class Meta:
        model = Contradiction
        fields = []


@documented("dispute", "disputes", ": both claims, their statuses and their sources")
class DisputeViewSet(ReadViewSet):
    # The through table holds each pair both ways: one row per pair, the lower event id first.
    queryset = Contradiction.objects.filter(from_event_id__lt=F("to_event_id"))
    list_spec = DISPUTE
    filterset_class = DisputeFilterSet
    lookup_value_regex = r"[0-9]+"

    def lookup(self) -> Q:
        return Q(pk=int(self.kwargs[self.lookup_field]))

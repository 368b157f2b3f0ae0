"""Postings (a person in a role for a period) and events in a career."""

from __future__ import annotations

from django.contrib import admin

from records.admin.base import (
    RecordAdmin,
    RecordInline,
    fuzzy_bounds,
    fuzzy_date_column,
    fuzzy_date_row,
)
from records.admin.citations import CitationInline
from records.models import Event, Posting


class PostingInline(RecordInline):
    model = Posting
    fk_name = "person"
    fields = ("role", "rank", "organisation", "place", "start", "end", "previous", "status")
    autocomplete_fields = ("organisation", "place", "previous")
    # The previous posting's label names its person and organisation or place.
    select_related = ("previous__person", "previous__organisation", "previous__place")
    # As the API's ordering=career: after `previous`, then by date; undated last.
    ordering = ("career_position", "id")


class EventInline(RecordInline):
    """Participants and contradicting versions are edited on the event's own page."""

    model = Event
    fk_name = "person"
    fields = ("kind", "title", "organisation", "date", "status")
    autocomplete_fields = ("organisation",)


@admin.register(Posting)
class PostingAdmin(RecordAdmin):
    list_display = (
        "person",
        "role",
        "rank",
        "organisation",
        "place",
        fuzzy_date_column("start"),
        fuzzy_date_column("end"),
        "status",
    )
    list_select_related = ("person", "organisation", "place")
    list_filter = (
        "status",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("place", admin.RelatedOnlyFieldListFilter),
        ("start_earliest", admin.DateFieldListFilter),
        ("end_earliest", admin.DateFieldListFilter),
    )
    date_hierarchy = "start_earliest"
    search_fields = ("person__name", "person__aliases__name", "role", "rank", "organisation__name", "place__name")
    search_help_text = "The person's name or other name, the role, rank, organisation or place."
    autocomplete_fields = ("person", "organisation", "place", "serves", "previous")
    fields = (
        ("person", "key"),
        ("role", "rank"),
        ("organisation", "place"),
        "serves",
        fuzzy_date_row("start"),
        fuzzy_date_row("end"),
        "previous",
        "note",
        "status",
    )
    readonly_fields = fuzzy_bounds("start", "end")
    inlines = (CitationInline,)


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ("person", "kind", "title", "organisation", fuzzy_date_column("date"), "status")
    list_select_related = ("person", "organisation")
    list_filter = (
        "status",
        "kind",
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("date_earliest", admin.DateFieldListFilter),
    )
    date_hierarchy = "date_earliest"
    search_fields = ("person__name", "person__aliases__name", "title", "organisation__name")
    search_help_text = "The person's name or other name, the event's title or the organisation."
    autocomplete_fields = ("person", "organisation", "participants", "contradicts")
    fields = (
        ("person", "key"),
        ("kind", "status"),
        "title",
        "organisation",
        fuzzy_date_row("date"),
        "participants",
        "contradicts",
    )
    readonly_fields = fuzzy_bounds("date")
    inlines = (CitationInline,)

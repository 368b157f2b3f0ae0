"""Postings (a person in a role for a period) and events in a career."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from records.admin.base import (
    RecordAdmin,
    RecordInline,
    fuzzy_bounds,
    fuzzy_date_column,
    fuzzy_date_row,
)
from records.admin.citations import CitationInline, admin_change_url
from records.models import ClaimLink, Event, Posting


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
    """Participants are edited on the event's own page; contradicting versions as claim links."""

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
    autocomplete_fields = ("person", "organisation", "participants")
    fields = (
        ("person", "key"),
        ("kind", "status"),
        "title",
        "organisation",
        fuzzy_date_row("date"),
        "participants",
        "contradicting_versions",
    )
    readonly_fields = (*fuzzy_bounds("date"), "contradicting_versions")
    inlines = (CitationInline,)

    @admin.display(description="contradicting versions")
    def contradicting_versions(self, event):
        """The claims a ``contradicts`` link joins this event to (either side), each
        link to its own page (where it is cited), and a link to record another."""
        if event.pk is None:
            return "Save the event first; then link the versions other sources tell as claim links."
        event_type = ContentType.objects.get_for_model(Event)
        links = ClaimLink.objects.filter(
            Q(claim_type=event_type, claim_id=event.pk) | Q(target_type=event_type, target_id=event.pk),
            kind=ClaimLink.Kind.CONTRADICTS,
        ).select_related("claim_type", "target_type")
        listed = format_html_join(
            "", '<li><a href="{}">{}</a></li>', ((admin_change_url(link), link) for link in links)
        )
        add = (
            reverse("admin:records_claimlink_add")
            + "?"
            + urlencode({"claim_type": event_type.pk, "claim_id": event.pk, "kind": ClaimLink.Kind.CONTRADICTS})
        )
        return format_html(
            '<ul>{}</ul><a href="{}">Add a version another source tells differently</a> (a claim link, cited)',
            listed,
            add,
        )

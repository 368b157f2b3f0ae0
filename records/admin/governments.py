"""Governments: which party governs a place, edited with their quotes."""

from __future__ import annotations

from django.contrib import admin

from records.admin.base import RecordAdmin, fuzzy_bounds, fuzzy_date_column, fuzzy_date_row
from records.admin.citations import CitationInline
from records.models import Government


@admin.register(Government)
class GovernmentAdmin(RecordAdmin):
    list_display = ("party", "place", fuzzy_date_column("start"), fuzzy_date_column("end"), "status")
    list_select_related = ("party", "place")
    list_filter = (
        "status",
        ("party", admin.RelatedOnlyFieldListFilter),
        ("place", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("party__name", "party__abbreviation", "place__name")
    search_help_text = "The party's name or abbreviation, or the place's name."
    autocomplete_fields = ("party", "place")
    fields = ("party", "place", fuzzy_date_row("start"), fuzzy_date_row("end"), "status")
    readonly_fields = fuzzy_bounds("start", "end")
    inlines = (CitationInline,)

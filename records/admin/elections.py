"""Elections, their phases, party results and candidacies."""

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
from records.models import Candidacy, Election, ElectionPhase, PartyResult


class ElectionPhaseInline(RecordInline):
    model = ElectionPhase
    fields = ("number", "poll_date", "poll_date_earliest", "poll_date_latest", "status")
    readonly_fields = fuzzy_bounds("poll_date")


class PartyResultInline(RecordInline):
    model = PartyResult
    fields = ("party", "seats_won", "seats_with_allies", "vote_share", "status")
    autocomplete_fields = ("party",)


class CandidacyInline(RecordInline):
    """On an election's page and on a person's: the parent's own column is hidden."""

    model = Candidacy
    fields = ("person", "election", "party", "place", "status")
    autocomplete_fields = ("person", "election", "party", "place")


@admin.register(Election)
class ElectionAdmin(RecordAdmin):
    list_display = (
        "name",
        "jurisdiction",
        "body",
        "seats",
        fuzzy_date_column("start"),
        fuzzy_date_column("end"),
        fuzzy_date_column("counting"),
        "status",
    )
    list_select_related = ("jurisdiction", "body")
    list_filter = (
        "status",
        ("jurisdiction", admin.RelatedOnlyFieldListFilter),
        ("body", admin.RelatedOnlyFieldListFilter),
        ("start_earliest", admin.DateFieldListFilter),
    )
    search_fields = ("name", "slug", "jurisdiction__name", "body__name")
    search_help_text = "The election's name or slug, its jurisdiction or the body elected."
    autocomplete_fields = ("jurisdiction", "body")
    prepopulated_fields = {"slug": ("name",)}
    fields = (
        ("name", "slug"),
        ("jurisdiction", "body"),
        "seats",
        fuzzy_date_row("start"),
        fuzzy_date_row("end"),
        fuzzy_date_row("announced"),
        fuzzy_date_row("counting"),
        "status",
    )
    readonly_fields = fuzzy_bounds("start", "end", "announced", "counting")
    inlines = (ElectionPhaseInline, PartyResultInline, CandidacyInline, CitationInline)


@admin.register(ElectionPhase)
class ElectionPhaseAdmin(RecordAdmin):
    list_display = ("election", "number", fuzzy_date_column("poll_date"), "status")
    list_select_related = ("election",)
    list_filter = (
        "status",
        ("election", admin.RelatedOnlyFieldListFilter),
        ("poll_date_earliest", admin.DateFieldListFilter),
    )
    search_fields = ("election__name", "election__slug")
    search_help_text = "The election's name or slug."
    autocomplete_fields = ("election",)
    fields = ("election", "number", fuzzy_date_row("poll_date"), "status")
    readonly_fields = fuzzy_bounds("poll_date")
    inlines = (CitationInline,)


@admin.register(PartyResult)
class PartyResultAdmin(RecordAdmin):
    list_display = ("election", "party", "seats_won", "seats_with_allies", "vote_share", "status")
    list_select_related = ("election", "party")
    list_filter = (
        "status",
        ("election", admin.RelatedOnlyFieldListFilter),
        ("party", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("election__name", "party__name", "party__abbreviation")
    search_help_text = "The election's name, or the party's name or abbreviation."
    autocomplete_fields = ("election", "party")
    fields = ("election", "party", ("seats_won", "seats_with_allies"), "vote_share", "status")
    inlines = (CitationInline,)


@admin.register(Candidacy)
class CandidacyAdmin(RecordAdmin):
    list_display = ("person", "election", "party", "place", "status")
    list_select_related = ("person", "election", "party", "place")
    list_filter = (
        "status",
        ("election", admin.RelatedOnlyFieldListFilter),
        ("party", admin.RelatedOnlyFieldListFilter),
        ("place", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("person__name", "person__aliases__name", "election__name", "party__name", "place__name")
    search_help_text = "The person's name or other name, the election, party or place."
    autocomplete_fields = ("person", "election", "party", "place")
    fields = ("person", "election", "party", "place", "status")
    inlines = (CitationInline,)

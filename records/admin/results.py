"""Official results: constituencies, contests and alliances."""

from __future__ import annotations

from django.contrib import admin

from records.admin.base import RecordAdmin
from records.admin.citations import CitationInline
from records.models import Alliance, Constituency, Contest


@admin.register(Constituency)
class ConstituencyAdmin(RecordAdmin):
    fields = ("slug", "jurisdiction", "number", "name", "search_name", "reservation", "district")
    list_display = ("number", "name", "jurisdiction", "reservation", "district")
    list_select_related = ("jurisdiction", "district")
    list_filter = ("reservation", ("jurisdiction", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "search_name", "slug")
    search_help_text = "The constituency's name or slug."
    autocomplete_fields = ("jurisdiction", "district")
    readonly_fields = ("search_name",)
    inlines = [CitationInline]


@admin.register(Contest)
class ContestAdmin(RecordAdmin):
    fields = ("election", "constituency", "total_votes", "nota_votes", "electors", "result_declared")
    list_display = ("constituency", "election", "total_votes", "nota_votes", "electors", "result_declared")
    list_select_related = ("constituency", "election")
    list_filter = (("election", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("constituency__name", "constituency__search_name", "election__name")
    search_help_text = "The constituency's or the election's name."
    autocomplete_fields = ("election", "constituency")
    inlines = [CitationInline]


@admin.register(Alliance)
class AllianceAdmin(RecordAdmin):
    fields = ("name", "slug", "election", "leader", "parties", "status")
    list_display = ("name", "election", "leader", "status")
    list_select_related = ("election", "leader")
    list_filter = ("status", ("election", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "slug", "leader__name")
    search_help_text = "The alliance's name or its leading party."
    autocomplete_fields = ("election", "leader", "parties")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CitationInline]

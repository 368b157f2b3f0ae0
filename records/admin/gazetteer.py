"""Places, organisations, parties and organisations' other names."""

from __future__ import annotations

from django.contrib import admin

from records.admin.base import NormalisedNameSearchMixin, RecordAdmin, RecordInline
from records.admin.citations import CitationInline
from records.admin.identifiers import OrganisationIdentifierInline, PlaceIdentifierInline
from records.admin.results import party_record
from records.models import Organisation, OrganisationAlias, Party, Place


@admin.register(Place)
class PlaceAdmin(RecordAdmin):
    list_display = ("name", "kind", "parent", "path")
    list_select_related = ("parent",)
    list_filter = ("kind",)
    search_fields = ("name", "slug", "other_names")
    search_help_text = "Name, slug or any other name (e.g. UP)."
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fields = (("name", "slug"), "kind", "parent", "other_names", "path")
    readonly_fields = ("path",)  # derived from the parents' slugs on save
    inlines = (PlaceIdentifierInline, CitationInline)


class OrganisationAliasInline(RecordInline):
    model = OrganisationAlias
    fields = ("name", "kind", "search_name", "status")
    readonly_fields = ("search_name",)


ORGANISATION_SEARCH_FIELDS = ("name", "abbreviation", "slug", "aliases__name", "aliases__search_name")


@admin.register(Organisation)
class OrganisationAdmin(NormalisedNameSearchMixin, RecordAdmin):
    list_display = ("name", "abbreviation", "kind", "parent", "place")
    list_select_related = ("parent", "place")
    list_filter = ("kind", ("place", admin.RelatedOnlyFieldListFilter))
    search_fields = ORGANISATION_SEARCH_FIELDS
    search_help_text = "Name, abbreviation or any other name; case, accents and punctuation are ignored."
    autocomplete_fields = ("parent", "place")
    prepopulated_fields = {"slug": ("name",)}
    fields = (("name", "slug"), ("abbreviation", "kind"), "parent", "place", "path")
    readonly_fields = ("path",)  # derived from the parents' slugs on save
    inlines = (OrganisationAliasInline, OrganisationIdentifierInline, CitationInline)


@admin.register(Party)
class PartyAdmin(OrganisationAdmin):
    """Organisations of kind "party"; Party.save sets the kind."""

    list_display = ("name", "abbreviation", "parent", "place")
    list_filter = (("place", admin.RelatedOnlyFieldListFilter),)
    fields = (("name", "slug"), "abbreviation", "parent", "place", "path")
    # Candidacies (hundreds a party an election) are summed up, not inlined.
    readonly_fields = ("path", "candidacies_by_election")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return (*fields, "candidacies_by_election") if obj is not None else fields

    @admin.display(description="candidacies")
    def candidacies_by_election(self, party):
        return party_record(party)


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(NormalisedNameSearchMixin, RecordAdmin):
    list_display = ("name", "kind", "organisation", "status")
    list_select_related = ("organisation",)
    list_filter = ("status", "kind", ("organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "search_name", "organisation__name", "organisation__abbreviation")
    search_help_text = "The other name or the organisation's name; case, accents and punctuation are ignored."
    autocomplete_fields = ("organisation",)
    fields = ("organisation", "name", "search_name", "kind", "status")
    readonly_fields = ("search_name",)
    inlines = (CitationInline,)

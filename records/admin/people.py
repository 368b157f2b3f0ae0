"""People, their other names, identifiers and relations."""

from __future__ import annotations

from django.contrib import admin

from records.admin.base import (
    NormalisedNameSearchMixin,
    RecordAdmin,
    RecordInline,
    fuzzy_bounds,
    fuzzy_date_column,
    fuzzy_date_row,
)
from records.admin.citations import CitationInline
from records.admin.elections import PersonCandidacyInline
from records.admin.merges import merge_selected_people
from records.admin.postings import EventInline, PostingInline
from records.models import Person, PersonAlias, PersonIdentifier, PersonRelation


class PersonAliasInline(RecordInline):
    model = PersonAlias
    fields = ("name", "kind", "search_name", "status")
    readonly_fields = ("search_name",)


class PersonIdentifierInline(RecordInline):
    model = PersonIdentifier
    fields = ("scheme", "value")


class PersonRelationInline(RecordInline):
    """Relations where this person is the subject: "<person> is the parent of <object>"."""

    model = PersonRelation
    fk_name = "subject"
    fields = ("kind", "object", "status")
    autocomplete_fields = ("object",)
    verbose_name_plural = "relations (this person is the …)"


@admin.register(Person)
class PersonAdmin(NormalisedNameSearchMixin, RecordAdmin):
    list_display = ("name", "other_names", fuzzy_date_column("birth_date"), "native_place", "gender", "social_group")
    list_select_related = ("native_place",)
    list_prefetch_related = ("aliases",)
    list_filter = (
        "gender",
        ("native_place", admin.RelatedOnlyFieldListFilter),
        ("birth_date_earliest", admin.DateFieldListFilter),
        ("imported_from", admin.RelatedOnlyFieldListFilter),
    )
    # search_name columns hold normalised names: with the normalised query they
    # find "Asim Arun" for "ASIM KUMAR ARUN" or "Asīm Kumar-Arun" (an alias).
    search_fields = ("name", "search_name", "aliases__name", "aliases__search_name", "slug")
    search_help_text = "Name or any other name; case, accents and punctuation are ignored."
    autocomplete_fields = ("native_place",)
    prepopulated_fields = {"slug": ("name",)}
    actions = (*RecordAdmin.actions, merge_selected_people)
    fields = (
        ("name", "slug"),
        "search_name",
        fuzzy_date_row("birth_date"),
        "native_place",
        ("gender", "social_group"),
        "imported_from",
    )
    readonly_fields = ("search_name", *fuzzy_bounds("birth_date"), "imported_from")
    inlines = (
        PersonAliasInline,
        PersonIdentifierInline,
        PersonRelationInline,
        PostingInline,
        EventInline,
        PersonCandidacyInline,
        CitationInline,
    )

    @admin.display(description="other names")
    def other_names(self, person):
        return ", ".join(alias.name for alias in person.aliases.all()) or None


PERSON_NAME_SEARCH = ("person__name", "person__search_name", "person__aliases__search_name")


@admin.register(PersonAlias)
class PersonAliasAdmin(NormalisedNameSearchMixin, RecordAdmin):
    list_display = ("name", "kind", "person", "status")
    list_select_related = ("person",)
    list_filter = ("status", "kind")
    search_fields = ("name", "search_name", *PERSON_NAME_SEARCH)
    search_help_text = "The other name or the person's names; case, accents and punctuation are ignored."
    autocomplete_fields = ("person",)
    fields = ("person", "name", "search_name", "kind", "status")
    readonly_fields = ("search_name",)
    inlines = (CitationInline,)


@admin.register(PersonIdentifier)
class PersonIdentifierAdmin(RecordAdmin):
    list_display = ("person", "scheme", "value")
    list_select_related = ("person",)
    list_filter = ("scheme",)
    search_fields = ("value", "scheme", "person__name")
    search_help_text = "The identifier, its scheme, or the person's name."
    autocomplete_fields = ("person",)
    fields = ("person", "scheme", "value")
    inlines = (CitationInline,)


@admin.register(PersonRelation)
class PersonRelationAdmin(RecordAdmin):
    list_display = ("subject", "kind", "object", "status")
    list_select_related = ("subject", "object")
    list_filter = ("status", "kind")
    search_fields = ("subject__name", "subject__aliases__name", "object__name", "object__aliases__name")
    search_help_text = "The name or other name of either person."
    autocomplete_fields = ("subject", "object")
    fields = ("subject", "kind", "object", "status")
    inlines = (CitationInline,)

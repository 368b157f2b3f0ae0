"""What every curation page shares: labels that cost no query, normalised name
search, fuzzy-date columns and fields."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.db.models import QuerySet
from django.utils.text import smart_split, unescape_string_literal

from records.admin.history import RecordHistoryAdmin
from records.admin.review import ReviewAdminMixin
from records.models import (
    Alliance,
    Candidacy,
    Citation,
    ClaimLink,
    Contest,
    ElectionPhase,
    Event,
    Government,
    PartyResult,
    PersonRelation,
    Posting,
)
from records.text import normalise_name
from records.validation import client_key, constraint_errors, derive_columns

# The related rows each model's __str__ reads. Every queryset that labels
# records (changelists, autocompletes, choice lists, "cited by") selects them,
# so a label never costs a query of its own.
LABEL_RELATED: dict[type[models.Model], tuple[str, ...]] = {
    Posting: ("person", "organisation", "place"),
    Event: ("person",),
    PersonRelation: ("subject", "object"),
    ElectionPhase: ("election",),
    PartyResult: ("party", "election"),
    Government: ("party", "place"),
    Candidacy: ("person", "election"),
    Citation: ("source",),
    Contest: ("constituency", "election"),
    Alliance: ("election",),
    ClaimLink: ("claim_type", "target_type"),
}


def labelled(queryset: QuerySet) -> QuerySet:
    """The queryset, joined to what its records' labels need."""
    related = LABEL_RELATED.get(queryset.model._meta.concrete_model, ())
    return queryset.select_related(*related) if related else queryset


def normalise_search_term(search_term: str) -> str:
    """The admin search term with every word or "quoted phrase" normalised as
    ``search_name`` columns are, so "ASIM KUMAR-ARUN" matches "asim kumar arun"."""
    terms = []
    for bit in smart_split(search_term):
        if bit[:1] in "\"'" and bit[:1] == bit[-1:] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        normalised = normalise_name(bit)
        if normalised:
            terms.append(f'"{normalised}"' if " " in normalised else normalised)
    return " ".join(terms)


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its selected object from the form's instance
    when that object is already loaded, instead of querying for it (which
    would be one query per inline row)."""

    preloaded: dict[str, models.Model] = {}

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if any(v not in self.preloaded for v in selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for v in selected:
            label = self.choices.field.label_from_instance(self.preloaded[v])
            options.append(self.create_option(name, v, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedRelationsForm(forms.ModelForm):
    """Hands each autocomplete the related object its instance already holds,
    and checks the constraints on columns the form derives rather than shows
    (fuzzy-date bounds, normalised names) before the database would refuse them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            widget = getattr(form_field.widget, "widget", form_field.widget)  # unwrap the +/edit links
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = self._meta.model._meta.get_field(name)
            related = model_field.get_cached_value(self.instance, None)
            if related is not None:
                widget.preloaded = {str(getattr(related, model_field.target_field.attname)): related}

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return  # the derived columns are computed from values that passed
        derive_columns(self.instance)
        # Every constraint Django judged has passed (no errors), so whatever is
        # found now involves a column the form does not show.
        shown = set(self.fields)
        for key, message in constraint_errors(self.instance, exclude=set()):
            key = client_key(self.instance, key)
            self.add_error(key if key in shown else None, message)


class CuratedMixin:
    """For model admins and inlines: autocompletes and choice lists that never
    query per row."""

    form = PreloadedRelationsForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.remote_field.model._meta.concrete_model in LABEL_RELATED:
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.using(db)
            queryset = labelled(queryset)
        return queryset


class NormalisedNameSearchMixin:
    """Search with the term normalised like ``search_name``: case, accents and
    punctuation are ignored. Put the ``search_name`` columns in search_fields."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalise_search_term(search_term))


class RecordChangeList(ChangeList):
    """A changelist that applies the model admin's ``list_prefetch_related``
    (one query per relation for the whole page) and ``list_defer`` (columns the
    list never shows), which the change form does not need."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.prefetch_related(*self.model_admin.list_prefetch_related).defer(*self.model_admin.list_defer)


class RecordAdmin(ReviewAdminMixin, CuratedMixin, RecordHistoryAdmin):
    """Base for every records admin: review state (records/admin/review.py) and
    history with revert (records/admin/history.py) included.

    ``list_select_related`` names the related rows every page of the model reads
    (list columns, change-form autocompletes, autocomplete results), so
    get_queryset selects them too, not only the changelist."""

    list_select_related: tuple[str, ...] = ()
    list_prefetch_related: tuple = ()
    list_defer: tuple[str, ...] = ()
    list_per_page = 50

    def get_queryset(self, request):
        return labelled(super().get_queryset(request)).select_related(*self.list_select_related)

    def get_changelist(self, request, **kwargs):
        return RecordChangeList


class RecordInline(CuratedMixin, admin.StackedInline):
    """Base for inlines: rows open in their own page; the objects their
    autocompletes show, what labels need and ``select_related`` are loaded with
    the rows, not per row. Stacked, not tabular: a posting's or a citation's
    fields side by side made change pages 2,500 px wide, their last columns
    off-screen on a laptop."""

    extra = 0
    show_change_link = True
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        opts = self.model._meta
        autocompleted = [name for name in self.get_autocomplete_fields(request) if opts.get_field(name).many_to_one]
        return labelled(super().get_queryset(request)).select_related(*autocompleted, *self.select_related)


# Fuzzy dates: the string is edited; its two bounds are derived and shown read-only.


def fuzzy_date_row(name: str) -> tuple[str, str, str]:
    """A change-form line: the fuzzy date and its computed bounds."""
    return (name, f"{name}_earliest", f"{name}_latest")


def fuzzy_bounds(*names: str) -> tuple[str, ...]:
    """The read-only bound columns of the fuzzy dates ``names``."""
    return tuple(f"{name}_{bound}" for name in names for bound in ("earliest", "latest"))


def fuzzy_date_column(name: str):
    """A changelist column showing the date as written, sorted by its earliest bound."""

    @admin.display(description=name.replace("_", " "), ordering=f"{name}_earliest")
    def column(obj):
        return getattr(obj, name) or None  # None shows the admin's empty-value dash

    column.__name__ = name  # names the column's CSS class
    return column

"""Building blocks for the API's filtersets: strict parameter types, filters on
related records by id or human key, fuzzy-date comparisons and ordering."""

from __future__ import annotations

import re
from datetime import date

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, Subquery

from records.text import normalise_name

MAX_TEXT = 200  # longest accepted text parameter


class DateMatch:
    CERTAINLY = "certainly"
    POSSIBLY = "possibly"
    CHOICES = [(CERTAINLY, CERTAINLY), (POSSIBLY, POSSIBLY)]
    HELP = (
        "How fuzzy dates meet date filters. `certainly` (default): the whole range a fuzzy date may denote "
        'satisfies the filter ("2021" is not certainly before 2021-06-01). `possibly`: some day in that range '
        "does, and an unknown or open end can be anything."
    )


def fuzzy_on_or_before(field: str, day: date, mode: str) -> Q:
    if mode == DateMatch.POSSIBLY:
        return Q(**{f"{field}_earliest__lte": day}) | Q(**{f"{field}_earliest__isnull": True})
    return Q(**{f"{field}_latest__lte": day})


def fuzzy_on_or_after(field: str, day: date, mode: str) -> Q:
    if mode == DateMatch.POSSIBLY:
        return Q(**{f"{field}_latest__gte": day}) | Q(**{f"{field}_latest__isnull": True})
    return Q(**{f"{field}_earliest__gte": day})


def fuzzy_active_on(day: date, mode: str, start: str = "start", end: str = "end") -> Q:
    """Held on ``day``: started on or before it and ended on or after it."""
    if mode == DateMatch.POSSIBLY:
        return fuzzy_on_or_before(start, day, mode) & fuzzy_on_or_after(end, day, mode)
    # Certainly: started by then for sure, and certainly not ended before.
    return Q(**{f"{start}_latest__lte": day}) & Q(**{f"{end}_earliest__gte": day})


# -- strict form fields -------------------------------------------------------


class StrictBooleanField(forms.Field):
    """true/false/1/0 only: anything else is a 400, not silently ignored."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValidationError("Must be true or false.", code="invalid")


class StrictDateField(forms.DateField):
    """ISO dates (YYYY-MM-DD, zero-padded) only."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}

    def to_python(self, value):
        if value not in (None, "") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RecordKeyField(forms.CharField):
    """A human key (slug, abbreviation...) resolved to one record, or a clear error."""

    def __init__(self, *, queryset, lookups, noun, **kwargs):
        self.queryset, self.lookups, self.noun = queryset, lookups, noun
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{lookup: value})
        record = self.queryset.filter(condition).order_by("pk").first()
        if record is None:
            # The key goes in params, never into the message itself: django-filter
            # formats messages with %, and a key may contain "%".
            raise ValidationError(
                "No %(noun)s with key %(key)s.", code="unknown", params={"noun": self.noun, "key": repr(value)}
            )
        return record


class RecordIdField(forms.IntegerField):
    def __init__(self, *, queryset, noun, **kwargs):
        self.queryset, self.noun = queryset, noun
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        record = self.queryset.filter(pk=value).first()
        if record is None:
            raise ValidationError(f"No {self.noun} with id {value}.", code="unknown")
        return record


# -- filters ------------------------------------------------------------------


class DocumentedFilter(filters.Filter):
    """A filter whose OpenAPI parameter has an exact type and its help text."""

    schema: dict = {"type": "string"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = dict(self.schema)
        if self.extra.get("help_text"):
            schema["description"] = self.extra["help_text"]
        self._spectacular_annotation = {"field": schema}  # read by drf-spectacular


class StrictBooleanFilter(DocumentedFilter):
    field_class = StrictBooleanField
    schema = {"type": "boolean"}


class StrictDateFilter(DocumentedFilter):
    field_class = StrictDateField
    schema = {"type": "string", "format": "date"}


class _RelatedRecordFilter(DocumentedFilter):
    """Filter on a related record; with ``subtree`` its descendants match too."""

    def __init__(self, *args, queryset, noun, subtree=False, **kwargs):
        self.subtree = subtree
        self.record_queryset = queryset
        super().__init__(*args, **kwargs)
        self.extra.update(queryset=queryset, noun=noun)

    def filter(self, qs, record):
        if record is None:
            return qs
        if self.subtree:
            descendants = self.record_queryset.model.objects.subtree(record).values("pk")
            return qs.filter(**{f"{self.field_name}__in": Subquery(descendants)})
        return qs.filter(**{self.field_name: record})


class RecordKeyFilter(_RelatedRecordFilter):
    field_class = RecordKeyField
    schema = {"type": "string", "maxLength": MAX_TEXT}

    def __init__(self, *args, lookups=("slug",), **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["lookups"] = lookups


class RecordIdFilter(_RelatedRecordFilter):
    field_class = RecordIdField
    schema = {"type": "integer", "minimum": 1}


class TextFilter(DocumentedFilter, filters.CharFilter):
    schema = {"type": "string", "maxLength": MAX_TEXT}


class IntegerFilter(DocumentedFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int, max_value: int, **kwargs):
        self.schema = {"type": "integer", "minimum": min_value, "maximum": max_value}
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


def text_filter(help_text: str, **kwargs) -> TextFilter:
    return TextFilter(max_length=MAX_TEXT, help_text=help_text, **kwargs)


def name_search(value: str, *fields: str) -> Q:
    """Case-, accent- and punctuation-insensitive containment on normalised columns."""
    needle = normalise_name(value)
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__contains": needle})
    return condition


class KeysetOrderingFilter(filters.OrderingFilter):
    """Ordering on a whitelist; NULLs last; ``id`` breaks ties so that every
    list has one deterministic order (which keyset pagination relies on)."""

    def __init__(self, *args, default: str, **kwargs):
        self.default = default
        kwargs.setdefault("help_text", f"Sort order; prefix with - for descending. Default: {default}.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        params = [p for p in (value or []) if p] or [self.default]
        ordering = []
        for param in params:
            name = self.get_ordering_value(param)
            descending = name.startswith("-")
            expression = F(name.lstrip("-"))
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        if not any(p.lstrip("-") == "id" for p in params):
            ordering.append(F("id").asc())
        return qs.order_by(*ordering)


class DateMatchFilterSet(filters.FilterSet):
    """A filterset whose date filters read ``date_match`` (certainly/possibly)."""

    date_match = filters.ChoiceFilter(choices=DateMatch.CHOICES, method="_keep", help_text=DateMatch.HELP)

    def filter_queryset(self, queryset):
        self.date_mode = self.form.cleaned_data.get("date_match") or DateMatch.CERTAINLY
        return super().filter_queryset(queryset)

    def _keep(self, queryset, name, value):
        return queryset  # read by the date filters, not a filter itself

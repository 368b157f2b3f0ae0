"""Query parameters as strict form fields: a value the API does not take
exactly as documented (a date not written YYYY-MM-DD, "1.0" for a number, an
unknown record's key, an identifier of a scheme a kind of record does not
use) is a 400 naming the parameter, never ignored or guessed at. The
filters built on them: records/api/filtering.py."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from records.api.lookup import MAX_ID
from records.identifiers import identifier_problem
from records.models import Source
from records.text import normalise_name

MAX_TEXT = 200  # longest accepted text parameter


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


IDENTIFIER_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,49}:.{1,200}$"


class IdentifierField(forms.CharField):
    """An identifier in another database, as scheme:value, of a scheme the
    records of ``kind`` take and in its format (records/identifiers.py); the
    (scheme, value) pair."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        if not re.fullmatch(IDENTIFIER_PATTERN[1:-1], text):
            raise ValidationError(
                "Give scheme:value: a lower-case scheme (letters, digits, - or _), a colon, then the value "
                "(e.g. wikidata:Q42 or myneta:http://myneta.info/...).",
                code="invalid",
            )
        scheme, _, identifier = text.partition(":")
        problem = identifier_problem(self.kind, scheme, identifier)
        if problem is not None:
            # As a parameter: the refused value may hold "%", which must not be read as a format.
            raise ValidationError("%(text)s", code="invalid", params={"text": problem[1]})
        return scheme, identifier


class WrittenExactly:
    """A form field mixin: a value not written as ``written`` (a regular
    expression, whole) is invalid before the field's own parsing, which is
    more lenient than the API documents."""

    written: str

    def to_python(self, value):
        if value not in (None, "") and not re.fullmatch(self.written, str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictDateField(WrittenExactly, forms.DateField):
    """ISO dates (YYYY-MM-DD, zero-padded) only."""

    written = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a date as YYYY-MM-DD."}


class StrictIntegerField(WrittenExactly, forms.IntegerField):
    """ASCII digits with an optional minus sign only: Django's IntegerField also
    takes "1.0", " 7 " and other scripts' digits ("\uff11\uff12"), which a
    client never means to send."""

    written = r"-?[0-9]{1,30}"
    default_error_messages = {"invalid": "Enter a whole number (digits 0-9)."}


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


class SourceKeyField(RecordKeyField):
    """A source by id or slug."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Source.objects.all(), lookups=("slug",), noun="source", **kwargs)

    def clean(self, value):
        if value and str(value).isascii() and str(value).isdigit() and int(value) <= MAX_ID:
            record = self.queryset.filter(pk=int(value)).first()
            if record is not None:
                return record
        return super().clean(value)


class NamedRecordKeyField(RecordKeyField):
    """A record by slug, by number (where the model has one) or by its name
    (case-, accent- and punctuation-insensitive): `kannauj`, `198`,
    `uttar-pradesh-198-kannauj`. A name or number that several records share
    is refused with their slugs, never resolved to one of them silently."""

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        if not value:
            return None
        # At most two queries: the slug, then the number or the name.
        found = list(self.queryset.filter(slug=value)[:1])
        if not found:
            if value.isascii() and value.isdigit() and len(value) < 10:
                matches = self.queryset.filter(number=int(value))
            else:
                matches = self.queryset.filter(search_name=normalise_name(value))
            found = list(matches.order_by("pk")[:6])
        if not found:
            raise ValidationError(
                "No %(noun)s with key %(key)s.", code="unknown", params={"noun": self.noun, "key": repr(value)}
            )
        if len(found) > 1:
            raise ValidationError(
                "%(key)s names more than one %(noun)s: %(slugs)s; give the slug.",
                code="ambiguous",
                params={"noun": self.noun, "key": repr(value), "slugs": ", ".join(r.slug for r in found[:5])},
            )
        return found[0]


class RecordIdField(StrictIntegerField):
    def __init__(self, *, queryset, noun, **kwargs):
        self.queryset, self.noun = queryset, noun
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        record = self.queryset.filter(pk=value).first()
        if record is None:
            raise ValidationError(f"No {self.noun} with id {value}.", code="unknown")
        return record

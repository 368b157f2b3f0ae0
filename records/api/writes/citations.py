"""A record's citations, written with the record: each quote must stand at
its offsets in its source (or the offsets are found for it), as in the admin."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers
from rest_framework.settings import api_settings

from records.api.writes.fields import RecordRefField, RejectsUnknownKeys
from records.models import Citation, Source
from records.validation import model_errors

OFFSET_MAX = 2**31 - 1  # PositiveIntegerField
ITEM_DEFAULTS = {"field": "", "quote": "", "start": None, "end": None, "locator": "", "said": ""}


class CitationWriteSerializer(RejectsUnknownKeys, serializers.Serializer):
    """One citation of the record being written."""

    id = serializers.IntegerField(
        required=False, min_value=1, help_text="One of the record's citations, to change or remove; omit to add one."
    )
    remove = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true (with the citation's id and nothing else): remove this citation. The only way one goes.",
    )
    source = RecordRefField(
        queryset=Source.objects.all(), required=False, help_text="The source's id or slug (required unless removing)."
    )
    field = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="The field the quote supports; empty for the whole record.",
    )
    quote = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, help_text="The source's exact words."
    )
    start = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=OFFSET_MAX,
        help_text="Offset of the quote in the source text (Unicode code points); omit to use its first occurrence.",
    )
    end = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=OFFSET_MAX, help_text="Offset just after the quote."
    )
    locator = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="Where in a dataset (instead of a quote).",
    )
    said = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        trim_whitespace=False,
        help_text="Relative words in the quote a date was resolved from.",
    )

    def validate(self, attrs):
        if attrs.get("remove"):
            if "id" not in attrs or set(attrs) - {"id", "remove"}:
                raise serializers.ValidationError(
                    {"remove": ["Give the id of the citation to remove, and nothing else."]}
                )
            return {"id": attrs["id"], "remove": True}
        attrs.pop("remove", None)
        # In a PATCH, DRF neither applies the defaults nor requires fields in nested items.
        if "source" not in attrs:
            raise serializers.ValidationError({"source": [self.fields["source"].error_messages["required"]]})
        attrs = {**ITEM_DEFAULTS, **attrs}
        if not attrs["quote"] and not attrs["locator"]:
            raise serializers.ValidationError(
                {"quote": ["A citation quotes its source, or points into a dataset with a locator."]}
            )
        attrs = locate_quote(attrs)
        citation = Citation(**{name: value for name, value in attrs.items() if name != "id"})
        errors = model_errors(
            citation, unset=("content_type", "object_id"), non_field_key=api_settings.NON_FIELD_ERRORS_KEY
        )
        record_fields = citable_fields_of(self)
        if attrs["field"] and record_fields is not None and attrs["field"] not in record_fields:
            errors.setdefault("field", []).append(
                f"Not a field of this record; one of: {', '.join(sorted(record_fields))}."
            )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def citable_fields_of(citation: serializers.Serializer) -> set[str] | None:
    """What the cited record's write serializer lets a citation's ``field`` name: the
    nearest enclosing serializer's (a record's, or an identifier's within it)."""
    node = citation.parent
    while node is not None:
        found = getattr(node, "citable_fields", None)
        if found is not None:
            return found
        node = node.parent
    return None


def locate_quote(attrs: dict) -> dict:
    """Offsets left out are those of the quote's first occurrence in the source."""
    source, quote = attrs["source"], attrs["quote"]
    if not quote or (attrs.get("locator") and attrs.get("start") is None):  # a dataset row needs none
        return attrs
    start = attrs.get("start")
    if start is None:
        start = source.text.find(quote)
        if start < 0:
            raise serializers.ValidationError({"quote": [f"The quote does not occur in {source.slug}."]})
    end = attrs.get("end")
    return {**attrs, "start": start, "end": start + len(quote) if end is None else end}


def apply_citations(record: models.Model, items: list[dict], *, new_record: bool = False) -> None:
    """Apply ``items`` to the record's citations: an item with an id changes
    that citation (or, with ``remove``, removes it), one without adds one.
    Citations not listed stay: what a source said is never dropped by an
    update that did not ask for it. A citation already as given is not saved
    again (no empty history)."""
    existing = {} if new_record else {citation.pk: citation for citation in record.citations.all()}
    for item in items:
        citation = existing.get(item.get("id")) or Citation(record=record)
        if item.get("remove"):
            citation.delete()
            continue
        values = {name: value for name, value in item.items() if name != "id"}
        if citation.pk is None or any(getattr(citation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(citation, name, value)
            citation.save()


def check_citation_ids(record: models.Model | None, items: list[dict]) -> list[dict]:
    """Ids name the record's own citations, each once."""
    own = set(record.citations.values_list("pk", flat=True)) if record is not None else set()
    errors, seen = [], set()
    for item in items:
        pk = item.get("id")
        if pk is None:
            errors.append({})
        elif pk not in own:
            errors.append({"id": [f"Citation {pk} is not one of this record's."]})
        elif pk in seen:
            errors.append({"id": [f"Citation {pk} is listed twice."]})
        else:
            errors.append({})
        seen.add(pk)
    if any(errors):
        raise serializers.ValidationError(errors)
    return items

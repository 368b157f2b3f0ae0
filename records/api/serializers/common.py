"""Shared pieces: fuzzy dates, citations and brief references to records."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from records.api.representation import REVIEW_FIELDS, Attributes, fuzzy, review
from records.models import Citation, Election, Organisation, Party, Person, Place, ReviewStatus

FUZZY_DATE_SCHEMA = inline_serializer(
    name="FuzzyDate",
    fields={
        "value": serializers.CharField(help_text='As written: "2021-03", "2011/2012", "../2022-01-10".'),
        "earliest": serializers.DateField(allow_null=True, help_text="Earliest day it can be; null if open."),
        "latest": serializers.DateField(allow_null=True, help_text="Latest day it can be; null if open."),
    },
)


@extend_schema_field(FUZZY_DATE_SCHEMA)
class FuzzyDateField(serializers.Field):
    """A fuzzy date as {value, earliest, latest}, or null when nothing is known."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True, allow_null=True)
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.date_name = field_name

    def to_representation(self, instance):
        return fuzzy(Attributes(instance), self.date_name)


class CitationSerializer(serializers.ModelSerializer):
    source_slug = serializers.CharField(source="source.slug", read_only=True)
    published_on = serializers.DateField(source="source.published_on", read_only=True, allow_null=True)

    class Meta:
        model = Citation
        fields = ["id", "source", "source_slug", "published_on", "field", "quote", "start", "end", "said", "locator"]
        extra_kwargs = {
            "field": {"help_text": "The field this quote supports; empty for the whole record."},
            "said": {"help_text": "Relative words a date was resolved from, if any."},
            "locator": {
                "help_text": 'Where in a dataset the record comes from, e.g. "constituencies[0].candidates[2]" '
                "(a dataset's citations have no quote or offsets); empty for a quote."
            },
        }


def citations_prefetch(path: str = "citations") -> Prefetch:
    """Citations with their source's slug and date, never the source's full text."""
    queryset = Citation.objects.select_related("source").only(
        "id",
        "content_type_id",
        "object_id",
        "field",
        "quote",
        "start",
        "end",
        "said",
        "locator",
        "source__id",
        "source__slug",
        "source__published_on",
    )
    return Prefetch(path, queryset=queryset)


class CitedSerializer(serializers.ModelSerializer):
    citations = CitationSerializer(many=True, read_only=True)


class ReviewedSerializer(serializers.ModelSerializer):
    """Adds a record's review state. ``verified_by`` is the curator's username
    (never more of the account); querysets select_related("verified_by") so it
    costs no query per row."""

    # (This docstring is the schema's description of every reviewed resource.)
    # The fields below declare the review state for the schema; its values are
    # review()'s (records/api/representation.py), the fast path's.

    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        read_only=True,
        help_text="draft until a curator has checked the record against its sources, then verified.",
    )
    verified_by = serializers.CharField(
        source="verified_by.username",
        read_only=True,
        allow_null=True,
        help_text="Username of the curator who verified the record; null for a draft.",
    )
    verified_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the record was verified; null for a draft."
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if REVIEW_FIELDS[0] in data:  # nested rows (PersonPostingSerializer, ...) do not carry it
            data.update(review(Attributes(instance)))  # in place: keeps Meta.fields' order
        return data


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "slug", "name"]


class PlaceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "slug", "name", "kind"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "abbreviation", "kind"]


class PartyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "slug", "name", "abbreviation"]


class ElectionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Election
        fields = ["id", "slug", "name"]

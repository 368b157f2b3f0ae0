"""Claim links: how a later claim stands to an earlier one (confirms,
supersedes, fulfils, contradicts, retracts), each cited. Curators add them
here; annotations add them with ``links`` (seeds/README.md); an official
result fulfils the claimed candidacy it settles (records/importers)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Min, Q
from rest_framework import serializers

from records.api import writes
from records.api.claim_parts import Citations, Review
from records.api.filtering import DocumentedFilter, KeysetOrderingFilter, RecordsFilterSet, review_status_filter
from records.api.readspec import Computed, Day, Field, Spec, Timestamp
from records.api.resources.base import RecordViewSet, documented
from records.api.writes.base import CITATIONS, REVIEW, RecordWriteSerializer
from records.models import ClaimLink
from records.models.links import LINKABLE


def _claim_ref(type_id: int, pk: int) -> dict:
    return {"type": ContentType.objects.get_for_id(type_id).model, "id": pk}


CLAIM_REF = serializers.DictField(help_text='{"type": "posting", "id": 12}: a posting, event, candidacy, ...')

CLAIM_LINK = Spec(
    ClaimLink,
    "ClaimLink",
    [
        Field("id"),
        Computed("claim", CLAIM_REF, ("claim_type_id", "claim_id"), _claim_ref),
        Field("kind"),
        Computed("target", CLAIM_REF, ("target_type_id", "target_id"), _claim_ref),
        Day(
            "since",
            schema=serializers.DateField(
                read_only=True, allow_null=True, help_text="Publication day of the first source cited for the link."
            ),
        ),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A later claim (`claim`) that confirms, supersedes, fulfils, contradicts or retracts an earlier one "
    "(`target`), cited to the words that say so.",
)


class ClaimRefField(forms.CharField):
    """``type:id``, e.g. ``posting:12``."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        kind, _, pk = value.partition(":")
        if kind not in LINKABLE or not (pk.isascii() and pk.isdigit()) or len(pk) > 18:
            raise ValidationError(
                "Write type:id, the type one of %(types)s (e.g. posting:12).", params={"types": ", ".join(LINKABLE)}
            )
        return ContentType.objects.get_by_natural_key("records", kind).pk, int(pk)


class ClaimRefFilter(DocumentedFilter):
    field_class = ClaimRefField
    schema = {"type": "string", "maxLength": 40, "example": "posting:12"}


class ClaimLinkFilterSet(RecordsFilterSet):
    kind = filters.MultipleChoiceFilter(
        choices=ClaimLink.Kind.choices, distinct=False, help_text="Kind of link; repeat the parameter for several."
    )
    record = ClaimRefFilter(method="filter_record", help_text="Links of this claim, either side (type:id).")
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(fields={"id": "id", "updated_at": "updated"}, default="id")

    class Meta:
        model = ClaimLink
        fields = []

    def filter_record(self, queryset, name, value):
        type_id, pk = value
        return queryset.filter(Q(claim_type_id=type_id, claim_id=pk) | Q(target_type_id=type_id, target_id=pk))


class ClaimLinkWriteSerializer(RecordWriteSerializer):
    """A link from a later claim to an earlier one; both must exist, and
    superseding links may not loop."""

    claim_type = serializers.ChoiceField(choices=LINKABLE, help_text="The later claim's type.")
    target_type = serializers.ChoiceField(choices=LINKABLE, help_text="The earlier claim's type.")

    class Meta:
        model = ClaimLink
        fields = ["claim_type", "claim_id", "kind", "target_type", "target_id", REVIEW, CITATIONS]

    def validate_claim_type(self, value):
        return ContentType.objects.get_by_natural_key("records", value)

    def validate_target_type(self, value):
        return ContentType.objects.get_by_natural_key("records", value)


@documented("claim link", "claim links", ", with its citations")
@writes.documented_writes("claim link", "claim links")
class ClaimLinkViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = ClaimLink.objects.all()
    list_spec = CLAIM_LINK
    write_serializer_class = ClaimLinkWriteSerializer
    filterset_class = ClaimLinkFilterSet
    lookup_value_regex = r"[0-9]+"

    def list_queryset(self):
        return ClaimLink.objects.annotate(since=Min("citations__source__published_on"))

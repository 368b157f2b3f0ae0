from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records.models import Citation, Source

SOURCE_FIELDS = [
    "id",
    "slug",
    "kind",
    "title",
    "publisher",
    "url",
    "not_stated",
    "published_on",
    "language",
    "license",
    "path",
    "sha256",
]


class SourceSerializer(serializers.ModelSerializer):
    not_stated = serializers.ListField(
        child=serializers.ChoiceField(choices=Source.STATABLE),
        read_only=True,
        help_text='What the document itself does not state, of "title", "publisher" and "url": an empty title, '
        "publisher or url named here is absent from the document; one not named here is not known (yet).",
    )

    class Meta:
        model = Source
        fields = [*SOURCE_FIELDS, "updated_at"]


class ClaimCitationSerializer(serializers.ModelSerializer):
    """A quote of this source and the record it supports."""

    record_type = serializers.CharField(
        source="content_type.model", read_only=True, help_text='Kind of record: "person", "posting", "event"...'
    )
    record_id = serializers.IntegerField(source="object_id", read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "record_type", "record_id", "field", "quote", "start", "end", "said", "locator"]


# A dataset cites thousands of records: its detail carries the first claims,
# the rest are a paginated list (/sources/{id}/claims/).
CLAIMS_IN_DETAIL = 100


class ClaimPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, if any.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, if any.")
    count = serializers.IntegerField(allow_null=True, help_text="Number of claims; null unless count=true.")
    results = ClaimCitationSerializer(many=True)


class SourceDetailSerializer(SourceSerializer):
    claims = serializers.SerializerMethodField()
    claims_count = serializers.IntegerField(read_only=True, help_text="How many quotes records cite from it.")
    claims_url = serializers.SerializerMethodField()

    class Meta(SourceSerializer.Meta):
        fields = [*SOURCE_FIELDS, "text", "claims", "claims_count", "claims_url", "updated_at"]

    @extend_schema_field(ClaimCitationSerializer(many=True))
    def get_claims(self, source):
        """The first claims in the text's order; claims_url lists them all."""
        return ClaimCitationSerializer(source.first_claims, many=True).data

    @extend_schema_field(
        serializers.URLField(help_text=f"Every claim, paginated (the detail shows the first {CLAIMS_IN_DETAIL}).")
    )
    def get_claims_url(self, source) -> str:
        request = self.context.get("request")
        path = reverse("source-claims", kwargs={"pk": source.pk})
        return request.build_absolute_uri(path) if request else path

from __future__ import annotations

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
    "published_on",
    "language",
    "license",
    "path",
    "sha256",
]


class SourceSerializer(serializers.ModelSerializer):
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
        fields = ["id", "record_type", "record_id", "field", "quote", "start", "end", "said"]


class SourceDetailSerializer(SourceSerializer):
    claims = serializers.SerializerMethodField()

    class Meta(SourceSerializer.Meta):
        fields = [*SOURCE_FIELDS, "text", "claims", "updated_at"]

    @extend_schema_field(ClaimCitationSerializer(many=True))
    def get_claims(self, source):
        return ClaimCitationSerializer(source.citations.all(), many=True).data

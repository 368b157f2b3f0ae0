from __future__ import annotations

from rest_framework import serializers

from records.api.serializers.common import REVIEW_FIELDS, CitedSerializer, PlaceRefSerializer, ReviewedSerializer
from records.models import Organisation, OrganisationAlias, Party, Place


class OrganisationAliasSerializer(CitedSerializer):
    class Meta:
        model = OrganisationAlias
        fields = ["id", "name", "kind", "status", "citations"]


class PlaceSerializer(CitedSerializer, ReviewedSerializer):
    other_names = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Place
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "parent",
            "path",
            "other_names",
            "citations",
            "updated_at",
            *REVIEW_FIELDS,
        ]


class OrganisationSerializer(CitedSerializer, ReviewedSerializer):
    place = PlaceRefSerializer(read_only=True, allow_null=True)
    aliases = OrganisationAliasSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "abbreviation",
            "kind",
            "parent",
            "path",
            "place",
            "aliases",
            "citations",
            "updated_at",
            *REVIEW_FIELDS,
        ]


class PartySerializer(CitedSerializer, ReviewedSerializer):
    aliases = OrganisationAliasSerializer(many=True, read_only=True)

    class Meta:
        model = Party
        fields = ["id", "slug", "name", "abbreviation", "aliases", "citations", "updated_at", *REVIEW_FIELDS]

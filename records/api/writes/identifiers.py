"""A record's identifiers, written with the record (persons, organisations,
parties, places, constituencies): each names its scheme and value, is added
unless the record has it already, keeps the identifiers not listed, and goes
only when asked (``remove``). Scheme and value are checked against the
registry (records/identifiers.py) before anything is written."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import serializers

from records.api.writes.base import RecordWriteSerializer
from records.api.writes.citations import CitationWriteSerializer, apply_citations, check_citation_ids
from records.api.writes.fields import RejectsUnknownKeys
from records.identifiers import identifier_problem

IDENTIFIERS_HELP = (
    "Changes to the record's identifiers in other databases: an item adds that scheme and value unless the record "
    "has it already (its citations are then applied to it, as a record's are), and "
    '`{"scheme": ..., "value": ..., "remove": true}` removes it. Identifiers not listed stay as they are. '
    "An unknown scheme, a scheme for another kind of record or a value not in its scheme's format is refused."
)


class IdentifierWriteSerializer(RejectsUnknownKeys, serializers.Serializer):
    """One identifier of the record being written."""

    citable_fields = frozenset({"scheme", "value"})

    scheme = serializers.CharField(max_length=50, help_text='The scheme, e.g. "wikidata" (records/identifiers.py).')
    value = serializers.CharField(max_length=200, help_text='The value in the scheme\'s format, e.g. "Q1498".')
    remove = serializers.BooleanField(
        required=False, default=False, help_text="true (with the scheme and value only): remove this identifier."
    )
    citations = CitationWriteSerializer(many=True, required=False, help_text="The sources that give it.")

    def validate(self, attrs):
        if attrs.get("remove"):
            if set(attrs) - {"scheme", "value", "remove"}:
                message = "Give the scheme and value to remove, and nothing else."
                raise serializers.ValidationError({"remove": [message]})
            return attrs  # an identifier recorded before the registry knew better can still go
        problem = identifier_problem(self.parent.parent.identifier_model.identifies, attrs["scheme"], attrs["value"])
        if problem is not None:
            field, message = problem
            raise serializers.ValidationError({field: [message]})
        return attrs


class IdentifiedRecordWriteSerializer(RecordWriteSerializer):
    """A record with identifiers: set ``identifier_model`` (e.g. PlaceIdentifier)
    and list "identifiers" in the Meta's fields."""

    identifier_model = None
    identifiers = IdentifierWriteSerializer(many=True, required=False, help_text=IDENTIFIERS_HELP)

    @property
    def citable_fields(self) -> set[str]:
        return super().citable_fields - {"identifiers"}

    @property
    def identifier_fk(self) -> str:
        return self.identifier_model.identifies

    def validate_identifiers(self, items):
        """Each (scheme, value) once; none of another record's; a removed one is the record's own;
        citation ids are the identifier's own. Two queries, whatever the number of items."""
        model, fk = self.identifier_model, self.identifier_fk
        own = {}
        if self.instance is not None:
            own = {(i.scheme, i.value): i for i in model.objects.filter(**{fk: self.instance.pk})}
        asked = Q()
        for item in items:
            asked |= Q(scheme=item["scheme"], value=item["value"])
        taken = {}
        if items:
            others = model.objects.filter(asked)
            if self.instance is not None:
                others = others.exclude(**{fk: self.instance.pk})
            taken = {(s, v): pk for s, v, pk in others.values_list("scheme", "value", f"{fk}_id")}
        errors, seen = [], set()
        for item in items:
            key = (item["scheme"], item["value"])
            shown = f"{key[0]}:{key[1]}"
            if key in seen:
                errors.append({"value": [f"{shown} is listed twice."]})
            elif item.get("remove") and key not in own:
                errors.append({"value": [f"{shown} is not one of this record's identifiers."]})
            elif key in taken:
                noun = model.identifies
                errors.append({"value": [f"{shown} already identifies another {noun} (id {taken[key]})."]})
            else:
                try:
                    check_citation_ids(own.get(key), item.get("citations") or [])
                    errors.append({})
                except serializers.ValidationError as error:
                    errors.append({"citations": error.detail})
            seen.add(key)
            item["recorded"] = own.get(key)
        if any(errors):
            raise serializers.ValidationError(errors)
        return items

    def create(self, validated_data):
        items = validated_data.pop("identifiers", None)
        record = super().create(validated_data)
        self.apply_identifiers(record, items or [])
        return record

    def update(self, record, validated_data):
        items = validated_data.pop("identifiers", None)
        record = super().update(record, validated_data)
        self.apply_identifiers(record, items or [])
        return record

    def apply_identifiers(self, record, items: list[dict]) -> None:
        for item in items:
            identifier = item["recorded"]
            if item.get("remove"):
                identifier.delete()
                continue
            created = identifier is None
            if created:
                identifier = self.identifier_model.objects.create(
                    **{self.identifier_fk: record}, scheme=item["scheme"], value=item["value"]
                )
            if item.get("citations"):
                apply_citations(identifier, item["citations"], new_record=created)

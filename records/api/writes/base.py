"""What every write serializer shares: relations by id or slug, the model's
own validation, a verification stamped with its curator, nested citations."""

from __future__ import annotations

import copy

from rest_framework import serializers
from rest_framework.settings import api_settings

from records.api.writes.citations import CitationWriteSerializer, apply_citations, check_citation_ids
from records.api.writes.fields import RecordRefField, RejectsUnknownKeys
from records.curation.review import SELF_VERIFY, may_verify
from records.models import ReviewStatus
from records.validation import model_errors

# Every write serializer's last fields: the review state and the citations.
REVIEW = "review_status"
CITATIONS = "citations"
CITATIONS_HELP = (
    "Changes to the record's citations: an item without an id adds a citation, an item with the id of one of "
    'its citations changes it, and `{"id": N, "remove": true}` removes it. Citations not listed stay as they '
    "are: an update never drops what a source said unless asked to."
)


class ModelWriteSerializer(RejectsUnknownKeys, serializers.ModelSerializer):
    """Accepts exactly its fields (an unknown key is a 400, not silently
    dropped) and validates the record as it would be saved, with the model's
    own checks (records.validation). Related records are named by
    id or slug."""

    serializer_related_field = RecordRefField

    def get_validators(self):
        return []  # the model's own checks, in validate(), are the whole truth

    def validate(self, attrs):
        # A copy: validating must not change the record the update starts from.
        record = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            if name in self.model_field_names():
                setattr(record, name, value)
        errors = model_errors(record, unset=self.unset_fields(), non_field_key=api_settings.NON_FIELD_ERRORS_KEY)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def update(self, record, validated_data):
        if all(getattr(record, name) == value for name, value in validated_data.items()):
            return record  # nothing changes: no save, and no empty entry in the history
        return super().update(record, validated_data)

    def model_field_names(self) -> set[str]:
        return {f.name for f in self.Meta.model._meta.concrete_fields}

    def unset_fields(self) -> set[str]:
        """Model fields this serializer does not write."""
        written = {field.source for field in self.fields.values() if not field.read_only}
        return self.model_field_names() - written


class RecordWriteSerializer(ModelWriteSerializer):
    """A cited, reviewed record: its citations come with it, and setting
    ``review_status`` to verified records who verified it and when."""

    citations = CitationWriteSerializer(many=True, required=False, help_text=CITATIONS_HELP)

    @property
    def citable_fields(self) -> set[str]:
        """What a citation's ``field`` may name: the fields a client writes."""
        return {name for name, field in self.fields.items() if not field.read_only} - {"citations", "review_status"}

    def validate_citations(self, items):
        return check_citation_ids(self.instance, items)

    def validate_review_status(self, value):
        # Four eyes (records/curation/review.py): who drafted a record does not verify it.
        record, user = self.instance, self.context["request"].user
        verifying = value == ReviewStatus.VERIFIED and record is not None and record.review_status != value
        if verifying and not may_verify(user, record):
            raise serializers.ValidationError(SELF_VERIFY)
        return value

    def create(self, validated_data):
        citations = validated_data.pop("citations", None)
        record = super().create(self.stamp_review(validated_data))
        if citations is not None:
            apply_citations(record, citations, new_record=True)
        return record

    def update(self, record, validated_data):
        citations = validated_data.pop("citations", None)
        record = super().update(record, self.stamp_review(validated_data, record))
        if citations is not None:
            apply_citations(record, citations)
        return record

    def stamp_review(self, data: dict, record=None) -> dict:
        """Verifying a record names the curator; the time is set on save."""
        becomes_verified = data.get("review_status") == ReviewStatus.VERIFIED
        if becomes_verified and (record is None or record.review_status != ReviewStatus.VERIFIED):
            return {**data, "verified_by": self.context["request"].user, "verified_at": None}
        return data

"""Input fields of the write API."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from records.api.lookup import MAX_ID, SLUG, has_slug


class RejectsUnknownKeys:
    """For write serializers: a key the serializer does not write is a 400
    naming it, so a mistyped or read-only field is never silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, field in self.fields.items() if not field.read_only})
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class RecordRefField(serializers.RelatedField):
    """A related record named as the read API names it: by id, or by slug
    where the model has one ("up-police" or 5)."""

    default_error_messages = {
        "does_not_exist": "No {model} {value}.",
        "incorrect_type": "Give the {model}'s {keys}, not {data_type}.",
    }

    def to_internal_value(self, data):
        model = self.get_queryset().model
        keys = "id or slug" if has_slug(model) else "id"
        name = model._meta.verbose_name
        if isinstance(data, str) and data.isascii() and data.isdigit():
            data = int(data)
        if isinstance(data, int) and not isinstance(data, bool):
            lookup = {"pk": data} if 1 <= data <= MAX_ID else None
        elif isinstance(data, str) and has_slug(model):
            # Never a query for what cannot be a slug (PostgreSQL refuses a NUL byte, for one).
            lookup = {"slug": data} if SLUG.fullmatch(data) else None
        else:
            self.fail("incorrect_type", model=name, keys=keys, data_type=type(data).__name__)
        try:
            if lookup is None:
                raise ObjectDoesNotExist
            return self.get_queryset().get(**lookup)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", model=name, value=repr(data))

    def to_representation(self, value):
        return value.pk

"""Saving and restoring rows for curation operations so that their history
says who did it and why, and an undo can put rows back exactly as they were."""

from __future__ import annotations

import datetime
import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model


def move(instance, user, reason: str, **values) -> None:
    """Sets fields and saves only them (a history row with this user and
    reason; ``updated_at`` untouched, so an undo restores the row exactly)."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance._change_reason = reason
    instance.save(update_fields=list(values))


def delete(instance, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason
    instance.delete()


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restored row must keep its microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def freeze(instances) -> list[dict]:
    """Rows as JSON-ready dicts (Django's serialization: model, pk, fields),
    with times to the microsecond."""
    return json.loads(json.dumps(serializers.serialize("python", instances), cls=_ExactJSONEncoder))


def thaw(frozen: list[dict], user, reason: str) -> list:
    """Recreates frozen rows with their ids and every field as it was (a raw
    save: nothing recomputed), each with a "created" history row."""
    restored = []
    for deserialized in serializers.deserialize("python", frozen):
        deserialized.save()
        instance = deserialized.object
        record_version(instance, "+", user, reason)
        restored.append(instance)
    return restored


def record_version(instance, history_type: str, user, reason: str) -> None:
    """A history row for an instance saved without one (a raw save)."""
    history = get_history_manager_for_model(type(instance))
    historical = history.model
    values = {field.attname: getattr(instance, field.attname) for field in historical.tracked_fields}
    historical._default_manager.create(
        **values,
        history_date=timezone.now(),
        history_type=history_type,
        history_user=user,
        history_change_reason=reason,
    )

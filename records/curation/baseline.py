"""A record's state before its first recorded change.

Records loaded from fixtures or created in bulk (seeds, imported results, a
generated corpus) have no history row: simple-history records saves, and those
paths do not save one by one. Without a row for the state before the first
edit, that edit could not show what it changed. So before a record with no
history is saved (or bulk-updated), its stored state is recorded as its first
version: type "created", dated when that state was last written, by nobody."""

from __future__ import annotations

from django.db.models.signals import pre_save
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

BASELINE_REASON = "state before the first recorded change"


def ensure_baselines(model, ids, using: str = "default") -> int:
    """Records a baseline version for each of ``ids`` that has no history;
    two queries (and one insert when any is missing). Returns how many."""
    history = get_history_manager_for_model(model)
    historical = history.model
    concrete = model._meta.concrete_model
    ids = set(ids)
    if not ids:
        return 0
    pk = concrete._meta.pk.attname
    tracked = set(history.using(using).filter(**{f"{pk}__in": ids}).values_list(pk, flat=True).distinct())
    missing = ids - tracked
    if not missing:
        return 0
    rows = []
    for stored in concrete._base_manager.using(using).filter(pk__in=missing).order_by("pk"):
        values = {field.attname: getattr(stored, field.attname) for field in historical.tracked_fields}
        rows.append(
            historical(
                **values,
                history_date=getattr(stored, "updated_at", None) or timezone.now(),
                history_type="+",
                history_user=None,
                history_change_reason=BASELINE_REASON,
            )
        )
    historical._default_manager.using(using).bulk_create(rows)
    return len(rows)


def record_baseline(sender, instance, raw=False, using=None, **kwargs) -> None:
    """pre_save: the first edit of a record without history keeps its prior state."""
    if raw or instance._state.adding or instance.pk is None:
        return
    ensure_baselines(sender, [instance.pk], using=using or "default")


def connect_baselines() -> None:
    from django.apps import apps

    for model in apps.get_app_config("records").get_models():
        if getattr(model._meta, "simple_history_manager_attribute", None) and not model.__name__.startswith(
            "Historical"
        ):
            pre_save.connect(record_baseline, sender=model, dispatch_uid=f"records.baseline.{model._meta.label}")

"""Which fields a record's history compares, and the changes between two of
its versions, as plain values."""

from __future__ import annotations

from django.db import models

from records.fields import FuzzyDateBoundField, SearchNameField

# Kept in history but not shown as changes: bookkeeping, and columns derived
# from another field (a fuzzy date's bounds, a normalised name) that change with it.
BOOKKEEPING = {"created_at", "updated_at"}
# A posting's career position follows from its person's other postings, a
# contest's winner_margin from its candidacies (records/winner_margins.py): the
# database changes them without an edit (no history row), so a version's value is stale.
DERIVED = {"career_position", "winner_margin"}


def compared_fields(model) -> list[models.Field]:
    """The fields whose changes a curator or client wants to see, in model order."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name not in BOOKKEEPING
        and field.name not in DERIVED
        and not isinstance(field, FuzzyDateBoundField | SearchNameField)
    ]


def ignored_field_names(model) -> set[str]:
    shown = {field.name for field in compared_fields(model)}
    return {field.name for field in model._meta.concrete_fields if field.name not in shown}


def changes_between(fields: list[models.Field], old, new) -> list[dict]:
    """[{field, old, new}] for each compared field that differs between two
    versions (historical rows, or None for "no version": everything set is new).
    Foreign keys are compared and given as ids."""
    out = []
    for field in fields:
        before = None if old is None else getattr(old, field.attname)
        after = getattr(new, field.attname)
        if before == after or (old is None and after in (None, "")):
            continue
        out.append({"field": field.name, "old": plain(before), "new": plain(after)})
    return out


def plain(value):
    """A JSON-ready value: dates and times as ISO strings, decimals as strings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)

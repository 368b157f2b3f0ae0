"""How the API names a record: by id, or by slug where the model has one. One
definition for URLs, related-record fields, history and the schema."""

from __future__ import annotations

import re

from django.db.models import Q

from records.compiled_queries import Slot

MAX_ID = 2**63 - 1  # the largest primary key a column holds (bigint): beyond it a database driver overflows
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")


def has_slug(model) -> bool:
    return any(field.name == "slug" for field in model._meta.concrete_fields)


def record_key(model, key: str) -> tuple[str, int | str] | None:
    """The field a URL's key names a record by, and its value: ("pk", id) or
    ("slug", slug); None for a key that can name none (a slug on a model
    without slugs, an id past what a column holds)."""
    if key.isdigit():
        return ("pk", int(key)) if int(key) <= MAX_ID else None
    return ("slug", key) if has_slug(model) else None


def record_q(model, key: str) -> Q:
    """The condition for the record a URL's key names (nothing, for a key that can name none)."""
    named = record_key(model, key)
    return Q(pk__in=[]) if named is None else Q((named[0], named[1]))


def record_slot_q(model, field: str) -> Q:
    """The condition for a record named by ``field`` (a ``record_key`` field),
    its value left as the slot ``key`` of a compiled query."""
    return Q((field, Slot("key", model._meta.pk if field == "pk" else model._meta.get_field(field))))

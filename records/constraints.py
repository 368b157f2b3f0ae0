"""Evaluate the models' CheckConstraints on unsaved instances, without a database.

The seed builder (a pure transformation: files in, files out) and the model
validation shared by the admin and the API writes check
the same declared rules in Python. Only the lookups our constraints use are
supported; any other raises ``NotImplementedError`` so that a new constraint
cannot be skipped silently (a test evaluates every constraint of every model).
"""

from __future__ import annotations

import operator
import re

from django.db import models
from django.db.models import F, Q

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _value(obj: models.Model, operand):
    if isinstance(operand, F):
        return getattr(obj, obj._meta.get_field(operand.name).attname)
    return operand


def _lookup(obj: models.Model, key: str, expected) -> bool | None:
    name, _, lookup = key.partition("__")
    lookup = lookup or "exact"
    actual = getattr(obj, obj._meta.get_field(name).attname)
    expected = _value(obj, expected)
    if lookup == "isnull":
        return (actual is None) == bool(expected)
    if lookup == "regex":
        return None if actual is None else re.search(expected, str(actual)) is not None
    if lookup in _COMPARE:
        if actual is None or expected is None:
            return None  # SQL: a comparison with NULL is unknown
        return _COMPARE[lookup](actual, expected)
    raise NotImplementedError(f"lookup {lookup!r} in a check constraint")


def _evaluate(condition: Q, obj: models.Model) -> bool | None:
    """SQL's three-valued logic: True, False or None (unknown)."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, obj))
        elif isinstance(child, tuple):
            results.append(_lookup(obj, *child))
        else:
            raise NotImplementedError(f"{child!r} in a check constraint")
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if condition.negated and result is not None:
        return not result
    return result


def holds(condition: Q, obj: models.Model) -> bool:
    """Whether ``obj`` passes ``condition`` as a database CHECK would: only a
    condition that is false fails; an unknown (NULL) one passes."""
    return _evaluate(condition, obj) is not False


def violations(obj: models.Model) -> list[str]:
    """Messages of the check constraints ``obj`` breaks."""
    return [
        constraint.get_violation_error_message()
        for constraint in obj._meta.constraints
        if isinstance(constraint, models.CheckConstraint) and not holds(constraint.condition, obj)
    ]

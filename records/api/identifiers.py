"""A record's identifiers in other databases, as every detail shows them."""

from __future__ import annotations

from records.api.claim_parts import Citations
from records.api.readspec import Many, Spec, fields
from records.identifiers import PLURAL


def identifier_spec(model, name: str) -> Spec:
    return Spec(
        model,
        name,
        [*fields("id scheme value"), Citations()],
        doc="An identifier of the record in another database: a scheme (records/identifiers.py) and a value "
        "in its format, with the sources that give it.",
    )


def after(parts: list, key: str, *new) -> list:
    """``parts`` with ``new`` inserted after the part named ``key``."""
    at = [part.key for part in parts].index(key) + 1
    return [*parts[:at], *new, *parts[at:]]


def identifiers_part(spec: Spec, fk: str) -> Many:
    """The record's identifiers, by scheme and value: one query for a page of records."""
    kind = spec.model.identifies
    return Many(
        "identifiers",
        spec,
        fk=fk,
        help_text=f"Its identifiers in other databases (the {PLURAL[kind]} list's `identifier` filter finds it "
        "by any of them).",
    )

"""The columns of a list's CSV, derived from its read spec's serializer (the
one the OpenAPI schema documents), so that a field added to a spec appears in
the CSV without a second edit.

One row per record; nested objects are flattened into ``<key>_<inner key>``:

- a scalar: one column, as in the JSON (true/false, numbers, ISO dates), empty for null;
- a fuzzy date: ``<key>`` (as written), ``<key>_earliest``, ``<key>_latest``;
- a related record (a ref such as ``person``): its fields, ``person_id``, ``person_slug``, ``person_name``...;
- citations: the first one only, ``citation_source`` (the source's slug), ``citation_published_on``,
  ``citation_quote``, ``citation_locator``;
- a list of plain values (``other_names``): the values joined by "; ";
- a list of records with names (``aliases``, ``participants``): their names joined by "; ";
- any other list (``links``, ``evidence``) is left out; an object of no declared shape, as JSON.

Where a nested column's name is also a field of the record's own, the
record's own wins (possible matches' ``incoming_id``, kept when ``incoming``
was merged away and is null)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import orjson
from rest_framework import serializers

from records.api.readspec import CITATION, FuzzyDateField, Spec

SEPARATOR = "; "
FIRST_CITATION_KEYS = {"source_slug": "source", "published_on": "published_on", "quote": "quote", "locator": "locator"}


def plain(value):
    """A JSON scalar as its CSV cell: null is empty, booleans as JSON writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | Decimal):
        return str(value)
    return value


def joined(values) -> str:
    return SEPARATOR.join(str(plain(v)) for v in values or ())


def names(items) -> str:
    return SEPARATOR.join(item["name"] for item in items or ())


def as_json(value) -> str:
    return "" if value is None else orjson.dumps(value, default=str).decode()


@dataclass(frozen=True)
class Column:
    header: str
    path: tuple  # keys into a record's JSON; an int picks that item of a list
    render: Callable = plain

    def cell(self, record: dict):
        value = record
        for step in self.path:
            if value is None:
                return ""
            value = value[step] if not isinstance(step, int) or len(value) > step else None
        return self.render(value)


def _columns(fields: dict, path: tuple, prefix: str):
    for key, field in fields.items():
        here, name = (*path, key), f"{prefix}{key}"
        if isinstance(field, FuzzyDateField):
            yield Column(name, (*here, "value"))
            yield Column(f"{name}_earliest", (*here, "earliest"))
            yield Column(f"{name}_latest", (*here, "latest"))
        elif isinstance(field, serializers.ListSerializer):
            child = field.child
            if isinstance(child, CITATION.serializer_class):
                for inner, label in FIRST_CITATION_KEYS.items():
                    yield Column(f"{prefix}citation_{label}", (*here, 0, inner))
            elif "name" in child.fields:
                yield Column(name, here, names)
            # other lists of records (links, evidence) have no one-cell summary: left out
        elif isinstance(field, serializers.Serializer):
            yield from _columns(field.fields, here, f"{name}_")
        elif isinstance(field, serializers.ListField | serializers.ManyRelatedField | serializers.MultipleChoiceField):
            yield Column(name, here, joined)
        elif isinstance(field, serializers.DictField | serializers.JSONField | serializers.HStoreField):
            yield Column(name, here, as_json)
        else:
            yield Column(name, here)


@functools.cache
def csv_columns(spec: Spec) -> tuple[Column, ...]:
    """The CSV columns of a list whose rows are ``spec``'s JSON, in the JSON's order."""
    out: dict[str, Column] = {}
    for column in _columns(spec.serializer().fields, (), ""):
        known = out.get(column.header)
        if known is None or len(column.path) < len(known.path):
            out[column.header] = column
    return tuple(out.values())


def csv_row(columns: tuple[Column, ...], record: dict) -> list:
    return [column.cell(record) for column in columns]

"""The columns of a list's CSV, derived from its read spec's serializer (the
one the OpenAPI schema documents), so that a field added to a spec appears in
the CSV without a second edit.

One row per record; nested objects are flattened into ``<key>_<inner key>``:

- a scalar: one column, as in the JSON (true/false, numbers, ISO dates and times), empty for null;
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

import dataclasses
import functools
import operator
from collections.abc import Callable

import orjson
from rest_framework import serializers

from records.api.readspec import CITATION, FuzzyDateField, Spec

SEPARATOR = "; "
FIRST_CITATION_KEYS = {"source_slug": "source", "published_on": "published_on", "quote": "quote", "locator": "locator"}


def boolean(value):
    return "" if value is None else "true" if value else "false"  # as JSON writes it


def joined(values) -> str:
    return SEPARATOR.join("" if v is None else str(v) for v in values or ())


def names(items) -> str:
    return SEPARATOR.join(item["name"] for item in items or ())


def as_json(value) -> str:
    return "" if value is None else orjson.dumps(value, default=str).decode()


def _reader(path: tuple) -> Callable[[dict], object]:
    """Reads ``path`` in a record's JSON: None where a step finds nothing (a null
    ref, no citation). Specialised for the usual short paths: a CSV calls it
    once per cell."""
    if len(path) == 1:
        return operator.itemgetter(path[0])
    if len(path) == 2 and all(isinstance(step, str) for step in path):
        outer, inner = path
        return lambda record: None if (value := record[outer]) is None else value[inner]

    def read(record):
        value = record
        for step in path:
            if value is None:
                return None
            value = value[step] if not isinstance(step, int) or len(value) > step else None
        return value

    return read


@dataclasses.dataclass(frozen=True)
class Column:
    """``header``, read at ``path`` in a record's JSON (an int picks that item of a
    list), written as ``render`` gives it (None: as it is; csv writes None empty)."""

    header: str
    path: tuple
    render: Callable | None = None
    read: Callable = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "read", _reader(self.path))

    def cell(self, record: dict):
        value = self.read(record)
        return value if self.render is None else self.render(value)


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
        elif isinstance(field, serializers.BooleanField):
            yield Column(name, here, boolean)
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
    return [column.read(record) if column.render is None else column.render(column.read(record)) for column in columns]

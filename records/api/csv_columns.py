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
was merged away and is null).

Text comes from sources and curators, and spreadsheet programs run a cell
that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula ("CSV injection"): in a text column (a string field, a choice, a list
of names or strings) such a cell is written with a single quote before it
(``'=HYPERLINK(...)``), as OWASP advises. Which columns are text is decided
by the field's type, never by the value: numbers, dates and booleans are
written as they are (-3 stays -3)."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable

import orjson
from rest_framework import serializers

from records.api.claim_parts import CITATION
from records.api.readspec import FuzzyDateField, Spec

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


# What a spreadsheet program reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FIELDS = (serializers.CharField, serializers.ChoiceField)  # URL, slug, e-mail... are CharFields


def neutralised(value):
    """A text cell as a spreadsheet shows it, never as a formula: a single quote before a formula's start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _is_text(field) -> bool:
    return isinstance(field, TEXT_FIELDS)


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
    list), written as ``render`` gives it (None: as it is; csv writes None empty);
    a ``text`` column's cell is ``neutralised``."""

    header: str
    path: tuple
    render: Callable | None = None
    text: bool = False
    read: Callable = dataclasses.field(init=False, repr=False, compare=False)
    cell: Callable = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        read, render = _reader(self.path), self.render
        object.__setattr__(self, "read", read)
        # Composed once: a CSV calls it once per cell.
        if render is None and not self.text:
            cell = read
        elif render is None:
            cell = lambda record: neutralised(read(record))  # noqa: E731
        elif not self.text:
            cell = lambda record: render(read(record))  # noqa: E731
        else:
            cell = lambda record: neutralised(render(read(record)))  # noqa: E731
        object.__setattr__(self, "cell", cell)


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
                    yield Column(f"{prefix}citation_{label}", (*here, 0, inner), text=_is_text(child.fields[inner]))
            elif "name" in child.fields:
                yield Column(name, here, names, text=True)
            # other lists of records (links, evidence) have no one-cell summary: left out
        elif isinstance(field, serializers.Serializer):
            yield from _columns(field.fields, here, f"{name}_")
        elif isinstance(field, serializers.ListField | serializers.ManyRelatedField | serializers.MultipleChoiceField):
            child = getattr(field, "child", None) or getattr(field, "child_relation", None)
            yield Column(name, here, joined, text=isinstance(field, serializers.MultipleChoiceField) or _is_text(child))
        elif isinstance(field, serializers.DictField | serializers.JSONField | serializers.HStoreField):
            yield Column(name, here, as_json)
        elif isinstance(field, serializers.BooleanField):
            yield Column(name, here, boolean)
        else:
            yield Column(name, here, text=_is_text(field))


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

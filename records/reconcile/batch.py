"""A reconciliation batch as OpenRefine sends it, read and checked before any
lookup: ``{"q0": {"query": "ADITYANATH", "type": "person", "limit": 3,
"properties": [{"pid": "party", "v": "BJP"}]}, ...}``.

Everything wrong with a batch is collected, each problem under the name of
the part it concerns (``queries``, ``q0.type``, ``q1.properties[0].v``), and
raised as one ``BatchError``: a client sees every mistake at once and
nothing is looked up."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.conf import settings

from records.reconcile.vocabulary import DEFAULT_TYPE, PROPERTIES, TYPES

MAX_TEXT = 200  # characters of a query or a property value, as the API's text filters
MAX_KEY = 64  # characters of a query's key ("q0")
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
MAX_VALUES = 10  # values of one property (a list)
QUERY_KEYS = frozenset({"query", "type", "type_strict", "limit", "properties"})
TYPE_STRICT = frozenset({"any", "all", "should"})


class BatchError(ValueError):
    """A batch that cannot be answered; ``problems``: messages per part of it."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("; ".join(f"{key}: {' '.join(messages)}" for key, messages in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class PropertyValue:
    """A value a query gives for a property: text as written, or the id of a
    record the client reconciled before (``{"id": "parties/bjp"}``)."""

    text: str = ""
    id: str = ""


@dataclass(frozen=True)
class Query:
    key: str
    text: str
    type: str
    limit: int
    properties: dict[str, tuple[PropertyValue, ...]] = field(default_factory=dict)


def max_queries() -> int:
    return settings.RECONCILE_MAX_QUERIES


def parse_batch(raw: str) -> list[Query]:
    """The queries of ``raw`` (the ``queries`` parameter, JSON), in their order."""
    try:
        batch = json.loads(raw)
    except ValueError as error:
        raise BatchError({"queries": [f"Not valid JSON: {error}."]}) from None
    if not isinstance(batch, dict) or not batch:
        raise BatchError({"queries": ['Expected a JSON object of queries by key, e.g. {"q0": {"query": "..."}}.']})
    if len(batch) > max_queries():
        raise BatchError(
            {"queries": [f"{len(batch)} queries in one batch; at most {max_queries()}. Send them in smaller batches."]}
        )
    problems: dict[str, list[str]] = {}
    queries = [_query(key, value, problems) for key, value in batch.items()]
    if problems:
        raise BatchError(problems)
    return queries


def _query(key: str, value, problems: dict[str, list[str]]) -> Query | None:
    def refuse(part: str, message: str) -> None:
        problems.setdefault(f"{key}{part}", []).append(message)

    if len(key) > MAX_KEY or "\x00" in key:
        refuse("", f"A query's key has at most {MAX_KEY} characters and no NUL.")
        return None
    if not isinstance(value, dict):
        refuse("", 'Expected an object with at least "query".')
        return None
    for unknown in sorted(set(value) - QUERY_KEYS):
        refuse(f".{unknown}", f"Unknown key; a query takes {', '.join(sorted(QUERY_KEYS))}.")
    text = _text(value.get("query"), lambda m: refuse(".query", m), required=True)
    kind = _type(value.get("type"), lambda m: refuse(".type", m))
    limit = _limit(value.get("limit"), lambda m: refuse(".limit", m))
    strict = value.get("type_strict")
    if strict is not None and strict not in TYPE_STRICT:
        refuse(".type_strict", f"One of {', '.join(sorted(TYPE_STRICT))}.")
    properties = _properties(value.get("properties"), kind, lambda part, m: refuse(f".properties{part}", m))
    return Query(key, text or "", kind or DEFAULT_TYPE, limit, properties)


def _text(value, refuse, *, required: bool = False) -> str | None:
    """Text (a number is taken as written: a year); None, and a message, otherwise."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        refuse("Expected text.")
        return None
    text = str(value).strip()
    if required and not text:
        refuse("Must not be empty.")
    elif len(text) > MAX_TEXT:
        refuse(f"At most {MAX_TEXT} characters.")
    elif "\x00" in text:
        refuse("Must not contain a NUL byte.")
    else:
        return text
    return None


def _type(value, refuse) -> str | None:
    """A type id; OpenRefine may send a list of them (the first known one is used)."""
    if value is None:
        return None
    wanted = value if isinstance(value, list) else [value]
    known = [t for t in wanted if isinstance(t, str) and t in TYPES]
    if not wanted or len(known) != len(wanted):
        refuse(f"Unknown type {value!r}; the types are {', '.join(TYPES)}.")
        return None
    return known[0]


def _limit(value, refuse) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        refuse(f"A whole number from 1 to {MAX_LIMIT}.")
        return DEFAULT_LIMIT
    return value


def _properties(value, kind: str | None, refuse) -> dict[str, tuple[PropertyValue, ...]]:
    if value is None:
        return {}
    if not isinstance(value, list):
        refuse("", 'Expected a list of {"pid": ..., "v": ...}.')
        return {}
    taken = PROPERTIES.get(kind or DEFAULT_TYPE, {})
    out: dict[str, tuple[PropertyValue, ...]] = {}
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) - {"pid", "v"} or "pid" not in item or "v" not in item:
            refuse(f"[{i}]", 'Expected {"pid": ..., "v": ...}.')
            continue
        pid = item["pid"]
        if pid not in taken:
            offered = ", ".join(taken) or "none"
            refuse(f"[{i}].pid", f"Unknown property {pid!r} for type {kind or DEFAULT_TYPE}; it takes: {offered}.")
            continue
        values = _values(item["v"], lambda m, i=i: refuse(f"[{i}].v", m))
        if pid == "year" and any(not _is_year(v.text) for v in values):
            refuse(f"[{i}].v", "A year: four digits, e.g. 2017.")
            continue
        if values:
            out[pid] = out.get(pid, ()) + values
    return out


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isascii() and text.isdigit()


def _values(value, refuse) -> tuple[PropertyValue, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or len(items) > MAX_VALUES:
        refuse(f"Give from 1 to {MAX_VALUES} values.")
        return ()
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and set(item) <= {"id", "name"}:
            if len(item["id"]) > MAX_TEXT or "\x00" in item["id"]:
                refuse(f"An id has at most {MAX_TEXT} characters and no NUL.")
                return ()
            out.append(PropertyValue(id=item["id"]))
            continue
        text = _text(item, refuse, required=True)
        if text is None:
            return ()
        out.append(PropertyValue(text=text))
    return tuple(out)

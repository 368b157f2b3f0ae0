"""Suggestions as a user types (W3C reconciliation API 0.2, suggest): records
by the API's name search, best first; the service's types and properties by
their names."""

from __future__ import annotations

from records.reconcile import named, people
from records.reconcile.vocabulary import DEFAULT_TYPE, PROPERTIES, TYPES, record_id
from records.search_rank import RANK
from records.text import normalise_name

SUGGEST_PAGE = 10


def suggest_entities(prefix: str, type_id: str | None, cursor: int) -> list[dict]:
    kind = TYPES[type_id or DEFAULT_TYPE]
    found = people.searched(prefix) if kind.id == "person" else named.searched(kind.id, prefix)
    rows = found.values("slug", "name", RANK)[cursor : cursor + SUGGEST_PAGE]
    return [{"id": record_id(kind, row["slug"]), "name": row["name"]} for row in rows]


def _named_like(prefix: str, items) -> list:
    """Items whose id or name has a word that begins with the prefix."""
    wanted = normalise_name(prefix)
    return [
        item
        for item in items
        if any(word.startswith(wanted) for word in normalise_name(f"{item.id} {item.name}").split())
        or normalise_name(item.name).startswith(wanted)
    ]


def suggest_types(prefix: str, type_id: str | None, cursor: int) -> list[dict]:
    found = _named_like(prefix, TYPES.values())
    return [{"id": t.id, "name": t.name, "description": t.description} for t in found[cursor : cursor + SUGGEST_PAGE]]


def suggest_properties(prefix: str, type_id: str | None, cursor: int) -> list[dict]:
    found = _named_like(prefix, PROPERTIES[type_id or DEFAULT_TYPE].values())
    return [{"id": p.id, "name": p.name, "description": p.description} for p in found[cursor : cursor + SUGGEST_PAGE]]

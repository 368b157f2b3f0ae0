"""A record's identifiers in other databases (persons, parties, organisations,
places, constituencies): read for a detail, and the lists' ``identifier`` filter."""

from __future__ import annotations

from bench.limit.knowledge import known


def identifiers_of(model, owner: str, pk: int, seen) -> list[dict]:
    """The record's identifiers (``owner``: the foreign key's name), by scheme and value."""
    rows = model.objects.filter(known(model, seen), **{f"{owner}_id": pk}).order_by("scheme", "value")
    return list(rows.values("id", "scheme", "value"))


def with_citations(model, rows: list[dict], cited) -> list[dict]:
    return [{**row, "citations": cited[(model, row["id"])]} for row in rows]


def identified(queryset, model, owner: str, params):
    """Only the record ``identifier=scheme:value`` names (the value may hold colons)."""
    if not params.get("identifier"):
        return queryset
    scheme, _, value = params["identifier"].partition(":")
    return queryset.filter(id__in=model.objects.filter(scheme=scheme, value=value).values(f"{owner}_id"))

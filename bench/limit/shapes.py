"""JSON pieces every resource uses: references to related records, fuzzy
dates, timestamps, the review state, and citations (one query per response)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from records.models import Citation

PERSON = ("id", "slug", "name")
PLACE = ("id", "slug", "name", "kind")
ORGANISATION = ("id", "slug", "name", "abbreviation", "kind")
PARTY = ("id", "slug", "name", "abbreviation")
ELECTION = ("id", "slug", "name")
REVIEW = ("review_status", "verified_by__username", "verified_at")
CENT = Decimal("0.01")


def unique(*names: str) -> list[str]:
    """The names once each, in order (for ``.values()``)."""
    return list(dict.fromkeys(names))


def columns(relation: str, names: tuple[str, ...]) -> list[str]:
    return [f"{relation}__{name}" for name in names]


def nested(row: dict, relation: str, names: tuple[str, ...]) -> dict | None:
    if row[f"{relation}__id"] is None:
        return None
    return {name: row[f"{relation}__{name}"] for name in names}


def day(value) -> str | None:
    return value.isoformat() if value else None


def moment(value) -> str | None:
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def fuzzy_columns(name: str) -> list[str]:
    return [name, f"{name}_earliest", f"{name}_latest"]


def fuzzy(row: dict, name: str) -> dict | None:
    if not row[name]:
        return None
    return {"value": row[name], "earliest": day(row[f"{name}_earliest"]), "latest": day(row[f"{name}_latest"])}


def review(row: dict) -> dict:
    return {
        "review_status": row["review_status"],
        "verified_by": row["verified_by__username"],
        "verified_at": moment(row["verified_at"]),
    }


def cents(value) -> float | None:
    return None if value is None else float(Decimal(value).quantize(CENT))


def percent(part, whole) -> float | None:
    """part/whole in per cent, rounded half up to two places; None without both."""
    if part is None or not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP))


def citations(records: dict, seen=None) -> dict:
    """{(model, id): [citation, ...]} for several kinds of records, one query;
    only those of the sources ``seen`` (bench/limit/knowledge.py), when given."""
    condition, kinds = Q(), {}
    for model, ids in records.items():
        ids = list(ids)
        if ids:
            kind = ContentType.objects.get_for_model(model).pk
            kinds[kind] = model
            condition |= Q(content_type_id=kind, object_id__in=ids)
    found = defaultdict(list)
    if not kinds:
        return found
    rows = (
        Citation.objects.filter(condition, seen.sources() if seen else Q())
        .order_by("source_id", "start", "id")
        .values(
            "id",
            "source_id",
            "source__slug",
            "source__published_on",
            "field",
            "quote",
            "start",
            "end",
            "said",
            "locator",
            "content_type_id",
            "object_id",
        )
    )
    for row in rows:
        found[(kinds[row["content_type_id"]], row["object_id"])].append(
            {
                "id": row["id"],
                "source": row["source_id"],
                "source_slug": row["source__slug"],
                "published_on": day(row["source__published_on"]),
                "field": row["field"],
                "quote": row["quote"],
                "start": row["start"],
                "end": row["end"],
                "said": row["said"],
                "locator": row["locator"],
            }
        )
    return found

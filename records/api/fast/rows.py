"""Shared pieces of the fast path: the JSON forms of references, and the
citations of a page of records in one query. (Fuzzy dates, timestamps and the
review state: records/api/representation.py, shared with the serializers.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from records.api.representation import iso
from records.models import Citation

CITATION_FIELDS = (
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
)


# References: (fields to select under a relation, the dict built from them).
PERSON_REF = ("id", "slug", "name")
PLACE_REF = ("id", "slug", "name", "kind")
ORGANISATION_REF = ("id", "slug", "name", "abbreviation", "kind")
PARTY_REF = ("id", "slug", "name", "abbreviation")
ELECTION_REF = ("id", "slug", "name")


def ref_fields(relation: str, fields: tuple[str, ...]) -> list[str]:
    return [f"{relation}__{f}" for f in fields]


def ref(row: dict, relation: str, fields: tuple[str, ...]) -> dict | None:
    """The nested reference, or None when the relation is empty (a LEFT JOIN gave NULLs)."""
    if row[f"{relation}__id"] is None:
        return None
    return {f: row[f"{relation}__{f}"] for f in fields}


def citation(row: dict) -> dict:
    return {
        "id": row["id"],
        "source": row["source_id"],
        "source_slug": row["source__slug"],
        "published_on": iso(row["source__published_on"]),
        "field": row["field"],
        "quote": row["quote"],
        "start": row["start"],
        "end": row["end"],
        "said": row["said"],
        "locator": row["locator"],
    }


def citations_of(records: dict[type, Iterable[int]]) -> dict[tuple[type, int], list[dict]]:
    """Citations of several kinds of records in one query: (model, id) -> citations,
    in the order the serializers give them (source, start, id)."""
    condition = Q()
    content_types = {}
    for model, ids in records.items():
        ids = list(ids)
        if ids:
            content_types[model] = ContentType.objects.get_for_model(model).pk
            condition |= Q(content_type_id=content_types[model], object_id__in=ids)
    out: dict[tuple[type, int], list[dict]] = defaultdict(list)
    if not content_types:
        return out
    models = {pk: model for model, pk in content_types.items()}
    rows = (
        Citation.objects.filter(condition)
        .values(*CITATION_FIELDS, "content_type_id", "object_id")
        .order_by("source_id", "start", "id")
    )
    for row in rows:
        out[(models[row["content_type_id"]], row["object_id"])].append(citation(row))
    return out

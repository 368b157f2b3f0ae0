"""/person-merges/: the list (newest first) and one merge; /health/."""

from __future__ import annotations

import time

from django.db import connection

from bench.limit import paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.shapes import PERSON, columns, moment, nested
from records.models import PersonMerge

ROW = (
    "id",
    *columns("kept", PERSON),
    "removed_id",
    "removed_name",
    "note",
    "merged_by__username",
    "merged_at",
    "undone_by__username",
    "undone_at",
)
ORDER = [paging.Key("merged_at", True), paging.Key("id", True)]


def merge_json(row) -> dict:
    return {
        "id": row["id"],
        "kept": nested(row, "kept", PERSON),
        "removed_id": row["removed_id"],
        "removed_name": row["removed_name"],
        "note": row["note"],
        "merged_by": row["merged_by__username"],
        "merged_at": moment(row["merged_at"]),
        "active": row["undone_at"] is None,
        "undone_by": row["undone_by__username"],
        "undone_at": moment(row["undone_at"]),
    }


def merges(request):
    page = paging.page(request, PersonMerge.objects.all(), ORDER, ROW)
    return envelope(request, page, [merge_json(r) for r in page.rows])


def merge(request, key: str):
    found = list(PersonMerge.objects.filter(pk=int(key)).values(*ROW)[:1]) if key.isdigit() else []
    return json_response(merge_json(found[0])) if found else not_found()


def health(request):
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {connection.ops.quote_name('records_source')} ORDER BY id LIMIT 1")
        cursor.fetchone()
    check = {
        "alias": connection.alias,
        "role": "primary",
        "vendor": connection.vendor,
        "reachable": True,
        "read": "records_source",
        "milliseconds": round((time.perf_counter() - began) * 1000, 3),
        "lag_seconds": None,
    }
    return json_response({"status": "ok", "database": "ok", "checked": [check]})

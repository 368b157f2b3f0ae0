"""/possible-matches/: the list (newest first; status and either person) and one match."""

from __future__ import annotations

from django.db.models import Q

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.shapes import moment
from records.models import Person, PossibleMatch

SIDES = ("incoming", "existing")
ROW = (
    "id",
    *(f"{side}{column}" for side in SIDES for column in ("_id", "__slug", "__name")),
    "score",
    "evidence",
    "status",
    "source__slug",
    "created_at",
    "decided_by__username",
    "decided_at",
    "note",
    "merge_id",
    "merge__undone_at",
)
ORDER = [paging.Key("id", True)]


def _person(row, side: str) -> dict | None:
    # A person merged away keeps their id on the match but has no row to join: no slug.
    if row[f"{side}__slug"] is None:
        return None
    return {"id": row[f"{side}_id"], "slug": row[f"{side}__slug"], "name": row[f"{side}__name"]}


def match_json(row) -> dict:
    return {
        "id": row["id"],
        "incoming": _person(row, "incoming"),
        "incoming_id": row["incoming_id"],
        "existing": _person(row, "existing"),
        "existing_id": row["existing_id"],
        "score": row["score"],
        "evidence": row["evidence"],
        "status": row["status"],
        "source": row["source__slug"],
        "created_at": moment(row["created_at"]),
        "decided_by": row["decided_by__username"],
        "decided_at": moment(row["decided_at"]),
        "note": row["note"],
        "merge": row["merge_id"],
        "merge_undone": row["merge__undone_at"] is not None,
    }


def filtered(params):
    matches = PossibleMatch.objects.all()
    if params.get("status"):
        matches = matches.filter(status=params["status"])
    person = lookups.by_id_or_key(params, "person", Person.objects.all(), "slug")
    if person:
        matches = matches.filter(Q(incoming=person) | Q(existing=person))
    return matches


def keys(params):
    return ORDER


def matches(request):
    page = paging.page(request, filtered(request.GET), ORDER, ROW)
    return envelope(request, page, [match_json(r) for r in page.rows])


def match(request, key: str):
    found = list(PossibleMatch.objects.filter(pk=int(key)).values(*ROW)[:1]) if key.isdigit() else []
    return json_response(match_json(found[0])) if found else not_found()

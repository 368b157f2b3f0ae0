"""Postings: the list row, from ``.values()`` rows."""

from __future__ import annotations

from records.api.fast.rows import (
    ORGANISATION_REF,
    PERSON_REF,
    PLACE_REF,
    citations_of,
    ref,
    ref_fields,
)
from records.api.fast.views import FastList
from records.api.representation import REVIEW_VALUES, fuzzy, fuzzy_fields, review, timestamp
from records.models import Posting

POSTING_LIST_FIELDS = (
    "id",
    *ref_fields("person", PERSON_REF),
    "role",
    "rank",
    *ref_fields("organisation", ORGANISATION_REF),
    *ref_fields("place", PLACE_REF),
    *fuzzy_fields("start"),
    *fuzzy_fields("end"),
    "previous_id",
    "note",
    "status",
    "updated_at",
    *REVIEW_VALUES,
)


def posting_row(p: dict, citations: list[dict]) -> dict:
    return {
        "id": p["id"],
        "person": ref(p, "person", PERSON_REF),
        "role": p["role"],
        "rank": p["rank"],
        "organisation": ref(p, "organisation", ORGANISATION_REF),
        "place": ref(p, "place", PLACE_REF),
        "start": fuzzy(p, "start"),
        "end": fuzzy(p, "end"),
        "previous": p["previous_id"],
        "note": p["note"],
        "status": p["status"],
        "citations": citations,
        "updated_at": timestamp(p["updated_at"]),
        **review(p),
    }


def _build(rows: list[dict]) -> list[dict]:
    cited = citations_of({Posting: [p["id"] for p in rows]})
    return [posting_row(p, cited.get((Posting, p["id"]), [])) for p in rows]


POSTING_LIST = FastList(fields=POSTING_LIST_FIELDS, build=_build)

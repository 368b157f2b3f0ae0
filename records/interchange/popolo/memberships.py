"""Popolo memberships, from two kinds of records:

- every posting (party memberships and offices included): the person, the
  organisation, the role, the post it holds (records/interchange/popolo/posts.py),
  the place as its area, the fuzzy start and end;
- every seat won in an official contest: a membership of the election's body,
  holding the constituency's post, on behalf of the party the person stood
  for, with the constituency as its area and the election as ``election_id``
  (an extension). Its dates are omitted: the records hold when the votes were
  counted, not when the term began.

A claim's status (confirmed, announced, reported, expected, speculated) has
no place in Popolo: it is kept in the ``status`` extension, so that an
expected membership is not read as a fact by those who look."""

from __future__ import annotations

from records.interchange.popolo import ids
from records.interchange.popolo.dates import date_fields
from records.interchange.popolo.posts import SEAT_COLUMNS, SEAT_ROLE, posting_post_id, seat_post_id
from records.interchange.popolo.sources import sources_of
from records.knowledge import Knowledge
from records.models import Candidacy, Posting

POSTING_COLUMNS = (
    "id",
    "person__slug",
    "organisation__slug",
    "organisation__kind",
    "place__slug",
    "role",
    "start",
    "end",
    "status",
)
SEAT_MEMBERSHIP_COLUMNS = ("id", "person__slug", "election__slug", "party__slug", "status", *SEAT_COLUMNS)


def _present(**fields) -> dict:
    return {name: value for name, value in fields.items() if value is not None}


def posting_memberships(rows: list[dict], knowledge: Knowledge, sources_url: str | None) -> list[dict]:
    sources = sources_of(Posting, [row["id"] for row in rows], knowledge, sources_url)
    return [
        {
            "id": ids.posting(row["id"]),
            "person_id": ids.person(row["person__slug"]),
            **_present(
                organization_id=ids.organisation(row["organisation__slug"]),
                post_id=posting_post_id(row),
                area_id=ids.place(row["place__slug"]),
            ),
            "role": row["role"],
            **date_fields("start", row["start"]),
            **date_fields("end", row["end"]),
            "status": row["status"],
            "sources": sources[row["id"]],
        }
        for row in rows
    ]


def seat_memberships(rows: list[dict], knowledge: Knowledge, sources_url: str | None) -> list[dict]:
    sources = sources_of(Candidacy, [row["id"] for row in rows], knowledge, sources_url)
    return [
        {
            "id": ids.candidacy(row["id"]),
            "person_id": ids.person(row["person__slug"]),
            **_present(
                organization_id=ids.organisation(row["election__body__slug"]),
                on_behalf_of_id=ids.organisation(row["party__slug"]),
            ),
            "post_id": seat_post_id(row),
            "area_id": ids.constituency(row["contest__constituency__slug"]),
            "role": SEAT_ROLE,
            "election_id": ids.election(row["election__slug"]),
            "status": row["status"],
            "sources": sources[row["id"]],
        }
        for row in rows
    ]

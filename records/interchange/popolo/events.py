"""Popolo events: elections, with their days of polling as start and end
dates, the body elected as the organization and, as extensions, the
jurisdiction as ``area_id``; the claim's status is Popolo's ``status``."""

from __future__ import annotations

from records.interchange.popolo import ids
from records.interchange.popolo.dates import date_fields
from records.interchange.popolo.sources import sources_of
from records.knowledge import Knowledge
from records.models import Election

ELECTION_COLUMNS = ("id", "slug", "name", "start", "end", "body__slug", "jurisdiction__slug", "status")


def election_events(rows: list[dict], knowledge: Knowledge, sources_url: str | None) -> list[dict]:
    sources = sources_of(Election, [row["id"] for row in rows], knowledge, sources_url)
    return [
        {
            "id": ids.election(row["slug"]),
            "name": row["name"],
            "classification": "election",
            **date_fields("start", row["start"]),
            **date_fields("end", row["end"]),
            **({"organization_id": ids.organisation(row["body__slug"])} if row["body__slug"] else {}),
            "area_id": ids.place(row["jurisdiction__slug"]),
            "status": row["status"],
            "sources": sources[row["id"]],
        }
        for row in rows
    ]

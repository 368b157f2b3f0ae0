"""Popolo posts: positions that exist whoever holds them, read from the records.

- Each distinct (role, organisation, place) of the postings is a post
  ("Commissioner of Police, Kanpur Police (Kanpur)"), except plain membership
  of a party, which is a membership and no position.
- Each seat won in an election with an official contest is a post of the
  election's body for the constituency: "Member of the Uttar Pradesh Assembly
  for Kannauj (SC)".

Posts carry no sources of their own: they are derived, and the memberships
that hold them cite theirs."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F, QuerySet

from records.interchange.popolo import ids
from records.models import Organisation

PARTY = Organisation.Kind.PARTY
SEAT_ROLE = "member"
# The role of plain party membership (seeds/README.md): in a party, no post.
MEMBERSHIP_ROLE = ids.role_key("member")

POSTING_COLUMNS = ("organisation__slug", "organisation__name", "place__slug", "place__name", "role")
SEAT_COLUMNS = (
    "election__body__slug",
    "election__body__name",
    "contest__constituency__slug",
    "contest__constituency__name",
    "contest__constituency__reservation",
)
RESERVED = ("SC", "ST")


def holds_a_post(organisation_kind: str | None, role: str) -> bool:
    return not (organisation_kind == PARTY and ids.role_key(role) == MEMBERSHIP_ROLE)


def posting_post_id(row: dict) -> str | None:
    """The post a posting row (with ``organisation__kind`` and POSTING_COLUMNS) holds, if any."""
    if not holds_a_post(row["organisation__kind"], row["role"]):
        return None
    return ids.post(row["organisation__slug"], ids.place(row["place__slug"]), row["role"])


def seat_post_id(row: dict) -> str:
    return ids.post(row["election__body__slug"], ids.constituency(row["contest__constituency__slug"]), SEAT_ROLE)


def constituency_label(row: dict) -> str:
    reservation = row["contest__constituency__reservation"]
    name = row["contest__constituency__name"]
    return f"{name} ({reservation})" if reservation in RESERVED else name


def posting_posts(postings: QuerySet) -> Iterator[dict]:
    """The posts of the postings, each once (one query, read as it streams)."""
    rows = (
        postings.order_by(F("organisation_id").asc(nulls_first=True), F("place_id").asc(nulls_first=True), "role")
        .values(*POSTING_COLUMNS, "organisation__kind")
        .distinct()
    )
    seen: set[str] = set()
    group = None
    for row in rows.iterator(chunk_size=2000):
        # Rows come grouped by organisation and place: spellings of a role that
        # name one post meet within a group, so only a group's ids are kept.
        if (row["organisation__slug"], row["place__slug"]) != group:
            group, seen = (row["organisation__slug"], row["place__slug"]), set()
        post_id = posting_post_id(row)
        if post_id is None or post_id in seen:
            continue
        seen.add(post_id)
        label = ", ".join(part for part in (row["role"], row["organisation__name"]) if part)
        if row["place__name"]:
            label = f"{label} ({row['place__name']})"
        yield {
            "id": post_id,
            "label": label,
            "role": row["role"],
            **({"organization_id": ids.organisation(row["organisation__slug"])} if row["organisation__slug"] else {}),
            **({"area_id": ids.place(row["place__slug"])} if row["place__slug"] else {}),
        }


def seat_posts(seats: QuerySet) -> Iterator[dict]:
    """The posts of the seats won, each once (one query, read as it streams)."""
    rows = (
        seats.order_by(F("election__body_id").asc(nulls_first=True), "contest__constituency_id")
        .values(*SEAT_COLUMNS)
        .distinct()
    )
    for row in rows.iterator(chunk_size=2000):
        body = row["election__body__name"]
        where = constituency_label(row)
        yield {
            "id": seat_post_id(row),
            "label": f"Member of the {body} for {where}" if body else f"Member for {where}",
            "role": SEAT_ROLE,
            **({"organization_id": ids.organisation(row["election__body__slug"])} if body else {}),
            "area_id": ids.constituency(row["contest__constituency__slug"]),
        }

"""A person's postings in career order, by the rules the API documents for
``ordering=career``: a posting comes after its ``previous``; among postings
whose predecessors are placed, the one placed earliest comes next (by its own
first known bound, or else by the earliest placement of a posting it precedes);
postings nothing places come last, by id; a cycle of links is broken at its
posting placed earliest."""

from __future__ import annotations

import heapq
from datetime import date

BOUNDS = ("start_earliest", "start_latest", "end_earliest", "end_latest")
COLUMNS = ("id", "previous_id", *BOUNDS)
LAST = date.max


def _own(row) -> date | None:
    return next((row[b] for b in BOUNDS if row[b] is not None), None)


def _placements(rows: dict, followers: dict) -> dict:
    placed: dict = {}

    def visit(pk, path):
        if pk in placed:
            return placed[pk]
        path.add(pk)
        days = [_own(rows[pk])]
        days += [visit(f, path) for f in followers[pk] if f not in path]
        path.discard(pk)
        known = [d for d in days if d is not None]
        placed[pk] = min(known) if known else None
        return placed[pk]

    for pk in rows:
        visit(pk, set())
    return placed


def _cycle_members(rows: dict, done: set) -> set:
    members: set = set()
    walked: set = set()
    for start in rows:
        if start in done or start in walked:
            continue
        path, seen, pk = [], {}, start
        while pk not in walked and pk not in seen:
            seen[pk] = len(path)
            path.append(pk)
            pk = rows[pk]["previous_id"]
        if pk in seen:
            members.update(path[seen[pk] :])
        walked.update(path)
    return members


def ordered(postings) -> tuple[list[int], dict]:
    """(ids in career order, each id's placement day or None)."""
    rows = {p["id"]: p for p in postings}
    linked = {pk for pk, r in rows.items() if r["previous_id"] in rows and r["previous_id"] != pk}
    followers: dict = {pk: [] for pk in rows}
    for pk in rows:  # in the rows' order: a cycle is walked the same way every time
        if pk in linked:
            followers[rows[pk]["previous_id"]].append(pk)
    placement = _placements(rows, followers)

    def entry(pk):
        return (placement[pk] or LAST, pk)

    ready = [entry(pk) for pk in rows if pk not in linked]
    heapq.heapify(ready)
    out, done = [], set()
    while len(out) < len(rows):
        if not ready:
            heapq.heappush(ready, min(entry(pk) for pk in _cycle_members(rows, done)))
        _, pk = heapq.heappop(ready)
        if pk in done:
            continue
        done.add(pk)
        out.append(pk)
        for follower in followers[pk]:
            if follower not in done:
                heapq.heappush(ready, entry(follower))
    return out, placement


def last_placed(postings) -> int | None:
    """The last posting in career order that a date places; else the last one."""
    order, placement = ordered(postings)
    dated = [pk for pk in order if placement[pk] is not None]
    return (dated or order or [None])[-1]

"""A person's postings in career order: the order the sources give, then the dates.

Sources rarely date every post. The Asim Arun story dates his joining the
police (1994) and his Kanpur posting (2021-03), says that the ATS and UP 112
posts ended by 2021 and that UP 112 came just before Kanpur, and lists nine
district postings with no date at all. Sorting on the start date alone puts
the undated ATS and UP 112 posts after Kanpur; career order does not.

The rules, in order of strength:

1. **Links**: a posting whose ``previous`` is another of the person's postings
   comes after it. A source said so; dates never override it.
2. **Dates**: among postings whose predecessors are placed, the one that can
   have started first comes next. A posting is placed by the earliest day it
   can have started; without a start, by the earliest day it can have ended
   (it started before that); without any date, by the earliest date of the
   postings it is known to precede (it came before them).
3. **Undated** postings that no link places come last, in the order they were
   recorded (by id), which is the order their source lists them.

A cycle of ``previous`` links (which a source's error could produce) is broken
at its posting that can have started first; nothing is dropped.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.db.models.signals import post_delete, post_save

from records.fuzzydates import parse_fuzzy_date
from records.models import Posting

# The bounds read, in the order they stand in for a posting's place in time.
PLACEMENT_BOUNDS = ("start_earliest", "start_latest", "end_earliest", "end_latest")
# The ``.values()`` names career_order reads.
CAREER_FIELDS = ("id", "previous_id", *PLACEMENT_BOUNDS)

_UNDATED = date.max


def own_placement(posting: Mapping) -> date | None:
    """The day a posting is placed at by its own dates, or None when it has none."""
    for bound in PLACEMENT_BOUNDS:
        if posting[bound] is not None:
            return posting[bound]
    return None


def career_order(postings: Iterable[Mapping]) -> list[int]:
    """The ids of one person's postings (``.values()`` rows or dicts with
    CAREER_FIELDS) in career order; every id exactly once."""
    return _career(postings)[0]


def latest_placed(postings: Iterable[Mapping]) -> int | None:
    """The id of the last posting in career order that a date places (its own
    or that of a posting it precedes): the current or latest post as far as the
    sources tell. Without any date, the last in career order; None for none."""
    order, placement = _career(postings)
    placed = [pk for pk in order if placement[pk] is not None]
    return (placed or order or [None])[-1]


def _career(postings: Iterable[Mapping]) -> tuple[list[int], dict[int, date | None]]:
    rows = {p["id"]: p for p in postings}
    followers: dict[int, list[int]] = {pk: [] for pk in rows}
    for pk, row in rows.items():
        previous = row["previous_id"]
        if previous in rows and previous != pk:
            followers[previous].append(pk)
    placement = _placements(rows, followers)

    def entry(pk: int) -> tuple:
        return (placement[pk] or _UNDATED, pk)

    waiting = {pk for pk, row in rows.items() if row["previous_id"] in rows and row["previous_id"] != pk}
    ready = [entry(pk) for pk in rows if pk not in waiting]
    heapq.heapify(ready)
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(rows):
        if not ready:  # only cycles (and what hangs off them) are left
            heapq.heappush(ready, min(entry(pk) for pk in _on_cycles(rows, placed)))
        _, pk = heapq.heappop(ready)
        if pk in placed:
            continue
        placed.add(pk)
        order.append(pk)
        for follower in followers[pk]:
            if follower not in placed:
                heapq.heappush(ready, entry(follower))
    return order, placement


def _on_cycles(rows: dict[int, Mapping], placed: set[int]) -> set[int]:
    """The unplaced postings on a cycle of ``previous`` links: a cycle is broken
    at one of them (where it can have started first), never at a posting that
    merely follows one."""
    on_cycles: set[int] = set()
    done: set[int] = set()
    for start in rows:
        if start in placed or start in done:
            continue
        path: list[int] = []
        where: dict[int, int] = {}
        current = start
        # Every unplaced posting waits for an unplaced previous one, so the walk
        # ends on a cycle (new) or on a posting already walked.
        while current not in done and current not in where:
            where[current] = len(path)
            path.append(current)
            current = rows[current]["previous_id"]
        if current in where:
            on_cycles.update(path[where[current] :])
        done.update(path)
    return on_cycles


def _placements(rows: dict[int, Mapping], followers: dict[int, list[int]]) -> dict[int, date | None]:
    """Each posting's day: its own, or earlier if a posting it precedes is
    placed earlier (it came before that one)."""
    placement: dict[int, date | None] = {}
    for root in rows:
        if root in placement:
            continue
        # Iterative depth-first walk along the followers, so a long chain
        # cannot exhaust the stack; a posting on the current path (a cycle)
        # counts with its own date only.
        stack = [(root, iter(followers[root]))]
        on_path = {root}
        while stack:
            pk, pending = stack[-1]
            follower = next(pending, None)
            if follower is None:
                stack.pop()
                on_path.discard(pk)
                days = [own_placement(rows[pk])]
                days += [placement.get(f) for f in followers[pk] if f not in on_path]
                known = [day for day in days if day is not None]
                placement[pk] = min(known) if known else None
            elif follower not in placement and follower not in on_path:
                stack.append((follower, iter(followers[follower])))
                on_path.add(follower)
    return placement


def assign_career_positions(postings: Iterable) -> None:
    """Set ``career_position`` on unsaved or in-memory Posting instances (the
    seed builder's, the corpus generator's), person by person."""
    by_person: dict[int, list] = defaultdict(list)
    for posting in postings:
        by_person[posting.person_id].append(posting)
    for rows in by_person.values():
        instances = {p.pk: p for p in rows}
        order = career_order(_bounds_row(p) for p in rows)
        for position, pk in enumerate(order):
            instances[pk].career_position = position


def _bounds_row(posting) -> dict:
    """The CAREER_FIELDS of an instance, its bounds parsed from its dates (an
    unsaved instance's bound columns are filled only when it is written)."""
    start, end = parse_fuzzy_date(posting.start), parse_fuzzy_date(posting.end)
    return {
        "id": posting.pk,
        "previous_id": posting.previous_id,
        "start_earliest": start.earliest,
        "start_latest": start.latest,
        "end_earliest": end.earliest,
        "end_latest": end.latest,
    }


def renumber_careers(person_ids: Iterable[int], batch: int = 500) -> int:
    """Recompute the stored career positions of these people's postings;
    returns how many postings changed place."""
    person_ids = sorted({pk for pk in person_ids if pk is not None})
    changed = 0
    for start in range(0, len(person_ids), batch):
        chunk = person_ids[start : start + batch]
        rows: dict[int, list] = defaultdict(list)
        fields = ("person_id", "career_position", *CAREER_FIELDS)
        for row in Posting.objects.filter(person_id__in=chunk).order_by().values(*fields):
            rows[row["person_id"]].append(row)
        stale = []
        for postings in rows.values():
            current = {p["id"]: p["career_position"] for p in postings}
            for position, pk in enumerate(career_order(postings)):
                if current[pk] != position:
                    stale.append(Posting(pk=pk, career_position=position))
        # A plain UPDATE: a derived column, not an edit (no history, no updated_at).
        Posting.objects.bulk_update(stale, ["career_position"], batch_size=500)
        changed += len(stale)
    return changed


def _renumber_after_save(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures and imports carry their positions
        return
    renumber_careers({instance.person_id, getattr(instance, "loaded_person_id", None)})


def _renumber_after_delete(sender, instance, **kwargs):
    renumber_careers({instance.person_id})


def connect_career_positions() -> None:
    """Keep career positions right whenever a posting is saved or deleted
    through the ORM (the admin, the write API, merges)."""
    post_save.connect(_renumber_after_save, sender=Posting, dispatch_uid="records.careers.save")
    post_delete.connect(_renumber_after_delete, sender=Posting, dispatch_uid="records.careers.delete")

"""Result rows grouped by constituency and checked for consistency before any write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from records.importers.rows import ResultRow, RowError
from records.models import Election


@dataclass
class ContestRows:
    number: int
    rows: list[ResultRow]

    @property
    def first(self) -> ResultRow:
        return self.rows[0]

    @property
    def candidates(self) -> list[ResultRow]:
        return [r for r in self.rows if not r.is_nota]


def group_and_check(rows: Iterable[ResultRow], election: Election) -> list[ContestRows]:
    """Rows by constituency, checked for consistency before any write."""
    years = {d.year for d in (election.start_earliest, election.end_latest) if d}
    groups: dict[int, ContestRows] = {}
    for row in rows:
        if years and not min(years) <= row.year <= max(years):
            raise RowError(row.locator, f"year {row.year} is not the year of {election.name}")
        group = groups.setdefault(row.constituency_number, ContestRows(row.constituency_number, []))
        first = group.rows[0] if group.rows else row
        for column in ("constituency_name", "reservation", "district", "total_votes", "electors"):
            if getattr(row, column) != getattr(first, column):
                raise RowError(row.locator, f"{column} differs from {first.locator} for the same constituency")
        if row.is_nota and any(r.is_nota for r in group.rows):
            raise RowError(row.locator, "a second NOTA row for this constituency")
        group.rows.append(row)
    if not groups:
        raise RowError("file", "no rows to import")
    for group in groups.values():
        _check_outcome(group)
    return list(groups.values())


def _check_outcome(group: ContestRows) -> None:
    candidates = group.candidates
    if not candidates:
        raise RowError(group.first.locator, "a constituency without candidates")
    stated = [r for r in candidates if r.won]
    if len(stated) > 1:
        raise RowError(stated[1].locator, f"a second winner in constituency {group.number}")
    votes = sorted((r.votes for r in candidates), reverse=True)
    if stated and stated[0].votes != votes[0]:
        raise RowError(stated[0].locator, "marked as winner without the most votes")
    if not stated and len(votes) > 1 and votes[0] == votes[1]:
        raise RowError(group.first.locator, f"a tie for first place in constituency {group.number}; give 'won'")
    top = max(candidates, key=lambda r: r.votes)
    if not stated and top.won is False:
        raise RowError(top.locator, f"the most votes in constituency {group.number}, but won is false; mark the winner")
    winner_margin = votes[0] - votes[1] if len(votes) > 1 else None
    for row in candidates:
        if row.margin is not None and row.won and row.margin != winner_margin:
            raise RowError(row.locator, f"margin {row.margin} disagrees with the votes ({winner_margin})")
    total = sum(r.votes for r in group.rows)
    if group.first.total_votes is not None and group.first.total_votes < total:
        raise RowError(group.first.locator, f"total_votes {group.first.total_votes} is below the votes ({total})")
    counted = group.first.total_votes if group.first.total_votes is not None else total
    if group.first.electors is not None and group.first.electors < counted:
        raise RowError(group.first.locator, f"electors {group.first.electors} is below the votes ({counted})")


def ranks(rows: list[ResultRow]) -> dict[str, int]:
    """Competition ranking by votes: 1, 2, 2, 4."""
    ordered = sorted(rows, key=lambda r: -r.votes)
    ranks, previous, rank = {}, None, 0
    for position, row in enumerate(ordered, start=1):
        if row.votes != previous:
            rank, previous = position, row.votes
        ranks[row.locator] = rank
    return ranks

"""Fuzzy dates as sources give them: a day, a month, a season, a year, a span,
"on or before", "since"; each written as EDTF and as the words of a sentence.

Every value written for a true day contains that day, so the database's
bound constraints hold whatever precision is drawn."""

from __future__ import annotations

import random
from datetime import date, timedelta

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_SEASONS = {3: ("spring", 21), 4: ("spring", 21), 5: ("spring", 21), 6: ("summer", 22), 7: ("summer", 22)}
_SEASONS |= {8: ("summer", 22), 9: ("autumn", 23), 10: ("autumn", 23), 11: ("autumn", 23)}

# How often each precision occurs: most sources give a month or a year.
PRECISIONS = [("day", 30), ("month", 30), ("year", 20), ("season", 5), ("span", 7), ("before", 4), ("after", 4)]
_KINDS = [kind for kind, weight in PRECISIONS for _ in range(weight)]


def fuzzy(rng: random.Random, day: date, kind: str | None = None) -> tuple[str, str]:
    """(EDTF value, words) of a fuzzy date that contains ``day``."""
    kind = kind or rng.choice(_KINDS)
    if kind == "season" and day.month in _SEASONS:
        name, code = _SEASONS[day.month]
        return f"{day.year}-{code}", f"in the {name} of {day.year}"
    if kind == "span":
        return f"{day.year}/{day.year + 1}", f"in {day.year} or {day.year + 1}"
    if kind == "before":
        later = day + timedelta(days=rng.randint(0, 60))
        return f"../{later.isoformat()}", f"on or before {_words(later)}"
    if kind == "after":
        earlier = day - timedelta(days=rng.randint(0, 60))
        return f"{earlier.isoformat()}/..", f"on or after {_words(earlier)}"
    if kind == "day":
        return day.isoformat(), f"on {_words(day)}"
    if kind == "year":
        return str(day.year), f"in {day.year}"
    return f"{day.year}-{day.month:02d}", f"in {MONTHS[day.month - 1]} {day.year}"


def _words(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))

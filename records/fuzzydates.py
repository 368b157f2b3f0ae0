"""Fuzzy dates: ISO 8601 / EDTF strings of any precision, with computed bounds.

A fuzzy date names one day that is not known exactly. Its value is kept as
written ("2021-03", "2011/2012", "199X") and two bounds are derived from it:
the earliest and the latest day it can be. ``None`` as a bound means "no
limit on that side" (an open or unknown end).

Supported forms (a subset of EDTF levels 0 and 1):

- ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``: a year, a month or a day;
- unspecified digits: ``199X``, ``19XX``, ``2021-XX``, ``2021-03-XX``;
- seasons: ``2021-21`` (spring) to ``2021-24`` (winter), northern hemisphere;
- qualifiers ``?`` (uncertain), ``~`` (approximate), ``%`` (both) after a
  date: kept in the value, not widening the bounds;
- intervals ``A/B`` (some day from the start of A to the end of B), with
  ``..`` for an open end and an empty side for an unknown end: ``../2022``,
  ``2021-03/..``, ``/2022``;
- the empty string: nothing is known (both bounds ``None``).

Anything else is rejected with a ``FuzzyDateError`` that names the value.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = ["FuzzyDate", "FuzzyDateError", "parse_fuzzy_date"]

MIN_YEAR = 1
MAX_YEAR = 9999

# Season code -> (first month, last month); winter runs into the next year.
_SEASONS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 14)}

_SINGLE = re.compile(
    r"""^(?P<year>[0-9X]{4})
        (?:-(?P<month>[0-9X]{2})
           (?:-(?P<day>[0-9X]{2}))?
        )?
        (?P<qualifier>[?~%])?$""",
    re.VERBOSE,
)


class FuzzyDateError(ValueError):
    """A value that is not a supported fuzzy date; the message names it."""


@dataclass(frozen=True)
class FuzzyDate:
    value: str
    earliest: date | None
    latest: date | None
    precision: str  # "unknown", "day", "month", "season", "year", "decade", ...

    @property
    def is_known(self) -> bool:
        return self.earliest is not None or self.latest is not None


def parse_fuzzy_date(raw: str | None) -> FuzzyDate:
    """Parse an EDTF-style string into a ``FuzzyDate`` or raise ``FuzzyDateError``."""
    value = "" if raw is None else str(raw).strip()
    if value == "":
        return FuzzyDate("", None, None, "unknown")
    if "/" in value:
        return _parse_interval(value)
    earliest, latest, precision = _parse_single(value, whole=value)
    return FuzzyDate(value, earliest, latest, precision)


def _parse_interval(value: str) -> FuzzyDate:
    parts = value.split("/")
    if len(parts) != 2:
        raise FuzzyDateError(f"{value!r} is not a fuzzy date: an interval has exactly one '/'")
    start_raw, end_raw = parts
    if start_raw in ("", "..") and end_raw in ("", ".."):
        raise FuzzyDateError(f"{value!r} is not a fuzzy date: an interval needs at least one known end")
    earliest = None
    latest = None
    if start_raw not in ("", ".."):
        earliest, _, _ = _parse_single(start_raw, whole=value)
    if end_raw not in ("", ".."):
        _, latest, _ = _parse_single(end_raw, whole=value)
    if earliest is not None and latest is not None and latest < earliest:
        raise FuzzyDateError(f"{value!r} is not a fuzzy date: the interval ends before it starts")
    return FuzzyDate(value, earliest, latest, "interval")


def _parse_single(text: str, *, whole: str) -> tuple[date, date, str]:
    match = _SINGLE.match(text)
    if not match:
        raise FuzzyDateError(
            f"{whole!r} is not a fuzzy date: expected YYYY, YYYY-MM, YYYY-MM-DD "
            "(X for unknown digits, ?/~/% qualifiers) or an interval A/B"
        )
    year_s, month_s, day_s = match["year"], match["month"], match["day"]

    year_lo, year_hi, year_precision = _digits_range(year_s, whole=whole, what="year")
    if year_hi < MIN_YEAR or year_hi > MAX_YEAR:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: year out of range")
    if month_s is None:
        return date(year_lo, 1, 1), date(year_hi, 12, 31), year_precision
    if "X" in year_s:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: a month needs a known year")

    year = year_lo
    if "X" not in month_s and 21 <= int(month_s) <= 24:
        if day_s is not None:
            raise FuzzyDateError(f"{whole!r} is not a fuzzy date: a season has no day")
        first, last = _SEASONS[int(month_s)]
        end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
        if end_year > MAX_YEAR:
            raise FuzzyDateError(f"{whole!r} is not a fuzzy date: year out of range")
        end_day = calendar.monthrange(end_year, end_month)[1]
        return date(year, first, 1), date(end_year, end_month, end_day), "season"

    if month_s == "XX":
        if day_s is not None and day_s != "XX":
            raise FuzzyDateError(f"{whole!r} is not a fuzzy date: a day needs a known month")
        return date(year, 1, 1), date(year, 12, 31), "year"
    if "X" in month_s:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: month must be two digits or XX")
    month = int(month_s)
    if not 1 <= month <= 12:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: month {month_s} does not exist")
    month_end = calendar.monthrange(year, month)[1]
    if day_s is None or day_s == "XX":
        return date(year, month, 1), date(year, month, month_end), "month"
    if "X" in day_s:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: day must be two digits or XX")
    day = int(day_s)
    if not 1 <= day <= month_end:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: {year:04d}-{month:02d} has no day {day_s}")
    exact = date(year, month, day)
    return exact, exact, "day"


def _digits_range(digits: str, *, whole: str, what: str) -> tuple[int, int, str]:
    """'199X' -> (1990, 1999, 'decade'); X only allowed as trailing digits."""
    known = digits.rstrip("X")
    if "X" in known:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: unknown {what} digits must come last")
    unknown = len(digits) - len(known)
    if unknown > 2:
        raise FuzzyDateError(f"{whole!r} is not a fuzzy date: at most two unknown {what} digits")
    scale = 10**unknown
    low = int(known or "0") * scale
    precision = {0: "year", 1: "decade", 2: "century"}[unknown]
    return max(low, MIN_YEAR), low + scale - 1, precision

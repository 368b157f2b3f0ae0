"""Resolve the relative date expressions of news text against a publication date.

Each rule below is what a reader of a dated article would understand; the
result is an EDTF string for ``records.fuzzydates``.

=====================================  ==========================================
expression                             resolves to (article dated Mon 2022-01-10)
=====================================  ==========================================
today, tonight, this morning           the day itself: 2022-01-10
yesterday, last night                  the day before: 2022-01-09
on Saturday, Saturday                  the latest Saturday on or before: 2022-01-08
last Saturday                          the latest Saturday strictly before
next Saturday                          the first Saturday strictly after
this year / last year / next year      2022 / 2021 / 2023
this month / last month / next month   2022-01 / 2021-12 / 2022-02
N years ago                            the year N before: 2017 for "5 years ago"
February 10, 10 February               the nearest such day, if within 120 days
                                       (else the year must be given): 2022-02-10
March 2021, 2021 (absolute)            2021-03, 2021
aged 51, (51), 51 years old            born in the year up to that day:
                                       1970-01-11/1971-01-10
=====================================  ==========================================
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["MONTH_NAMES", "NUMBER_WORDS", "WEEKDAYS", "RelativeDateError", "resolve_relative_date"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ALT = "|".join(_MONTHS + [m[:3] for m in _MONTHS] + ["sept"])
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


# The words the resolver knows, for code that finds such expressions in a text
# (records/suggestions/dates.py) and hands them to ``resolve_relative_date``.
WEEKDAYS = tuple(_WEEKDAYS)
MONTH_NAMES = tuple(_MONTHS + [m[:3] for m in _MONTHS] + ["sept"])
NUMBER_WORDS = dict(_NUMBER_WORDS)


class RelativeDateError(ValueError):
    """An expression this module cannot resolve; the message names it."""


def _month_number(name: str) -> int:
    name = name.lower()
    if name == "sept":
        return 9
    for index, month in enumerate(_MONTHS, start=1):
        if month == name or month[:3] == name:
            return index
    raise RelativeDateError(f"unknown month {name!r}")


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def _safe_date(year: int, month: int, day: int, expression: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise RelativeDateError(f"{expression!r} names a day that does not exist") from None


def _birth_interval(age: int, on: date, expression: str) -> str:
    """Someone aged ``age`` on ``on`` was born after ``on`` minus age+1 years."""
    if not 0 <= age <= 130:
        raise RelativeDateError(f"{expression!r}: an age of {age} is not plausible")

    def years_before(years: int) -> date:
        try:
            return on.replace(year=on.year - years)
        except ValueError:  # 29 February
            return on.replace(year=on.year - years, day=28)

    latest = years_before(age)
    earliest = years_before(age + 1) + timedelta(days=1)
    return f"{earliest.isoformat()}/{latest.isoformat()}"


def resolve_relative_date(expression: str, published_on: date) -> str:
    """Resolve ``expression`` against ``published_on``; return an EDTF string."""
    text = " ".join(str(expression).strip().lower().split())
    text = re.sub(r"^(on|in|from|since|by) ", "", text)
    text = text.rstrip(".,")

    if text in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return published_on.isoformat()
    if text in ("yesterday", "last night", "yesterday night", "last evening"):
        return (published_on - timedelta(days=1)).isoformat()
    if text == "tomorrow":
        return (published_on + timedelta(days=1)).isoformat()

    match = re.fullmatch(r"(last |next |this )?(" + "|".join(_WEEKDAYS) + r")", text)
    if match:
        which, weekday = match.group(1), _WEEKDAYS.index(match.group(2))
        back = (published_on.weekday() - weekday) % 7
        if which == "next ":
            ahead = (weekday - published_on.weekday()) % 7 or 7
            return (published_on + timedelta(days=ahead)).isoformat()
        if which == "last " and back == 0:
            back = 7
        return (published_on - timedelta(days=back)).isoformat()

    match = re.fullmatch(r"(this|last|next) (year|month)", text)
    if match:
        delta = {"this": 0, "last": -1, "next": 1}[match.group(1)]
        if match.group(2) == "year":
            return f"{published_on.year + delta:04d}"
        year, month = _shift_months(published_on.year, published_on.month, delta)
        return f"{year:04d}-{month:02d}"

    match = re.fullmatch(r"(\d+|" + "|".join(_NUMBER_WORDS) + r") years? ago", text)
    if match:
        raw = match.group(1)
        years = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        return f"{published_on.year - years:04d}"

    match = re.fullmatch(r"\(?(?:aged |age )?(\d{1,3})\)?(?: years old| years of age)?", text)
    if match and (text.startswith(("(", "age")) or "old" in text or "of age" in text):
        return _birth_interval(int(match.group(1)), published_on, expression)

    match = re.fullmatch(rf"({_MONTH_ALT})\.? (\d{{1,2}})(?:st|nd|rd|th)?", text) or re.fullmatch(
        rf"(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH_ALT})\.?", text
    )
    if match:
        first, second = match.groups()
        month_name, day = (first, second) if not first.isdigit() else (second, first)
        month, day = _month_number(month_name), int(day)
        candidates = []
        for year in (published_on.year - 1, published_on.year, published_on.year + 1):
            try:
                candidates.append(date(year, month, day))
            except ValueError:
                continue
        if not candidates:
            raise RelativeDateError(f"{expression!r} names a day that does not exist")
        nearest = min(candidates, key=lambda d: abs((d - published_on).days))
        if abs((nearest - published_on).days) > 120:
            raise RelativeDateError(
                f"{expression!r} is ambiguous more than 120 days from {published_on}; give the year"
            )
        return nearest.isoformat()

    match = re.fullmatch(rf"({_MONTH_ALT})\.? (\d{{4}})", text)
    if match:
        return f"{int(match.group(2)):04d}-{_month_number(match.group(1)):02d}"
    match = re.fullmatch(rf"(\d{{1,2}}) ({_MONTH_ALT})\.? (\d{{4}})|({_MONTH_ALT})\.? (\d{{1,2}}),? (\d{{4}})", text)
    if match:
        if match.group(1):
            day, month_name, year = match.group(1), match.group(2), match.group(3)
        else:
            month_name, day, year = match.group(4), match.group(5), match.group(6)
        return _safe_date(int(year), _month_number(month_name), int(day), expression).isoformat()
    if re.fullmatch(r"\d{4}", text):
        return text

    raise RelativeDateError(f"{expression!r} is neither a fuzzy date nor a relative date expression this builder knows")

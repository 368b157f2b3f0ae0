"""Dates in a text, absolute or relative, resolved against the publication date.

Finding is this module's; resolving is the seed builder's own resolver
(records/seedbuilder/relative_dates.py), so a suggestion means what the same
words mean in an annotation. Each pattern below is one rule; the longest
match at a place wins ("on Saturday" over "Saturday", "March 2021" over
"2021"). Beyond the resolver: a year range "2011-12" is 2011/2012, and an
ISO date "2022-01-10" is itself.
"""

from __future__ import annotations

import re
from datetime import date

from records.fuzzydates import FuzzyDateError, parse_fuzzy_date
from records.seedbuilder.relative_dates import (
    MONTH_NAMES,
    NUMBER_WORDS,
    WEEKDAYS,
    RelativeDateError,
    resolve_relative_date,
)
from records.suggestions.types import DateValue, Kind, Suggestion

_MONTH = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_NUMBER = "|".join([r"\d{1,2}", *NUMBER_WORDS])
_YEAR = r"(?:1[89]|20)\d\d"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"

# (rule, pattern): each matched case-insensitively, on word boundaries.
RULES: tuple[tuple[str, str], ...] = (
    ("ISO date", rf"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"),
    ("day and month with year", rf"(?:on )?(?:{_DAY} (?:{_MONTH})\.?,? {_YEAR}|(?:{_MONTH})\.? {_DAY},? {_YEAR})"),
    ("month and year", rf"(?:in )?(?:{_MONTH})\.? {_YEAR}"),
    ("day and month", rf"(?:on )?(?:{_DAY} (?:{_MONTH})\b\.?|(?:{_MONTH})\.? {_DAY})"),
    ("weekday", rf"(?:on |last |next |this )?(?:{_WEEKDAY})"),
    ("day", r"today|tonight|tomorrow|yesterday(?: night)?|this (?:morning|afternoon|evening)|last (?:night|evening)"),
    ("year or month", r"(?:this|last|next) (?:year|month)"),
    ("years ago", rf"(?:{_NUMBER}) years? ago"),
    ("age", r"(?:aged? \d{1,3}|\d{1,3} years old)"),
    ("year range", rf"{_YEAR}-\d\d(?!\d)"),
    ("year", _YEAR),
)  # fmt: skip
_FINDERS = tuple((rule, re.compile(rf"(?<![\w-]){pattern}(?![\w])", re.IGNORECASE)) for rule, pattern in RULES)
# "Asim Arun (51)": a number in brackets right after a name is an age.
_AGE_IN_BRACKETS = re.compile(r"(?<=[^\W\d_]) (\(\d{1,3}\))")


def date_mentions(text: str, published_on: date | None) -> list[Suggestion]:
    found: list[tuple[int, int, str]] = []
    for rule, finder in _FINDERS:
        found += [(m.start(), m.end(), rule) for m in finder.finditer(text)]
    found += [(m.start(1), m.end(1), "age") for m in _AGE_IN_BRACKETS.finditer(text)]
    chosen: list[Suggestion] = []
    taken: list[tuple[int, int]] = []
    for start, end, rule in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if any(start < b and a < end for a, b in taken):
            continue
        surface = text[start:end]
        value, note = _resolve(surface, rule, published_on)
        if value is None and rule in ("ISO date", "year", "year range"):
            continue
        taken.append((start, end))
        chosen.append(
            Suggestion(
                kind=Kind.DATE,
                start=start,
                end=end,
                surface=surface,
                rule=rule,
                date=value,
                notes=(note,) if note else (),
            )
        )
    return sorted(chosen, key=lambda s: s.start)


def _resolve(surface: str, rule: str, published_on: date | None) -> tuple[DateValue | None, str]:
    words = " ".join(surface.split())
    if rule == "ISO date":
        value = words
    elif rule == "year range":
        first, last = words.split("-")
        century = first[:2]
        end = int(century + last)
        if end <= int(first):
            return None, ""
        value = f"{first}/{end}"
    elif published_on is None and rule not in ("year", "month and year", "day and month with year"):
        return DateValue("", None, None), "relative to the publication date, which is not given"
    else:
        try:
            # Absolute expressions do not depend on the day given here.
            value = resolve_relative_date(words, published_on or date.today())
        except RelativeDateError as exc:
            return DateValue("", None, None), str(exc)
    try:
        parsed = parse_fuzzy_date(value)
    except FuzzyDateError as exc:
        if rule == "ISO date":
            return None, ""  # "2022-02-30" is no day: not suggested
        return DateValue("", None, None), str(exc)
    return DateValue(value, parsed.earliest, parsed.latest), ""

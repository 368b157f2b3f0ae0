"""Fuzzy dates as Popolo dates.

Popolo dates are reduced-precision ISO 8601: a year, a month or a day
(``^[0-9]{4}(-[0-9]{2}){0,2}$``). A fuzzy date maps to the most precise of
those that contains every day it may denote, i.e. both of its bounds: "2021",
"2021-03" and "2021-03-15" map to themselves, a season or an interval within
one month or year to that month or year ("2021-21", spring, is "2021"), and a
value whose bounds fall in different years ("1970-01-11/1971-01-10", "199X",
winter "2021-24") or that is open on a side ("../2021", "2022-01-10/..") has
no honest Popolo date and is omitted. Popolo cannot say "uncertain" or
"approximate": "2021?" maps by its bounds, as the API's filters read it.

Whenever the stored value is not itself the Popolo date, it is kept in an
extension field next to it (``birth_date_edtf``, ``start_date_edtf``...), so
nothing of what the sources said is lost.
"""

from __future__ import annotations

from datetime import date

from records.fuzzydates import parse_fuzzy_date


def popolo_date(value: str) -> str | None:
    """The Popolo date of a stored fuzzy date, or None when none is honest."""
    parsed = parse_fuzzy_date(value)
    return covering(parsed.earliest, parsed.latest)


def covering(earliest: date | None, latest: date | None) -> str | None:
    """The narrowest day, month or year that holds both days; None if none does."""
    if earliest is None or latest is None:
        return None
    if earliest == latest:
        return earliest.isoformat()
    if earliest.year != latest.year:
        return None
    if earliest.month == latest.month:
        return f"{earliest.year:04d}-{earliest.month:02d}"
    return f"{earliest.year:04d}"


def date_fields(name: str, value: str) -> dict[str, str]:
    """``{name}_date`` where a Popolo date is honest, and ``{name}_date_edtf``
    with the stored value whenever it says something the Popolo date does not."""
    if not value:
        return {}
    out = {}
    mapped = popolo_date(value)
    if mapped is not None:
        out[f"{name}_date"] = mapped
    if mapped != value:
        out[f"{name}_date_edtf"] = value
    return out

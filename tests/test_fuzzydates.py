"""Fuzzy dates: every supported form gives the right bounds; anything else is
rejected with a message that names the value."""

from datetime import date

import pytest

from records.fuzzydates import FuzzyDateError, parse_fuzzy_date

VALID = [
    # value, earliest, latest, precision
    ("2021", date(2021, 1, 1), date(2021, 12, 31), "year"),
    ("2021-03", date(2021, 3, 1), date(2021, 3, 31), "month"),
    ("2021-02", date(2021, 2, 1), date(2021, 2, 28), "month"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
    ("2021-03-15", date(2021, 3, 15), date(2021, 3, 15), "day"),
    ("2024-02-29", date(2024, 2, 29), date(2024, 2, 29), "day"),
    ("199X", date(1990, 1, 1), date(1999, 12, 31), "decade"),
    ("19XX", date(1900, 1, 1), date(1999, 12, 31), "century"),
    ("2021-XX", date(2021, 1, 1), date(2021, 12, 31), "year"),
    ("2021-03-XX", date(2021, 3, 1), date(2021, 3, 31), "month"),
    ("2021-21", date(2021, 3, 1), date(2021, 5, 31), "season"),
    ("2021-24", date(2021, 12, 1), date(2022, 2, 28), "season"),
    ("2021?", date(2021, 1, 1), date(2021, 12, 31), "year"),
    ("2021-03~", date(2021, 3, 1), date(2021, 3, 31), "month"),
    ("2021-03-15%", date(2021, 3, 15), date(2021, 3, 15), "day"),
    ("2011/2012", date(2011, 1, 1), date(2012, 12, 31), "interval"),
    ("2021-03/2021-05-10", date(2021, 3, 1), date(2021, 5, 10), "interval"),
    ("../2022-01-10", None, date(2022, 1, 10), "interval"),
    ("2022-01-08/..", date(2022, 1, 8), None, "interval"),
    ("/2022", None, date(2022, 12, 31), "interval"),
    ("2021-03/", date(2021, 3, 1), None, "interval"),
    ("", None, None, "unknown"),
    ("  2021  ", date(2021, 1, 1), date(2021, 12, 31), "year"),
]


@pytest.mark.parametrize(("value", "earliest", "latest", "precision"), VALID)
def test_it_computes_bounds(value, earliest, latest, precision):
    parsed = parse_fuzzy_date(value)
    assert (parsed.earliest, parsed.latest, parsed.precision) == (earliest, latest, precision)
    assert parsed.value == value.strip()


INVALID = [
    "2021-13",
    "2021-00",
    "2021-02-30",
    "2021-04-31",
    "2023-02-29",
    "21",
    "March 2021",
    "2021-3",
    "2021/03/01",
    "2012/2011",
    "../..",
    "/",
    "0000",
    "1X9X",
    "XXXX",
    "2021-1X",
    "2021-21-01",
    "2021-03-15T10:00",
    "2021-03-15 ",
    "\x00",
]


@pytest.mark.parametrize("value", INVALID)
def test_it_rejects_and_names_the_value(value):
    with pytest.raises(FuzzyDateError) as excinfo:
        parse_fuzzy_date(value if value != "2021-03-15 " else "2021-03-15 x")
    shown = value if value != "2021-03-15 " else "2021-03-15 x"
    assert repr(shown.strip()) in str(excinfo.value)

"""Relative date words in news resolve against the publication date."""

from datetime import date

import pytest

from records.seedbuilder.relative_dates import RelativeDateError, resolve_relative_date

MONDAY = date(2022, 1, 10)
SATURDAY = date(2022, 1, 8)

CASES = [
    ("today", MONDAY, "2022-01-10"),
    ("last night", MONDAY, "2022-01-09"),
    ("Last night", MONDAY, "2022-01-09"),
    ("yesterday", MONDAY, "2022-01-09"),
    ("on Saturday", MONDAY, "2022-01-08"),
    ("Saturday", MONDAY, "2022-01-08"),
    ("on Monday", MONDAY, "2022-01-10"),
    ("last Monday", MONDAY, "2022-01-03"),
    ("next Monday", MONDAY, "2022-01-17"),
    ("on Saturday", SATURDAY, "2022-01-08"),
    ("last year", MONDAY, "2021"),
    ("this year", MONDAY, "2022"),
    ("next year", MONDAY, "2023"),
    ("last month", MONDAY, "2021-12"),
    ("next month", date(2021, 12, 5), "2022-01"),
    ("five years ago", MONDAY, "2017"),
    ("5 years ago", MONDAY, "2017"),
    ("February 10", MONDAY, "2022-02-10"),
    ("on March 10", MONDAY, "2022-03-10"),
    ("10 February", MONDAY, "2022-02-10"),
    ("December 20", MONDAY, "2021-12-20"),
    ("March 2021", MONDAY, "2021-03"),
    ("in March 2021", MONDAY, "2021-03"),
    ("March 10, 2021", MONDAY, "2021-03-10"),
    ("(51)", MONDAY, "1970-01-11/1971-01-10"),
    ("aged 51", MONDAY, "1970-01-11/1971-01-10"),
    ("51 years old", date(2024, 2, 29), "1972-03-01/1973-02-28"),
]


@pytest.mark.parametrize(("expression", "published_on", "expected"), CASES)
def test_it_resolves(expression, published_on, expected):
    assert resolve_relative_date(expression, published_on) == expected


@pytest.mark.parametrize("expression", ["soon", "recently", "51", "February 30", "July 10", "the other day", ""])
def test_it_rejects_what_it_cannot_resolve(expression):
    with pytest.raises(RelativeDateError) as excinfo:
        resolve_relative_date(expression, MONDAY)
    assert repr(expression) in str(excinfo.value)

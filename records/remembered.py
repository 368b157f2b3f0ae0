"""What a worker remembers while the tables it was read from are unchanged:
list totals and the small counts that choose a page's plan.

A client that pages with ``count=true`` asks the same total on every page (the
links keep the parameter), and counting a large filtered list is the slowest
part of such a page: 200 ms for a million postings on PostgreSQL, 70 ms on
SQLite. Before answering, a list reads the data versions of every table its
answer is read from (records/dataversions.py), for its ETag. A value is kept
under its key (a total: the list's SQL and parameters) and the versions of the
tables it was read from, so that any write to one of them makes a new key: the
reasoning by which an unchanged data tag already answers 304
(records/api/conditional.py). Same question, same versions, same answer.

Each worker keeps the ``KEPT`` values used last. Without versions (a table
with no trigger), nothing is kept. A list's page plans (its filtered queryset
and the SQL its pages compile to, records/api/keyset.py) are kept the
same way, apart: ``settings.KEPT_PLANS`` of them (``DJANGO_KEPT_PLANS``,
1,024 by default, about 70 KB each). Keep more than the questions a worker
is asked in turn (the benchmark's 453 scenarios are about 400): too few, and
each request makes a plan the LRU then drops, slower than keeping none
(SQLite's small pages with 256: +1 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet

from records.dataversions import Version
from records.kept_last import KeptLast

KEPT = 256

Value = TypeVar("Value")

_kept: KeptLast = KeptLast()
_plans: KeptLast = KeptLast()


def remembered(
    key: Hashable,
    versions: dict[str, Version] | None,
    compute: Callable[[], Value],
    reads: Iterable[str] = (),
    *,
    _store: KeptLast = _kept,
    _keep: int | None = None,
) -> Value:
    """``compute()``, or what it gave last for ``key`` while the tables it
    ``reads`` (default: every table of ``versions``) had the same versions."""
    if versions is None:
        return compute()
    tables = sorted(reads or versions)
    if any(table not in versions for table in tables):
        return compute()  # a table with no version: nothing would tell its changes
    full_key = (key, tuple((t, versions[t].number, versions[t].changed_at) for t in tables))
    return _store.get(full_key, compute, keep=KEPT if _keep is None else _keep)


def plan(key: Hashable, versions: dict[str, Version] | None, make: Callable[[], Value]) -> Value:
    """A list's page plan for ``key`` (its question), made by ``make`` unless
    one was made while every table of ``versions`` had these versions."""
    return remembered(key, versions, make, _store=_plans, _keep=settings.KEPT_PLANS)


def count(queryset, versions: dict[str, Version] | None) -> int:
    """``queryset.count()``, kept while the list's tables (``versions``) are unchanged."""
    if versions is None:
        return queryset.count()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # nothing can match (an empty list of ids): no query either way
        return queryset.count()
    return remembered(("count", queryset.db, sql, repr(params)), versions, queryset.count)


def forget() -> None:
    """Everything kept (tests that count queries start from here)."""
    _kept.clear()
    _plans.clear()

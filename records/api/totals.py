"""Totals (``count=true``) a worker remembers while the tables they are read
from are unchanged.

A client that pages with ``count=true`` asks the same total on every page (the
links keep the parameter), and counting a large filtered list is the slowest
part of such a page: 200 ms for a million postings on PostgreSQL, 70 ms on
SQLite. Before answering, a list reads the data versions of every table its
answer is read from (records/dataversions.py), for its ETag; a total is kept
under its list's SQL, the SQL's parameters and those versions, so that any
write to one of those tables makes a new key. It is the reasoning by which an
unchanged data tag already answers 304 (records/api/conditional.py): same
question, same versions, same answer.

Each worker keeps the ``KEPT`` totals used last. Without versions (a table
with no trigger), nothing is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from records.dataversions import Version

KEPT = 256

_kept: OrderedDict[tuple, int] = OrderedDict()
_lock = threading.Lock()


def versions_key(found: dict[str, Version] | None) -> tuple | None:
    """What the tables' versions are, as part of a key (None: not known)."""
    if found is None:
        return None
    return tuple((v.table, v.number, v.changed_at) for v in sorted(found.values(), key=lambda v: v.table))


def count(queryset, versions: tuple | None) -> int:
    """``queryset.count()``, or the total counted last with these versions."""
    if versions is None:
        return queryset.count()
    sql, params = queryset.query.sql_with_params()
    key = (queryset.db, sql, repr(params), versions)
    with _lock:
        total = _kept.get(key)
        if total is not None:
            _kept.move_to_end(key)
            return total
    total = queryset.count()
    with _lock:
        _kept[key] = total
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return total


def forget() -> None:
    """Every total (tests that count queries start from here)."""
    with _lock:
        _kept.clear()

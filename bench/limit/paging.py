"""Keyset pages: ``after=`` (or ``before=``) the JSON list of the order's
values of a row; ``page_size`` (default 50); ``count=true`` for a total.

An order is a list of keys ending with ``id``. Rows with a NULL first key come
last in either direction; they are read apart from the rows with a value, so
that both parts follow an index on (key, id) and a deep page starts its scan
at the cursor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

PAGE_SIZE = 50


@dataclass(frozen=True)
class Key:
    column: str
    descending: bool = False
    nullable: bool = False


def keys_for(params, orders: dict[str, str], default: str, nullable: frozenset = frozenset()) -> list[Key]:
    """The keys of ``?ordering=`` (a name of ``orders``, "-" for descending),
    then id in the same direction. Compound orders are "a,b" columns."""
    name = params.get("ordering") or default
    descending = name.startswith("-")
    columns = orders[name.lstrip("-")].split(",")
    keys = [Key(c, descending, c in nullable) for c in columns]
    return keys if columns[-1] == "id" else [*keys, Key("id", descending)]


def sorted_by(queryset, keys: list[Key], backwards: bool):
    terms = []
    for key in keys:
        down = key.descending != backwards
        terms.append(F(key.column).desc() if down else F(key.column).asc())
    return queryset.order_by(*terms)


def _beyond(keys: list[Key], values: list, backwards: bool) -> Q:
    """Rows strictly after ``values`` (before, walking backwards), on keys without NULLs."""
    first, up = keys[0], keys[0].descending == backwards
    seek = Q(**{f"{first.column}__{'gte' if up else 'lte'}": values[0]})  # lets the index start at the cursor
    if connection.vendor == "postgresql" and len(keys) > 1 and len({k.descending for k in keys}) == 1:
        compare = TupleGreaterThan if up else TupleLessThan
        return seek & Q(compare(Tuple(*(F(k.column) for k in keys)), list(values)))
    condition, same = Q(pk__in=[]), Q()
    for key, value in zip(keys, values, strict=True):
        above = key.descending == backwards
        condition |= same & Q(**{f"{key.column}__{'gt' if above else 'lt'}": value})
        same &= Q(**{key.column: value})
    return seek & condition


def rows_after(queryset, keys: list[Key], values: list | None, backwards: bool, limit: int) -> list:
    """Up to ``limit`` rows after the cursor (from the start without one), in order;
    walking backwards, the rows before it, nearest first."""
    first = keys[0]
    if not first.nullable:
        if values is not None:
            queryset = queryset.filter(_beyond(keys, values, backwards))
        return list(sorted_by(queryset, keys, backwards)[:limit])
    valued = queryset.filter(**{f"{first.column}__isnull": False})
    tail = queryset.filter(**{f"{first.column}__isnull": True})
    in_tail = values is not None and values[0] is None
    if values is not None:
        if in_tail:
            tail = tail.filter(_beyond(keys[1:], values[1:], backwards))
        else:
            valued = valued.filter(_beyond(keys, values, backwards))
    # Forward: the values, then the NULL tail; backwards from the tail, the reverse.
    if backwards:
        parts = [(tail, keys[1:]), (valued, keys)] if in_tail else [(valued, keys)]
    else:
        parts = [(tail, keys[1:])] if in_tail else [(valued, keys), (tail, keys[1:])]
    rows: list = []
    for part, part_keys in parts:
        if len(rows) < limit:
            rows += list(sorted_by(part, part_keys, backwards)[: limit - len(rows)])
    return rows


def plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Page:
    rows: list
    next_values: list | None
    previous_values: list | None
    count: int | None


def wants_count(request) -> bool:
    return request.GET.get("count", "").lower() in ("true", "1")


def page(request, queryset, keys: list[Key], fields=None, *, values_of=None) -> Page:
    """One page of ``queryset`` (already filtered) in the order of ``keys``, as
    ``.values(*fields)`` rows (the keys' columns added), or as instances without
    ``fields``. ``values_of(row)`` gives a row's key values (default: ``row[key.column]``)."""
    size = int(request.GET.get("page_size", PAGE_SIZE))
    # Counted before .values() adds its joins to related tables, which a count does not need.
    total = queryset.count() if wants_count(request) else None
    if fields is not None:
        queryset = queryset.values(*dict.fromkeys([*fields, *(k.column for k in keys)]))
    raw_after, raw_before = request.GET.get("after"), request.GET.get("before")
    backwards = raw_before is not None
    cursor = json.loads(raw_before if backwards else raw_after) if (raw_after or raw_before) else None
    rows = rows_after(queryset, keys, cursor, backwards, size + 1)
    more, rows = len(rows) > size, rows[:size]
    if backwards:
        rows.reverse()
    values_of = values_of or (lambda row: [row[key.column] for key in keys])
    has_next = (True if backwards else more) and bool(rows)
    has_previous = (more if backwards else cursor is not None) and bool(rows)
    return Page(
        rows=rows,
        next_values=[plain(v) for v in values_of(rows[-1])] if has_next else None,
        previous_values=[plain(v) for v in values_of(rows[0])] if has_previous else None,
        count=total,
    )

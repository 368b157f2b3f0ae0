"""Querysets compiled to SQL once, then run again with other ids.

A page's helper queries (the citations of its records, their links, their
nested lists) run on every request with one shape and only their lists of ids
changing. Building and compiling such a queryset took 1 to 2 ms, the SQL
itself tens of microseconds. ``compiled(key, make)`` keeps the SQL of the
queryset ``make`` returns for ``key`` (what decides its shape: the models, the
point of view...) and runs it again with the ids of each call; the rows come
converted as ``.values()`` converts them (the compiler's own converters).

In such a queryset a list of ids is one parameter, ``<field>__in_ids=Ids(name)``:
a JSON array read by ``json_each`` on SQLite, an array on PostgreSQL, so that
the SQL does not change with the number of ids either.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Field, ForeignObject, Lookup, QuerySet

# Distinct shapes kept (a point of view's day is part of a shape): the least recently used go first.
MAX_SHAPES = 512


class Ids:
    """Where the list of ids called ``name`` goes in a compiled query."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Ids({self.name!r})"


def _encode(ids: Iterable[int], vendor: str):
    ids = [int(pk) for pk in ids]
    return ids if vendor == "postgresql" else json.dumps(ids)


class InIds(Lookup):
    """``field__in_ids=<ids or Ids(name)>``: the field's value is one of the ids,
    given as a single parameter whatever their number."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self):
        return self.rhs

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = self.rhs if isinstance(self.rhs, Ids) else _encode(self.rhs, connection.vendor)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, value]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, value]
        raise NotImplementedError(f"in_ids on {connection.vendor}")


# On every field, foreign keys too (a relation keeps lookups of its own).
Field.register_lookup(InIds)
ForeignObject.register_lookup(InIds)


class CompiledQuery:
    """A ``.values()`` queryset's SQL and parameters, its lists of ids left open."""

    def __init__(self, queryset: QuerySet):
        query = queryset.query
        self.model = queryset.model
        self.names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        self.compiler = query.get_compiler(queryset.db)
        try:
            sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # nothing can match, whatever the ids
            sql, params = None, ()
        self.sql, self.params = sql, tuple(params)

    def values(self, **ids: Iterable[int]) -> list[dict]:
        """The rows for these lists of ids (by name), as ``.values()`` dicts."""
        if self.sql is None:
            return []
        connection = connections[router.db_for_read(self.model)]
        vendor = connection.vendor
        params = [_encode(ids[p.name], vendor) if isinstance(p, Ids) else p for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.compiler.results_iter(results=[rows])]


_shapes: OrderedDict[Hashable, CompiledQuery] = OrderedDict()


def compiled(key: Hashable, make: Callable[[], QuerySet]) -> CompiledQuery:
    """The compiled query of shape ``key``; ``make`` builds its queryset the first time."""
    found = _shapes.get(key)
    if found is None:
        found = _shapes[key] = CompiledQuery(make())
        while len(_shapes) > MAX_SHAPES:
            _shapes.popitem(last=False)
    else:
        _shapes.move_to_end(key)
    return found


def forget() -> None:
    """Drop every compiled query (their SQL names content types and other ids of a database)."""
    _shapes.clear()

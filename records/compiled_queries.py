"""Querysets compiled to SQL once, then run again with other ids.

A page's helper queries (the citations of its records, their links, their
nested lists) run on every request with one shape and only their lists of ids
changing. Building and compiling such a queryset took 1 to 2 ms, the SQL
itself tens of microseconds. ``compiled(key, make)`` keeps the SQL of the
queryset ``make`` returns for ``key`` (what decides its shape: the models, the
point of view...) and runs it again with the ids of each call; the rows come
converted as ``.values()`` converts them (the compiler's own converters).

In such a queryset a list of ids is ``<field>__in_ids=Ids(name)``: compiled as
``IN (%s)``, that one placeholder becomes one per id on each run, so that the
SQL the database plans is the one ``__in`` gives, literal list and all (a
list passed as one parameter, a JSON array or an array, hides its length
from SQLite's planner, which then chose to scan a million postings). One
value (a page cursor's) is ``Slot(name, field)``, an expression: it is
prepared for the database on each run as ``field`` prepares a filter's value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Expression, Field, ForeignObject, Lookup, QuerySet

from records.kept_last import KeptLast

# Distinct shapes kept (a point of view's day is part of a shape): the least recently used go first.
MAX_SHAPES = 512


class Ids:
    """Where the list of ids called ``name`` goes in a compiled query."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Ids({self.name!r})"


class Slot(Expression):
    """One value left open in a compiled query, given by ``name`` on each run
    and prepared as ``output_field`` prepares a value compared with it
    (``field__gt=Slot("after", field)``)."""

    def __init__(self, name: str, output_field: Field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def prepare(self, value, connection):
        return self.output_field.get_db_prep_value(value, connection, prepared=False)


class InIds(Lookup):
    """``field__in_ids=<ids or Ids(name)>``: the field's value is one of the ids,
    written as ``__in`` writes it (an empty list matches nothing)."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self):
        """Ids as they are; else whole numbers, refused here (when the filter is
        made, e.g. an admin URL's ``?x__in_ids=1,2``), not when the SQL is written."""
        if isinstance(self.rhs, Ids):
            return self.rhs
        return _whole_numbers(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if isinstance(self.rhs, Ids):
            return f"{lhs} IN (%s)", [*lhs_params, self.rhs]  # one placeholder per id on each run
        return f"{lhs} IN ({_placeholders(len(self.rhs))})", [*lhs_params, *self.rhs]


def _whole_numbers(ids) -> list[int]:
    """The ids as ints; None left out, as ``__in`` leaves it (NULL equals nothing)."""
    if isinstance(ids, str | bytes):
        raise ValueError("in_ids takes a list of ids, not text")
    return [int(pk) for pk in ids if pk is not None]


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count) if count else "NULL"  # IN (NULL): nothing, on every database


# On every field, foreign keys too (a relation keeps lookups of its own).
Field.register_lookup(InIds)
ForeignObject.register_lookup(InIds)

# A placeholder, or an escaped percent sign (which is no placeholder).
_PLACEHOLDER = re.compile(r"%s|%%")


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
            self.pieces, self.params = None, ()
            return
        # The SQL around each placeholder, so that an Ids one can become one per id.
        self.pieces, start = [], 0
        for match in _PLACEHOLDER.finditer(sql):
            if match.group() == "%s":
                self.pieces.append(sql[start : match.start()])
                start = match.end()
        self.pieces.append(sql[start:])
        self.params = tuple(params)
        if len(self.pieces) != len(self.params) + 1:
            raise ValueError(f"{len(self.params)} parameters for {len(self.pieces) - 1} placeholders: {sql}")

    def values(self, **given) -> list[dict]:
        """The rows for these lists of ids and values of slots (by name), as ``.values()`` dicts."""
        if self.pieces is None:
            return []
        connection = connections[router.db_for_read(self.model)]
        sql, params = [self.pieces[0]], []
        for param, piece in zip(self.params, self.pieces[1:], strict=True):
            if isinstance(param, Ids):
                values = _whole_numbers(given[param.name])
                sql.append(_placeholders(len(values)))
                params += values
            else:
                sql.append("%s")
                params.append(param.prepare(given[param.name], connection) if isinstance(param, Slot) else param)
            sql.append(piece)
        with connection.cursor() as cursor:
            cursor.execute("".join(sql), params)
            rows = cursor.fetchall()
        if self.compiler.has_extra_select:  # columns the SQL needed (an ordering's) that .values() leaves out
            rows = [row[: self.compiler.col_count] for row in rows]
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.compiler.results_iter(results=[rows])]


# A threaded server's requests share the shapes.
_shapes: KeptLast[CompiledQuery] = KeptLast()


def compiled(key: Hashable, make: Callable[[], QuerySet]) -> CompiledQuery:
    """The compiled query of shape ``key``; ``make`` builds its queryset the first time."""
    return _shapes.get(key, lambda: CompiledQuery(make()), keep=MAX_SHAPES)


def forget() -> None:
    """Drop every compiled query (their SQL names content types and other ids of a database)."""
    _shapes.clear()

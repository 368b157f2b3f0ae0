"""The SQL of a keyset page: the rows strictly after a cursor's ordering
values, found through the index rather than by skipping rows, so that a deep
page costs what the first page costs; and the page plans a list keeps per
question (``PagePlan``). The paginator that reads cursors and writes links
is records/api/pagination.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from records import remembered
from records.compiled_queries import CompiledQuery, Slot
from records.kept_last import KeptLast


@dataclass(frozen=True)
class OrderKey:
    field: str
    descending: bool
    # A NOT NULL column needs no NULLS LAST and no "or NULL" in the cursor's
    # condition, and without them an index on it serves the order and the seek.
    nullable: bool = True


def ordering_keys(queryset) -> list[OrderKey]:
    """The queryset's ordering as (field, direction) pairs, ending with id."""
    keys = []
    for item in queryset.query.order_by or queryset.model._meta.ordering:
        if isinstance(item, OrderBy) and isinstance(item.expression, F):
            keys.append(OrderKey(item.expression.name, item.descending))
        elif isinstance(item, str):
            keys.append(OrderKey(item.lstrip("-"), item.startswith("-")))
        else:
            raise TypeError(f"keyset pagination cannot follow the ordering {item!r}")
    if not keys or keys[-1].field not in ("id", "pk"):
        keys.append(OrderKey("id", False))
    fields = key_fields(queryset)
    return [
        OrderKey(k.field, k.descending, nullable=getattr(fields.get(k.field), "null", True) is not False) for k in keys
    ]


def key_fields(queryset) -> dict:
    """The model field behind each name a list may be ordered by: the model's
    own columns and the queryset's annotations (e.g. a related row's value
    annotated onto each row), so that a cursor's values are typed by them."""
    concrete = queryset.model._meta.concrete_fields
    # By name and by column attribute: a foreign key orders as "person_id".
    fields = {f.name: f for f in concrete} | {f.attname: f for f in concrete} | {"pk": queryset.model._meta.pk}
    for name, expression in queryset.query.annotations.items():
        fields[name] = expression.output_field
    return fields


def order_by_expressions(keys: list[OrderKey], *, reverse: bool = False) -> list[OrderBy]:
    """NULLs go last whatever the direction, on every database; reversed for
    walking backwards (then NULLs come first)."""
    expressions = []
    for key in keys:
        descending = key.descending != reverse
        if not key.nullable:
            expressions.append(F(key.field).desc() if descending else F(key.field).asc())
        elif reverse:
            expressions.append(
                F(key.field).desc(nulls_first=True) if descending else F(key.field).asc(nulls_first=True)
            )
        else:
            expressions.append(F(key.field).desc(nulls_last=True) if descending else F(key.field).asc(nulls_last=True))
    return expressions


def _after(key: OrderKey, value, reverse: bool) -> Q | None:
    """Rows strictly after ``value`` on one key (NULLs sort last when walking forward)."""
    forward_descending = key.descending
    if not reverse:
        if value is None:
            return None  # nothing sorts after NULL but other NULLs (tie-broken later)
        beyond = Q(**{f"{key.field}__lt" if forward_descending else f"{key.field}__gt": value})
        return beyond | Q(**{f"{key.field}__isnull": True}) if key.nullable else beyond
    # Walking backwards: strictly before in forward order.
    if value is None:
        return Q(**{f"{key.field}__isnull": False})
    return Q(**{f"{key.field}__gt" if forward_descending else f"{key.field}__lt": value})


def _same(key: OrderKey, value) -> Q:
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def keyset_filter(keys: list[OrderKey], values: list, *, reverse: bool) -> Q:
    """(k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... in the forward or backward sense."""
    if _row_comparable(keys, values):
        # (k1, k2) > (v1, v2): PostgreSQL seeks a composite index to the exact
        # row, where the OR form starts at k1 = v1 and reads past every row that
        # shares v1. Django writes the OR form where the database has no row
        # values (SQLite).
        after = TupleLessThan if keys[0].descending != reverse else TupleGreaterThan
        return _seek(keys[0], values[0], reverse) & Q(after(Tuple(*(F(key.field) for key in keys)), list(values)))
    condition = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        step = _after(key, value, reverse)
        if step is not None:
            condition |= prefix & step
        prefix &= _same(key, value)
    return _seek(keys[0], values[0], reverse) & condition


def _row_comparable(keys: list[OrderKey], values: list) -> bool:
    """One direction for every key and no NULL anywhere: a row comparison then
    means exactly what the OR form means."""
    return (
        len(keys) > 1
        and len({key.descending for key in keys}) == 1
        and not any(key.nullable for key in keys)
        and all(value is not None for value in values)
    )


def _seek(key: OrderKey, value, reverse: bool) -> Q:
    """A range on the first key that the condition implies: redundant for the
    result, but it lets the database start an index scan at the cursor instead
    of reading (and discarding) every row before it, so a deep page costs what
    the first one costs."""
    if value is None:
        return Q()
    up = key.descending == reverse  # rows at or beyond the value lie above it
    bound = Q(**{f"{key.field}__gte" if up else f"{key.field}__lte": value})
    if key.nullable and not reverse:
        bound |= Q(**{f"{key.field}__isnull": True})  # NULLs come last going forward
    return bound


def fetch_after(
    queryset, keys: list[OrderKey], values: list | None, *, reverse: bool, limit: int, compiled=None, given=None
) -> list:
    """Up to ``limit`` rows after the cursor ``values`` (or from the start), in
    the keys' order (reversed: walking back from the cursor).

    On a nullable first key the rows with a value and the NULL tail are read
    apart, each in the order of an index on (key, ..., id): a range seek on the
    values, then the tail by the remaining keys. One ORDER BY with NULLS LAST
    cannot follow such an index on both databases (SQLite puts NULLs first
    going up, PostgreSQL going down), and "after v, or NULL" is an OR that
    scans. A page that crosses into the tail costs a second query.

    ``compiled(shape, make)``, for a ``.values()`` queryset: each part's SQL is
    compiled once per shape (records/compiled_queries.py), the cursor's values
    left in it as slots (``key0``, ``key1``...) that each run fills, with the
    queryset's own slots' values (``given``, by name)."""
    in_tail = values is not None and values[0] is None
    pattern = None if values is None else tuple(value is None for value in values)
    rows: list = []
    for part in _parts(keys[0], in_tail, reverse):
        if len(rows) >= limit:
            break
        wanted = limit - len(rows)
        if compiled is None:
            rows += list(_part_rows(queryset, keys, values, part, reverse)[:wanted])
            continue

        def make(part=part, wanted=wanted):
            return _part_rows(queryset, keys, _slots(queryset, keys, values), part, reverse)[:wanted]

        filled = {**(given or {}), **{f"key{i}": value for i, value in enumerate(values or ()) if value is not None}}
        rows += compiled((part, reverse, pattern, wanted), make).values(**filled)
    return rows


def _slots(queryset, keys: list[OrderKey], values: list | None) -> list | None:
    """The cursor's values as slots of the compiled SQL, typed by their keys' fields (None stays None)."""
    if values is None:
        return None
    fields = key_fields(queryset)
    return [
        None if v is None else Slot(f"key{i}", fields[k.field])
        for i, (k, v) in enumerate(zip(keys, values, strict=True))
    ]


def _parts(first: OrderKey, in_tail: bool, reverse: bool) -> list[str]:
    """The parts of the rows a page reads, in its order: all of them on a NOT
    NULL first key; else those with a value and the NULL tail (going forward
    the values come first, then the tail; walking back, the reverse)."""
    if not first.nullable:
        return ["all"]
    if not reverse:
        return ["tail"] if in_tail else ["with value", "tail"]
    return ["tail", "with value"] if in_tail else ["with value"]


def _part_rows(queryset, keys: list[OrderKey], values: list | None, part: str, reverse: bool):
    """One part's rows after ``values`` (literal, or slots), in order."""
    first = keys[0]
    if part == "all":
        if values is not None:
            queryset = queryset.filter(keyset_filter(keys, values, reverse=reverse))
        return queryset.order_by(*order_by_expressions(keys, reverse=reverse))
    in_tail = values is not None and values[0] is None
    if part == "with value":
        known = [OrderKey(first.field, first.descending, nullable=False), *keys[1:]]
        rows = queryset.filter(**{f"{first.field}__isnull": False})
        if values is not None and not in_tail:
            rows = rows.filter(keyset_filter(known, values, reverse=reverse))
        return rows.order_by(*order_by_expressions(known, reverse=reverse))
    rest = keys[1:]
    rows = queryset.filter(**{f"{first.field}__isnull": True})
    if in_tail:
        rows = rows.filter(keyset_filter(rest, values[1:], reverse=reverse))
    return rows.order_by(*order_by_expressions(rest, reverse=reverse))


class PagePlan:
    """What the pages of one list question are read by: its filtered and
    ordered queryset, as ``.values(*fields)`` rows (the ordering's keys added
    where ``fields`` lacks them), and the SQL each shape of page compiles to,
    compiled once (``fetch``: records/compiled_queries.py). A viewset keeps a
    plan while the tables its answer is read from are unchanged
    (records/remembered.py), so that the next page, or the same page asked
    again, skips the filters, the queryset and the compiling: on a small page
    these cost more than the SQL (ReadViewSet.page_plan)."""

    # Shapes of page kept per plan: parts (values, NULL tail) x cursor patterns x tail sizes.
    SHAPES = 64

    def __init__(self, queryset, fields, *, knowledge=None):
        self.filtered = queryset
        self.model = queryset.model
        self.keys = ordering_keys(queryset)
        self.key_fields = key_fields(queryset)
        self.knowledge = knowledge  # the point of view the list was filtered from (records/knowledge.py)
        self.using = queryset.db
        fields = tuple(fields)
        self.rows = queryset.prefetch_related(None).values(
            *fields, *(k.field for k in self.keys if k.field not in fields)
        )
        self._shapes: KeptLast[CompiledQuery] = KeptLast()
        self._total: int | None = None

    def fetch(self, values: list | None, reverse: bool, limit: int, given: dict | None = None) -> list[dict]:
        """Up to ``limit`` rows after the cursor ``values`` (``fetch_after``);
        ``given``: the values of the queryset's own slots, if it has any."""
        return fetch_after(
            self.rows, self.keys, values, reverse=reverse, limit=limit, compiled=self._compiled, given=given
        )

    def _compiled(self, shape, make) -> CompiledQuery:
        return self._shapes.get(shape, lambda: CompiledQuery(make()), keep=self.SHAPES)

    def total(self, versions) -> int:
        """How many rows match: counted once per plan (a kept plan's tables are unchanged)."""
        if self._total is None:
            self._total = remembered.count(self.filtered, versions)
        return self._total

"""Read specs: one declaration per JSON shape, from which the ``.values()``
columns, the rows-to-JSON builder and the OpenAPI serializer all derive.

A ``Spec`` lists its keys in order. Each part knows the columns it reads
(under a prefix, for a shape nested through a join), how it turns a row into
its value, and the serializer field that documents it. Parts that need more
than the row (nested lists, citations, values computed a page at a time) are
loaded for a whole page at once: one query per nested list, one for every
citation of the page at all levels, whatever the number of rows. The
serializers exist for the schema only; nothing reads through them. The parts
of a cited claim (citations, links, review state): records/api/claim_parts.py."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from records.compiled_queries import Ids, compiled
from records.knowledge import EVERYTHING, Knowledge, is_cited, known

# -- the JSON of fuzzy dates and timestamps -----------------------------------


def iso(day):
    return day.isoformat() if day else None


def timestamp(moment, zone=None) -> str | None:
    """As DRF's DateTimeField gives it: in the current time zone (or ``zone``), UTC as "Z"."""
    if moment is None:
        return None
    text = timezone.localtime(moment, zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def fuzzy_value(value, earliest, latest) -> dict | None:
    if not value:
        return None
    return {"value": value, "earliest": iso(earliest), "latest": iso(latest)}


FUZZY_DATE_SCHEMA = inline_serializer(
    name="FuzzyDate",
    fields={
        "value": serializers.CharField(help_text='As written: "2021-03", "2011/2012", "../2022-01-10".'),
        "earliest": serializers.DateField(allow_null=True, help_text="Earliest day it can be; null if open."),
        "latest": serializers.DateField(allow_null=True, help_text="Latest day it can be; null if open."),
    },
)


@extend_schema_field(FUZZY_DATE_SCHEMA)
class FuzzyDateField(serializers.Field):
    """A fuzzy date as {value, earliest, latest}, or null when nothing is known (schema only)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)


# -- a page being built --------------------------------------------------------


@dataclass
class Page:
    """What a page's parts load beyond its rows: citations and links wanted and
    found, the request, and the point of view (``as_of``, ``according_to``)."""

    context: dict = field(default_factory=dict)
    wanted: dict = field(default_factory=lambda: defaultdict(set))  # model -> ids whose citations are shown
    cited: dict = field(default_factory=dict)  # (model, id) -> citations (JSON)
    links_wanted: dict = field(default_factory=lambda: defaultdict(set))  # model -> ids whose links are shown
    linked: dict = field(default_factory=dict)  # (model, id) -> links (JSON)
    # What parts' ``load`` asked to run once every part has loaded (all of a
    # page's citations in one query, say): name -> function of the page.
    finishers: dict = field(default_factory=dict)

    def finish(self) -> None:
        for finish in self.finishers.values():
            finish(self)

    @property
    def knowledge(self) -> Knowledge:
        return self.context.get("knowledge", EVERYTHING)

    @functools.cached_property
    def timezone(self):
        """The current time zone, looked up once per page rather than per timestamp."""
        return timezone.get_current_timezone()


# -- parts --------------------------------------------------------------------


class Part:
    key: str

    def keys(self) -> tuple[str, ...]:
        return (self.key,)

    def columns(self, prefix: str) -> list[str]:
        return []

    def load(self, spec: Spec, rows: list[dict], prefix: str, page: Page) -> None:
        """Fetch what the rows' values need beyond their columns (a page at a time)."""

    def values(self, row: dict, prefix: str, page: Page) -> Iterable[tuple[str, object]]:
        yield self.key, self.value(row, prefix, page)

    def value(self, row: dict, prefix: str, page: Page):
        raise NotImplementedError

    def getter(self, prefix: str) -> Callable[[dict, Page], object]:
        """``value`` under ``prefix`` as a function of the row and the page: what
        the compiled builder calls for a part it cannot write inline."""
        return lambda row, page: self.value(row, prefix, page)

    def single(self) -> bool:
        """Whether the part gives one key through ``value`` (else ``values`` gives its keys)."""
        return type(self).values is Part.values

    def expressions(self, prefix: str, bind: Callable[[object], str]) -> list[tuple[str, str]] | None:
        """Each key this part gives, with the Python expression (of ``row`` and
        ``page``) of its value under ``prefix``, for the spec's compiled builder
        (``Spec._builder``); ``bind`` names an object the expression uses. None:
        the builder takes the keys from ``values``."""
        if not self.single():
            return None
        return [(self.key, f"{bind(self.getter(prefix))}(row, page)")]

    def _plain(self, base: type) -> bool:
        """Whether this part reads its value as ``base`` does (a subclass may
        override ``value``: it then goes through its getter)."""
        return type(self).value is base.value

    def schema_fields(self, model) -> dict:
        """Declared serializer fields; {} leaves the key to the ModelSerializer (a model field)."""
        return {}

    def extra_kwargs(self) -> dict:
        return {}

    def of_spec(self, model) -> Part:
        """This part in a spec of ``model``: a copy for parts that need to know it."""
        return self


class Field(Part):
    """A column as stored: ``column`` when it differs from the key (e.g. "previous_id").
    ``schema``: a serializer field, where the model field does not document it."""

    def __init__(self, key: str, column: str | None = None, *, schema=None, **extra_kwargs):
        self.key, self.column, self.schema, self.kwargs = key, column or key, schema, extra_kwargs

    def columns(self, prefix):
        return [prefix + self.column]

    def value(self, row, prefix, page):
        return row[prefix + self.column]

    def expressions(self, prefix, bind):
        if not self._plain(Field):
            return super().expressions(prefix, bind)
        return [(self.key, f"row[{prefix + self.column!r}]")]

    def schema_fields(self, model):
        return {self.key: self.schema} if self.schema is not None else {}

    def extra_kwargs(self):
        return {self.key: self.kwargs} if self.kwargs else {}


def fields(names: str) -> list[Field]:
    """Columns as stored, named alike: ``fields("id slug name")``."""
    return [Field(name) for name in names.split()]


class Timestamp(Field):
    def value(self, row, prefix, page):
        return timestamp(row[prefix + self.column], page.timezone)

    def expressions(self, prefix, bind):
        if not self._plain(Timestamp):
            return super().expressions(prefix, bind)
        return [(self.key, f"{bind(timestamp)}(row[{prefix + self.column!r}], page.timezone)")]


class Day(Field):
    def value(self, row, prefix, page):
        return iso(row[prefix + self.column])

    def expressions(self, prefix, bind):
        if not self._plain(Day):
            return super().expressions(prefix, bind)
        return [(self.key, f"{bind(iso)}(row[{prefix + self.column!r}])")]


class Fuzzy(Part):
    """A fuzzy date: stored as written plus its earliest and latest day."""

    def __init__(self, key: str, **kwargs):
        self.key, self.kwargs = key, kwargs

    def columns(self, prefix):
        return [f"{prefix}{self.key}", f"{prefix}{self.key}_earliest", f"{prefix}{self.key}_latest"]

    def value(self, row, prefix, page):
        name = prefix + self.key
        return fuzzy_value(row[name], row[f"{name}_earliest"], row[f"{name}_latest"])

    def expressions(self, prefix, bind):
        if not self._plain(Fuzzy):
            return super().expressions(prefix, bind)
        name = prefix + self.key
        columns = ", ".join(f"row[{c!r}]" for c in (name, f"{name}_earliest", f"{name}_latest"))
        return [(self.key, f"{bind(fuzzy_value)}({columns})")]

    def schema_fields(self, model):
        return {self.key: FuzzyDateField(**self.kwargs)}


class Computed(Part):
    """A value computed from columns of the row (``compute(*values)``), or from
    the page's context too (``with_context``: ``compute(context, *values)``)."""

    def __init__(self, key, schema, columns: tuple[str, ...], compute: Callable, *, with_context=False):
        self.key, self.schema, self.needs, self.compute, self.with_context = (
            key,
            schema,
            columns,
            compute,
            with_context,
        )

    def columns(self, prefix):
        return [prefix + c for c in self.needs]

    def value(self, row, prefix, page):
        args = [row[prefix + c] for c in self.needs]
        return self.compute(page.context, *args) if self.with_context else self.compute(*args)

    def schema_fields(self, model):
        return {self.key: self.schema}


class Ref(Part):
    """A related record through a join: ``spec``'s keys read under ``source__``;
    null when the relation is empty."""

    def __init__(self, key: str, spec: Spec, source: str | None = None, **kwargs):
        self.key, self.spec, self.source, self.kwargs = key, spec, source or key, kwargs

    def columns(self, prefix):
        return self.spec.columns(f"{prefix}{self.source}__")

    def load(self, spec, rows, prefix, page):
        inner = f"{prefix}{self.source}__"
        self.spec.load([row for row in rows if row[f"{inner}id"] is not None], page, inner)

    def value(self, row, prefix, page):
        inner = f"{prefix}{self.source}__"
        if row[f"{inner}id"] is None:
            return None
        return self.spec.build_one(row, page, inner)

    def expressions(self, prefix, bind):
        if not self._plain(Ref):
            return super().expressions(prefix, bind)
        inner = f"{prefix}{self.source}__"
        return [(self.key, f"(None if row[{inner + 'id'!r}] is None else {self.spec.literal(inner, bind)})")]

    def schema_fields(self, model):
        return {self.key: self.spec.serializer(**{"read_only": True, **self.kwargs})}


class Many(Part):
    """The rows of ``model`` whose ``fk`` is the record's id, as ``spec``
    (read under ``prefix`` when the rows are links, e.g. "person__"), in
    ``order_by`` (the model's default when None), those matching ``where``.
    ``flat``: a list of that column's values instead. ``first``: the first
    row or null. ``limit``: at most that many (for a detail, one record).
    ``also``: more columns to read, for a part computed from the rows (``Derived``)."""

    def __init__(
        self,
        key: str,
        spec: Spec | None,
        *,
        model=None,
        fk: str,
        prefix: str = "",
        order_by: tuple | None = None,
        where: Q | None = None,
        flat: str | None = None,
        first: bool = False,
        limit: int | None = None,
        also: tuple[str, ...] = (),
        cited: tuple | None = None,
        **kwargs,
    ):
        self.key, self.spec, self.model, self.fk, self.prefix, self.also = key, spec, model, fk, prefix, also
        # The cited record each row is (model, path to it): an ``as_of`` or
        # ``according_to`` point of view keeps only those its sources are cited for.
        if cited is None and spec is not None and is_cited(spec.model):
            cited = (spec.model, prefix)
        self.cited = cited
        self.order_by, self.where, self.flat, self.first, self.limit, self.kwargs = (
            order_by,
            where,
            flat,
            first,
            limit,
            kwargs,
        )

    def columns(self, prefix):
        return [f"{prefix}id"]

    @property
    def slot(self) -> str:
        return f"@{self.key}"

    def load(self, spec, rows, prefix, page):
        ids = {row[f"{prefix}id"] for row in rows}
        knowledge = page.knowledge
        # Compiled once per point of view (records/compiled_queries.py); a cited record's
        # content type is part of the SQL (``known``), so of the shape too.
        cited_type = ContentType.objects.get_for_model(self.cited[0]).pk if self.cited else None
        query = compiled((self, cited_type, knowledge), lambda: self._children(knowledge))
        children = query.values(ids=ids)
        if self.spec is not None:
            self.spec.load(children, page, self.prefix)
        grouped = defaultdict(list)
        for child in children:
            grouped[child[self.fk]].append(child)
        for row in rows:
            row[prefix + self.slot] = grouped.get(row[f"{prefix}id"], [])

    def _children(self, knowledge: Knowledge):
        model = self.model or (self.spec.model if self.spec else None)
        queryset = model.objects.filter(**{f"{self.fk}__in_ids": Ids("ids")})
        if self.where is not None:
            queryset = queryset.filter(self.where)
        if self.cited is not None and knowledge:
            cited_model, path = self.cited
            queryset = queryset.filter(known(cited_model, knowledge, path))
        if self.order_by is not None:
            queryset = queryset.order_by(*self.order_by)
        columns = [self.flat] if self.flat else self.spec.columns(self.prefix)
        children = queryset.values(self.fk, *columns, *(c for c in self.also if c not in columns))
        return children[: self.limit] if self.limit is not None else children

    def value(self, row, prefix, page):
        children = row[prefix + self.slot]
        if self.flat:
            return [child[self.flat] for child in children]
        built = [self.spec.build_one(child, page, self.prefix) for child in children]
        if self.first:
            return built[0] if built else None
        return built

    def extra_kwargs(self):
        return {self.key: self.kwargs} if self.flat and self.kwargs else {}

    def schema_fields(self, model):
        if self.flat:
            return {}
        if self.first:
            return {self.key: self.spec.serializer(read_only=True, allow_null=True, **self.kwargs)}
        return {self.key: self.spec.serializer(many=True, read_only=True, **self.kwargs)}


class Derived(Part):
    """A value computed from the rows that ``Many`` parts loaded for the record
    (``derive(*lists)``, one list per named part), at no query of its own."""

    def __init__(self, key: str, schema, parts: tuple[str, ...], derive: Callable):
        self.key, self.schema, self.parts, self.derive = key, schema, parts, derive

    def value(self, row, prefix, page):
        return self.derive(*(row[f"{prefix}@{name}"] for name in self.parts))

    def schema_fields(self, model):
        return {self.key: self.schema}


class Picked(Part):
    """One of the rows another ``Many`` part of the record loaded (``among``,
    read under its ``prefix``), as ``spec``: the first in ``order`` that
    ``pick`` accepts, or null. No query of its own: a contest's detail finds
    its winner among the candidates it lists."""

    def __init__(self, key: str, spec: Spec, *, among: str, pick: Callable, order: Callable, prefix="", **kwargs):
        self.key, self.spec, self.among, self.pick, self.order, self.prefix = key, spec, among, pick, order, prefix
        self.kwargs = kwargs

    def value(self, row, prefix, page):
        chosen = [child for child in row[f"{prefix}@{self.among}"] if self.pick(child)]
        return self.spec.build_one(min(chosen, key=self.order), page, self.prefix) if chosen else None

    def schema_fields(self, model):
        return {self.key: self.spec.serializer(read_only=True, allow_null=True, **self.kwargs)}


class Loaded(Part):
    """A value loaded for a page of records at once: ``load(ids, page)`` returns
    {id: raw} (records it leaves out get ``default``); ``build(raw, page)``, if
    given, turns a record's raw value into JSON once the page's citations are in.
    ``reads``: the models ``load`` reads (a conditional GET follows their tables)."""

    def __init__(
        self, key: str, schema, load: Callable, *, build: Callable | None = None, default=None, reads: tuple = ()
    ):
        self.key, self.schema, self.loader, self.builder, self.default = key, schema, load, build, default
        self.reads = reads

    def columns(self, prefix):
        return [f"{prefix}id"]

    def load(self, spec, rows, prefix, page):
        found = self.loader([row[f"{prefix}id"] for row in rows], page)
        for row in rows:
            row[f"{prefix}@{self.key}"] = found.get(row[f"{prefix}id"], self.default)

    def value(self, row, prefix, page):
        raw = row[f"{prefix}@{self.key}"]
        return self.builder(raw, page) if self.builder else raw

    def schema_fields(self, model):
        return {self.key: self.schema}


# -- specs --------------------------------------------------------------------


class Spec:
    """One JSON shape of a model's records. ``name`` names its schema
    component; ``doc`` describes it; ``read_only`` marks its model fields so."""

    def __init__(self, model, name: str, parts: list, *, doc: str = "", read_only: bool = False):
        self.model, self.name, self.doc, self.read_only = model, name, doc, read_only
        self.parts = [part.of_spec(model) for part in parts]
        self._builders: dict[str, Callable] = {}  # prefix -> row-to-JSON function (``build_one``)

    def only(self, name: str, keys: list[str], parts: dict | None = None, *, doc: str = "", model=None) -> Spec:
        """A shape with these keys of this one, in this order; ``parts`` replaces some."""
        parts = parts or {}
        mine = {p.key: p for p in self.parts}
        chosen = [parts.get(k) or mine[k] for k in keys]
        return Spec(model or self.model, name, chosen, doc=doc, read_only=self.read_only)

    def of(self, instance) -> dict:
        """The JSON of a model instance another module loaded, for a shape of plain columns only."""
        return {part.key: getattr(instance, part.column) for part in self.parts if type(part) is Field}

    def columns(self, prefix: str = "") -> list[str]:
        out = []
        for part in self.parts:
            out += [c for c in part.columns(prefix) if c not in out]
        return out

    def load(self, rows: list[dict], page: Page, prefix: str = "") -> None:
        if rows:
            for part in self.parts:
                part.load(self, rows, prefix, page)

    def build_one(self, row: dict, page: Page, prefix: str = "") -> dict:
        try:
            builder = self._builders[prefix]
        except KeyError:
            builder = self._builders[prefix] = self._builder(prefix)
        return builder(row, page)

    def _builder(self, prefix: str) -> Callable[[dict, Page], dict]:
        """The row-to-JSON function of this shape under ``prefix``: one dict
        display of each part's keys in order, compiled once. Reading a column
        there costs a subscript, where a function per key cost a call per key
        and row (a third of a 50-row page's building)."""
        names: dict[int, tuple[str, object]] = {}

        def bind(thing) -> str:
            return names.setdefault(id(thing), (f"_{len(names)}", thing))[0]

        source = f"def build(row, page):\n    return {self.literal(prefix, bind)}\n"
        namespace = {name: thing for name, thing in names.values()}
        # Keys and columns go in as repr() literals: no text of a request reaches the source.
        exec(compile(source, f"<read spec {self.name}>", "exec"), namespace)
        return namespace["build"]

    def literal(self, prefix: str, bind: Callable[[object], str]) -> str:
        """This shape under ``prefix`` as a dict display (Python source) of ``row`` and ``page``."""
        items = []
        for part in self.parts:
            pairs = part.expressions(prefix, bind)
            if pairs is None:  # keys known only as the part yields them
                items.append(f"**dict({bind(part)}.values(row, {prefix!r}, page))")
            else:
                items += [f"{key!r}: {expression}" for key, expression in pairs]
        return "{" + ", ".join(items) + "}"

    def build(self, rows: list[dict], context: dict | None = None) -> list[dict]:
        """The JSON of a page of rows (``.values(*self.columns())``)."""
        page = Page(context=context or {})
        self.load(rows, page)
        page.finish()
        return [self.build_one(row, page) for row in rows]

    @functools.cached_property
    def serializer_class(self) -> type[serializers.Serializer]:
        declared, extra = {}, {}
        keys = []
        for part in self.parts:
            keys += part.keys()
            declared.update(part.schema_fields(self.model))
            extra.update(part.extra_kwargs())
        meta = {"model": self.model, "fields": keys, "extra_kwargs": extra}
        if self.read_only:
            meta["read_only_fields"] = keys
        attrs = {**declared, "Meta": type("Meta", (), meta), "__doc__": self.doc, "__module__": __name__}
        return type(f"{self.name}Serializer", (serializers.ModelSerializer,), attrs)

    def serializer(self, **kwargs) -> serializers.Serializer:
        """A serializer instance documenting this shape (for the schema; never used to read)."""
        return self.serializer_class(**kwargs)

"""Building blocks for the API's filtersets: filters on related records by id
or human key, fuzzy-date comparisons and ordering, and the base filtersets.
The strict parameter types they read: records/api/parameters.py."""

from __future__ import annotations

from datetime import date

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, DateField, Expression, F, Q, Subquery, Value

from records.api.lookup import MAX_ID
from records.api.parameters import (
    IDENTIFIER_PATTERN,
    MAX_TEXT,
    IdentifierField,
    NamedRecordKeyField,
    RecordIdField,
    RecordKeyField,
    SourceKeyField,
    StrictBooleanField,
    StrictDateField,
    StrictIntegerField,
)
from records.identifiers import documented as documented_schemes
from records.knowledge import Knowledge, cited_by_few, contradicted, known
from records.models import ReviewStatus
from records.remembered import remembered
from records.search_rank import RANK


class DateMatch:
    CERTAINLY = "certainly"
    POSSIBLY = "possibly"
    CHOICES = [(CERTAINLY, CERTAINLY), (POSSIBLY, POSSIBLY)]
    HELP = (
        "How fuzzy dates meet date filters. `certainly` (default): the whole range a fuzzy date may denote "
        'satisfies the filter ("2021" is not certainly before 2021-06-01). `possibly`: some day in that range '
        "does, and an unknown or open end can be anything."
    )


def fuzzy_on_or_before(field: str, day: date, mode: str) -> Q:
    if mode == DateMatch.POSSIBLY:
        return Q(**{f"{field}_earliest__lte": day}) | Q(**{f"{field}_earliest__isnull": True})
    return Q(**{f"{field}_latest__lte": day})


def fuzzy_on_or_after(field: str, day: date, mode: str) -> Q:
    if mode == DateMatch.POSSIBLY:
        return Q(**{f"{field}_latest__gte": day}) | Q(**{f"{field}_latest__isnull": True})
    return Q(**{f"{field}_earliest__gte": day})


class CertainlyHeldOn(Expression):
    """``<start>_latest <= day AND <end>_earliest >= day``: started by then for
    sure, and certainly not ended before.

    SQLite gets those two comparisons. PostgreSQL gets them and the same test
    again as the certain span (latest start to earliest end) containing the
    day, the expression of the statistics posting_certain_span_stats
    (migration 0006). From the comparisons alone the planner expected several
    times the rows held on a day, spread evenly in start order, and walked the
    start index to fill a page of an organisation's postings (425,000 rows
    read for 1,200 matches) instead of sorting its matches; the span's
    statistics bring the estimate down to the right order. The comparisons stay
    for the b-tree indexes on the bounds, and are tested first (they are
    cheaper), so the range is built only for rows that match. A span with an
    unknown bound, or starting after it ends, is NULL and contains no day: the
    comparisons are then NULL or false alike.

    ``end_first``: which comparison comes first, the one the rows read first
    most often fail. A page walked up an index of start or end days reads
    first rows that started long ago (all of them by then) or that ended
    before the day, so it tests the end first; walked down, it reads rows
    that started after the day first, so it tests the start first. On SQLite,
    which tests them in the order written, postings held on 2017-12-31 in
    start order took 55 ms with the start first, 40 ms with the end first."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, day: date, start: str = "start", end: str = "end", *, end_first: bool = True):
        super().__init__()
        self.start, self.end = F(f"{start}_latest"), F(f"{end}_earliest")
        self.day = Value(day, output_field=DateField())
        self.end_first = end_first

    def get_source_expressions(self):
        return [self.start, self.end, self.day]

    def set_source_expressions(self, exprs):
        self.start, self.end, self.day = exprs

    def _compile(self, compiler):
        return [compiler.compile(expression) for expression in (self.start, self.end, self.day)]

    def _comparisons(self, compiler) -> tuple[str, tuple]:
        (start, start_params), (end, end_params), (day, day_params) = self._compile(compiler)
        started = (f"{start} <= {day}", (*start_params, *day_params))
        not_ended = (f"{end} >= {day}", (*end_params, *day_params))
        first, second = (not_ended, started) if self.end_first else (started, not_ended)
        return f"{first[0]} AND {second[0]}", (*first[1], *second[1])

    def as_sql(self, compiler, connection):
        sql, params = self._comparisons(compiler)
        return f"({sql})", params

    def as_postgresql(self, compiler, connection):
        sql, params = self._comparisons(compiler)
        (start, start_params), (end, end_params), (day, day_params) = self._compile(compiler)
        span = f"CASE WHEN {start} <= {end} THEN daterange({start}, {end}, '[]') END"
        bounds = (*start_params, *end_params)
        return f"({sql} AND ({span}) @> {day})", (*params, *bounds, *bounds, *day_params)


def fuzzy_active_on(
    day: date, mode: str, start: str = "start", end: str = "end", *, span: bool = True, end_first: bool = True
) -> Q:
    """Held on ``day``: started on or before it and ended on or after it.
    ``span=False`` keeps the plain comparisons on PostgreSQL too;
    ``end_first``: see CertainlyHeldOn."""
    if mode == DateMatch.POSSIBLY:
        return fuzzy_on_or_before(start, day, mode) & fuzzy_on_or_after(end, day, mode)
    if not span:
        return Q(**{f"{start}_latest__lte": day}) & Q(**{f"{end}_earliest__gte": day})
    return Q(CertainlyHeldOn(day, start, end, end_first=end_first))


# -- filters ------------------------------------------------------------------


class DocumentedFilter(filters.Filter):
    """A filter whose OpenAPI parameter has an exact type, its help text and,
    given ``example``, an example value."""

    schema: dict = {"type": "string"}

    def __init__(self, *args, example=None, **kwargs):
        super().__init__(*args, **kwargs)
        schema = dict(self.schema)
        if self.extra.get("help_text"):
            schema["description"] = self.extra["help_text"]
        if example is not None:
            schema["example"] = example
        self._spectacular_annotation = {"field": schema}  # read by drf-spectacular


class StrictBooleanFilter(DocumentedFilter):
    field_class = StrictBooleanField
    schema = {"type": "boolean"}


class StrictDateFilter(DocumentedFilter):
    field_class = StrictDateField
    schema = {"type": "string", "format": "date"}


# A subtree (a state, a state's police) holding more rows of a list than this is
# read by walking the list's order rather than by the subtree (see holds_many).
LARGE_SUBTREE = 10_000
# People named through at most this many postings or candidacies are collected
# and sorted; through more, probed person by person in list order
# (records/api/resources/persons.py). At 100k people, collecting costs about
# 4.5 us a row and probing about 3 us a person read: they meet near 2,000 rows.
FEW_FOR_PEOPLE = 2_000


class _RelatedRecordFilter(DocumentedFilter):
    """Filter on a related record; with ``subtree`` its descendants match too."""

    def __init__(self, *args, queryset, noun, subtree=False, joined=False, **kwargs):
        self.subtree = subtree
        self.joined = joined  # see descendants
        self.record_queryset = queryset
        super().__init__(*args, **kwargs)
        self.extra.update(queryset=queryset, noun=noun)

    def filter(self, qs, record):
        if record is None:
            return qs
        if self.subtree and self.holds_many(qs.model, record):
            return self.probed(qs, record)  # SQLite walks the list's order, stopping after a page
        return qs.filter(self.matching(record))

    def probed(self, qs, record):
        """``qs`` kept to the rows that name the record, compared through an
        expression that no index serves: a query then reads the rows by another
        index (the list's order, a person's postings) and tests each one, where
        the record's own index would read all of its rows every time."""
        compared = f"{self.field_name}_compared"
        qs = qs.alias(**{compared: F(self.field_name) + 0})
        if self.subtree:
            return qs.filter(**{f"{compared}__in": self.descendants(record)})
        return qs.filter(**{compared: record.pk})

    def descendants(self, record) -> Subquery:
        """The subtree's ids. By default sorted by path (the order of the index
        that finds them), and PostgreSQL never joins a sorted subquery into
        the outer query: it reads the ids once, as a set each row is tested
        against (people probed through their postings: 16 ms, against 34 ms
        looking up each posting's organisation; a postings page plans in 6 ms,
        not 12). ``joined``: unsorted, so that PostgreSQL joins them as a
        semi-join, whose estimate of the rows that match it can trust (a
        state's constituencies: 1 ms, against 5.5 ms walking the list's order
        for matches it guessed were everywhere)."""
        subtree = self.record_queryset.model.objects.subtree(record)
        return Subquery((subtree.order_by() if self.joined else subtree.order_by("path")).values("pk"))

    def matching(self, record) -> Q:
        """The rows that name ``record`` (or, with ``subtree``, one of its descendants)."""
        if self.subtree:
            return Q(**{f"{self.field_name}__in": self.descendants(record)})
        return Q(**{self.field_name: record})

    def holds_many(self, model, record, more_than: int | None = None) -> bool:
        """Whether more than ``more_than`` (default LARGE_SUBTREE) of ``model``'s
        rows name the record (its subtree, with ``subtree``): one query, of the
        field's index, on SQLite only, made once per request whatever the
        bound. SQLite reads a subtree's rows through that index and sorts them
        all before the first page: 150 ms for the 35,000 postings of a state,
        against 22 ms walking the order's index (which a small subtree would
        make long). PostgreSQL weighs the two by its statistics."""
        if connection.vendor != "sqlite" or "__" in self.field_name:
            return False
        counted = self.parent.__dict__.setdefault("_rows_named", {})  # the request's filterset
        key = (self.field_name, model, record.pk)
        if key not in counted:
            rows = model._default_manager.filter(self.matching(record)).order_by().values("pk")
            bound = max(LARGE_SUBTREE, FEW_FOR_PEOPLE) + 1
            # Kept while neither table changes: a client paging on asks again (records/remembered.py).
            counted[key] = remembered(
                ("rows named", rows.db, *key, self.subtree, bound),
                getattr(getattr(self.parent, "request", None), "data_versions", None),
                lambda: rows[:bound].count(),
                reads=(model._meta.db_table, self.record_queryset.model._meta.db_table),
            )
        return counted[key] > (LARGE_SUBTREE if more_than is None else more_than)


class RecordKeyFilter(_RelatedRecordFilter):
    field_class = RecordKeyField
    schema = {"type": "string", "maxLength": MAX_TEXT}

    def __init__(self, *args, lookups=("slug",), **kwargs):
        super().__init__(*args, **kwargs)
        self.extra["lookups"] = lookups


class NamedRecordKeyFilter(RecordKeyFilter):
    field_class = NamedRecordKeyField


class RecordIdFilter(_RelatedRecordFilter):
    field_class = RecordIdField
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class IdentifierFilter(DocumentedFilter):
    """Records of ``kind`` with this identifier in another database (scheme:value);
    ``field_name`` is the relation to their identifiers."""

    field_class = IdentifierField
    schema = {"type": "string", "pattern": IDENTIFIER_PATTERN, "maxLength": 251}

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("max_length", 251)
        kwargs.setdefault("field_name", "identifiers")
        help_text = kwargs.pop("help_text", f"The {kind} with this identifier in another database, as scheme:value.")
        kwargs["help_text"] = f"{help_text} Schemes: {documented_schemes(kind)}."
        super().__init__(*args, kind=kind, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        scheme, identifier = value
        # (scheme, value) is unique per kind: the join matches one row at most, never a duplicate.
        return qs.filter(**{f"{self.field_name}__scheme": scheme, f"{self.field_name}__value": identifier})


class TextFilter(DocumentedFilter, filters.CharFilter):
    schema = {"type": "string", "maxLength": MAX_TEXT}


class IntegerFilter(DocumentedFilter):
    field_class = StrictIntegerField

    def __init__(self, *args, min_value: int, max_value: int, **kwargs):
        self.schema = {"type": "integer", "minimum": min_value, "maximum": max_value}
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


def review_status_filter() -> filters.ChoiceFilter:
    """The record's own review state; any other value is a 400."""
    return filters.ChoiceFilter(
        field_name="review_status",
        choices=ReviewStatus.choices,
        help_text="Review state of the record itself: draft (not yet checked by a curator) or verified.",
    )


DISPUTED_HELP = (
    "true: only claims another claim contradicts (a `contradicts` link, either side; /disputes/ lists the pairs "
    "with both claims); false: only the others."
)


def disputed_filter(**kwargs) -> StrictBooleanFilter:
    return StrictBooleanFilter(method="filter_disputed", help_text=kwargs.pop("help_text", DISPUTED_HELP), **kwargs)


def text_filter(help_text: str, **kwargs) -> TextFilter:
    return TextFilter(max_length=MAX_TEXT, help_text=help_text, **kwargs)


class KeysetOrderingFilter(filters.OrderingFilter):
    """Ordering on a whitelist; NULLs last; ``id`` breaks ties (in the last
    key's direction) so that every list has one deterministic order (which
    keyset pagination relies on). A ranked search (``q``, records/search_rank.py)
    without an ordering asked for comes best match first, then in the default order."""

    def __init__(self, *args, default: str, compound: dict[str, tuple[str, ...]] | None = None, **kwargs):
        self.default = default
        # A parameter that sorts on several columns, in one direction: "career" is (person, career position).
        self.compound = compound or {}
        kwargs.setdefault("help_text", f"Sort order; prefix with - for descending. Default: {default}.")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        asked = [p for p in (value or []) if p]
        params = asked or [self.default]
        # The score is never NULL: a plain ascending key, as the index-free sort it is.
        ordering = [F(RANK).asc()] if not asked and RANK in qs.query.annotations else []
        for param in params:
            name = self.get_ordering_value(param)
            descending = name.startswith("-")
            for column in self.compound.get(name.lstrip("-"), (name.lstrip("-"),)):
                expression = F(column)
                ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        if not any(p.lstrip("-") == "id" for p in params):
            # Ties go by id in the direction of the last key: a descending order
            # is then the exact reverse of the ascending one (NULLs aside), and
            # one index on (key, id), read backwards, serves it.
            ordering.append(F("id").desc() if params[-1].startswith("-") else F("id").asc())
        return qs.order_by(*ordering)


class SourceKeyFilter(DocumentedFilter):
    field_class = SourceKeyField
    schema = {"type": "string", "maxLength": MAX_TEXT}


AS_OF_HELP = (
    "Knowledge time: the answer that sources published on or before this day support, as they stood then. A "
    "record no such source is cited for is absent, citations are theirs only, and a claim superseded later shows "
    "as it stood (`superseded_by` null). Distinct from `active_on` (valid time: when something was held) and "
    "combinable with it. Without it: everything known today."
)
ACCORDING_TO_HELP = "Only what this source (id or slug) is cited for, with its citations only."
INCLUDE_PENDING_HELP = (
    "Also show pending records: those a curator drafted on the workbench that no second curator has verified "
    "yet (`review_status` draft). Left out by default, from lists, details, nested records and `as_of`."
)


class RecordsFilterSet(filters.FilterSet):
    """The lists' filterset base: a value outside a parameter's choices (a
    status, an ordering, a reservation...) is refused with the valid values.
    Every list takes a point of view: ``as_of`` and ``according_to``
    (records/knowledge.py); nested records and citations follow it (the
    viewset passes it to the read spec)."""

    as_of = StrictDateFilter(method="keep", help_text=AS_OF_HELP, example="2022-01-10")
    according_to = SourceKeyFilter(method="keep", help_text=ACCORDING_TO_HELP, example="000_b84d1872df6a742e")
    include_pending = StrictBooleanFilter(method="keep", help_text=INCLUDE_PENDING_HELP)

    def keep(self, queryset, name, value):
        return queryset  # the point of view is applied once, to the filtered list (qs)

    @property
    def qs(self):
        # After every filter, whichever way a subclass filters (filter_queryset).
        if not hasattr(self, "_seen"):
            queryset = super().qs
            if "as_of" in self.filters and self.is_valid() and (point_of_view := self.point_of_view()):
                queryset = queryset.filter(self.known(point_of_view))
                versions = getattr(self.request, "data_versions", None)
                if (few := cited_by_few(self._meta.model, point_of_view, versions)) is not None:
                    queryset = queryset.filter(few)
            self._seen = queryset
        return self._seen

    def point_of_view(self) -> Knowledge:
        data = self.form.cleaned_data
        source = data.get("according_to")
        return Knowledge(
            as_of=data.get("as_of"),
            according_to=source.pk if source else None,
            pending=bool(data.get("include_pending")),
        )

    def filter_disputed(self, queryset, name, value):
        disputed = self.disputed_claims()
        return queryset.filter(disputed if value else ~disputed)

    @classmethod
    def disputed_claims(cls) -> Q:
        """The list's claims that sources tell differently (``disputed_filter``)."""
        return contradicted(cls._meta.model)

    @classmethod
    def known(cls, knowledge: Knowledge) -> Q:
        """The list's records this point of view knows (a list of links between records overrides it)."""
        return known(cls._meta.model, knowledge)

    @property
    def errors(self):
        errors = self.form.errors
        for name in list(errors):  # read on every request: the valid ones have none to look at
            field = self.form.fields.get(name)
            choices = [str(value) for value, _ in getattr(field, "choices", ()) if value not in ("", None)]
            if choices:
                valid = f"Valid values: {', '.join(choices)}."
                errors[name] = self.form.error_class(
                    [
                        error
                        if valid in " ".join(error.messages)
                        # As a parameter: the refused value may hold "%", which must not be read as a format.
                        else ValidationError("%(text)s", code=error.code, params={"text": f"{m} {valid}"})
                        for error in errors[name].as_data()
                        for m in error.messages
                    ]
                )
        return errors


class DateMatchFilterSet(RecordsFilterSet):
    """A filterset whose date filters read ``date_match`` (certainly/possibly)."""

    date_match = filters.ChoiceFilter(choices=DateMatch.CHOICES, method="_keep", help_text=DateMatch.HELP)

    def filter_queryset(self, queryset):
        self.date_mode = self.form.cleaned_data.get("date_match") or DateMatch.CERTAINLY
        return super().filter_queryset(queryset)

    def _keep(self, queryset, name, value):
        return queryset  # read by the date filters, not a filter itself

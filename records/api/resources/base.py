"""What every resource's viewset shares: public reads from its read specs,
errors and schema documentation, caching headers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, router, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters.filters import MultipleChoiceFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from records import remembered
from records.api import conditional, counters
from records.api.csv_export import FORMAT_PARAMETER, CsvRenderer, csv_response, list_responses, wants_csv
from records.api.dependencies import filterset_models, spec_models, tables
from records.api.errors import BAD_REQUEST, NOT_FOUND
from records.api.filter_backend import PreparedFilterBackend
from records.api.filtering import ACCORDING_TO_HELP, AS_OF_HELP, INCLUDE_PENDING_HELP
from records.api.history import HistoryMixin, document_history
from records.api.keyset import PagePlan
from records.api.lookup import record_key, record_q, record_slot_q
from records.api.pagination import KeysetPagination
from records.api.parameters import SourceKeyField, StrictBooleanField, StrictDateField
from records.api.readspec import Spec
from records.api.renderers import OrjsonRenderer
from records.compiled_queries import CompiledQuery
from records.dataversions import versions, versions_from, versions_query
from records.knowledge import EVERYTHING, WITH_PENDING, Knowledge


@contextmanager
def joins_as_written(using: str, wanted: bool = True):
    """PostgreSQL plans the queries run in this block with their joins in the
    order written (``join_collapse_limit = 1``, for this transaction only).
    Before it runs a query, PostgreSQL weighs every order of its joins: for a
    candidacy's eight (person, election, party, place, contest, constituency,
    district, verifier) that took 40 ms, to run a page in 1-2 ms. A list
    page's joins are to-one lookups from its own rows, which the written order
    reads well; a list whose filters need reordering (persons: people probed
    through their postings) must not use this."""
    connection = connections[using]
    if not wanted or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL join_collapse_limit = 1")
        yield
        # Back to the default here: inside an outer transaction (a test's), the
        # setting would otherwise last until that one ends.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL join_collapse_limit = DEFAULT")


class NotModified(Exception):
    """The requester has the answer already (raised before the view reads anything)."""


def documented(noun: str, plural: str, detail_extra: str = "", *, detail_responses: dict | None = None):
    """Stable operation ids, summaries and error responses for list + retrieve (+ history);
    ``detail_responses``: the detail's answers beyond 200, 400 and 404."""

    def decorate(viewset):
        keys = "id or slug" if any(f.name == "slug" for f in viewset.queryset.model._meta.fields) else "id"
        return extend_schema_view(
            list=list_schema(
                viewset.list_spec,
                operation_id=f"{plural.replace(' ', '_')}_list",
                summary=f"List {plural}",
                description=f"{plural.capitalize()}, filtered and ordered; keyset-paginated (follow `next`), "
                "or every one as CSV.",
            ),
            retrieve=extend_schema(
                operation_id=f"{plural.replace(' ', '_')}_retrieve",
                summary=f"Get one {noun}",
                description=f"One {noun} by {keys}{detail_extra}.",
                parameters=point_of_view_parameters(viewset),
                responses={
                    200: viewset.detail_spec.serializer_class,
                    **({400: BAD_REQUEST} if knows(viewset) else {}),
                    404: NOT_FOUND,
                    **(detail_responses or {}),
                },
                auth=[],
            ),
            **({"history": document_history(noun, plural)} if hasattr(viewset, "history") else {}),
        )(viewset)

    return decorate


def knows(viewset) -> bool:
    """Whether the resource's reads take a point of view (``as_of``, ``according_to``)."""
    filterset = getattr(viewset, "filterset_class", None)
    return filterset is not None and "as_of" in filterset.base_filters


def point_of_view_parameters(viewset) -> list[OpenApiParameter]:
    """A detail answers from the same point of view as its list: documented where it does."""
    if not knows(viewset):
        return []
    return [
        OpenApiParameter(
            "as_of",
            OpenApiTypes.DATE,
            description=f"{AS_OF_HELP} A record no source published by then supports is a 404.",
            examples=[OpenApiExample("what the first article allowed", value="2022-01-10")],
        ),
        OpenApiParameter(
            "according_to",
            OpenApiTypes.STR,
            description=ACCORDING_TO_HELP,
            examples=[OpenApiExample("one source, by slug", value="000_b84d1872df6a742e")],
        ),
        OpenApiParameter(
            "include_pending",
            OpenApiTypes.BOOL,
            description=f"{INCLUDE_PENDING_HELP} A pending record's own detail is a 404 without it.",
        ),
    ]


def refuse_unknown_parameters(params, filters: dict, also=()) -> None:
    """A 400 naming each parameter that is neither one of ``filters`` nor of
    ``also`` (paging), and each single-valued one given more than once."""
    known = {*filters, *also}
    unknown = sorted(set(params) - known)
    if unknown:
        takes = ", ".join(sorted(known))
        raise ValidationError({name: [f"Not a parameter of this list; it takes: {takes}."] for name in unknown})
    # "Last one wins" would silently drop a value: only multi-valued filters repeat.
    repeated = sorted(
        name
        for name in params
        if len(params.getlist(name)) > 1 and not isinstance(filters.get(name), MultipleChoiceFilter)
    )
    if repeated:
        raise ValidationError({name: ["Given more than once; this parameter takes one value."] for name in repeated})


def list_schema(spec: Spec, **kwargs):
    """A list operation's schema: a JSON page of ``spec``'s records, or all of them as CSV."""
    return extend_schema(
        parameters=[FORMAT_PARAMETER],
        responses={**list_responses(spec), 400: BAD_REQUEST},
        auth=[],
        **kwargs,
    )


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Public reads, from each resource's read specs (records/api/readspec.py):
    a list page and a detail are ``.values()`` rows turned into JSON, never
    model instances through serializers."""

    permission_classes = [permissions.AllowAny]
    filter_backends = [PreparedFilterBackend]
    pagination_class = KeysetPagination
    renderer_classes = [OrjsonRenderer]
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    list_spec: Spec
    detail_spec: Spec
    # Models read by code of the viewset's own that its specs and filterset do not show.
    reads: tuple = ()
    # Whether PostgreSQL plans a list page's joins in the order written (joins_as_written).
    page_joins_as_written = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "list_spec" in cls.__dict__:
            cls.detail_spec = cls.__dict__.get("detail_spec", cls.list_spec)
            cls.serializer_class = cls.list_spec.serializer_class  # what OPTIONS and the schema describe
            cls.detail_serializer_class = cls.detail_spec.serializer_class

    def get_serializer_class(self):
        if self.action == "retrieve":
            return self.detail_serializer_class
        return self.serializer_class

    # -- conditional GETs (records/api/conditional.py) --

    @classmethod
    def answer_tables(cls, action: str) -> frozenset[str] | None:
        """The tables an action's answer is read from; None: the action has no
        conditional GET of its own (the body's hash serves as its ETag)."""
        return _answer_tables(cls, action)

    @classmethod
    def answer_models(cls, action: str) -> set | None:
        if action == "list":
            return spec_models(cls.list_spec) | filterset_models(cls.filterset_class) | set(cls.reads)
        if action == "retrieve":
            return spec_models(cls.detail_spec) | filterset_models(cls.filterset_class) | set(cls.reads)
        return None

    def initial(self, request, *args, **kwargs):
        answer_tables = self.answer_tables(self.action) if request.method in ("GET", "HEAD") else None
        # The tables' versions are read with the request's rate count where the database can
        # (records/api/counters.py: one round trip for both on PostgreSQL), else on their own;
        # from the database the answer is read from: a replica that has not replayed a write
        # yet tags (and counts, records/remembered.py) what it has, not what the primary has.
        reads_from = router.db_for_read(self.queryset.model)
        self.read_with_rate_count = (
            counters.Alongside(*versions_query(answer_tables), using=reads_from) if answer_tables else None
        )
        super().initial(request, *args, **kwargs)  # authenticated, allowed, throttled, media type chosen
        self.validators = None
        request.data_versions = None  # its tables' versions, when all have one (records/remembered.py)
        if answer_tables is not None:
            read = self.read_with_rate_count
            if read is not None and read.rows is not None:
                found = versions_from(read.rows)
            else:
                found = versions(answer_tables, using=reads_from)
            if len(found) == len(answer_tables):
                request.data_versions = found
            self.validators = conditional.validators_for(
                request, answer_tables, request.accepted_media_type, found=found
            )
            if self.validators is not None and self.validators.matches(request):
                raise NotModified()

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            response = Response(status=304)
            self.validators.set_headers(response, etag=self.validators.matching_etag(self.request))
            return response
        return super().handle_exception(exc)

    def get_queryset(self):
        if self.action == "retrieve":
            return self.detail_queryset()
        return self.list_queryset()

    def list_queryset(self):
        return self.queryset.all()

    def detail_queryset(self):
        return self.list_queryset()

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset  # list filters do not apply to one record
        if self.action == "list":
            self.refuse_unknown_parameters()
        return super().filter_queryset(queryset)

    def get_renderers(self):
        renderers = super().get_renderers()
        return [*renderers, CsvRenderer()] if self.action == "list" else renderers

    def perform_content_negotiation(self, request, force=False):
        # DRF answers an unknown ?format= with a 404; it is a bad parameter.
        wanted = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if wanted is not None and not force:
            formats = [renderer.format for renderer in self.get_renderers()]
            if wanted not in formats:
                lists_only = " (CSV is for lists)" if wanted == CsvRenderer.format else ""
                message = f"Must be {' or '.join(formats)}{lists_only}."
                raise ValidationError({api_settings.URL_FORMAT_OVERRIDE: [message]})
        return super().perform_content_negotiation(request, force)

    def list(self, request, *args, **kwargs):
        if wants_csv(request):
            self.refuse_paging_parameters()
            return csv_response(self, self.filter_queryset(self.get_queryset()))
        plan = self.page_plan(request)
        with joins_as_written(plan.using, self.page_joins_as_written):
            rows = self.paginator.paginate_plan(plan, request)
        context = {"request": request, "knowledge": plan.knowledge}
        return self.get_paginated_response(self.list_spec.build(rows, context))

    def page_plan(self, request, make: Callable[[], PagePlan] | None = None) -> PagePlan:
        """The list's rows for the question the request asks (every parameter
        but the paging ones), filtered, ordered and compiled: kept while the
        tables its answer is read from keep their versions (records/remembered.py),
        the reasoning by which an unchanged data tag already answers 304. A page
        that asks a kept question again (the next page, or the same one) skips
        the filters, the queryset and its compiling; its SQL still runs.
        A question refused (a 400) is not kept: it is asked again, and refused.
        ``make``: the plan of an action's rows other than the list's."""
        params = request.query_params
        paging = self.paginator.query_parameters
        question = tuple(sorted((name, tuple(params.getlist(name))) for name in params if name not in paging))
        using = router.db_for_read(self.queryset.model)

        def list_plan() -> PagePlan:
            queryset = self.filter_queryset(self.get_queryset())
            knowledge = self.read_context()["knowledge"]
            return PagePlan(queryset, self.list_spec.columns(), knowledge=knowledge)

        key = (type(self), self.action, tuple(sorted(self.kwargs.items())), using, question)
        return remembered.plan(key, request.data_versions, make or list_plan)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.read_detail())

    def read_detail(self) -> dict:
        """The detail's JSON of the record the URL names, from the request's point
        of view; 404 when there is none (or none known as of that day)."""
        context = self.read_context()
        named = self.lookup_key()
        if named is None:
            raise Http404
        field, value = named
        rows = self.detail_plan(field, context["knowledge"]).values(key=value)
        if not rows:
            raise Http404
        return self.detail_spec.build(rows, context)[0]

    def detail_plan(self, field: str, knowledge: Knowledge) -> CompiledQuery:
        """The SQL that reads a record by ``field`` (its value a slot) from a
        point of view, compiled once and kept as a list's plan is (page_plan)."""
        model = self.queryset.model
        using = router.db_for_read(model)

        def make() -> CompiledQuery:
            queryset = self.get_queryset().filter(record_slot_q(model, field))
            if knowledge and knows(self):  # a resource without points of view shows every record
                queryset = queryset.filter(self.filterset_class.known(knowledge))
            return CompiledQuery(queryset.order_by().values(*self.detail_spec.columns())[:1])

        others = tuple(sorted((k, v) for k, v in self.kwargs.items() if k != self.lookup_field))
        key = (type(self), "detail", others, using, field, knowledge)
        # Writes read their record back with no versions (request.data_versions): never kept.
        return remembered.plan(key, getattr(self.request, "data_versions", None), make)

    def read_context(self) -> dict:
        """What a read spec builds with: the request and its point of view
        (``as_of``, ``according_to``, ``include_pending``: records/knowledge.py);
        a bad value is a 400. A write's answer shows the record written, pending or not."""
        if self.request.method not in ("GET", "HEAD"):
            return {"request": self.request, "knowledge": WITH_PENDING}
        if not knows(self):
            return {"request": self.request, "knowledge": EVERYTHING}
        filterset = getattr(self, "filterset", None)  # a list's, once it has filtered (filter_backend.py)
        if filterset is not None and filterset.is_valid():
            return {"request": self.request, "knowledge": filterset.point_of_view()}
        params, values, errors = self.request.query_params, {}, {}
        fields = (
            ("as_of", StrictDateField()),
            ("according_to", SourceKeyField()),
            ("include_pending", StrictBooleanField()),
        )
        for name, field in fields:
            if params.get(name) not in (None, ""):
                try:
                    values[name] = field.clean(params[name])
                except DjangoValidationError as exc:
                    errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)
        source = values.get("according_to")
        knowledge = Knowledge(
            as_of=values.get("as_of"),
            according_to=source.pk if source else None,
            pending=bool(values.get("include_pending")),
        )
        return {"request": self.request, "knowledge": knowledge}

    def refuse_unknown_parameters(self, filters=None):
        """A parameter the list does not take is a 400 naming it: a mistyped
        filter (`actve_on`) must not quietly answer with the unfiltered list.
        `filters`: the list's (default: the filterset's)."""
        filters = self.filterset_class.base_filters if filters is None else filters
        also = {*self.paginator.query_parameters, api_settings.URL_FORMAT_OVERRIDE}
        refuse_unknown_parameters(self.request.query_params, filters, also)

    def refuse_paging_parameters(self):
        """A CSV export is every matching record: paging it is a mistake worth naming."""
        paging = sorted(set(self.request.query_params) & self.paginator.query_parameters)
        if paging:
            message = "A CSV export holds every matching record: it takes no cursor, page_size or count."
            raise ValidationError({name: [message] for name in paging})

    def lookup(self) -> Q:
        """The record the URL names: by id, or by slug where the model has one."""
        return record_q(self.queryset.model, self.kwargs[self.lookup_field])

    def lookup_key(self) -> tuple[str, int | str] | None:
        """``lookup`` as (field, value); None when the URL's key can name no record."""
        return record_key(self.queryset.model, self.kwargs[self.lookup_field])

    def get_object(self):
        obj = get_object_or_404(self.queryset.all(), self.lookup())
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and wants_csv(request):
            # Not a CSV export (an error, a 429...): errors are JSON whatever was asked.
            request.accepted_renderer, request.accepted_media_type = OrjsonRenderer(), OrjsonRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            conditional.vary(response)  # Accept among them: JSON or CSV, a cache must keep them apart
            if response.status_code in (200, 304):
                response.setdefault("Cache-Control", conditional.cache_control(request))
        validators = getattr(self, "validators", None)  # a GET's, or a write's reading its record back
        if validators is not None and response.status_code == 200:
            if isinstance(response, Response):
                # The body's part of the ETag once it is rendered.
                response.add_post_render_callback(
                    lambda done: validators.set_headers(done, etag=validators.etag(done.content))
                )
            else:  # a streamed CSV export: no body to hash, the data part names it
                validators.set_headers(response, etag=f'"{validators.data_tag}"')
        return response


class RecordViewSet(HistoryMixin, ReadViewSet):
    """A curated record's reads and its edit history; each viewset adds curators'
    writes (records.api.writes)."""


@functools.cache
def _answer_tables(viewset, action: str) -> frozenset[str] | None:
    models = viewset.answer_models(action)
    return None if models is None else tables(models)

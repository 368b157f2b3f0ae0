"""What every resource's viewset shares: public reads from its read specs,
errors and schema documentation, caching headers."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters.filters import MultipleChoiceFilter
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from records.api import conditional
from records.api.dependencies import filterset_models, spec_models, tables
from records.api.errors import BAD_REQUEST, NOT_FOUND
from records.api.filter_backend import PreparedFilterBackend
from records.api.filtering import SourceKeyField, StrictDateField
from records.api.history import HistoryMixin, document_history
from records.api.lookup import record_q
from records.api.pagination import KeysetPagination
from records.api.readspec import Spec
from records.api.renderers import OrjsonRenderer
from records.knowledge import EVERYTHING, Knowledge


class NotModified(Exception):
    """The requester has the answer already (raised before the view reads anything)."""


def documented(noun: str, plural: str, detail_extra: str = ""):
    """Stable operation ids, summaries and error responses for list + retrieve (+ history)."""

    def decorate(viewset):
        keys = "id or slug" if any(f.name == "slug" for f in viewset.queryset.model._meta.fields) else "id"
        return extend_schema_view(
            list=extend_schema(
                operation_id=f"{plural.replace(' ', '_')}_list",
                summary=f"List {plural}",
                description=f"{plural.capitalize()}, filtered and ordered; keyset-paginated (follow `next`).",
                responses={200: viewset.list_spec.serializer(many=True), 400: BAD_REQUEST},
                auth=[],
            ),
            retrieve=extend_schema(
                operation_id=f"{plural.replace(' ', '_')}_retrieve",
                summary=f"Get one {noun}",
                description=f"One {noun} by {keys}{detail_extra}.",
                responses={200: viewset.detail_spec.serializer_class, 404: NOT_FOUND},
                auth=[],
            ),
            **({"history": document_history(noun, plural)} if hasattr(viewset, "history") else {}),
        )(viewset)

    return decorate


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
        super().initial(request, *args, **kwargs)  # authenticated, allowed, throttled, media type chosen
        self.validators = None
        if request.method in ("GET", "HEAD"):
            answer_tables = self.answer_tables(self.action)
            if answer_tables is not None:
                self.validators = conditional.validators_for(request, answer_tables, request.accepted_media_type)
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

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginator.paginate_values(queryset, request, tuple(self.list_spec.columns()))
        return self.get_paginated_response(self.list_spec.build(rows, self.read_context()))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.read_detail())

    def read_detail(self) -> dict:
        """The detail's JSON of the record the URL names, from the request's point
        of view; 404 when there is none (or none known as of that day)."""
        context = self.read_context()
        queryset = self.get_queryset().filter(self.lookup())
        if context["knowledge"]:
            queryset = queryset.filter(self.filterset_class.known(context["knowledge"]))
        data = self.detail_spec.one(queryset, context)
        if data is None:
            raise Http404
        return data

    def read_context(self) -> dict:
        """What a read spec builds with: the request and its point of view
        (``as_of``, ``according_to``: records/knowledge.py); a bad value is a 400."""
        knows = "as_of" in getattr(self.filterset_class, "base_filters", {})
        if self.request.method not in ("GET", "HEAD") or not knows:
            return {"request": self.request, "knowledge": EVERYTHING}
        params, values, errors = self.request.query_params, {}, {}
        for name, field in (("as_of", StrictDateField()), ("according_to", SourceKeyField())):
            if params.get(name) not in (None, ""):
                try:
                    values[name] = field.clean(params[name])
                except DjangoValidationError as exc:
                    errors[name] = exc.messages
        if errors:
            raise ValidationError(errors)
        source = values.get("according_to")
        knowledge = Knowledge(as_of=values.get("as_of"), according_to=source.pk if source else None)
        return {"request": self.request, "knowledge": knowledge}

    def refuse_unknown_parameters(self, filters=None):
        """A parameter the list does not take is a 400 naming it: a mistyped
        filter (`actve_on`) must not quietly answer with the unfiltered list.
        `filters`: the list's (default: the filterset's)."""
        filters = self.filterset_class.base_filters if filters is None else filters
        known = {*filters, *self.paginator.query_parameters}
        params = self.request.query_params
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
            raise ValidationError(
                {name: ["Given more than once; this parameter takes one value."] for name in repeated}
            )

    def lookup(self) -> Q:
        """The record the URL names: by id, or by slug where the model has one."""
        return record_q(self.queryset.model, self.kwargs[self.lookup_field])

    def get_object(self):
        obj = get_object_or_404(self.queryset.all(), self.lookup())
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            conditional.vary(response)
            if response.status_code in (200, 304):
                response.setdefault("Cache-Control", conditional.cache_control(request))
        validators = getattr(self, "validators", None)  # a GET's, or a write's reading its record back
        if validators is not None and response.status_code == 200:
            # The body's part of the ETag once it is rendered.
            response.add_post_render_callback(
                lambda done: validators.set_headers(done, etag=validators.etag(done.content))
            )
        return response


class RecordViewSet(HistoryMixin, ReadViewSet):
    """A curated record's reads and its edit history; each viewset adds curators'
    writes (records.api.writes)."""


@functools.cache
def _answer_tables(viewset, action: str) -> frozenset[str] | None:
    models = viewset.answer_models(action)
    return None if models is None else tables(models)

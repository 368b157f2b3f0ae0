"""The endpoints. Each viewset declares its querysets (all eager loading
lives there), serializers and filterset; shared behaviour is in RecordViewSet.
Writes (curators only) come from records.api.writes: RecordWritesMixin and a
write serializer per resource."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters.filters import MultipleChoiceFilter
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from records.api import filtersets, writes
from records.api.errors import BAD_REQUEST, NOT_FOUND
from records.api.filter_backend import PreparedFilterBackend
from records.api.history import HistoryMixin, document_history, pagination_parameters
from records.api.lookup import record_q
from records.api.merges import MergedPersonMixin
from records.api.pagination import KeysetPagination
from records.api.readspec import Spec
from records.api.renderers import OrjsonRenderer
from records.api.resources import elections, gazetteer, persons, postings, results, sources
from records.models import (
    Candidacy,
    Citation,
    Constituency,
    Contest,
    Election,
    Organisation,
    Party,
    Person,
    Place,
    Posting,
    Source,
)

CACHE_CONTROL = "public, max-age=60"


def documented(noun: str, plural: str, detail_extra: str = ""):
    """Stable operation ids, summaries and error responses for list + retrieve."""

    def decorate(viewset):
        keys = "id or slug" if any(f.name == "slug" for f in viewset.queryset.model._meta.fields) else "id"
        return extend_schema_view(
            list=extend_schema(
                operation_id=f"{plural}_list",
                summary=f"List {plural}",
                description=f"{plural.capitalize()}, filtered and ordered; keyset-paginated (follow `next`).",
                responses={200: viewset.list_spec.serializer(many=True), 400: BAD_REQUEST},
                auth=[],
            ),
            retrieve=extend_schema(
                operation_id=f"{plural}_retrieve",
                summary=f"Get one {noun}",
                description=f"One {noun} by {keys}{detail_extra}.",
                responses={200: viewset.detail_spec.serializer_class, 404: NOT_FOUND},
                auth=[],
            ),
            history=document_history(noun, plural),
        )(viewset)

    return decorate


class RecordViewSet(HistoryMixin, viewsets.ReadOnlyModelViewSet):
    """Public reads, from each resource's read specs (records/api/readspec.py):
    a list page and a detail are ``.values()`` rows turned into JSON, never
    model instances through serializers. Each viewset adds curators' writes
    (records.api.writes)."""

    permission_classes = [permissions.AllowAny]
    filter_backends = [PreparedFilterBackend]
    pagination_class = KeysetPagination
    renderer_classes = [OrjsonRenderer]
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    list_spec: Spec
    detail_spec: Spec

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
        return self.get_paginated_response(self.list_spec.build(rows, {"request": request}))

    def retrieve(self, request, *args, **kwargs):
        return Response(self.read_detail())

    def read_detail(self) -> dict:
        """The detail's JSON of the record the URL names; 404 when there is none."""
        data = self.detail_spec.one(self.get_queryset().filter(self.lookup()), {"request": self.request})
        if data is None:
            raise Http404
        return data

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
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.setdefault("Cache-Control", CACHE_CONTROL)
        return response


@documented("person", "persons", " with aliases, relations, postings, party memberships, candidacies, events")
@writes.documented_writes("person", "persons")
class PersonViewSet(MergedPersonMixin, writes.RecordWritesMixin, RecordViewSet):
    queryset = Person.objects.all()
    list_spec = persons.PERSON
    detail_spec = persons.PERSON_DETAIL
    write_serializer_class = writes.PersonWriteSerializer
    filterset_class = filtersets.PersonFilterSet


@documented("posting", "postings")
@writes.documented_writes("posting", "postings")
class PostingViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Posting.objects.all()
    list_spec = postings.POSTING
    write_serializer_class = writes.PostingWriteSerializer
    filterset_class = filtersets.PostingFilterSet


@documented("party", "parties", " with aliases, leaders and election results")
@writes.documented_writes("party", "parties")
class PartyViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Party.objects.all()
    list_spec = gazetteer.PARTY
    detail_spec = gazetteer.PARTY_DETAIL
    write_serializer_class = writes.PartyWriteSerializer
    filterset_class = filtersets.PartyFilterSet


@documented("organisation", "organisations")
@writes.documented_writes("organisation", "organisations")
class OrganisationViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Organisation.objects.all()
    list_spec = gazetteer.ORGANISATION
    write_serializer_class = writes.OrganisationWriteSerializer
    filterset_class = filtersets.OrganisationFilterSet


@documented("place", "places")
@writes.documented_writes("place", "places")
class PlaceViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Place.objects.all()
    list_spec = gazetteer.PLACE
    write_serializer_class = writes.PlaceWriteSerializer
    filterset_class = filtersets.PlaceFilterSet


@documented(
    "election",
    "elections",
    " with phases, party results and candidacies; the official results per party, computed from the "
    "imported contests; and each claimed party result checked against them",
)
@writes.documented_writes("election", "elections")
class ElectionViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Election.objects.all()
    list_spec = elections.ELECTION
    detail_spec = elections.ELECTION_DETAIL
    write_serializer_class = writes.ElectionWriteSerializer
    filterset_class = filtersets.ElectionFilterSet


@documented("constituency", "constituencies")
@writes.documented_writes("constituency", "constituencies")
class ConstituencyViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Constituency.objects.all()
    list_spec = results.CONSTITUENCY
    write_serializer_class = writes.ConstituencyWriteSerializer
    filterset_class = filtersets.ConstituencyFilterSet


@documented("contest", "contests", ", with every candidate's result, most votes first")
@writes.documented_writes("contest", "contests")
class ContestViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Contest.objects.all()
    list_spec = results.CONTEST
    detail_spec = results.CONTEST_DETAIL
    write_serializer_class = writes.ContestWriteSerializer
    filterset_class = filtersets.ContestFilterSet

    def list_queryset(self):
        # Annotated, so that the keyset paginator can order, filter and resume on them.
        winners = Candidacy.objects.filter(won=True, contest=OuterRef("pk")).order_by("id")
        return Contest.objects.annotate(
            constituency_number=F("constituency__number"),
            winner_margin=Subquery(winners.values("margin")[:1]),
        )


@documented("source", "sources", ", with its verbatim text and every quote records cite from it")
@writes.documented_writes("source", "sources")
class SourceViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Source.objects.all()
    list_spec = sources.SOURCE
    detail_spec = sources.SOURCE_DETAIL
    write_serializer_class = writes.SourceWriteSerializer
    filterset_class = filtersets.SourceFilterSet

    def detail_queryset(self):
        claims_count = (
            Citation.objects.filter(source=OuterRef("pk")).order_by().values("source").annotate(n=Count("id"))
        )
        return Source.objects.annotate(claims_count=Coalesce(Subquery(claims_count.values("n")), 0))

    @extend_schema(
        operation_id="sources_claims",
        summary="Every claim of one source",
        description="The quotes that records cite from the source, in the text's order (a dataset's, which have "
        "no offsets, last, by id); keyset-paginated (follow `next`).",
        responses={200: sources.ClaimPageSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        filters=False,
        parameters=pagination_parameters(),
        auth=[],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="claims",
        filter_backends=[],
        serializer_class=sources.CLAIM_CITATION.serializer_class,
    )
    def claims(self, request, *args, **kwargs):
        self.refuse_unknown_parameters(filters={})
        source = get_object_or_404(Source.objects.only("id"), self.lookup())
        claims = Citation.objects.filter(source=source).order_by(*sources.IN_TEXT_ORDER)
        spec = sources.CLAIM_CITATION
        rows = self.paginator.paginate_values(claims, request, tuple(spec.columns()))
        return self.paginator.get_paginated_response(spec.build(rows))

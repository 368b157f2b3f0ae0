"""Read-only endpoints. Each viewset declares its querysets (all eager loading
lives there), serializers and filterset; shared behaviour is in RecordViewSet."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from records.api import filtersets
from records.api.errors import BAD_REQUEST, NOT_FOUND
from records.api.pagination import KeysetPagination
from records.api.serializers import elections, gazetteer, people, postings, sources
from records.api.serializers.common import citations_prefetch
from records.models import (
    Candidacy,
    Citation,
    Election,
    Event,
    Organisation,
    Party,
    PartyResult,
    Person,
    PersonRelation,
    Place,
    Posting,
    Source,
)

CACHE_CONTROL = "public, max-age=60"


def documented(noun: str, plural: str, detail_extra: str = ""):
    """Stable operation ids, summaries and error responses for list + retrieve."""

    def decorate(viewset):
        detail = viewset.detail_serializer_class or viewset.serializer_class
        return extend_schema_view(
            list=extend_schema(
                operation_id=f"{plural}_list",
                summary=f"List {plural}",
                description=f"{plural.capitalize()}, filtered and ordered; keyset-paginated (follow `next`).",
                responses={200: viewset.serializer_class(many=True), 400: BAD_REQUEST},
                auth=[],
            ),
            retrieve=extend_schema(
                operation_id=f"{plural}_retrieve",
                summary=f"Get one {noun}",
                description=f"One {noun} by id or slug{detail_extra}.",
                responses={200: detail, 404: NOT_FOUND},
                auth=[],
            ),
        )(viewset)

    return decorate


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    # Read-only and public: a write method is a 405, whoever asks.
    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]
    pagination_class = KeysetPagination
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def get_queryset(self):
        if self.action == "retrieve":
            return self.detail_queryset()
        return self.list_queryset()

    def list_queryset(self):
        return self.queryset

    def detail_queryset(self):
        return self.list_queryset()

    def filter_queryset(self, queryset):
        if self.action == "retrieve":
            return queryset  # list filters do not apply to one record
        return super().filter_queryset(queryset)

    def get_object(self):
        key = self.kwargs[self.lookup_field]
        has_slug = any(f.name == "slug" for f in self.queryset.model._meta.fields)
        lookup = Q(pk=int(key)) if key.isdigit() else (Q(slug=key) if has_slug else Q(pk__in=[]))
        obj = get_object_or_404(self.get_queryset(), lookup)
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.setdefault("Cache-Control", CACHE_CONTROL)
        return response


@documented("person", "persons", " with aliases, relations, postings, party memberships, candidacies, events")
class PersonViewSet(RecordViewSet):
    queryset = Person.objects.all()
    serializer_class = people.PersonSerializer
    detail_serializer_class = people.PersonDetailSerializer
    filterset_class = filtersets.PersonFilterSet

    def list_queryset(self):
        return Person.objects.select_related("native_place")

    def detail_queryset(self):
        return self.list_queryset().prefetch_related(
            "aliases",
            citations_prefetch("aliases__citations"),
            "identifiers",
            Prefetch("relations_as_subject", queryset=_relations().select_related("object")),
            citations_prefetch("relations_as_subject__citations"),
            Prefetch("relations_as_object", queryset=_relations().select_related("subject")),
            citations_prefetch("relations_as_object__citations"),
            Prefetch("postings", queryset=Posting.objects.select_related("organisation", "place")),
            citations_prefetch("postings__citations"),
            Prefetch("candidacies", queryset=_candidacies()),
            citations_prefetch("candidacies__citations"),
            Prefetch("events", queryset=Event.objects.select_related("organisation")),
            "events__participants",
            Prefetch("events__contradicts", queryset=Event.objects.only("id")),
            citations_prefetch("events__citations"),
            citations_prefetch(),
        )


def _relations():
    return PersonRelation.objects.order_by("id")


def _candidacies():
    return Candidacy.objects.select_related("election", "party", "place")


@documented("posting", "postings")
class PostingViewSet(RecordViewSet):
    queryset = Posting.objects.all()
    serializer_class = postings.PostingSerializer
    filterset_class = filtersets.PostingFilterSet

    def list_queryset(self):
        return Posting.objects.select_related("person", "organisation", "place").prefetch_related(citations_prefetch())


@documented("party", "parties", " with aliases, leaders and election results")
class PartyViewSet(RecordViewSet):
    queryset = Party.objects.all()
    serializer_class = gazetteer.PartySerializer
    detail_serializer_class = elections.PartyDetailSerializer
    filterset_class = filtersets.PartyFilterSet

    def list_queryset(self):
        return Party.objects.prefetch_related("aliases", citations_prefetch("aliases__citations"), citations_prefetch())

    def detail_queryset(self):
        leaders = Posting.objects.filter(role__iexact="leader").select_related("person")
        return self.list_queryset().prefetch_related(
            Prefetch("postings", queryset=leaders, to_attr="leader_postings"),
            citations_prefetch("leader_postings__citations"),
            Prefetch("results", queryset=PartyResult.objects.select_related("election")),
            citations_prefetch("results__citations"),
        )


@documented("organisation", "organisations")
class OrganisationViewSet(RecordViewSet):
    queryset = Organisation.objects.all()
    serializer_class = gazetteer.OrganisationSerializer
    filterset_class = filtersets.OrganisationFilterSet

    def list_queryset(self):
        return Organisation.objects.select_related("place").prefetch_related(
            "aliases", citations_prefetch("aliases__citations"), citations_prefetch()
        )


@documented("place", "places")
class PlaceViewSet(RecordViewSet):
    queryset = Place.objects.all()
    serializer_class = gazetteer.PlaceSerializer
    filterset_class = filtersets.PlaceFilterSet

    def list_queryset(self):
        return Place.objects.prefetch_related(citations_prefetch())


@documented("election", "elections", " with phases, party results and candidacies")
class ElectionViewSet(RecordViewSet):
    queryset = Election.objects.all()
    serializer_class = elections.ElectionSerializer
    detail_serializer_class = elections.ElectionDetailSerializer
    filterset_class = filtersets.ElectionFilterSet

    def list_queryset(self):
        return Election.objects.select_related("jurisdiction", "body").prefetch_related(citations_prefetch())

    def detail_queryset(self):
        return self.list_queryset().prefetch_related(
            "phases",
            citations_prefetch("phases__citations"),
            Prefetch("results", queryset=PartyResult.objects.select_related("party")),
            citations_prefetch("results__citations"),
            Prefetch("candidacies", queryset=_candidacies().select_related("person")),
            citations_prefetch("candidacies__citations"),
        )


@documented("source", "sources", ", with its verbatim text and every quote records cite from it")
class SourceViewSet(RecordViewSet):
    queryset = Source.objects.all()
    serializer_class = sources.SourceSerializer
    detail_serializer_class = sources.SourceDetailSerializer
    filterset_class = filtersets.SourceFilterSet

    def list_queryset(self):
        return Source.objects.defer("text")

    def detail_queryset(self):
        claims = Citation.objects.select_related("content_type").order_by("start", "id")
        return Source.objects.prefetch_related(Prefetch("citations", queryset=claims))

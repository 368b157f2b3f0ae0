"""The endpoints. Each viewset declares its querysets (all eager loading
lives there), serializers and filterset; shared behaviour is in RecordViewSet.
Writes (curators only) come from records.api.writes: RecordWritesMixin and a
write serializer per resource."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django_filters.filters import MultipleChoiceFilter
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from records.api import filtersets, writes
from records.api.errors import BAD_REQUEST, NOT_FOUND
from records.api.fast import elections as fast_elections
from records.api.fast import people as fast_people
from records.api.fast import postings as fast_postings
from records.api.fast.filtering import PreparedFilterBackend
from records.api.fast.views import FastReadsMixin
from records.api.history import HistoryMixin, document_history, pagination_parameters
from records.api.lookup import record_q
from records.api.merges import MergedPersonMixin
from records.api.pagination import KeysetPagination
from records.api.serializers import elections, gazetteer, people, postings, results, sources
from records.api.serializers.common import citations_prefetch
from records.models import (
    Candidacy,
    Citation,
    Constituency,
    Contest,
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
from records.tally import check_claims, contest_sources, official_tally, ranked, tally_parties

CACHE_CONTROL = "public, max-age=60"


def documented(noun: str, plural: str, detail_extra: str = ""):
    """Stable operation ids, summaries and error responses for list + retrieve."""

    def decorate(viewset):
        detail = viewset.detail_serializer_class or viewset.serializer_class
        keys = "id or slug" if any(f.name == "slug" for f in viewset.queryset.model._meta.fields) else "id"
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
                description=f"One {noun} by {keys}{detail_extra}.",
                responses={200: detail, 404: NOT_FOUND},
                auth=[],
            ),
            history=document_history(noun, plural),
        )(viewset)

    return decorate


class RecordViewSet(HistoryMixin, viewsets.ReadOnlyModelViewSet):
    # Public reads; each viewset adds curators' writes (records.api.writes).
    permission_classes = [permissions.AllowAny]
    filter_backends = [PreparedFilterBackend]
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
        if self.action == "list":
            self.refuse_unknown_parameters()
        return super().filter_queryset(queryset)

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
        obj = get_object_or_404(self.get_queryset(), self.lookup())
        self.check_object_permissions(self.request, obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.setdefault("Cache-Control", CACHE_CONTROL)
        return response


@documented("person", "persons", " with aliases, relations, postings, party memberships, candidacies, events")
@writes.documented_writes("person", "persons")
class PersonViewSet(MergedPersonMixin, writes.RecordWritesMixin, FastReadsMixin, RecordViewSet):
    fast_list = fast_people.PERSON_LIST
    fast_detail = staticmethod(fast_people.person_detail)
    queryset = Person.objects.all()
    write_serializer_class = writes.PersonWriteSerializer
    serializer_class = people.PersonSerializer
    detail_serializer_class = people.PersonDetailSerializer
    filterset_class = filtersets.PersonFilterSet

    def list_queryset(self):
        return Person.objects.select_related("native_place", "verified_by")

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
            Prefetch("candidacies", queryset=_candidacies().select_related("contest__constituency__district")),
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
@writes.documented_writes("posting", "postings")
class PostingViewSet(writes.RecordWritesMixin, FastReadsMixin, RecordViewSet):
    fast_list = fast_postings.POSTING_LIST
    queryset = Posting.objects.all()
    write_serializer_class = writes.PostingWriteSerializer
    serializer_class = postings.PostingSerializer
    filterset_class = filtersets.PostingFilterSet

    def list_queryset(self):
        return Posting.objects.select_related("person", "organisation", "place", "verified_by").prefetch_related(
            citations_prefetch()
        )


@documented("party", "parties", " with aliases, leaders and election results")
@writes.documented_writes("party", "parties")
class PartyViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Party.objects.all()
    write_serializer_class = writes.PartyWriteSerializer
    serializer_class = gazetteer.PartySerializer
    detail_serializer_class = elections.PartyDetailSerializer
    filterset_class = filtersets.PartyFilterSet

    def list_queryset(self):
        return Party.objects.select_related("verified_by").prefetch_related(
            "aliases", citations_prefetch("aliases__citations"), citations_prefetch()
        )

    def detail_queryset(self):
        leaders = Posting.objects.filter(role__iexact="leader").select_related("person")
        return self.list_queryset().prefetch_related(
            Prefetch("postings", queryset=leaders, to_attr="leader_postings"),
            citations_prefetch("leader_postings__citations"),
            Prefetch("results", queryset=PartyResult.objects.select_related("election")),
            citations_prefetch("results__citations"),
        )


@documented("organisation", "organisations")
@writes.documented_writes("organisation", "organisations")
class OrganisationViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Organisation.objects.all()
    write_serializer_class = writes.OrganisationWriteSerializer
    serializer_class = gazetteer.OrganisationSerializer
    filterset_class = filtersets.OrganisationFilterSet

    def list_queryset(self):
        return Organisation.objects.select_related("place", "verified_by").prefetch_related(
            "aliases", citations_prefetch("aliases__citations"), citations_prefetch()
        )


@documented("place", "places")
@writes.documented_writes("place", "places")
class PlaceViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Place.objects.all()
    write_serializer_class = writes.PlaceWriteSerializer
    serializer_class = gazetteer.PlaceSerializer
    filterset_class = filtersets.PlaceFilterSet

    def list_queryset(self):
        return Place.objects.select_related("verified_by").prefetch_related(citations_prefetch())


@documented(
    "election",
    "elections",
    " with phases, party results and candidacies; the official results per party, computed from the "
    "imported contests; and each claimed party result checked against them",
)
@writes.documented_writes("election", "elections")
class ElectionViewSet(writes.RecordWritesMixin, FastReadsMixin, RecordViewSet):
    fast_detail = staticmethod(fast_elections.election_detail)
    queryset = Election.objects.all()
    write_serializer_class = writes.ElectionWriteSerializer
    serializer_class = elections.ElectionSerializer
    detail_serializer_class = elections.ElectionDetailSerializer
    filterset_class = filtersets.ElectionFilterSet

    def list_queryset(self):
        return Election.objects.select_related("jurisdiction", "body", "verified_by").prefetch_related(
            citations_prefetch()
        )

    def detail_queryset(self):
        return (
            self.list_queryset()
            .annotate(has_contests=Exists(Contest.objects.filter(election=OuterRef("pk"))))
            .prefetch_related(
                "phases",
                citations_prefetch("phases__citations"),
                Prefetch("results", queryset=PartyResult.objects.select_related("party")),
                citations_prefetch("results__citations"),
                # Claims only; official results are per contest (/api/v1/contests/?election=).
                Prefetch("candidacies", queryset=_candidacies().filter(contest__isnull=True).select_related("person")),
                citations_prefetch("candidacies__citations"),
            )
        )

    def get_object(self):
        election = super().get_object()
        attach_official_results(election)
        return election


def attach_official_results(election: Election) -> None:
    """``official_results`` and ``result_checks`` of an election detail, in a
    fixed number of queries, whatever the number of contests, parties or
    claims: with contests, 2 for the tally, 1 for its parties and 1 for the
    dataset sources; with claims, 1 for alliances (+1 for their parties when
    there are any) and 1 for the claims check_claims reads. The claims'
    citations are the ones prefetched for ``results``. (The detail queryset
    annotates ``has_contests``.)"""
    tally = official_tally(election) if election.has_contests else {}
    parties = {party.pk: party for party in tally_parties(election.pk)} if election.has_contests else {}
    election.official_results = [
        {
            "party": parties[t.party_id],
            "seats_won": t.seats_won,
            "votes": t.votes,
            "vote_share": t.vote_share,
            "contested": t.contested,
        }
        for t in ranked(tally)
    ]
    official_sources = []
    if election.has_contests:
        official_sources = list(contest_sources(election.pk).only("id", "slug", "title", "license"))
    claims = {result.pk: result for result in election.results.all()}
    checks = check_claims(election, tally) if claims else []
    election.result_checks = [
        {
            "claim": check.claim.pk,
            "party": check.claim.party,
            "status": check.claim.status,
            "agrees": check.agrees,
            "citations": claims[check.claim.pk].citations.all() if check.claim.pk in claims else [],
            **{c.field: c for c in check.checks},
            "official_sources": official_sources,
        }
        for check in checks
    ]


@documented("constituency", "constituencies")
@writes.documented_writes("constituency", "constituencies")
class ConstituencyViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Constituency.objects.all()
    write_serializer_class = writes.ConstituencyWriteSerializer
    serializer_class = results.ConstituencySerializer
    filterset_class = filtersets.ConstituencyFilterSet

    def list_queryset(self):
        return Constituency.objects.select_related("jurisdiction", "district", "verified_by").prefetch_related(
            citations_prefetch()
        )


def _winners():
    """The candidacies marked as won, first by id: the one a contest shows as its winner."""
    return Candidacy.objects.filter(won=True).order_by("id")


@documented("contest", "contests", ", with every candidate's result, most votes first")
@writes.documented_writes("contest", "contests")
class ContestViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Contest.objects.all()
    write_serializer_class = writes.ContestWriteSerializer
    serializer_class = results.ContestSerializer
    detail_serializer_class = results.ContestDetailSerializer
    filterset_class = filtersets.ContestFilterSet

    def list_queryset(self):
        # Annotated, so that the keyset paginator can order, filter and resume on them.
        return (
            Contest.objects.select_related("election", "constituency__district", "verified_by")
            .annotate(
                constituency_number=F("constituency__number"),
                winner_margin=Subquery(_winners().filter(contest=OuterRef("pk")).values("margin")[:1]),
            )
            .prefetch_related(
                citations_prefetch(),
                Prefetch("candidacies", queryset=_winners().select_related("person", "party"), to_attr="winners"),
            )
        )

    def detail_queryset(self):
        ranked = Candidacy.objects.select_related("person", "party").order_by(
            F("votes").desc(nulls_last=True), F("rank").asc(nulls_last=True), "id"
        )
        return self.list_queryset().prefetch_related(
            Prefetch("candidacies", queryset=ranked, to_attr="candidates"),
            citations_prefetch("candidates__citations"),
        )


@documented("source", "sources", ", with its verbatim text and every quote records cite from it")
@writes.documented_writes("source", "sources")
class SourceViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Source.objects.all()
    write_serializer_class = writes.SourceWriteSerializer
    serializer_class = sources.SourceSerializer
    detail_serializer_class = sources.SourceDetailSerializer
    filterset_class = filtersets.SourceFilterSet

    def list_queryset(self):
        return Source.objects.defer("text")

    def detail_queryset(self):
        first_claims = self.claims_queryset()[: sources.CLAIMS_IN_DETAIL]
        claims_count = (
            Citation.objects.filter(source=OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Source.objects.annotate(claims_count=Coalesce(Subquery(claims_count), 0)).prefetch_related(
            Prefetch("citations", queryset=first_claims, to_attr="first_claims")
        )

    @staticmethod
    def claims_queryset():
        return Citation.objects.select_related("content_type").order_by("start", "id")

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
        serializer_class=sources.ClaimCitationSerializer,
    )
    def claims(self, request, *args, **kwargs):
        self.refuse_unknown_parameters(filters={})
        source = get_object_or_404(Source.objects.only("id"), self.lookup())
        page = self.paginator.paginate_queryset(self.claims_queryset().filter(source=source), request, view=self)
        return self.paginator.get_paginated_response(sources.ClaimCitationSerializer(page, many=True).data)

"""Possible matches: two person records that may be one person, with the
evidence, raised by an import (records/identity/proposals.py); and a
curator's accept (the person merge, undone through /person-merges/) or
reject (remembered: the pair is never raised again).

GET  /api/v1/possible-matches/ (?status=, ?person= / ?person_id= either side) and /{id}/
POST /api/v1/possible-matches/{id}/accept/ {"note": "..."} -> 200 the match, accepted, with its merge
POST /api/v1/possible-matches/{id}/reject/ {"note": "..."} -> 200 the match, rejected

Deciding needs what merging people needs (records.change_person and
records.delete_person): 401 without credentials, 403 without them; 409 when
the match is decided already or a person in it was merged away since."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from records.api.errors import BAD_REQUEST, NOT_FOUND, Conflict
from records.api.filtering import RecordsFilterSet
from records.api.filtersets.relations import person_filters
from records.api.merges import FORBIDDEN, REFUSED, UNAUTHORIZED, CanMergePeople
from records.api.readspec import Computed, Field, Spec, Timestamp
from records.api.refs import PERSON_REF
from records.api.resources.base import ReadViewSet, list_schema
from records.identity.decisions import MatchError, accept_match, reject_match
from records.models import PossibleMatch


class EvidenceSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='What was found: "same name", "same constituency", "age differs"...')
    weight = serializers.FloatField(help_text="Points for (positive) or against (negative) one person.")
    detail = serializers.CharField(help_text="The facts behind it.")


def _person(side: str, text: str) -> list:
    # Not a Ref: "<side>__id" reads the match's own column, which keeps the id of a
    # person merged away; the person's slug (never empty) tells whether they still exist.
    return [
        Computed(
            side,
            PERSON_REF.serializer(
                read_only=True, allow_null=True, help_text=f"{text} Null once merged away (see `{side}_id`)."
            ),
            (f"{side}_id", f"{side}__slug", f"{side}__name"),
            lambda pk, slug, name: None if slug is None else {"id": pk, "slug": slug, "name": name},
        ),
        Field(f"{side}_id", schema=serializers.IntegerField(help_text="The person's id, kept when merged away.")),
    ]


POSSIBLE_MATCH = Spec(
    PossibleMatch,
    "PossibleMatch",
    [
        Field("id"),
        *_person("incoming", "The person a source's record was given (created for it, as no one matched)."),
        *_person("existing", "The person already recorded that it may be."),
        Field("score"),
        Field("evidence", schema=EvidenceSerializer(many=True, read_only=True)),
        Field("status"),
        Field(
            "source",
            "source__slug",
            schema=serializers.CharField(allow_null=True, help_text="Slug of the dataset whose import raised it."),
        ),
        Timestamp("created_at"),
        Field(
            "decided_by",
            "decided_by__username",
            schema=serializers.CharField(
                allow_null=True, help_text="The curator's username; null while open or for an automatic link."
            ),
        ),
        Timestamp("decided_at"),
        Field("note"),
        Field(
            "merge",
            "merge_id",
            schema=serializers.IntegerField(allow_null=True, help_text="The person merge accepting it made."),
        ),
        Computed(
            "merge_undone",
            serializers.BooleanField(help_text="True once that merge was undone (the match can be decided again)."),
            ("merge__undone_at",),
            lambda undone_at: undone_at is not None,
        ),
    ],
    doc="Two person records that may be one person, the evidence for and against, and the decision.",
    read_only=True,
)


class PossibleMatchFilterSet(RecordsFilterSet):
    # A curator's question, not a record sources are cited for: knowledge time does not apply.
    as_of = None
    according_to = None
    include_pending = None
    status = filters.ChoiceFilter(
        choices=PossibleMatch.Status.choices, help_text="open (waiting for a curator), accepted or rejected."
    )
    person_id, person = person_filters(method="filter_person", help_text=" Matches naming this person, either side.")

    def filter_person(self, queryset, name, person):
        return queryset.filter(Q(incoming=person) | Q(existing=person))

    class Meta:
        model = PossibleMatch
        fields = []


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="Why.")


def _decision_schema(verb: str, description: str):
    return extend_schema(
        operation_id=f"possible_matches_{verb}",
        summary=f"{verb.capitalize()} a possible match",
        description=description,
        request=DecisionSerializer,
        responses={
            200: POSSIBLE_MATCH.serializer_class,
            400: BAD_REQUEST,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: REFUSED,
        },
    )


@extend_schema_view(
    list=list_schema(
        POSSIBLE_MATCH,
        operation_id="possible_matches_list",
        summary="List possible matches",
        description='Questions an import raised ("are these two one person?"), newest first, with their evidence; '
        "`status=open` is the curators' queue. Keyset-paginated (follow `next`), or every one as CSV.",
    ),
    retrieve=extend_schema(
        operation_id="possible_matches_retrieve",
        summary="Get one possible match",
        description="One possible match by id, with its evidence and decision.",
        responses={200: POSSIBLE_MATCH.serializer_class, 404: NOT_FOUND},
        auth=[],
    ),
)
class PossibleMatchViewSet(ReadViewSet):
    queryset = PossibleMatch.objects.order_by("-id")
    list_spec = POSSIBLE_MATCH
    filterset_class = PossibleMatchFilterSet
    lookup_value_regex = r"[0-9]+"

    @_decision_schema(
        "accept",
        "The two are one person: merges the incoming person into the existing one (the person merge, undone "
        "with `POST /api/v1/person-merges/{id}/undo/`). Refused (409) when the match was decided already or a "
        "person in it was merged into someone else since. Needs the change and delete permissions on people.",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanMergePeople], url_path="accept")
    def accept(self, request, *args, **kwargs):
        return self._decide(accept_match)

    @_decision_schema(
        "reject",
        "The two are different people: the pair is remembered and never proposed again. Refused (409) when the "
        "match was decided already. Needs the change and delete permissions on people.",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanMergePeople], url_path="reject")
    def reject(self, request, *args, **kwargs):
        return self._decide(reject_match)

    def _decide(self, decide):
        match_id = self.queryset.filter(self.lookup()).values_list("pk", flat=True).first()
        if match_id is None:
            raise Http404
        body = DecisionSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        try:
            decide(match_id, self.request.user, body.validated_data["note"])
        except MatchError as error:
            raise Conflict(str(error)) from error
        self.action = "retrieve"  # read the match back as its detail
        return Response(self.read_detail())

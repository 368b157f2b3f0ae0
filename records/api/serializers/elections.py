from __future__ import annotations

from rest_framework import serializers

from records.api.serializers.common import (
    REVIEW_FIELDS,
    CitedSerializer,
    ElectionRefSerializer,
    FuzzyDateField,
    OrganisationRefSerializer,
    PartyRefSerializer,
    PersonRefSerializer,
    PlaceRefSerializer,
    ReviewedSerializer,
)
from records.api.serializers.gazetteer import PartySerializer
from records.api.serializers.postings import PartyOfficeSerializer
from records.api.serializers.results import OfficialPartyResultSerializer, ResultCheckSerializer
from records.models import Candidacy, Election, ElectionPhase, PartyResult

ELECTION_FIELDS = [
    "id",
    "slug",
    "name",
    "jurisdiction",
    "body",
    "seats",
    "start",
    "end",
    "announced",
    "counting",
    "status",
]


class ElectionSerializer(CitedSerializer, ReviewedSerializer):
    jurisdiction = PlaceRefSerializer(read_only=True)
    body = OrganisationRefSerializer(read_only=True, allow_null=True)
    start = FuzzyDateField(help_text="First day of polling.")
    end = FuzzyDateField(help_text="Last day of polling.")
    announced = FuzzyDateField(help_text="When the schedule was announced.")
    counting = FuzzyDateField(help_text="When the votes are (or were) counted.")

    class Meta:
        model = Election
        fields = [*ELECTION_FIELDS, "citations", "updated_at", *REVIEW_FIELDS]


class PhaseSerializer(CitedSerializer):
    poll_date = FuzzyDateField()

    class Meta:
        model = ElectionPhase
        fields = ["id", "number", "poll_date", "status", "citations"]


class PartyResultSerializer(CitedSerializer):
    party = PartyRefSerializer(read_only=True)
    vote_share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
        help_text="Per cent of valid votes.",
    )

    class Meta:
        model = PartyResult
        fields = ["id", "party", "seats_won", "seats_with_allies", "vote_share", "status", "citations"]


class CandidacySerializer(CitedSerializer):
    person = PersonRefSerializer(read_only=True)
    party = PartyRefSerializer(read_only=True, allow_null=True)
    place = PlaceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Candidacy
        fields = ["id", "person", "party", "place", "status", "citations"]


class ElectionDetailSerializer(ElectionSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    results = PartyResultSerializer(many=True, read_only=True)
    candidacies = CandidacySerializer(
        many=True,
        read_only=True,
        help_text="Candidacies that sources claim (announced, expected, speculated...). Official results are "
        "per contest: /api/v1/contests/?election=<id>.",
    )
    official_results = OfficialPartyResultSerializer(
        many=True,
        read_only=True,
        help_text="Per party, computed from the imported constituency results (`/contests/`): most seats first, "
        "then most votes. Empty when none are imported.",
    )
    result_checks = ResultCheckSerializer(
        many=True,
        read_only=True,
        help_text="Each claimed party result (`results`) next to the official numbers, field by field.",
    )

    class Meta(ElectionSerializer.Meta):
        fields = [
            *ELECTION_FIELDS,
            "phases",
            "results",
            "candidacies",
            "official_results",
            "result_checks",
            "citations",
            "updated_at",
            *REVIEW_FIELDS,
        ]


class ResultInPartySerializer(PartyResultSerializer):
    election = ElectionRefSerializer(read_only=True)

    class Meta(PartyResultSerializer.Meta):
        fields = ["id", "election", "seats_won", "seats_with_allies", "vote_share", "status", "citations"]


class PartyDetailSerializer(PartySerializer):
    leaders = PartyOfficeSerializer(many=True, read_only=True, source="leader_postings")
    results = ResultInPartySerializer(many=True, read_only=True)

    class Meta(PartySerializer.Meta):
        fields = [
            "id",
            "slug",
            "name",
            "abbreviation",
            "aliases",
            "leaders",
            "results",
            "citations",
            "updated_at",
            *REVIEW_FIELDS,
        ]

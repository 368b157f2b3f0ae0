"""Official results: constituencies, contests with their candidates, and the
per-party tally and claim checks an election's detail carries."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from records.api.serializers.common import (
    REVIEW_FIELDS,
    CitationSerializer,
    ElectionRefSerializer,
    PartyRefSerializer,
    PersonRefSerializer,
    PlaceRefSerializer,
    ReviewedSerializer,
)
from records.models import Candidacy, ClaimStatus, Constituency, Contest, Source
from records.tally import percent


class PercentField(serializers.DecimalField):
    """``part`` over ``whole`` of the same record, in per cent, rounded half up
    to two places (as records.tally does); null when either is unknown or the
    whole is zero."""

    def __init__(self, part: str, whole: str, **kwargs):
        self.part, self.whole = part, whole
        kwargs.update(
            source="*",
            read_only=True,
            allow_null=True,
            max_digits=None,
            decimal_places=2,
            coerce_to_string=False,
            min_value=0,
        )
        super().__init__(**kwargs)

    def to_representation(self, instance):
        part, whole = _attribute(instance, self.part), _attribute(instance, self.whole)
        if part is None:
            return None
        value = percent(part, whole)
        return None if value is None else super().to_representation(value)


def _attribute(instance, path: str):
    for name in path.split("."):
        instance = getattr(instance, name)
    return instance


def reservation_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=Constituency.Reservation.choices,
        allow_blank=True,
        read_only=True,
        help_text="GEN (general), SC or ST (reserved for Scheduled Castes or Tribes); empty where not known.",
    )


class ConstituencyRefSerializer(serializers.ModelSerializer):
    reservation = reservation_field()
    district = PlaceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Constituency
        fields = ["id", "slug", "number", "name", "reservation", "district"]
        read_only_fields = fields


class ConstituencySerializer(ReviewedSerializer):
    jurisdiction = PlaceRefSerializer(read_only=True)
    reservation = reservation_field()
    district = PlaceRefSerializer(read_only=True, allow_null=True, help_text="The district it lies in, where known.")
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Constituency
        fields = [
            "id",
            "slug",
            "number",
            "name",
            "jurisdiction",
            "reservation",
            "district",
            "citations",
            "updated_at",
            *REVIEW_FIELDS,
        ]
        read_only_fields = fields
        extra_kwargs = {"number": {"help_text": "Number within its jurisdiction."}}


class ContestRefSerializer(serializers.ModelSerializer):
    constituency = ConstituencyRefSerializer(read_only=True)

    class Meta:
        model = Contest
        fields = ["id", "constituency"]
        read_only_fields = fields


class ContestWinnerSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    party = PartyRefSerializer(read_only=True, allow_null=True, help_text="Null for an independent.")

    class Meta:
        model = Candidacy
        fields = ["id", "person", "ballot_name", "party", "votes", "margin"]
        read_only_fields = fields
        extra_kwargs = {
            "ballot_name": {"help_text": "The name as the results give it."},
            "margin": {"help_text": "Votes ahead of the runner-up; null if unopposed or not known."},
        }


CONTEST_FIELDS = [
    "id",
    "election",
    "constituency",
    "total_votes",
    "nota_votes",
    "electors",
    "turnout",
    "result_declared",
    "winner",
]


class ContestSerializer(ReviewedSerializer):
    election = ElectionRefSerializer(read_only=True)
    constituency = ConstituencyRefSerializer(read_only=True)
    turnout = PercentField(
        "total_votes",
        "electors",
        help_text="Votes counted (NOTA included) per 100 registered electors, two decimals; "
        "null when the electors are not known.",
    )
    winner = serializers.SerializerMethodField(
        help_text="The candidacy marked as won; null when none is (e.g. the result is not declared)."
    )
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Contest
        fields = [*CONTEST_FIELDS, "citations", "updated_at", *REVIEW_FIELDS]
        read_only_fields = fields
        extra_kwargs = {
            "total_votes": {"help_text": "Votes counted for all candidates and NOTA."},
            "nota_votes": {"help_text": 'Votes for "none of the above" (NOTA is never a candidate).'},
        }

    @extend_schema_field(ContestWinnerSerializer(allow_null=True))
    def get_winner(self, contest):
        winners = contest.winners  # prefetched: the contest's candidacies marked as won, by id
        if not winners:
            return None
        if not hasattr(self, "_winner_serializer"):  # built once per response, not once per row
            self._winner_serializer = ContestWinnerSerializer(context=self.context)
        return self._winner_serializer.to_representation(winners[0])


class ContestCandidateSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(read_only=True)
    party = PartyRefSerializer(read_only=True, allow_null=True, help_text="Null for an independent.")
    vote_share = PercentField(
        "votes",
        "contest.total_votes",
        help_text="Per cent of the votes counted in the contest (NOTA included), two decimals; "
        "null when either is not known.",
    )
    citations = CitationSerializer(many=True, read_only=True)

    class Meta:
        model = Candidacy
        fields = [
            "id",
            "rank",
            "person",
            "ballot_name",
            "party",
            "votes",
            "vote_share",
            "won",
            "margin",
            "status",
            "citations",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "rank": {"help_text": "1 for the most votes; equal votes share a rank."},
            "ballot_name": {"help_text": "The name as the results give it."},
            "margin": {"help_text": "The winner's lead over the runner-up; null for everyone else."},
        }


class ContestDetailSerializer(ContestSerializer):
    candidates = ContestCandidateSerializer(
        many=True, read_only=True, help_text="Every candidate, most votes first. NOTA is not one (see nota_votes)."
    )

    class Meta(ContestSerializer.Meta):
        fields = [*CONTEST_FIELDS, "candidates", "citations", "updated_at", *REVIEW_FIELDS]
        read_only_fields = fields


# -- an election's official results and the check of what sources claim ---------


class OfficialSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "slug", "title", "license"]
        read_only_fields = fields


class OfficialPartyResultSerializer(serializers.Serializer):
    party = PartyRefSerializer()
    seats_won = serializers.IntegerField(min_value=0, help_text="Contests its candidate won.")
    votes = serializers.IntegerField(min_value=0, help_text="Votes for its candidates, all contests together.")
    vote_share = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        coerce_to_string=False,
        min_value=0,
        allow_null=True,
        help_text="Per cent of all votes counted in the election's contests (NOTA included), rounded half up "
        "to two places; null when no total is known.",
    )
    contested = serializers.IntegerField(min_value=0, help_text="Contests it put up a candidate in.")


class SeatsCheckSerializer(serializers.Serializer):
    claimed = serializers.IntegerField(allow_null=True, help_text="What the source says; null if it says nothing.")
    official = serializers.IntegerField(
        allow_null=True, help_text="What the official results give; null when they cannot tell (see note)."
    )
    agrees = serializers.BooleanField(allow_null=True, help_text="Null when it cannot be checked (see note).")
    note = serializers.CharField(allow_blank=True, help_text="Why it cannot be checked, or how it was; may be empty.")


class ShareCheckSerializer(SeatsCheckSerializer):
    claimed = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="What the source says, per cent; null if it says nothing.",
    )
    official = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="The official vote share, per cent; null when it cannot be computed (see note). "
        "A claim agrees when equal at two decimal places.",
    )


class ResultCheckSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="Id of the claimed party result (one of the election's `results`).")
    party = PartyRefSerializer()
    status = serializers.ChoiceField(choices=ClaimStatus.choices, help_text="How certain the claim's source is.")
    agrees = serializers.BooleanField(
        allow_null=True,
        help_text="False if any checkable number disagrees; true if all checkable ones agree; null if none "
        "could be checked.",
    )
    citations = CitationSerializer(many=True, help_text="Where the claim comes from.")
    seats_won = SeatsCheckSerializer()
    seats_with_allies = SeatsCheckSerializer(
        help_text="Checked against the seats of the party's recorded alliance for the election, if any."
    )
    vote_share = ShareCheckSerializer()
    official_sources = OfficialSourceSerializer(
        many=True, help_text="The dataset(s) the official numbers come from: the sources the contests cite."
    )

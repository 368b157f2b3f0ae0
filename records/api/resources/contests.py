"""Official results: contests with their winner and every candidate."""

from __future__ import annotations

from operator import itemgetter

import django_filters as filters
from django.db.models import Exists, F, OuterRef, Q
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from records.api import writes
from records.api.claim_parts import Citations, Review
from records.api.filtering import (
    IntegerFilter,
    KeysetOrderingFilter,
    NamedRecordKeyFilter,
    RecordIdFilter,
    RecordsFilterSet,
    review_status_filter,
    text_filter,
)
from records.api.filtersets.relations import (
    MAX_VOTES,
    district_filters,
    election_filters,
    party_filters,
    person_filters,
    place_filters,
)
from records.api.readspec import Computed, Field, Many, Picked, Ref, Spec, Timestamp
from records.api.refs import CONSTITUENCY_REF, ELECTION_REF, PARTY_REF, PERSON_REF
from records.api.resources.base import RecordViewSet, documented
from records.api.writes.base import CITATIONS, REVIEW, RecordWriteSerializer
from records.models import (
    Candidacy,
    Constituency,
    Contest,
)
from records.search import SPELLING_HELP, indexed_name_search
from records.selectors import percent


def percent_schema(help_text: str) -> serializers.DecimalField:
    """``part`` over ``whole`` of the same record, in per cent, rounded half up to
    two places (as records.selectors does); null when either is unknown or the whole is zero."""
    return serializers.DecimalField(
        read_only=True,
        allow_null=True,
        max_digits=None,
        decimal_places=2,
        coerce_to_string=False,
        min_value=0,
        help_text=help_text,
    )


def percent_of(part, whole):
    return None if part is None else percent(part, whole)


CONTEST_WINNER = Spec(
    Candidacy,
    "ContestWinner",
    [
        Field("id"),
        Ref("person", PERSON_REF),
        Field("ballot_name", help_text="The name as the results give it."),
        Ref("party", PARTY_REF, allow_null=True, help_text="Null for an independent."),
        Field("votes"),
        Field("margin", help_text="Votes ahead of the runner-up; null if unopposed or not known."),
    ],
    read_only=True,
)
CONTEST_CANDIDATE = Spec(
    Candidacy,
    "ContestCandidate",
    [
        Field("id"),
        Field("rank", help_text="1 for the most votes; equal votes share a rank."),
        Ref("person", PERSON_REF),
        Field("ballot_name", help_text="The name as the results give it."),
        Ref("party", PARTY_REF, allow_null=True, help_text="Null for an independent."),
        Field("votes"),
        Computed(
            "vote_share",
            percent_schema(
                "Per cent of the votes counted in the contest (NOTA included), two decimals; "
                "null when either is not known."
            ),
            ("votes", "contest__total_votes"),
            percent_of,
        ),
        Field("won"),
        Field("margin", help_text="The winner's lead over the runner-up; null for everyone else."),
        Field("status"),
        Citations(),
    ],
    read_only=True,
)

_WINNER = {"help_text": "The candidacy marked as won; null when none is (e.g. the result is not declared)."}
CONTEST = Spec(
    Contest,
    "Contest",
    [
        Field("id"),
        Ref("election", ELECTION_REF),
        Ref("constituency", CONSTITUENCY_REF),
        Field("total_votes", help_text="Votes counted for all candidates and NOTA."),
        Field("nota_votes", help_text='Votes for "none of the above" (NOTA is never a candidate).'),
        Field("electors"),
        Computed(
            "turnout",
            percent_schema(
                "Votes counted (NOTA included) per 100 registered electors, two decimals; "
                "null when the electors are not known."
            ),
            ("total_votes", "electors"),
            percent_of,
        ),
        Field("result_declared"),
        Many("winner", CONTEST_WINNER, fk="contest", where=Q(won=True), order_by=("id",), first=True, **_WINNER),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="The official result of one constituency in one election.",
    read_only=True,
)

_BY_VOTES = (F("votes").desc(nulls_last=True), F("rank").asc(nulls_last=True), "id")
# The detail's winner is one of the candidates it lists: picked from them, not read again.
_PICKED_WINNER = Picked(
    "winner", CONTEST_WINNER, among="candidates", pick=itemgetter("won"), order=itemgetter("id"), **_WINNER
)
CONTEST_DETAIL = Spec(
    Contest,
    "ContestDetail",
    [
        *(_PICKED_WINNER if part.key == "winner" else part for part in CONTEST.parts[:-3]),
        Many(
            "candidates",
            CONTEST_CANDIDATE,
            fk="contest",
            order_by=_BY_VOTES,
            help_text="Every candidate, most votes first. NOTA is not one (see nota_votes).",
        ),
        *CONTEST.parts[-3:],
    ],
    doc=CONTEST.doc,
    read_only=True,
)


class ContestFilterSet(RecordsFilterSet):
    """The margin filters and the ordering read the winner's margin stored on the
    contest (``winner_margin``, kept by triggers: records/winner_margins.py) and
    the constituency's number, an annotation of the list (``constituency_number``,
    see ContestViewSet); the keyset paginator resumes on them."""

    election_id, election = election_filters()
    constituency_id = RecordIdFilter(
        field_name="constituency",
        queryset=Constituency.objects.all(),
        noun="constituency",
        help_text="Constituency id.",
    )
    constituency = NamedRecordKeyFilter(
        field_name="constituency",
        queryset=Constituency.objects.all(),
        noun="constituency",
        help_text="Constituency slug (uttar-pradesh-002-nakur), number (2) or name (Nakur); a number or name "
        "that several constituencies share is a 400 listing their slugs.",
    )
    q = text_filter(
        "The constituency's name contains this (case-, accent- and punctuation-insensitive), or has each of its "
        f"words in any order. {SPELLING_HELP}",
        method="filter_q",
    )
    candidate_id, candidate = person_filters(
        help_text=" Contests in which this person stood.", method="filter_candidate"
    )
    party_id, party = party_filters(
        help_text=" Contests in which it had a candidate (with party_result: that candidate won, or lost).",
        method="filter_party",
    )
    party_result = filters.ChoiceFilter(
        choices=[("won", "won"), ("lost", "lost")],
        method="check_party_result",
        help_text="With party or party_id: only contests its candidate won (won) or did not win (lost), e.g. "
        "election=up-2017&party=bjp&party_result=lost.",
    )
    jurisdiction_id, jurisdiction = place_filters(field="constituency__jurisdiction")
    district_id, district = district_filters("constituency__district")
    reservation = filters.ChoiceFilter(
        field_name="constituency__reservation",
        choices=Constituency.Reservation.choices,
        help_text="The constituency is reserved for: GEN (general), SC (Scheduled Castes) or ST (Scheduled Tribes).",
    )
    winner_party_id, winner_party = party_filters(
        help_text=" Contests won by its candidate.", method="filter_winner_party"
    )
    margin_min = IntegerFilter(
        field_name="winner_margin",
        lookup_expr="gte",
        min_value=0,
        max_value=MAX_VOTES,
        help_text="The winner's margin (votes ahead of the runner-up) is at least this many votes. "
        "Contests without a known margin are left out.",
    )
    margin_max = IntegerFilter(
        field_name="winner_margin",
        lookup_expr="lte",
        min_value=0,
        max_value=MAX_VOTES,
        help_text="The winner's margin (votes ahead of the runner-up) is at most this many votes. "
        "Contests without a known margin are left out.",
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(
        fields={
            "constituency_number": "number",
            "winner_margin": "margin",
            "total_votes": "total_votes",
            "id": "id",
        },
        default="number",
        help_text="Sort order; prefix with - for descending: number (the constituency's), margin (the winner's), "
        "total_votes. NULLs last. Default: number.",
    )

    class Meta:
        model = Contest
        fields = []

    def filter_q(self, queryset, name, value):
        # The constituencies first (their index, or a scan of a few thousand rows), not the name
        # rule tested on every contest through a join: with sound keys it is two dozen LIKEs a row.
        named = Constituency.objects.filter(indexed_name_search(Constituency, value)).order_by().values("id")
        return queryset.filter(constituency_id__in=named)

    def filter_candidate(self, queryset, name, person):
        return queryset.filter(Exists(Candidacy.objects.filter(contest=OuterRef("pk"), person=person)))

    def filter_party(self, queryset, name, party):
        candidacies = Candidacy.objects.filter(contest=OuterRef("pk"), party=party)
        result = self.form.cleaned_data.get("party_result")
        if result:
            candidacies = candidacies.filter(won=result == "won")
        return queryset.filter(Exists(candidacies))

    def check_party_result(self, queryset, name, value):
        """Applied by filter_party; alone it has no party to ask about."""
        if value and not (self.form.cleaned_data.get("party") or self.form.cleaned_data.get("party_id")):
            raise ValidationError({"party_result": ["Give party or party_id too: whose result?"]})
        return queryset

    def filter_winner_party(self, queryset, name, party):
        won = Candidacy.objects.filter(contest=OuterRef("pk"), won=True, party=party)
        return queryset.filter(Exists(won))


class ContestWriteSerializer(RecordWriteSerializer):
    """One election in one constituency, with its totals (NOTA within the total)."""

    class Meta:
        model = Contest
        fields = [
            "election",
            "constituency",
            "total_votes",
            "nota_votes",
            "electors",
            "result_declared",
            REVIEW,
            CITATIONS,
        ]


@documented("contest", "contests", ", with every candidate's result, most votes first")
@writes.documented_writes("contest", "contests")
class ContestViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Contest.objects.all()
    list_spec = CONTEST
    detail_spec = CONTEST_DETAIL
    write_serializer_class = ContestWriteSerializer
    filterset_class = ContestFilterSet

    def list_queryset(self):
        # Annotated, so that the keyset paginator can order, filter and resume on it.
        return Contest.objects.annotate(constituency_number=F("constituency__number"))

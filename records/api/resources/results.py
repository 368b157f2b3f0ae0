"""Official results: constituencies, and contests with their candidates."""

from __future__ import annotations

from django.db.models import F, Q
from rest_framework import serializers

from records.api.readspec import Citations, Computed, Field, Many, Ref, Review, Spec, Timestamp
from records.api.refs import CONSTITUENCY_REF, ELECTION_REF, PARTY_REF, PERSON_REF, PLACE_REF, reservation
from records.models import Candidacy, Constituency, Contest
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


CONSTITUENCY = Spec(
    Constituency,
    "Constituency",
    [
        Field("id"),
        Field("slug"),
        Field("number", help_text="Number within its jurisdiction."),
        Field("name"),
        Ref("jurisdiction", PLACE_REF),
        reservation(),
        Ref("district", PLACE_REF, allow_null=True, help_text="The district it lies in, where known."),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="A constituency of an elected body, numbered within its jurisdiction.",
    read_only=True,
)

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
        Many(
            "winner",
            CONTEST_WINNER,
            fk="contest",
            where=Q(won=True),
            order_by=("id",),
            first=True,
            help_text="The candidacy marked as won; null when none is (e.g. the result is not declared).",
        ),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="The official result of one constituency in one election.",
    read_only=True,
)

_BY_VOTES = (F("votes").desc(nulls_last=True), F("rank").asc(nulls_last=True), "id")
CONTEST_DETAIL = Spec(
    Contest,
    "ContestDetail",
    [
        *CONTEST.parts[:-3],
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

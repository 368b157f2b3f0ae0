"""Elections: phases, claimed party results and candidacies, and the official
results computed from imported contests, each claim checked against them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from rest_framework import serializers

from records.api import writes
from records.api.claim_parts import CITATION, Citations, Links, Review
from records.api.filtering import (
    DateMatchFilterSet,
    IntegerFilter,
    KeysetOrderingFilter,
    StrictBooleanFilter,
    StrictDateFilter,
    fuzzy_on_or_after,
    fuzzy_on_or_before,
    review_status_filter,
)
from records.api.filtersets.relations import (
    organisation_filters,
    place_filters,
    status_filter,
)
from records.api.readspec import Computed, Field, Fuzzy, Loaded, Many, Page, Ref, Spec, Timestamp, fields
from records.api.refs import ELECTION_REF, ORGANISATION_REF, PARTY_REF, PERSON_REF, PLACE_REF
from records.api.resources.base import RecordViewSet, documented
from records.api.writes.base import CITATIONS, REVIEW, RecordWriteSerializer
from records.models import (
    Alliance,
    Candidacy,
    Citation,
    ClaimStatus,
    Contest,
    Election,
    ElectionPhase,
    Organisation,
    PartyResult,
    Source,
)
from records.selectors import ElectionResults, election_results

CENT = Decimal("0.01")


def cents(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT)


def decimal_schema(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=kwargs.pop("max_digits", None), decimal_places=2, coerce_to_string=False, allow_null=True, **kwargs
    )


ELECTION = Spec(
    Election,
    "Election",
    [
        *fields("id slug name"),
        Ref("jurisdiction", PLACE_REF),
        Ref("body", ORGANISATION_REF, allow_null=True),
        Field("seats"),
        Fuzzy("start", help_text="First day of polling."),
        Fuzzy("end", help_text="Last day of polling."),
        Fuzzy("announced", help_text="When the schedule was announced."),
        Fuzzy("counting", help_text="When the votes are (or were) counted."),
        Field("status"),
        Citations(),
        Timestamp("updated_at"),
        Review(),
    ],
    doc="An election of one body in one jurisdiction, with its dates as sources give them.",
)

PHASE = Spec(ElectionPhase, "Phase", [*fields("id number"), Fuzzy("poll_date"), Field("status"), Citations()])
PARTY_RESULT = Spec(
    PartyResult,
    "PartyResult",
    [
        Field("id"),
        Ref("party", PARTY_REF),
        *fields("seats_won seats_with_allies"),
        Computed(
            "vote_share",
            decimal_schema(max_digits=5, read_only=True, help_text="Per cent of valid votes."),
            ("vote_share",),
            cents,
        ),
        Field("status"),
        Citations(),
        Links(),
    ],
)
RESULT_IN_PARTY = PARTY_RESULT.only(
    "ResultInParty",
    ["id", "election", "seats_won", "seats_with_allies", "vote_share", "status", "citations", "links"],
    {"election": Ref("election", ELECTION_REF)},
)
CANDIDACY = Spec(
    Candidacy,
    "Candidacy",
    [
        Field("id"),
        Ref("person", PERSON_REF),
        Ref("party", PARTY_REF, allow_null=True),
        Ref("place", PLACE_REF, allow_null=True),
        Field("status"),
        Citations(),
        Links(),
    ],
)
OFFICIAL_SOURCE = Spec(Source, "OfficialSource", [*fields("id slug title license")], read_only=True)

# -- the schema of the official results and checks (computed by records.selectors) --


class OfficialPartyResultSerializer(serializers.Serializer):
    party = PARTY_REF.serializer()
    seats_won = serializers.IntegerField(min_value=0, help_text="Contests its candidate won.")
    votes = serializers.IntegerField(min_value=0, help_text="Votes for its candidates, all contests together.")
    vote_share = decimal_schema(
        min_value=0,
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
    claimed = decimal_schema(help_text="What the source says, per cent; null if it says nothing.")
    official = decimal_schema(
        help_text="The official vote share, per cent; null when it cannot be computed (see note). "
        "A claim agrees when equal at two decimal places."
    )


class ResultCheckSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="Id of the claimed party result (one of the election's `results`).")
    party = PARTY_REF.serializer()
    status = serializers.ChoiceField(choices=ClaimStatus.choices, help_text="How certain the claim's source is.")
    agrees = serializers.BooleanField(
        allow_null=True,
        help_text="False if any checkable number disagrees; true if all checkable ones agree; null if none "
        "could be checked.",
    )
    citations = CITATION.serializer(many=True, help_text="Where the claim comes from.")
    seats_won = SeatsCheckSerializer()
    seats_with_allies = SeatsCheckSerializer(
        help_text="Checked against the seats of the party's recorded alliance for the election, if any."
    )
    vote_share = ShareCheckSerializer()
    official_sources = OFFICIAL_SOURCE.serializer(
        many=True, help_text="The dataset(s) the official numbers come from: the sources the contests cite."
    )


def official_results(results: ElectionResults, page: Page) -> list[dict]:
    return [
        {
            "party": PARTY_REF.of(results.parties[t.party_id]),
            "seats_won": t.seats_won,
            "votes": t.votes,
            "vote_share": cents(t.vote_share),
            "contested": t.contested,
        }
        for t in results.tally
    ]


def result_checks(results: ElectionResults, page: Page) -> list[dict]:
    sources = [OFFICIAL_SOURCE.of(source) for source in results.sources]
    out = []
    for check in results.checks:
        row = {
            "claim": check.claim.pk,
            "party": PARTY_REF.of(check.claim.party),
            "status": check.claim.status,
            "agrees": check.agrees,
            "citations": page.cited.get((PartyResult, check.claim.pk), []),
        }
        for field_check in check.checks:
            share = field_check.field == "vote_share"
            row[field_check.field] = {
                "claimed": cents(field_check.claimed) if share else field_check.claimed,
                "official": cents(field_check.official) if share else field_check.official,
                "agrees": field_check.agrees,
                "note": field_check.note,
            }
        row["official_sources"] = sources
        out.append(row)
    return out


def load_results(election_ids: list[int], page: Page) -> dict[int, ElectionResults]:
    """An election detail's official results and checks (records.selectors: a fixed number of queries)."""
    found = {pk: election_results(pk) for pk in election_ids}
    page.context["election_results"] = found  # result_checks reads the same
    return found


# What records.selectors.election_results reads: the contests, their candidates and sources, alliances, claims.
SELECTOR_READS = (Contest, Candidacy, Organisation, Citation, Source, Alliance, PartyResult)

_HEAD = [part for part in ELECTION.parts if part.key not in ("citations", "updated_at", "review_status")]
ELECTION_DETAIL = Spec(
    Election,
    "ElectionDetail",
    [
        *_HEAD,
        Many("phases", PHASE, fk="election"),
        Many("results", PARTY_RESULT, fk="election"),
        Many(
            "candidacies",
            CANDIDACY,
            fk="election",
            where=Q(contest__isnull=True),  # claims; official results are per contest
            help_text="Candidacies that sources claim (announced, expected, speculated...). Official results are "
            "per contest: /api/v1/contests/?election=<id>.",
        ),
        Loaded(
            "official_results",
            OfficialPartyResultSerializer(
                many=True,
                read_only=True,
                help_text="Per party, computed from the imported constituency results (`/contests/`): most seats "
                "first, then most votes. Empty when none are imported.",
            ),
            load=load_results,
            build=official_results,
            reads=SELECTOR_READS,
        ),
        Loaded(
            "result_checks",
            ResultCheckSerializer(
                many=True,
                read_only=True,
                help_text="Each claimed party result (`results`) next to the official numbers, field by field.",
            ),
            load=lambda ids, page: page.context["election_results"],
            build=result_checks,
            reads=SELECTOR_READS,
        ),
        *ELECTION.parts[len(_HEAD) :],
    ],
    doc=ELECTION.doc,
)


class ElectionFilterSet(DateMatchFilterSet):
    reads = (PartyResult,)  # has_results
    jurisdiction_id, jurisdiction = place_filters(field="jurisdiction")
    body_id, body = organisation_filters(field="body")
    year = IntegerFilter(
        method="filter_year", min_value=1, max_value=9999, help_text="Polling started in this year (see date_match)."
    )
    start_after = StrictDateFilter(method="filter_start", help_text="Polling started on or after this date.")
    start_before = StrictDateFilter(method="filter_start", help_text="Polling started on or before this date.")
    has_results = StrictBooleanFilter(method="filter_has_results", help_text="Has (or has no) party results.")
    status = status_filter()
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(
        fields={"start_earliest": "start", "name": "name", "seats": "seats", "id": "id"}, default="start"
    )

    class Meta:
        model = Election
        fields = []

    def filter_year(self, queryset, name, year):
        return queryset.filter(
            fuzzy_on_or_after("start", date(year, 1, 1), self.date_mode)
            & fuzzy_on_or_before("start", date(year, 12, 31), self.date_mode)
        )

    def filter_start(self, queryset, name, day):
        compare = fuzzy_on_or_after if name.endswith("after") else fuzzy_on_or_before
        return queryset.filter(compare("start", day, self.date_mode))

    def filter_has_results(self, queryset, name, value):
        if value is None:
            return queryset
        has = Exists(PartyResult.objects.filter(election=OuterRef("pk")))
        return queryset.filter(has if value else ~has)


class ElectionWriteSerializer(RecordWriteSerializer):
    """An election of one body in one jurisdiction; its dates are fuzzy, the end not before the start."""

    class Meta:
        model = Election
        fields = [
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
            REVIEW,
            CITATIONS,
        ]


@documented(
    "election",
    "elections",
    " with phases, party results and candidacies; the official results per party, computed from the "
    "imported contests; and each claimed party result checked against them",
)
@writes.documented_writes("election", "elections")
class ElectionViewSet(writes.RecordWritesMixin, RecordViewSet):
    queryset = Election.objects.all()
    list_spec = ELECTION
    detail_spec = ELECTION_DETAIL
    write_serializer_class = ElectionWriteSerializer
    filterset_class = ElectionFilterSet

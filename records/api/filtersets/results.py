"""Filtersets of the official results lists: constituencies and contests."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, OuterRef
from rest_framework.exceptions import ValidationError

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
    RESERVATION_HELP,
    district_filters,
    election_filters,
    party_filters,
    person_filters,
    place_filters,
)
from records.models import (
    Candidacy,
    Constituency,
    Contest,
)
from records.search import SPELLING_HELP, spelling_match


class ConstituencyFilterSet(RecordsFilterSet):
    q = text_filter(
        f"Name contains this (case-, accent- and punctuation-insensitive), or has each of its words in any order. "
        f"{SPELLING_HELP}",
        method="filter_q",
    )
    jurisdiction_id, jurisdiction = place_filters(field="jurisdiction")
    district_id, district = district_filters("district")
    reservation = filters.ChoiceFilter(choices=Constituency.Reservation.choices, help_text=RESERVATION_HELP)
    election_id, election = election_filters(
        help_text=" Constituencies with a contest in it.", method="filter_election"
    )
    review_status = review_status_filter()
    ordering = KeysetOrderingFilter(fields={"number": "number", "name": "name", "id": "id"}, default="number")

    class Meta:
        model = Constituency
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(spelling_match(value))

    def filter_election(self, queryset, name, election):
        return queryset.filter(id__in=Contest.objects.filter(election=election).values("constituency_id"))


class ContestFilterSet(RecordsFilterSet):
    """The winner's margin and the constituency's number are annotations of the
    contests list (``winner_margin``, ``constituency_number``, see ContestViewSet):
    the margin filters and the ordering use them, and the keyset paginator resumes
    on them."""

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
        return queryset.filter(spelling_match(value, "constituency__"))

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

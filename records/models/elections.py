"""Elections, their phases, party results and candidacies."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from records.fields import fuzzy_date_fields
from records.models.base import Claim, claim_key_constraint, claim_key_field, fuzzy_bounds_constraints
from records.models.gazetteer import Organisation, Party, Place
from records.models.people import Person


class Election(Claim):
    """A general election of one body (e.g. a state assembly) in one jurisdiction."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    jurisdiction = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="elections")
    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="elections")
    seats = models.PositiveIntegerField(null=True, blank=True, help_text="Seats to be filled.")
    start, start_earliest, start_latest = fuzzy_date_fields("start", help_text="First day of polling.")
    end, end_earliest, end_latest = fuzzy_date_fields("end", help_text="Last day of polling.")
    announced, announced_earliest, announced_latest = fuzzy_date_fields(
        "announced", help_text="When the schedule was announced."
    )
    counting, counting_earliest, counting_latest = fuzzy_date_fields(
        "counting", help_text="When the votes are (or were) counted."
    )

    class Meta:
        ordering = [F("start_earliest").asc(nulls_last=True), "slug"]
        constraints = [
            *fuzzy_bounds_constraints("election", "start", "end"),
            *fuzzy_bounds_constraints("election", "announced", "counting"),
            models.CheckConstraint(
                condition=Q(seats__isnull=True) | Q(seats__gt=0),
                name="election_seats_positive",
                violation_error_message="An election fills at least one seat.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ElectionPhase(Claim):
    """One phase (poll day) of an election held in several."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField()
    poll_date, poll_date_earliest, poll_date_latest = fuzzy_date_fields("poll_date")

    class Meta:
        ordering = ["election_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="election_phase_number_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="election_phase_number_positive",
                violation_error_message="Phases are numbered from 1.",
            ),
            *fuzzy_bounds_constraints("election_phase", "poll_date"),
        ]

    def __str__(self) -> str:
        return f"{self.election}, phase {self.number}"


class PartyResult(Claim):
    """What a source says a party won in an election. Several sources may claim
    different numbers: each claim is its own row with its own citations."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="results")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="results")
    seats_won = models.PositiveIntegerField(null=True, blank=True)
    seats_with_allies = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seats of the party and its allies together."
    )
    vote_share = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Per cent of valid votes, 0-100."
    )

    class Meta:
        ordering = ["election_id", "-seats_won", "party_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vote_share__isnull=True) | Q(vote_share__gte=0, vote_share__lte=100),
                name="party_result_vote_share_percent",
                violation_error_message="A vote share is between 0 and 100 per cent.",
            ),
            models.CheckConstraint(
                condition=Q(seats_with_allies__isnull=True)
                | Q(seats_won__isnull=True)
                | Q(seats_with_allies__gte=F("seats_won")),
                name="party_result_allies_include_party",
                violation_error_message="Seats with allies cannot be fewer than the party's own seats.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} in {self.election}"


class Candidacy(Claim):
    """A person standing (or expected, or rumoured, to stand) in an election;
    with a contest, the official result: votes, rank, won, margin."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="candidacies")
    key = claim_key_field()
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="candidacies")
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidacies",
        help_text="District or other place, where no contest is known.",
    )
    contest = models.ForeignKey(
        "records.Contest", on_delete=models.CASCADE, null=True, blank=True, related_name="candidacies"
    )
    ballot_name = models.CharField(max_length=300, blank=True, help_text="The name as the results give it.")
    votes = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 for the most votes in the contest.")
    won = models.BooleanField(null=True, blank=True, db_index=True)
    margin = models.PositiveIntegerField(null=True, blank=True, help_text="Winner's lead over the runner-up.")

    class Meta:
        ordering = ["election_id", "person_id", "id"]
        verbose_name_plural = "candidacies"
        indexes = [
            models.Index(fields=["contest", "rank"], name="candidacy_contest_rank_idx"),
            # The candidacies list's orders (records/api/resources/candidacies.py), id breaking ties.
            models.Index(fields=["election", "id"], name="candidacy_election_id_idx"),
            models.Index(fields=["votes", "id"], name="candidacy_votes_id_idx"),
            models.Index(fields=["updated_at", "id"], name="candidacy_updated_id_idx"),
            # A party's candidates, read from the index alone (persons?candidate_party=).
            models.Index(fields=["party", "person"], name="candidacy_party_person_idx"),
            # A contest's winner, whose margin the contests list orders and filters on
            # (ContestViewSet.list_queryset): one probe per contest instead of reading its candidates.
            # The margin is a key column so that SQLite too reads it from the index.
            models.Index(fields=["contest", "id", "margin"], condition=Q(won=True), name="candidacy_winner_idx"),
        ]
        constraints = [
            claim_key_constraint("candidacy"),
            models.UniqueConstraint(
                fields=["contest", "person"], condition=Q(contest__isnull=False), name="candidacy_once_per_contest"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1),
                name="candidacy_rank_positive",
                violation_error_message="Ranks start at 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.election}"

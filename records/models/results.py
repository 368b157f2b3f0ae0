"""Official results: constituencies, contests (one election in one constituency),
alliances. A candidate's votes, rank and win live on their Candidacy."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from records.fields import JoinedKeyField, SearchNameField, SoundKeyField, SpellingKeyField
from records.models.base import CitedRecord, Claim
from records.models.gazetteer import Party, Place
from records.text import normalise_name


class Constituency(CitedRecord):
    """An electoral district of a legislature, numbered within its jurisdiction."""

    class Reservation(models.TextChoices):
        GENERAL = "GEN", "general"
        SCHEDULED_CASTES = "SC", "reserved for Scheduled Castes"
        SCHEDULED_TRIBES = "ST", "reserved for Scheduled Tribes"

    slug = models.SlugField(max_length=120, unique=True)
    jurisdiction = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="constituencies")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    search_name = SearchNameField()
    search_key = SpellingKeyField()
    search_sound = SoundKeyField()
    search_joined = JoinedKeyField()
    reservation = models.CharField(
        max_length=3, choices=Reservation.choices, blank=True, db_index=True, help_text="Empty where not known."
    )
    district = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="district_constituencies"
    )

    class Meta:
        ordering = ["jurisdiction_id", "number"]
        verbose_name_plural = "constituencies"
        # The contests list's default order (the constituency's number): walked, then each
        # constituency's contests by their foreign key's index, instead of sorting every contest.
        indexes = [models.Index(fields=["number", "id"], name="constituency_number_id_idx")]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "number"], name="constituency_number_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="constituency_number_positive",
                violation_error_message="Constituencies are numbered from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ConstituencyAlias(Claim):
    """Another name a source gives a constituency: a results dataset's spelling
    ("MUZAFFARNAGAR", "BILGRAM-MALLANWAN"), or a former name. Its citations say
    which sources use it."""

    class Kind(models.TextChoices):
        SPELLING_VARIANT = "spelling_variant", "spelling variant"
        FORMER_NAME = "former_name", "former name"
        OTHER = "other", "other"

    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.SPELLING_VARIANT)
    search_name = SearchNameField()
    search_key = SpellingKeyField()
    search_sound = SoundKeyField()
    search_joined = JoinedKeyField()

    class Meta:
        ordering = ["constituency_id", "name"]
        verbose_name_plural = "constituency aliases"
        constraints = [
            # One alias per spelling, whatever its case, accents or punctuation.
            models.UniqueConstraint(fields=["constituency", "search_name"], name="constituency_alias_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.constituency.name})"

    def clean(self) -> None:
        """An alias may not name another constituency of the same jurisdiction (its
        name or one of its aliases): which one a file means could not be told."""
        super().clean()
        if not self.constituency_id or not self.name:
            return
        key = normalise_name(self.name)
        constituency = self.constituency
        others = (
            Constituency.objects.filter(jurisdiction_id=constituency.jurisdiction_id)
            .exclude(pk=constituency.pk)
            .filter(Q(search_name=key) | Q(aliases__search_name=key))
            .distinct()
            .order_by("number")
        )
        named = ", ".join(str(other) for other in others)
        if named:
            message = f"{self.name!r} already names constituency {named}; it cannot also be an alias of {constituency}."
            raise ValidationError({"name": message})


class Contest(CitedRecord):
    """One election in one constituency, with its totals. NOTA ("none of the
    above") is a count here, not a candidate, a person or a party."""

    election = models.ForeignKey("records.Election", on_delete=models.CASCADE, related_name="contests")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="contests")
    total_votes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Votes counted for all candidates and NOTA."
    )
    nota_votes = models.PositiveIntegerField(null=True, blank=True, help_text="Votes for none of the above.")
    electors = models.PositiveIntegerField(null=True, blank=True, help_text="Registered electors, where known.")
    result_declared = models.BooleanField(default=True)
    # Derived, never written by the app: the margin of the contest's winner (the first
    # by id), kept by database triggers on candidacies (records/winner_margins.py) so
    # that the contests list orders and filters on it through an index.
    winner_margin = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="The winner's lead over the runner-up (from the candidacies)."
    )

    class Meta:
        ordering = ["election_id", "constituency_id"]
        # The contests list's orders (records/api/resources/contests.py), id breaking ties.
        indexes = [
            models.Index(fields=["winner_margin", "id"], name="contest_margin_id_idx"),
            models.Index(fields=["total_votes", "id"], name="contest_total_votes_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["election", "constituency"], name="contest_unique"),
            models.CheckConstraint(
                condition=Q(nota_votes__isnull=True)
                | Q(total_votes__isnull=True)
                | Q(nota_votes__lte=F("total_votes")),
                name="contest_nota_within_total",
                violation_error_message="NOTA votes cannot exceed the total.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.constituency} in {self.election}"


class Alliance(Claim):
    """Parties in a pre-poll alliance for one election, so that "seats with
    allies" can be computed and checked."""

    election = models.ForeignKey("records.Election", on_delete=models.CASCADE, related_name="alliances")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    leader = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="led_alliances", help_text="The party whose allies these are."
    )
    parties = models.ManyToManyField(Party, related_name="alliances", help_text="All members, the leader included.")

    class Meta:
        ordering = ["election_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.election})"

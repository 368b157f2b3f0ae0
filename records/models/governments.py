"""Which party governs a place: "the ruling Bharatiya Janata Party" of a State."""

from __future__ import annotations

from django.db import models
from django.db.models import F

from records.fields import fuzzy_date_fields
from records.models.base import Claim, fuzzy_bounds_constraints
from records.models.gazetteer import Party, Place


class Government(Claim):
    """A party governing a place (a State, the Union) for a period, as a source
    tells it. A source that calls a party "ruling" on its date says it governed
    on that day: a start on or before it, an end on or after it."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="governments")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="governments")
    start, start_earliest, start_latest = fuzzy_date_fields("start")
    end, end_earliest, end_latest = fuzzy_date_fields("end")

    class Meta:
        # Undated first on every database (SQLite and PostgreSQL put NULLs at opposite ends).
        ordering = ["place_id", F("start_earliest").asc(nulls_first=True), "id"]
        constraints = [*fuzzy_bounds_constraints("government", "start", "end")]
        indexes = [models.Index(fields=["party", "start_earliest"], name="government_party_start_idx")]

    def __str__(self) -> str:
        return f"{self.party} governs {self.place}"

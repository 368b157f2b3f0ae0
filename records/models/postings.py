"""Postings (a person in a role for a period) and events in a person's career."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from records.fields import FuzzyDateOrderField, fuzzy_date_fields
from records.models.base import (
    Claim,
    claim_key_constraint,
    claim_key_field,
    fuzzy_bounds_constraints,
    not_pending,
)
from records.models.gazetteer import Organisation, Place
from records.models.people import Person


class Posting(Claim):
    """A person holding a role for a period. Party membership and party offices
    are postings whose organisation is a party."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="postings")
    key = claim_key_field()
    role = models.CharField(max_length=300, db_index=True, help_text='e.g. "Commissioner of Police", "member".')
    rank = models.CharField(max_length=100, blank=True, db_index=True, help_text='e.g. "ADG", "SP".')
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="postings"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="postings")
    serves = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_by_postings",
        help_text="The person the post serves, where a source names one: the protectee of a close-protection "
        "team, the minister of a private secretary.",
    )
    start, start_earliest, start_latest = fuzzy_date_fields("start")
    end, end_earliest, end_latest = fuzzy_date_fields("end")
    # The days the list's `start` and `end` orders sort at: an open side falls
    # back on the known bound, so "../2021" starts before "2022" and "2022-01/.."
    # ends after "2021" instead of sorting with the unknown.
    start_sort = FuzzyDateOrderField("start (sort day)", source="start", bound="earliest")
    end_sort = FuzzyDateOrderField("end (sort day)", source="end", bound="latest")
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_postings",
        help_text="The posting held just before this one, where a source gives the order.",
    )
    note = models.CharField(max_length=500, blank=True, help_text='A qualifier a source gives ("first holder").')
    # Derived: the posting's place in its person's career (records/careers.py),
    # kept up to date whenever a posting of the person is saved or deleted.
    career_position = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["person_id", F("start_sort").asc(nulls_last=True), "id"]
        constraints = [
            *fuzzy_bounds_constraints("posting", "start", "end"),
            claim_key_constraint("posting"),
            models.CheckConstraint(
                condition=~Q(previous=F("id")),
                name="posting_not_its_own_previous",
                violation_error_message="A posting cannot come before itself.",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "start_earliest"], name="posting_org_start_idx"),
            models.Index(fields=["place", "start_earliest"], name="posting_place_start_idx"),
            # The list's orders (start, end, role, updated), each tie-broken by id.
            # The start and end orders carry the bounds active_on tests, so that a
            # page of postings held on a day is found in the index alone, not by
            # reading every row in start order (388 ms to 34 ms at 1M postings).
            models.Index(fields=["start_sort", "id", "start_latest", "end_earliest"], name="posting_start_held_idx"),
            models.Index(fields=["end_sort", "id", "start_latest", "end_earliest"], name="posting_end_held_idx"),
            models.Index(fields=["role", "id"], name="posting_role_id_idx"),
            models.Index(fields=["updated_at", "id"], name="posting_updated_id_idx"),
            # A person's postings held on a day (persons?active_on probes it per person).
            models.Index(fields=["person", "start_latest", "end_earliest"], name="posting_person_held_idx"),
            models.Index(fields=["person", "career_position", "id"], name="posting_career_idx"),
            # A status or review state in the default order: a page from the index, not a sort of
            # every posting with that value (postings?status=reported: 301 ms at 1M postings).
            models.Index(fields=["status", "start_sort", "id"], name="posting_status_start_idx"),
            models.Index(fields=["review_status", "start_sort", "id"], name="posting_review_start_idx"),
            # rank= (any case) in the default order; LIKE, Django's iexact on SQLite, cannot use an
            # index there (postings?rank=ADG: 450 ms at 1M postings, the ADGs coming late in start order).
            models.Index(Upper("rank"), F("start_sort"), F("id"), name="posting_rank_start_idx"),
            # The public postings (pending ones left out: records/curation/review.py, public), so that
            # postings?count=true counts an index, not every row (SQLite: 120 to 24 ms at 1M postings).
            models.Index(fields=["id"], condition=not_pending(), name="posting_public_idx"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Whose career the posting was in when loaded: a save that moves it to
        # another person renumbers both careers (records/careers.py).
        instance.loaded_person_id = instance.__dict__.get("person_id")
        return instance

    def clean(self) -> None:
        super().clean()
        if self.previous_id and self.previous_id == self.pk:
            raise ValidationError({"previous": "A posting cannot come before itself."})
        if self.previous_id and self.person_id and self.previous.person_id != self.person_id:
            raise ValidationError({"previous": "The previous posting must be the same person's."})

    def __str__(self) -> str:
        where = self.organisation or self.place
        return f"{self.person}: {self.role}" + (f", {where}" if where else "")


class Event(Claim):
    """Something that happened to or was done by a person at a (fuzzy) date.

    Where sources disagree about an event (a retirement approved, or still
    pending), each version is its own event, and a ``contradicts`` claim link
    (records/models/links.py) joins the two; neither is silently preferred.
    """

    class Kind(models.TextChoices):
        RETIREMENT_APPLIED = "retirement_applied", "applied for voluntary retirement"
        RETIREMENT_APPROVED = "retirement_approved", "voluntary retirement approved"
        RETIREMENT_PENDING = "retirement_pending", "voluntary retirement still pending"
        MEETING = "meeting", "meeting"
        TRAINING = "training", "training"
        STATEMENT = "statement", "public statement"
        OTHER = "other", "other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    key = claim_key_field()
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=300, help_text="What happened, in a line.")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    date, date_earliest, date_latest = fuzzy_date_fields("date")
    participants = models.ManyToManyField(Person, blank=True, related_name="events_as_participant")

    class Meta:
        ordering = ["person_id", F("date_earliest").asc(nulls_last=True), "id"]
        constraints = [*fuzzy_bounds_constraints("event", "date"), claim_key_constraint("event")]
        # The events list's orders (records/api/resources/events.py), id breaking ties.
        indexes = [
            models.Index(fields=["date_earliest", "id"], name="event_date_id_idx"),
            models.Index(fields=["updated_at", "id"], name="event_updated_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"

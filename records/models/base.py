"""What every record shares: citations, timestamps, review status, edit
history and, for claims, a status."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from records.history import RecordHistory


class ClaimStatus(models.TextChoices):
    """How certain a source is about a claim; stored, filterable, never flattened."""

    CONFIRMED = "confirmed", "confirmed"  # stated as fact
    ANNOUNCED = "announced", "announced"  # declared by the person or body concerned
    REPORTED = "reported", "reported"  # attributed to unnamed sources ("sources say")
    EXPECTED = "expected", "expected"  # "likely to", "is expected to", "will"
    SPECULATED = "speculated", "speculated"  # "there is speculation", "could"


class ReviewStatus(models.TextChoices):
    """Whether a curator has checked the record against its sources."""

    DRAFT = "draft", "draft"
    VERIFIED = "verified", "verified"


def not_pending(path: str = "", draft=ReviewStatus.DRAFT.value) -> Q:
    """Records (reached through ``path``) that are not pending: not drafted on
    the workbench, or verified since (records/curation/review.py). ``draft``:
    the word as the SQL gets it, a parameter unless the caller writes it in.
    The postings' partial index of public records is made on this condition."""
    return Q(**{f"{path}drafted_by__isnull": True}) | ~Q(**{f"{path}review_status": draft})


class CitedRecord(models.Model):
    """A record whose facts are tied to the exact words of sources, reviewed by
    curators, with every change kept (who, when, field by field)."""

    citations = GenericRelation("records.Citation")
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False, db_index=True)
    review_status = models.CharField(
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
        help_text="draft until a curator has checked the record against its sources, then verified.",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The curator who verified the record.",
    )
    verified_at = models.DateTimeField(null=True, blank=True, help_text="When the record was verified.")
    # Four eyes: a record a curator drafts on the workbench stays out of public
    # reads until another curator verifies it (records/curation/review.py).
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,  # set by the workbench only: clearing it would undo four eyes
        help_text="The curator who drafted the record on the workbench: until another curator verifies it, "
        "public reads leave it out.",
    )
    # One history table per concrete model (inherit=True reaches every subclass).
    history = RecordHistory(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Keep the review fields consistent however the record is edited: a
        # draft carries no verification, a verified record always has a time.
        if self.review_status == ReviewStatus.DRAFT:
            self.verified_by = None
            self.verified_at = None
        elif self.verified_at is None:
            self.verified_at = timezone.now()
        super().save(*args, **kwargs)


class Claim(CitedRecord):
    """A statement a source makes, with how certain the source is of it."""

    status = models.CharField(
        max_length=16,
        choices=ClaimStatus.choices,
        default=ClaimStatus.CONFIRMED,
        db_index=True,
        help_text="How certain the source is: confirmed, announced, reported, expected or speculated.",
    )

    class Meta:
        abstract = True


def fuzzy_bounds_constraints(prefix: str, *names: str) -> list[models.CheckConstraint]:
    """Check constraints for fuzzy dates: each earliest <= latest, and if two
    names are given (start, end), the end cannot certainly precede the start."""
    constraints = []
    for name in names:
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{name}_earliest__isnull": True})
                | Q(**{f"{name}_latest__isnull": True})
                | Q(**{f"{name}_earliest__lte": F(f"{name}_latest")}),
                name=f"{prefix}_{name}_bounds_ordered",
                violation_error_message=f"The {name} date's earliest bound is after its latest bound.",
            )
        )
    if len(names) == 2:
        start, end = names
        constraints.append(
            models.CheckConstraint(
                condition=Q(**{f"{end}_latest__isnull": True})
                | Q(**{f"{start}_earliest__isnull": True})
                | Q(**{f"{end}_latest__gte": F(f"{start}_earliest")}),
                name=f"{prefix}_{end}_not_before_{start}",
                violation_error_message=f"The {end} date cannot be before the {start} date.",
            )
        )
    return constraints


def claim_key_field():
    """A claim's key, unique per person: how a later document or import names
    the same claim (seeds/README.md), e.g. "bjp-membership"."""
    return models.SlugField(
        max_length=120,
        blank=True,
        default="",
        help_text="The annotation's key for this claim, unique per person; empty for claims made without one.",
    )


def claim_key_constraint(prefix: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["person", "key"], condition=~Q(key=""), name=f"{prefix}_key_unique_per_person"
    )

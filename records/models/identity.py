"""Possible matches: two person records that may be one person, with the
evidence for and against, waiting for a curator (or decided)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least


def _person_reference(help_text: str) -> models.ForeignKey:
    # No database constraint and no cascade: a proposal outlives a merge of either
    # person. Its rejection stays remembered, an accept can then be refused naming
    # where the person went, and the undo of that merge (which recreates the person
    # with the same id) makes the reference whole again. Nullable only so that a
    # join to a person merged away reads as null instead of dropping the row.
    return models.ForeignKey(
        "records.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        help_text=help_text,
    )


class PossibleMatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "open"
        ACCEPTED = "accepted", "accepted"
        REJECTED = "rejected", "rejected"

    incoming = _person_reference("The person a source's record was given (created for it, as no one matched).")
    existing = _person_reference("The person already recorded that it may be.")
    score = models.FloatField(help_text="The sum of the evidence's weights.")
    evidence = models.JSONField(
        default=list, help_text='Named pieces: [{"name": "same name", "weight": 4.0, "detail": "..."}, ...].'
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    source = models.ForeignKey(
        "records.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="possible_matches",
        help_text="The dataset whose import raised the question.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The curator who accepted or rejected it; null for an automatic link (or while open).",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Why it was decided so.")
    merge = models.ForeignKey(
        "records.PersonMerge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="possible_matches",
        help_text="The merge that accepting it made (undo it on the merge).",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "possible matches"
        constraints = [
            # One question per pair of people, whichever came first.
            models.UniqueConstraint(Least("incoming", "existing"), Greatest("incoming", "existing"), name="match_pair"),
            models.CheckConstraint(
                condition=~Q(incoming=F("existing")),
                name="match_two_people",
                violation_error_message="A possible match is between two people.",
            ),
            models.CheckConstraint(
                condition=Q(incoming__isnull=False, existing__isnull=False),
                name="match_people_given",
                violation_error_message="A possible match names both people.",
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True) | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="match_decided_when_closed",
                violation_error_message="An open match has no decision date; a decided one has one.",
            ),
        ]
        indexes = [models.Index(fields=["status", "id"], name="match_status_id_idx")]

    def __str__(self) -> str:
        return f"#{self.incoming_id} ~ #{self.existing_id} ({self.score}, {self.status})"

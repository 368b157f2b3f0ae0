"""Merges of duplicate person records: what moved, so the API can redirect the
removed id and a curator can undo the merge."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PersonMerge(models.Model):
    """One person record merged into another. The removed person's id keeps
    answering (a redirect to the kept one) until the merge is undone."""

    # PROTECT: deleting the kept person would silently lose the redirect and
    # the undo; the delete is refused (a 409 in the API) naming the merge.
    kept = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="merges_received")
    removed_id = models.BigIntegerField(db_index=True, help_text="The id the removed person had.")
    removed_name = models.CharField(max_length=200, help_text="The removed person's name, for the record.")
    # Its URL by slug keeps answering 301 too: looked up by index on every person 404.
    removed_slug = models.CharField(max_length=120, blank=True, help_text="The slug the removed person had.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, help_text="Why the two records are one person.")
    # What the merge changed (the removed person's fields, the rows that moved,
    # the duplicates it dropped): everything an undo needs to put back.
    snapshot = models.JSONField(default=dict)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        indexes = [
            models.Index(fields=["removed_id", "undone_at"], name="person_merge_removed_idx"),
            models.Index(fields=["removed_slug", "undone_at"], name="person_merge_removed_slug_idx"),
        ]

    def __str__(self) -> str:
        state = " (undone)" if self.undone_at else ""
        return f"{self.removed_name} #{self.removed_id} -> #{self.kept_id}{state}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None

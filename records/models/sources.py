"""Sources (documents and datasets) and citations of their exact words."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from records.history import RecordHistory


class Source(models.Model):
    """One document (or dataset) that records are cited to."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "news article"
        DATASET = "dataset", "dataset"

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable key, e.g. the seed file's name.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    # What a document may leave unsaid: its title, publisher and address are
    # recorded when it states them, and named in `not_stated` when it does not
    # (an empty field alone would not tell "not stated" from "not yet entered").
    STATABLE = ("title", "publisher", "url")

    title = models.CharField(max_length=500, blank=True, help_text="Empty when the document carries none.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Empty when not known.")
    url = models.URLField(max_length=1000, blank=True)
    not_stated = models.JSONField(
        default=list,
        blank=True,
        help_text='What the document itself does not state, of "title", "publisher" and "url" (a curator checked).',
    )
    published_on = models.DateField(null=True, blank=True, db_index=True)
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 language tag.")
    license = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=300, blank=True, help_text="File in the repository, if any.")
    text = models.TextField(blank=True, help_text="The verbatim text; citation offsets index into it.")
    sha256 = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the file's bytes.")
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False, db_index=True)
    history = RecordHistory()

    class Meta:
        ordering = ["published_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="source_sha256_is_hex",
                violation_error_message="sha256 must be 64 lowercase hexadecimal digits.",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    def clean(self) -> None:
        super().clean()
        not_stated = self.not_stated
        if not isinstance(not_stated, list) or any(name not in self.STATABLE for name in not_stated):
            raise ValidationError({"not_stated": f"A list of field names among {', '.join(self.STATABLE)}."})
        if len(set(not_stated)) != len(not_stated):
            raise ValidationError({"not_stated": "Each field is named once."})
        given = [name for name in not_stated if getattr(self, name)]
        if given:
            raise ValidationError({"not_stated": f"{', '.join(given)} has a value: the document states it."})
        if self.text and hashlib.sha256(self.text.encode("utf-8")).hexdigest() != self.sha256:
            raise ValidationError({"sha256": "Does not match the text (SHA-256 of its UTF-8 bytes)."})


class Citation(models.Model):
    """Ties a record, or one field of it, to a verbatim quote of a source."""

    # Indexed by citation_source_record_idx (source first), not an index of its own.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations", db_index=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        max_length=64, blank=True, help_text="The field this quote supports; empty for the record as a whole."
    )
    quote = models.TextField(blank=True, help_text="Exact words of the source (documents).")
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset of the quote in the source text (Unicode code points)."
    )
    end = models.PositiveIntegerField(null=True, blank=True, help_text="Offset just after the quote.")
    locator = models.CharField(
        max_length=300,
        blank=True,
        help_text='Where in a dataset: a row or path, e.g. "constituencies[0].candidates[2]".',
    )
    said = models.CharField(
        max_length=200,
        blank=True,
        help_text='Relative words in the quote that a date was resolved from ("last year", "on Saturday").',
    )
    history = RecordHistory()

    class Meta:
        ordering = ["source_id", "start", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="citation_record_idx"),
            # A source's citations, by kind of record: what ``according_to`` reads
            # (records/knowledge.py); it also serves the foreign key (source first).
            models.Index(fields=["source", "content_type", "object_id"], name="citation_source_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")) | Q(start__isnull=True, end__isnull=True) & ~Q(locator=""),
                name="citation_end_after_start",
                violation_error_message="A citation quotes a span (end after start) or points into a dataset.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug} [{self.start}:{self.end}]"

    def clean(self) -> None:
        super().clean()
        if not self.source_id:
            return
        text = self.source.text
        if self.start is None and self.end is None and self.locator:
            return  # a dataset row, not a quote
        if text[self.start : self.end] != self.quote:
            found = text.find(self.quote) if self.quote else -1
            hint = f" (it occurs at {found})" if found >= 0 else " (it does not occur in the source)"
            raise ValidationError(
                {"quote": f"The quote is not at offsets {self.start}-{self.end} of {self.source.slug}{hint}."}
            )
        if self.said and self.said not in self.quote:
            raise ValidationError({"said": f"{self.said!r} does not occur in the quote."})

"""Four eyes on what curators draft.

A record a curator drafts on the workbench (``drafted_by`` set, review status
draft) is *pending*: public reads (lists, details, ``as_of``, exports) leave
it out until a second curator verifies it, unless the reader asks for pending
records too. The curator who drafted a record cannot verify it.

Records loaded from the seed annotations or imported from datasets have no
``drafted_by``: they are public as before, drafts in the sense that no
curator has checked them yet, and any curator may verify them.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.utils import timezone

from records.models import ClaimLink, ReviewStatus
from records.models.base import not_pending
from records.models.links import LINKABLE

SELF_VERIFY = "You drafted this record: another curator must verify it."


def pending(path: str = "") -> Q:
    """Records (reached through ``path``, e.g. "person__") drafted on the workbench and not verified yet."""
    return Q(**{f"{path}review_status": ReviewStatus.DRAFT, f"{path}drafted_by__isnull": False})


def public(path: str = "") -> Q:
    """Records a public read shows: every record that is not pending. "draft"
    is written into the SQL, not passed as a parameter: the condition is then
    that of the postings' partial index of public records (records/models/postings.py),
    which SQLite uses only when it can read that they are the same."""
    return not_pending(path, draft=Constant(ReviewStatus.DRAFT))


class Constant(Value):
    """A text constant written into the SQL, where a value is otherwise a
    parameter; only for words of letters (no quoting to get wrong)."""

    def __init__(self, text: str):
        if not text.isalpha():
            raise ValueError(f"not a plain word: {text!r}")
        super().__init__(str(text), output_field=CharField())

    def as_sql(self, compiler, connection):
        return f"'{self.value}'", []


def is_pending(record) -> bool:
    return record.review_status == ReviewStatus.DRAFT and record.drafted_by_id is not None


def may_verify(user, record) -> bool:
    """Whether ``user`` may mark ``record`` verified: anyone but the curator who drafted it."""
    return record.drafted_by_id is None or record.drafted_by_id != user.pk


def check_verifier(user, record) -> None:
    """A ``ValidationError`` on ``review_status`` when ``user`` drafted ``record``."""
    if not may_verify(user, record):
        raise ValidationError({"review_status": SELF_VERIFY})


def verify(record, user, reason: str = "verified") -> list:
    """Mark ``record`` verified by ``user`` (a ``ValidationError`` if ``user``
    drafted it), with the links drafted with it (those whose later side it
    is, by the same curator): a claim and how it stands to earlier claims are
    checked together. Returns every record verified."""
    check_verifier(user, record)
    verified = [record]
    if record._meta.model_name in LINKABLE:
        content_type = ContentType.objects.get_for_model(record)
        links = ClaimLink.objects.filter(
            pending(), claim_type=content_type, claim_id=record.pk, drafted_by_id=record.drafted_by_id
        )
        verified += list(links)
    now = timezone.now()
    with transaction.atomic():
        for item in verified:
            if item.review_status == ReviewStatus.VERIFIED:
                continue
            item.review_status, item.verified_by, item.verified_at = ReviewStatus.VERIFIED, user, now
            item._change_reason = reason
            item.save()
    return verified

"""Adding a document that claims will be made from later (the workbench).

A document is recorded on its own, with no claim yet: its stored text (the
date header, then the text: records/document_text.py) is what quotes are
checked against, and its sha256 is that text's. The same text twice is one
document: the second is refused, naming the first.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from records.document_text import stored_text
from records.models import Source
from records.suggestions.stored import compute_suggestions

# A well-formed BCP 47 tag (RFC 5646, section 2.1): language, extlang,
# script, region, variants, extensions, private use. Well-formed, not looked up
# in the IANA registry: "en", "hi", "en-IN", "hi-Latn", "zh-Hant-TW".
BCP47 = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|\d{3}))?"
    r"(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"
    r"(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*"
    r"(?:-x(?:-[a-z\d]{1,8})+)?"
    r"|x(?:-[a-z\d]{1,8})+)$",
    re.IGNORECASE,
)


def check_language_tag(tag: str) -> None:
    if len(tag) > Source._meta.get_field("language").max_length or not BCP47.match(tag):
        raise ValidationError(
            f"{tag!r} is not a BCP 47 language tag (such as en, hi, en-IN or hi-Latn).", code="language"
        )


class DuplicateDocument(Exception):
    """The same text is recorded already, as ``existing``."""

    def __init__(self, existing: Source):
        self.existing = existing
        super().__init__(f"This document is already recorded, as {existing.slug}.")


@dataclass(frozen=True)
class DocumentDetails:
    published_on: date
    title: str = ""
    publisher: str = ""
    url: str = ""
    language: str = "en"
    license: str = ""
    not_stated: tuple[str, ...] = ()
    slug: str = ""


def add_document(*, body: str, details: DocumentDetails) -> Source:
    """Record the document whose text is ``body`` (without or with its date
    header); raises ``DuplicateDocument`` when that text is recorded already,
    ``ValidationError`` when a detail is wrong."""
    text = stored_text(body, details.published_on)
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = Source.objects.filter(sha256=sha256).only("pk", "slug", "title").first()
    if existing is not None:
        raise DuplicateDocument(existing)
    check_language_tag(details.language)
    source = Source(
        slug=details.slug or f"{details.published_on.isoformat()}_{sha256[:16]}",
        kind=Source.Kind.ARTICLE,
        title=details.title,
        publisher=details.publisher,
        url=details.url,
        not_stated=[name for name in Source.STATABLE if name in details.not_stated],
        published_on=details.published_on,
        language=details.language,
        license=details.license,
        text=text,
        sha256=sha256,
    )
    source.full_clean()
    try:
        with transaction.atomic():
            source._change_reason = "added as a document"
            source.save()
    except IntegrityError:  # recorded meanwhile by someone else
        raise DuplicateDocument(Source.objects.get(sha256=sha256)) from None
    compute_suggestions(source)  # kept for the workbench, which shows them on every view
    return source

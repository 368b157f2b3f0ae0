"""A document's suggestions, computed once and kept by its text's sha256.

The workbench shows them on every view; computing them reads the gazetteer
and the people (a few queries, a fraction of a second for an article, more
for a long one), so they are computed when the document is added (or on the
first view of a document recorded otherwise) and kept in the cache, which is
shared by the app servers (the database cache, or Redis). The same text has
the same suggestions until a curator asks for them again: records added
since may be named in it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from records.models import Source
from records.seedbuilder.documents import HEADER
from records.suggestions import LANGUAGES, suggest

KEPT_FOR = 60 * 60 * 24 * 90  # seconds; the same text, recomputed on a view after that


def _key(sha256: str) -> str:
    return f"workbench:suggestions:v1:{sha256}"


def compute_suggestions(source: Source) -> dict:
    """Suggestions for ``source``'s text (none in its date header), kept for later views.

    ``{"computed_at": ISO time, "language": the rules' language or "", "items": [Suggestion.as_json()...]}``"""
    language = source.language.split("-")[0].lower()
    header = HEADER.match(source.text)
    skip = header.end() if header else 0
    items = []
    if language in LANGUAGES:
        items = [s.as_json() for s in suggest(source.text, source.published_on, language) if s.start >= skip]
    kept = {
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "language": language if language in LANGUAGES else "",
        "items": items,
    }
    cache.set(_key(source.sha256), kept, KEPT_FOR)
    return kept


def kept_suggestions(source: Source) -> dict:
    """The suggestions kept for ``source``'s text, computed now if none are."""
    return cache.get(_key(source.sha256)) or compute_suggestions(source)

"""Annotation suggestions with exact offsets (issue 21, item 2): what a curator
annotating a document may mark, computed from the text and the database.

``suggest(text, published_on)`` returns, each with ``start``/``end`` such that
``text[start:end]`` is its span:

- mentions of known people, parties, organisations, places and constituencies
  by their names, other names, abbreviations and spelling variants
  (known.py over gazetteer.py; variants of people's names by the identity
  matcher, unknown.py), with the record, a score and the candidates when the
  name is ambiguous;
- capitalised names no record bears, as possible new people or organisations
  (unknown.py);
- dates, absolute or relative, resolved against the publication date by the
  seed builder's resolver (dates.py);
- certainty cues mapped to claim statuses (cues.py).

Nothing is written. How good the suggestions are on the annotated documents:
records/suggestions/measure.py (``manage.py measure_suggestions``).
"""

from __future__ import annotations

from datetime import date

from records.suggestions.cues import cue_mentions
from records.suggestions.dates import date_mentions
from records.suggestions.known import known_mentions
from records.suggestions.tokens import tokenize
from records.suggestions.types import DateValue, Kind, RecordRef, Suggestion
from records.suggestions.unknown import unknown_names

__all__ = ["DateValue", "Kind", "RecordRef", "Suggestion", "suggest"]

LANGUAGES = ("en",)


def suggest(text: str, published_on: date | None, language: str = "en") -> list[Suggestion]:
    """Every suggestion for ``text``, in text order (then longer spans first).

    ``published_on`` resolves relative dates ("on Saturday", "last year",
    "(51)"); without it they are suggested unresolved. Only English rules
    exist: another ``language`` is refused with ValueError."""
    if language not in LANGUAGES:
        raise ValueError(f"no suggestion rules for language {language!r} (known: {', '.join(LANGUAGES)})")
    tokens = tokenize(text)
    known = known_mentions(text, tokens)
    dates = date_mentions(text, published_on)
    covered = [(s.start, s.end) for s in known + dates]
    new = unknown_names(text, tokens, covered, known)
    everything = known + dates + new + cue_mentions(text)
    return sorted(everything, key=lambda s: (s.start, -s.end, Kind.ALL.index(s.kind)))

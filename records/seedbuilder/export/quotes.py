"""Quotes and dates as the annotation writes them (records/seedbuilder/export/)."""

from __future__ import annotations

from records.models import Citation
from records.seedbuilder.reading import refines
from records.seedbuilder.relative_dates import RelativeDateError, resolve_relative_date


class QuoteWriter:
    """Needs ``self.source`` and ``self.problems``."""

    def _occurrence(self, citation: Citation) -> int | None:
        text, quote, n = self.source.text, citation.quote, 1
        position = text.find(quote)
        while 0 <= position < citation.start:
            position, n = text.find(quote, position + 1), n + 1
        if position != citation.start:
            self.problems.append(f"citation {citation.pk}: {quote!r} is not at its offsets {citation.start}")
            return None
        return n

    def _cite_items(self, citations: list[Citation], folded: set[int] = frozenset(), field: str = "") -> list:
        """Quotes as the format writes them: plain text, or {quote, field, said, occurrence}."""
        items = []
        for citation in citations:
            occurrence = self._occurrence(citation)
            item = {"quote": citation.quote}
            if citation.field and citation.field != field:
                item["field"] = citation.field
            if citation.said and citation.pk not in folded:
                item["field"] = citation.field
                item["said"] = citation.said
            if occurrence and occurrence > 1:
                item["occurrence"] = occurrence
            items.append(item["quote"] if len(item) == 1 else item)
        return items

    def _date(self, value: str, field: str, citations: list[Citation], folded: set[int]) -> str:
        """The date as this source gave it: relative words a quote's ``said`` marks
        are put back where the value was read from ("on Saturday/.."), so that
        reading the export resolves them again, from the same quote. Where the
        value lies within the words ("2021-03" and "last year"), the value stays
        and the quote keeps its ``said``. Where another source made the value
        more precise than the words allow ("2022-01-10/.." and "on Saturday/.."),
        this source's own words are written: recorded with the other source, the
        more precise value wins again."""
        published_on = self.source.published_on
        sides = value.split("/") if value.count("/") == 1 else [value]
        for citation in citations:
            if citation.field != field or not citation.said or published_on is None:
                continue
            try:
                resolved = resolve_relative_date(citation.said, published_on)
            except RelativeDateError:
                continue
            # The reader marks the first of the claim's quotes that holds the words.
            first = next((c for c in citations if citation.said.lower() in c.quote.lower()), None)
            if first is not citation:
                continue
            if resolved == value:
                folded.add(citation.pk)
                return citation.said
            if resolved in sides and len(sides) == 2:
                folded.add(citation.pk)
                sides[sides.index(resolved)] = citation.said
                continue
            if refines(value, resolved):
                continue
            for index, side in enumerate(sides if len(sides) == 2 else ()):
                if side in ("", ".."):
                    continue
                candidate = sides.copy()
                candidate[index] = resolved
                if refines(value, "/".join(candidate)):
                    folded.add(citation.pk)
                    sides[index] = citation.said
                    break
        return "/".join(sides)

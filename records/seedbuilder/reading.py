"""Reading the values of one annotation: keys, quotes, dates and numbers.

Every quote is checked against the verbatim text and its offsets recorded.
Relative dates ("on Saturday", "last year") are resolved against the
document's publication date, keeping the words in the citation. Nothing here
raises on a bad value: it records a ``Problem`` and reads on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from records.fuzzydates import FuzzyDateError, parse_fuzzy_date
from records.seedbuilder.annotations import Mapping
from records.seedbuilder.documents import Problem, SeedDocument
from records.seedbuilder.relative_dates import RelativeDateError, resolve_relative_date


@dataclass
class Cite:
    doc: SeedDocument
    quote: str
    start: int
    end: int
    field: str = ""
    said: str = ""


@dataclass
class Where:
    doc: SeedDocument
    label: str

    def child(self, label: str) -> Where:
        return Where(self.doc, f"{self.label} {label}".strip())


def refines(value: str, container: str) -> bool:
    """True when fuzzy date ``value`` lies within ``container`` (same or more precise)."""
    try:
        inner, outer = parse_fuzzy_date(value), parse_fuzzy_date(container)
    except (FuzzyDateError, TypeError):
        return False
    if outer.earliest is not None and (inner.earliest is None or inner.earliest < outer.earliest):
        return False
    return outer.latest is None or (inner.latest is not None and inner.latest <= outer.latest)


# Keys whose values are names, kinds or references: text, never numbers or lists.
TEXT_KEYS = {
    "id",
    "key",
    "name",
    "kind",
    "role",
    "rank",
    "title",
    "note",
    "status",
    "abbreviation",
    "part_of",
    "place",
    "person",
    "serves",
    "subject",
    "object",
    "election",
    "party",
    "organisation",
    "jurisdiction",
    "body",
    "previous",
    "scheme",
    "quote",
    "field",
    "said",
    "language",
    "publisher",
    "url",
}


class AnnotationReader:
    """Reads annotation values, collecting what is wrong in ``self.problems``."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def _problem(self, where: Where, reason: str) -> None:
        self.problems.append(Problem(where.doc.annotation_name, where.label, reason))

    def _check_keys(self, spec: Mapping, allowed: set[str], required: set[str], where: Where) -> bool:
        ok = True
        for key, value in spec.items():
            if key not in allowed:
                self._problem(where, f"unknown key {key!r} (expected one of {', '.join(sorted(allowed))})")
                ok = False
            elif key in TEXT_KEYS and value is not None and not isinstance(value, str):
                self._problem(where, f"{key!r} must be text, not {value!r}")
                ok = False
        for key in sorted(required):
            if spec.get(key) in (None, ""):
                self._problem(where, f"missing {key!r}")
                ok = False
        return ok

    def _value(self, spec: Mapping, name: str, where: Where) -> tuple[object, list[Cite]]:
        raw = spec.get(name)
        if isinstance(raw, Mapping):
            sub = where.child(name)
            if not self._check_keys(raw, {"value", "cite"}, {"value", "cite"}, sub):
                return None, []
            return raw["value"], self._cites(raw["cite"], sub, field=name)
        if raw is not None:
            self._problem(where.child(name), "give {value: ..., cite: ...} so the value has its quote")
        return None, []

    def _cites(self, raw, where: Where, field: str = "") -> list[Cite]:
        if raw is None:
            return []
        items = raw if isinstance(raw, list) else [raw]
        cites = []
        for index, item in enumerate(items):
            sub = where.child(f"cite[{index}]") if isinstance(raw, list) else where.child("cite")
            if isinstance(item, str):
                item = Mapping(quote=item)
            if not isinstance(item, Mapping):
                self._problem(sub, "a citation is a quote or {quote, field, said, occurrence}")
                continue
            if not self._check_keys(item, {"quote", "field", "said", "occurrence"}, {"quote"}, sub):
                continue
            quote = str(item["quote"])
            occurrence = self._integer(item.get("occurrence", 1), sub.child("occurrence"))
            if occurrence is not None and occurrence < 1:
                self._problem(sub, "occurrence counts from 1")
                continue
            if item.get("said") and not item.get("field") and not field:
                self._problem(sub, "a cite that marks 'said' words must name the 'field' they date")
                continue
            located = where.doc.locate(quote, occurrence or 1)
            if isinstance(located, str):
                self._problem(sub, located)
                continue
            said = str(item.get("said") or "")
            if said and said not in quote:
                self._problem(sub, f"said {said!r} does not occur in the quote")
                continue
            cites.append(Cite(where.doc, quote, *located, field=str(item.get("field") or field), said=said))
        return cites

    def _date(self, raw, field_name: str, cites: list[Cite], where: Where) -> str:
        """An EDTF value, or one resolved from relative words found in a quote."""
        text = str(raw).strip()
        marked_by_curator = [c for c in cites if c.said]
        try:
            parse_fuzzy_date(text)
        except FuzzyDateError:
            pass
        else:
            self._check_said(text, field_name, marked_by_curator, where)
            return text
        sides = text.split("/") if text.count("/") == 1 else [text]
        resolved = []
        for side in sides:
            side = side.strip()
            if side in ("", ".."):
                resolved.append(side)
                continue
            try:
                parse_fuzzy_date(side)
                resolved.append(side)
                continue
            except FuzzyDateError as exc:
                not_fuzzy = exc
            try:
                resolved.append(resolve_relative_date(side, where.doc.published_on))
            except RelativeDateError as exc:
                looks_iso = side[:1].isdigit() or side.startswith("..")
                reason = not_fuzzy if looks_iso else exc
                self._problem(where, f"invalid date: {reason}")
                return ""
            cite = next((c for c in cites if side.lower() in c.quote.lower()), None)
            if cite is None:
                self._problem(where, f"the relative date {side!r} must occur in one of this claim's quotes")
                return ""
            offset = cite.quote.lower().index(side.lower())
            cite.said = cite.quote[offset : offset + len(side)]
            cite.field = cite.field or field_name
        value = "/".join(resolved)
        try:
            parse_fuzzy_date(value)
        except FuzzyDateError as exc:
            self._problem(where, f"invalid date: {exc}")
            return ""
        self._check_said(value, field_name, marked_by_curator, where)
        return value

    def _check_said(self, value: str, field_name: str, cites: list[Cite], where: Where) -> None:
        """Relative words a curator marked on a quote must agree with the value."""
        for cite in cites:
            if not cite.said or cite.field != field_name:
                continue
            try:
                said = parse_fuzzy_date(resolve_relative_date(cite.said, cite.doc.published_on))
            except RelativeDateError as exc:
                self._problem(where, f"invalid date: {exc}")
                continue
            if not refines(value, said.value):
                self._problem(where, f"{value!r} does not fall within {cite.said!r} (= {said.value})")

    def _integer(self, raw, where: Where) -> int | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            self._problem(where, f"{raw!r} is not a whole number")
            return None
        return raw

    def _decimal(self, raw, where: Where) -> Decimal | None:
        """A number with at most two decimal places (no silent rounding)."""
        if raw is None:
            return None
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            number = None
        if isinstance(raw, bool) or number is None or not number.is_finite():
            self._problem(where, f"{raw!r} is not a number")
            return None
        if number != number.quantize(Decimal("0.01")):
            self._problem(where, f"{raw!r} has more than two decimal places")
            return None
        return number.quantize(Decimal("0.01"))

    def _mappings(self, spec: Mapping, key: str, where: Where) -> list[tuple[Where, Mapping]]:
        """The items of a list of mappings, each with where it is; anything else is a problem."""
        items = spec.get(key)
        if items is None:
            return []
        if not isinstance(items, list):
            self._problem(where.child(key), "must be a list")
            return []
        out = []
        for index, item in enumerate(items):
            sub = where.child(f"{key}[{index}]")
            if isinstance(item, Mapping):
                out.append((sub, item))
            else:
                self._problem(sub, "must be a mapping")
        return out

    def _string_list(self, raw, where: Where) -> list[str]:
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self._problem(where, "must be a list of strings")
            return []
        return raw

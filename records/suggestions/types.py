"""What a suggestion is: a span of the text, what it may be, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class Kind:
    """The kinds of suggestion (strings, so they serialise as they are)."""

    PERSON = "person"
    PARTY = "party"
    ORGANISATION = "organisation"
    PLACE = "place"
    CONSTITUENCY = "constituency"
    NEW_PERSON = "new_person"
    NEW_ORGANISATION = "new_organisation"
    DATE = "date"
    CUE = "cue"

    KNOWN = (PERSON, PARTY, ORGANISATION, PLACE, CONSTITUENCY)
    NEW = (NEW_PERSON, NEW_ORGANISATION)
    ALL = (PERSON, PARTY, ORGANISATION, PLACE, CONSTITUENCY, NEW_PERSON, NEW_ORGANISATION, DATE, CUE)


@dataclass(frozen=True)
class RecordRef:
    """A known record a span may name. ``score`` is in (0, 1]: 1 for its own
    name, less for an alias, a spelling key or a spelling variant; ``matched``
    is the name of the record the span agreed with and ``how`` says how."""

    model: str  # the model's label, e.g. "records.Person"
    pk: int
    slug: str
    name: str
    kind: str  # a Kind.KNOWN value
    score: float
    matched: str
    how: str

    def as_json(self) -> dict:
        return {
            "model": self.model,
            "pk": self.pk,
            "slug": self.slug,
            "name": self.name,
            "kind": self.kind,
            "score": self.score,
            "matched": self.matched,
            "how": self.how,
        }


@dataclass(frozen=True)
class DateValue:
    """A date expression resolved by the seed builder's resolver: the EDTF
    value and its bounds (both None when it could not be resolved)."""

    value: str
    earliest: date | None
    latest: date | None

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
        }


@dataclass(frozen=True)
class Suggestion:
    """``text[start:end] == surface`` always holds (offsets in code points).

    Known mentions carry ``record`` (the best candidate) and ``candidates``
    (every record the span may name, best first; more than one when it is
    ambiguous); dates carry ``date``; cues carry ``status``. ``rule`` names
    what produced the suggestion, for a curator to judge it."""

    kind: str
    start: int
    end: int
    surface: str
    rule: str
    record: RecordRef | None = None
    candidates: tuple[RecordRef, ...] = ()
    date: DateValue | None = None
    status: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float | None:
        return self.record.score if self.record else None

    @property
    def ambiguous(self) -> bool:
        """Two or more candidates agree with the span as well as the best one."""
        return len(self.candidates) > 1 and self.candidates[1].score >= self.candidates[0].score

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.surface,
            "rule": self.rule,
            "record": self.record.as_json() if self.record else None,
            "candidates": [c.as_json() for c in self.candidates],
            "ambiguous": self.ambiguous,
            "date": self.date.as_json() if self.date else None,
            "status": self.status,
            "notes": list(self.notes),
        }

"""One named piece of evidence for or against two records being one person."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Evidence:
    name: str  # what was found: "same name", "same constituency", "age differs"...
    weight: float  # points for (positive) or against (negative)
    detail: str = ""  # the facts behind it, readable: "Anil Dohare ~ Anil Kumar Dohare"

    def as_json(self) -> dict:
        # Keys in sorted order, as an export writes them (records/portability.py): a
        # round trip through an export then gives back the same text on SQLite too.
        return dict(sorted(asdict(self).items()))


def total(pieces) -> float:
    return round(sum(piece.weight for piece in pieces), 2)

"""What an import did, counted per kind of record."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    new_parties: list[str] = field(default_factory=list)
    identifier_conflicts: list[str] = field(default_factory=list)  # identifiers not recorded, and why
    notes: list[str] = field(default_factory=list)  # what was not done, and what would do it
    nota_counts: int = 0

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.matched) | set(self.updated))
        out = [
            f"{kind}: {self.created[kind]} created, {self.matched[kind]} matched, {self.updated[kind]} updated"
            for kind in kinds
        ]
        out.append(f"NOTA counts recorded on contests (not as candidates): {self.nota_counts}")
        if self.new_parties:
            shown = ", ".join(self.new_parties[:15]) + (" ..." if len(self.new_parties) > 15 else "")
            out.append(f"parties not known before, created: {len(self.new_parties)} ({shown})")
        if self.identifier_conflicts:
            shown = "; ".join(self.identifier_conflicts[:10]) + (" ..." if len(self.identifier_conflicts) > 10 else "")
            out.append(f"identifiers not recorded (a curator decides): {len(self.identifier_conflicts)} ({shown})")
        return out + self.notes

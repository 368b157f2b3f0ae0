"""Certainty cues: the words by which a text says how sure it is, mapped to
the claim status they suggest (records.models.ClaimStatus; seeds/README.md,
"Certainty is data"). Claims have a status and no separate certainty.

Only phrases that say it on their own are listed: a bare "will" or "could"
hedges as often as it forecasts ("Congress could manage to win only seven
seats" is a result), so they are not cues. The longest phrase at a place wins.
"""

from __future__ import annotations

import re

from records.models import ClaimStatus
from records.suggestions.types import Kind, Suggestion

_BE = r"(?:is|are|was|were|be|being|been|'s|\u2019s)"
CUES: tuple[tuple[str, str], ...] = (
    (ClaimStatus.SPECULATED, r"there (?:is|was) (?:\w+ )?speculation"),
    (ClaimStatus.SPECULATED, r"speculation|speculated|rumou?r(?:s|ed)?|" + _BE + r" said to be"),
    (ClaimStatus.REPORTED, r"(?:sources|officials|insiders) (?:said|say|says|told|claimed|claim)"),
    (ClaimStatus.REPORTED, r"according to (?:sources|reports|officials)|reportedly|it is learnt|it is learned"),
    (ClaimStatus.REPORTED, r"reports? (?:said|say|says|suggested|suggest)"),
    (ClaimStatus.EXPECTED, _BE + r" (?:likely|expected|set|poised|tipped|slated|scheduled) to"),
    (ClaimStatus.EXPECTED, r"likely to|expected to"),
    (ClaimStatus.ANNOUNCED, r"announce[ds]?|announcing|declared|declares"),
    (ClaimStatus.CONFIRMED, r"confirm(?:ed|s)|officially"),
)
_FINDERS = tuple((status, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)) for status, pattern in CUES)


def cue_mentions(text: str) -> list[Suggestion]:
    found = [(m.start(), m.end(), status) for status, finder in _FINDERS for m in finder.finditer(text)]
    chosen: list[Suggestion] = []
    taken: list[tuple[int, int]] = []
    for start, end, status in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        surface = text[start:end]
        chosen.append(
            Suggestion(kind=Kind.CUE, start=start, end=end, surface=surface, rule=f"cue: {status}", status=status)
        )
    return sorted(chosen, key=lambda s: s.start)

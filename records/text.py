"""Name normalisation shared by search, alias matching and the seed builder."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name.

    "Asim Kumar Arun", "ASIM KUMAR ARUN" and "Asīm Kumar-Arun" all give
    "asim kumar arun"; it is what name searches and alias matching compare.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", without_marks.casefold()).replace("_", " ")
    return " ".join(words.split())

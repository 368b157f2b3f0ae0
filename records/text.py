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


# Titles that precede a name in lists and affidavits; never part of the name.
HONORIFICS = frozenset(
    {"dr", "shri", "sri", "shree", "sh", "smt", "shrimati", "mr", "mrs", "ms", "miss", "prof", "late", "adv", "er"}
)
# Romanisations of one sound in Indian names, and their common form here.
_SPELLINGS = (("ph", "f"), ("sh", "s"), ("w", "v"), ("q", "k"), ("ee", "i"), ("oo", "u"), ("aa", "a"), ("ii", "i"))
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = frozenset("aeiou")


def spelling_key(name: str) -> str:
    """A name's words as they sound, for matching spelling variants.

    Beyond ``normalise_name``: titles and initials are dropped, and within
    each word ee/i, oo/u, aa/a, sh/s, w/v, ph/f and q/k are merged, doubled
    letters are single, and a trailing "ey" or consonant + "y" is one sound
    ("Doharey" and "Dohare"; "Chaudhary" and "Chaudhari"). So "Aseem Arun",
    "Shri Asim K. Arun" and "ASIM ARUN" all give "asim arun". Word order is
    kept; a search compares words in any order.
    """
    words = [w for w in normalise_name(name).split() if len(w) > 1 and w not in HONORIFICS]
    return " ".join(_word_key(w) for w in words)


def _word_key(word: str) -> str:
    for spelling, common in _SPELLINGS:
        word = word.replace(spelling, common)
    word = _DOUBLED.sub(r"\1", word)
    if word.endswith("ey") and len(word) > 3:
        word = word[:-1]
    elif word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        word = word[:-1] + "i"
    return word

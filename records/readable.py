"""Readable names for records created from datasets that write names in one case.

Results datasets often write every name in capitals ("ANIL KUMAR DOHAREY",
"SAHARANPUR"). A record the importer creates from such a value is named
``readable_name(value)``: each run of letters is capitalised ("Anil Kumar
Doharey", "Bilgram-Mallanwan", "Meerut Cantt."), except
- initials stay capitals: one letter ("A.K. Singh"), or two or three letters
  without a vowel that are not a title's abbreviation ("RK Singh", "(SC)");
- Roman numerals after the first word stay capitals ("Rao II");
- particles between two other words are lower case ("Zia-ul-Haq",
  "Ram Kumar urf Pappu"), but not as the first or last word ("Amit De");
- a single letter after a word and an apostrophe is lower case ("Ram's"),
  and so is one after a letter and a slash ("S/o": son of); after a
  one-letter prefix and an apostrophe a word begins ("D'Souza").
A value already in mixed case ("Dr.dharam Singh Saini") is kept as written:
someone chose that spelling. Only the case changes, never a letter, space or
mark, so the readable name is the same name (``normalise_name`` gives the
same key) and every match on names is unaffected.
"""

from __future__ import annotations

import re

_LETTERS = re.compile(r"[^\W\d_]+")
_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})", re.IGNORECASE)
_VOWELS = frozenset("aeiouy")
_AFTER_WORD_APOSTROPHE = re.compile(r"[^\W\d_]{2}['\u2019]$")
_AFTER_LETTER_SLASH = re.compile(r"(?<![^\W\d_])[^\W\d_]/$")
# Abbreviated titles without a vowel: capitalised as words ("Dr.", "Smt."), not initials.
TITLE_ABBREVIATIONS = frozenset({"dr", "sh", "smt", "shr", "mr", "mrs", "ms", "km", "ch", "md", "mst", "sk", "pt"})
# Words that join the parts of a name, written in lower case between two other words.
PARTICLES = frozenset(
    {"urf", "alias", "alis", "aka", "urph", "ud", "ul", "ur", "uz", "bin", "bint", "de", "da", "di", "van", "von"}
)


def in_one_case(value: str) -> bool:
    """Whether a value has letters in one case only (all capitals or all small)."""
    cased = [ch for ch in value if ch.isupper() or ch.islower()]
    return bool(cased) and (all(ch.isupper() for ch in cased) or all(ch.islower() for ch in cased))


def readable_name(value: str) -> str:
    """``value`` in title case that respects Indian names (module docstring), or as
    written when it is in mixed case already."""
    if not in_one_case(value):
        return value
    runs = list(_LETTERS.finditer(value))
    out, position = [], 0
    for index, run in enumerate(runs):
        out.append(value[position : run.start()])
        out.append(_word(run.group(), value, run, first=index == 0, last=index == len(runs) - 1))
        position = run.end()
    out.append(value[position:])
    return "".join(out)


def _word(word: str, value: str, run: re.Match, *, first: bool, last: bool) -> str:
    lowered = word.lower()
    before = value[: run.start()]
    if len(word) == 1:
        # "Ram's" (an apostrophe after a word) and "S/o" (son of): a small letter; else an initial.
        return (
            lowered
            if _AFTER_WORD_APOSTROPHE.search(before) or (lowered == "o" and _AFTER_LETTER_SLASH.search(before))
            else word.upper()
        )
    if not first and not last and lowered in PARTICLES:
        return lowered
    if not first and _ROMAN.fullmatch(word):
        return word.upper()
    if len(word) <= 3 and not _VOWELS & set(lowered) and lowered not in TITLE_ABBREVIATIONS:
        return word.upper()  # initials run together: "RK", "(SC)"
    return word[0].upper() + word[1:].lower()

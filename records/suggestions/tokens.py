"""Words of a text with their exact offsets, and the spans names can take.

A word is a run of letters and digits (``\\w`` without the underscore), so
"Anti-Terrorist", "Mayawati's" and "Yadav-led" are two words each and every
offset is the text's own (code points): nothing is rewritten before it is
located. Spans of consecutive words join only across what can sit inside a
name: spaces, a hyphen, an apostrophe, the full stop of an initial ("B.R.
Ambedkar"); never across a comma, a quotation mark, a bracket or a line end.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from records.text import HONORIFICS, normalise_name, spelling_key

_WORD = re.compile(r"[^\W_]+")
# What may lie between two words of one name.
_INSIDE_NAME = re.compile(r"[ \t\u00a0]{1,2}|[-\u2010\u2011'\u2019]|\.[ \u00a0]?|[ ]?[-\u2010\u2011][ ]?")
_SENTENCE_END = re.compile(r"[.!?:;\u201c\u201d\"\n]\W*$|^\s*$")


def words(text: str) -> frozenset[str]:
    """The set of the words of ``text`` (word lists written as prose)."""
    return frozenset(text.split())


# Words a name neither starts nor ends with (it may hold them inside: "Communist Party of India").
STOPWORDS = words(
    """a an the of in on at to for from by with and or but as is was were be been has have had he she it they
    his her its their this that these those who which what when where while after before also said says
    s not no than then there here into over under about"""
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def norm(self) -> str:
        return _norm(self.text)

    @property
    def key(self) -> str:
        """Its spelling key; empty for an initial or a title (records.text.spelling_key)."""
        return _key(self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def upper(self) -> bool:
        """An acronym: "BJP", "UP" (two letters or more, all capitals)."""
        return len(self.text) >= 2 and self.text.isupper()


@functools.lru_cache(maxsize=65536)
def _norm(word: str) -> str:
    return normalise_name(word)


@functools.lru_cache(maxsize=65536)
def _key(word: str) -> str:
    return spelling_key(word)


def span_forms(tokens: list[Token]) -> tuple[str, str]:
    """The normalised form and the spelling key of the words ``tokens`` (one
    span) as ``normalise_name`` and ``spelling_key`` give them for the span's
    text, worked out word by word; the key is empty when a word has none
    (an initial, a title), so that "Mr Arun" cannot agree with any Arun."""
    norm = " ".join(t.norm for t in tokens if t.norm)
    keys = [t.key for t in tokens if t.norm]
    key = " ".join(keys) if all(keys) and all(" " not in t.norm for t in tokens) else ""
    return norm, key


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def joins_a_name(text: str, left: Token, right: Token) -> bool:
    """Whether the characters between two words can lie inside one name."""
    gap = text[left.end : right.start]
    if gap.startswith(".") and len(left.text) > 1 and not left.upper and left.norm not in HONORIFICS:
        return False  # "... last night. Brij" ends a sentence; "B.R.", "U.P." and "Mr." do not
    return _INSIDE_NAME.fullmatch(gap) is not None


def sentence_initial(text: str, token: Token) -> bool:
    """The first word of the text, a paragraph or a sentence (or of a quotation)."""
    before = text[max(0, token.start - 4) : token.start]
    return token.start == 0 or _SENTENCE_END.search(before) is not None


def spans(text: str, tokens: list[Token], longest: int):
    """Every run of 1..``longest`` words that may be one name: (first, last) token indexes."""
    for i in range(len(tokens)):
        j = i
        while True:
            yield i, j
            if j - i + 1 >= longest or j + 1 >= len(tokens) or not joins_a_name(text, tokens[j], tokens[j + 1]):
                break
            j += 1

"""Name normalisation shared by search, alias matching and the seed builder."""

from __future__ import annotations

import itertools
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


def joined_key(name: str) -> str:
    """The spelling key without its word boundaries, for names written joined
    or split ("Muzaffar Nagar" and "MUZAFFARNAGAR", "Hari Shankar" and
    "Harishankar" give one key). Letters doubled across a former boundary are
    single, as within a word ("Ram Mohan" and "Rammohan": "ramohan")."""
    return _DOUBLED.sub(r"\1", spelling_key(name).replace(" ", ""))


# A consonant skeleton shorter than this says too little to match on ("rm" is Ram, Rama, Rima, Roma...).
SOUND_MIN = 3
_SOUND_VOWELS = frozenset("aeiou")


def sound_key(name: str) -> str:
    """A name's words as consonant skeletons, for the spellings ``spelling_key``
    cannot merge: vowels written, dropped or swapped ("Dohrey", "Dohare",
    "Doharey" all give "dhr"; "Janta" and "Janata" give "jnt").

    Each word of the spelling key keeps its first letter, then only its
    consonants, without an "h" that follows a consonant (the aspirate of
    bh, dh, th..., which romanisations write or not) and without doubled
    letters. Only skeletons of ``SOUND_MIN`` letters or more are matched on.
    """
    return " ".join(_word_sound(word) for word in spelling_key(name).split())


def _word_sound(word: str) -> str:
    out = word[0]
    for previous, letter in itertools.pairwise(word):
        if letter in _SOUND_VOWELS or (letter == "h" and previous not in _SOUND_VOWELS):
            continue
        if letter != out[-1]:
            out += letter
    return out


def same_place_name(known: str, given: str) -> bool:
    """Whether two names can name the same place, as results datasets spell it:
    equal but for case, accents and punctuation ("Meerut Cantt." / "MEERUT
    CANTT"), spaces ("Muzaffar Nagar" / "MUZAFFARNAGAR"), romanisation
    (``spelling_key``), or a hyphenated name's first part ("Bilgram" /
    "BILGRAM-MALLANWAN", "Chauri" / "CHAURI-CHAURA"). Not a name that merely
    begins like the other ("Kannauj" / "Kannauj Sadar")."""
    known_forms, given_forms = _name_forms(known), _name_forms(given)
    known_head, given_head = _name_forms(known.split("-")[0]), _name_forms(given.split("-")[0])
    return bool(known_forms & given_forms or known_forms & given_head or given_forms & known_head)


def _name_forms(name: str) -> set[str]:
    words, key = normalise_name(name), spelling_key(name)
    return {words, words.replace(" ", ""), key, key.replace(" ", "")} - {""}

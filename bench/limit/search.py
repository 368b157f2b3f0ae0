"""Name search, as the API documents it: the normalised name contains the
normalised text, or each word of the text's spelling key begins a word of the
name's, in any order. The stored ``search_name`` and ``search_key`` columns are
the data; the two functions below turn the text the same way they were made.
On SQLite, people and their aliases have FTS5 trigram indexes (the database's
own tables): a needle of three characters or more is looked up there first."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

TITLES = {"dr", "shri", "sri", "shree", "sh", "smt", "shrimati", "mr", "mrs", "ms", "miss", "prof", "late", "adv", "er"}
SOUNDS = (("ph", "f"), ("sh", "s"), ("w", "v"), ("q", "k"), ("ee", "i"), ("oo", "u"), ("aa", "a"), ("ii", "i"))
FTS_TABLES = {"records_person": "records_person_search", "records_personalias": "records_personalias_search"}


def normalised(text: str) -> str:
    letters = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters.casefold()).replace("_", " ").split())


def sounds(text: str) -> list[str]:
    words = []
    for word in normalised(text).split():
        if len(word) < 2 or word in TITLES:
            continue
        for spelling, common in SOUNDS:
            word = word.replace(spelling, common)
        word = re.sub(r"(.)\1+", r"\1", word)
        if word.endswith("ey") and len(word) > 3:
            word = word[:-1]
        elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
            word = word[:-1] + "i"
        words.append(word)
    return words


def name_matches(text: str, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}search_name__contains": normalised(text)})
    words = sounds(text)
    if words:
        each = Q()
        for word in words:
            each &= Q(**{f"{prefix}search_key__startswith": word}) | Q(**{f"{prefix}search_key__contains": f" {word}"})
        condition |= each
    return condition


def indexed_name_matches(model, text: str) -> Q:
    """``name_matches``, narrowed first through the FTS5 index where SQLite has one."""
    needle, words = normalised(text), sounds(text)
    index = FTS_TABLES.get(model._meta.db_table)
    if connection.vendor != "sqlite" or index is None or len(needle) < 3 or any(len(w) < 3 for w in words):
        return name_matches(text)
    phrase = '"{}"'.format
    query = f"search_name : {phrase(needle.replace(chr(34), chr(34) * 2))}"
    if words:
        query += " OR (" + " AND ".join(f"search_key : {phrase(w)}" for w in words) + ")"
    proposed = RawSQL(f"SELECT rowid FROM {index} WHERE {index} MATCH %s", [query])
    return Q(id__in=proposed) & name_matches(text)

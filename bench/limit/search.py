"""Name search, as the API documents it: the normalised name contains the
normalised text, or each word of the text, in any order, begins a word of the
name's spelling key, has the consonants of one of its words (three or more),
or (a word of four letters or more) is inside the name written without spaces;
or the text's words, written together, are inside the name written without
spaces. Inside, it must begin where a word of the name begins (its first three
letters begin a word of the spelling key), so that "ram" does not find "Hira
Mani". So a name written joined or split is found either way ("Siddharthnagar"
finds Siddharth Nagar, "Hari Shankar" finds Harishankar). A record is found by
its name, an alias row, or (a place) one of its other names.

The stored ``search_*`` columns are the data; the functions below turn the
text the same way they were made. On SQLite, every searched table has an FTS5
trigram index (the database's own tables): when the text and its words have
three characters or more, the index proposes the rows first.

Without an ordering, a search lists the best match first: a score per name,
``tier * 1000 + min(length of its spelling key, 999)``, the best of a record's
names; tiers: 0 the name is the text (or an organisation's abbreviation), 1 it
has the text's spelling, or has it with the spaces removed, 2 it begins with
it, 3 each word begins one of its words, 4 it contains the text, 5 it has it
written joined or split, 6 the rest (by sound)."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least, Length

from bench.limit.paging import Key

TITLES = {"dr", "shri", "sri", "shree", "sh", "smt", "shrimati", "mr", "mrs", "ms", "miss", "prof", "late", "adv", "er"}
SOUNDS = (("ph", "f"), ("sh", "s"), ("w", "v"), ("q", "k"), ("ee", "i"), ("oo", "u"), ("aa", "a"), ("ii", "i"))
VOWELS = "aeiou"
DOUBLED = re.compile(r"(.)\1+")
ANCHOR = 3  # letters of a text found inside a joined name that must begin a word of the name
INSIDE = ANCHOR + 1  # a shorter word adds nothing inside a joined name to beginning a word
LIST = " / "  # between a place's other names in its other_search_* columns
NAME = ("search_name", "search_key", "search_sound", "search_joined", False)
OTHER = ("other_search_name", "other_search_key", "other_search_sound", "other_search_joined", True)
COLUMNS = {"records_place": (NAME, OTHER)}  # every other searched table: NAME
RANK = "search_rank"
WORST = 99_000


def normalised(text: str) -> str:
    letters = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters.casefold()).replace("_", " ").split())


def spellings(text: str) -> list[str]:
    words = []
    for word in normalised(text).split():
        if len(word) < 2 or word in TITLES:
            continue
        for spelling, common in SOUNDS:
            word = word.replace(spelling, common)
        word = DOUBLED.sub(r"\1", word)
        if word.endswith("ey") and len(word) > 3:
            word = word[:-1]
        elif word.endswith("y") and len(word) > 2 and word[-2] not in VOWELS:
            word = word[:-1] + "i"
        words.append(word)
    return words


def together(text: str) -> str:
    """The spelling without spaces, a letter doubled where two words met written once ("Ram Mohan": "ramohan")."""
    return DOUBLED.sub(r"\1", "".join(spellings(text)))


def consonants(word: str) -> str | None:
    """First letter, then the consonants (no h after a consonant, none doubled); None under three."""
    kept = word[0]
    for i in range(1, len(word)):
        letter = word[i]
        if letter in VOWELS or (letter == "h" and word[i - 1] not in VOWELS) or letter == kept[-1]:
            continue
        kept += letter
    return kept if len(kept) >= 3 else None


def _together_searched(words: list[str], text: str) -> bool:
    """Whether the text written together is looked for: two words or more (one is its word's own rule)."""
    return len(words) > 1 and len(together(text)) >= ANCHOR


def _columns(model, prefix: str = ""):
    """(name, key, sound, joined, is a list) of each name a row of ``model`` has (without a model: one name)."""
    named = COLUMNS.get(model._meta.db_table, (NAME,)) if model is not None else (NAME,)
    return [(*(f"{prefix}{column}" for column in columns[:4]), columns[4]) for columns in named]


def _starts_a_word(column: str, word: str) -> Q:
    return Q(**{f"{column}__startswith": word}) | Q(**{f"{column}__contains": f" {word}"})


def _inside(key: str, joined: str, value: str) -> Q:
    return Q(**{f"{joined}__contains": value}) & _starts_a_word(key, value[:ANCHOR])


def _one_of(column: str, value: str, between: str) -> Q:
    return (
        Q(**{column: value})
        | Q(**{f"{column}__startswith": value + between})
        | Q(**{f"{column}__endswith": between + value})
        | Q(**{f"{column}__contains": between + value + between})
    )


def _matches(text: str, columns, by_sound: bool = True) -> Q:
    name, key, sound, joined, _ = columns
    condition = Q(**{f"{name}__contains": normalised(text)})
    words = spellings(text)
    if words:
        each = Q()
        for word in words:
            # A word that begins a word of the key is also inside the joined key at a word's
            # start, so for a long word the one test serves both.
            alike = _inside(key, joined, word) if len(word) >= INSIDE else _starts_a_word(key, word)
            if by_sound and consonants(word):
                alike |= _one_of(sound, consonants(word), " ")
            each &= alike
        condition |= each
        if _together_searched(words, text):
            condition |= _inside(key, joined, together(text))
    return condition


def name_matches(text: str, prefix: str = "", model=None) -> Q:
    condition = Q(pk__in=[])
    for columns in _columns(model, prefix):
        condition |= _matches(text, columns)
    return condition


def _fts_query(text: str, columns) -> str:
    name, key, sound, joined, _ = columns
    phrase = lambda value: '"{}"'.format(value.replace('"', '""'))  # noqa: E731
    query = f"{name} : {phrase(normalised(text))}"
    words = spellings(text)
    if words:
        each = []
        for word in words:
            alike = f"{key} : {phrase(word)}"
            if consonants(word):
                alike += f" OR {sound} : {phrase(consonants(word))}"
            if len(word) >= INSIDE:
                alike += f" OR {joined} : {phrase(word)}"
            each.append(f"({alike})")
        query += " OR (" + " AND ".join(each) + ")"
        if _together_searched(words, text):
            query += f" OR {joined} : {phrase(together(text))}"
    return f"({query})"


def indexed_name_matches(model, text: str) -> Q:
    """``name_matches`` on ``model``, narrowed first through its FTS5 index on SQLite."""
    needle, words = normalised(text), spellings(text)
    exact = name_matches(text, model=model)
    if connection.vendor != "sqlite" or len(needle) < 3 or any(len(w) < 3 for w in words):
        return exact
    index = f"{model._meta.db_table}_search"
    query = " OR ".join(_fts_query(text, columns) for columns in _columns(model))
    proposed = RawSQL(f"SELECT rowid FROM {index} WHERE {index} MATCH %s", [query])
    return Q(id__in=proposed) & exact


def _score(text: str, columns, abbreviation: bool):
    name, key, joined, is_list = columns[0], columns[1], columns[3], columns[4]
    needle, words = normalised(text), spellings(text)
    spelt = " ".join(words)
    points = lambda tier: Value(tier * 1000) + Least(Length(key), Value(999))  # noqa: E731
    same = (lambda c, v: _one_of(c, v, LIST)) if is_list else (lambda c, v: Q(**{c: v}))
    cases = [When(Q(abbreviation__iexact=text), then=points(0))] if abbreviation else []
    cases.append(When(same(name, needle), then=points(0)))
    if words:
        begins = Q(**{f"{key}__startswith": spelt})
        if is_list:
            begins |= Q(**{f"{key}__contains": LIST + spelt})
        every = Q()
        for word in words:
            every &= _starts_a_word(key, word)
        cases += [
            When(same(key, spelt) | same(joined, together(text)), then=points(1)),
            When(begins, then=points(2)),
            When(every, then=points(3)),
        ]
    cases += [
        When(Q(**{f"{name}__contains": needle}), then=points(4)),
        When(_matches(text, columns, by_sound=False), then=points(5)),
        When(_matches(text, columns), then=points(6)),
    ]
    return Case(*cases, default=Value(WORST), output_field=IntegerField())


def with_rank(queryset, text: str, alias_model=None, fk: str | None = None, abbreviation: bool = False):
    """The queryset with its ``search_rank``: the best score of the record's names and aliases."""
    scores = [_score(text, columns, abbreviation and not columns[4]) for columns in _columns(queryset.model)]
    if alias_model is not None:
        best = alias_model.objects.filter(**{fk: OuterRef("pk")}).annotate(s=_score(text, NAME, False))
        scores.append(Coalesce(Subquery(best.order_by("s").values("s")[:1]), Value(WORST)))
    rank = scores[0] if len(scores) == 1 else Least(*scores, output_field=IntegerField())
    return queryset.annotate(**{RANK: rank})


def ranked_keys(params, keys: list) -> list:
    """A search without an ordering: the rank first, then the default order."""
    return [Key(RANK), *keys] if params.get("q") and not params.get("ordering") else keys

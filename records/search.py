"""Search on names: which records a text finds (this module) and in which
order (records/search_rank.py), served by an index on both databases.

A text finds a name when the normalised name contains the normalised text, or
when every word of the text, in any order, begins a word of the name's
spelling key or has the sound key of one of its words (records/text.py):
"Aseem Arun", "Arun Asim" and "Shri Asim K. Arun" find Asim Arun, "Dohrey"
finds Anil Kumar Dohare. A name written joined or split is found either way
("Siddharthnagar" finds Siddharth Nagar, "Hari Shankar" finds Harishankar): the
text's spelling key without spaces, or one of its words of four letters or
more, is inside the name's ``joined_key`` (its ``search_joined`` column), and
begins where a word of the name begins (its first three letters do), so that
"ram" does not find "Hira Mani". People, organisations (parties among them), places
and constituencies are searched on their name and on their other names: the
rows of their alias tables, and a place's ``other_names`` (kept in its
``other_search_*`` columns, one name after another, records/fields.py).

PostgreSQL: GIN trigram indexes (pg_trgm, migrations 0005, 0011, 0012 and
0017) serve the ``LIKE`` conditions on every search column. SQLite has no such
index for LIKE: a search read all 100,000 people and 200,000 aliases of the
benchmark corpus (46 ms). Here each searched table gets an FTS5 index with
the trigram tokenizer over its search columns, kept in step by triggers; when
the text and each of its words have a trigram (three characters or more), the
index proposes the rows and the exact condition checks only those. Shorter
texts have no trigram and read the table.

The indexes and their triggers are (re)installed after every ``migrate``: a
migration that rebuilds a table on SQLite drops its triggers, and the index
is then rebuilt from the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from records.search_sql import TRIGRAM, NameMatch
from records.text import SOUND_MIN, joined_key, normalise_name, sound_key, spelling_key

SPELLING_HELP = (
    "A word matches the start of a word of the name. Spelling variants are forgiven (ee/i, oo/u, aa/a, sh/s, "
    "w/v, ph/f, doubled letters, a trailing y/ey), and so are vowels written, dropped or swapped in a word whose "
    "consonants agree (Dohrey finds Dohare, Janta finds Janata); a name written joined or split is found either "
    "way (Siddharthnagar finds Siddharth Nagar, Hari Shankar finds Harishankar); initials and titles are ignored."
)
# A word of the text found inside a joined name must have more letters than the
# three it is anchored on, else it adds nothing to "begins a word".
JOINED_WORD_MIN = TRIGRAM + 1


@dataclass(frozen=True)
class NameColumns:
    """The search columns of one name of a table (or of a list of names,
    ``NAME_LIST_SEPARATOR`` between them): normalised, spelling key, sound key,
    joined key."""

    name: str
    key: str
    sound: str
    joined: str
    is_list: bool = False

    @property
    def all(self) -> tuple[str, str, str, str]:
        return (self.name, self.key, self.sound, self.joined)

    def prefixed(self, prefix: str) -> NameColumns:
        return NameColumns(*(f"{prefix}{column}" for column in self.all), self.is_list)


NAME = NameColumns("search_name", "search_key", "search_sound", "search_joined")
OTHER_NAMES = NameColumns(
    "other_search_name", "other_search_key", "other_search_sound", "other_search_joined", is_list=True
)

# Each searched table: its name columns, and its FTS5 index on SQLite.
SEARCHED = {
    "records_person": (NAME,),
    "records_personalias": (NAME,),
    "records_organisation": (NAME,),
    "records_organisationalias": (NAME,),
    "records_place": (NAME, OTHER_NAMES),
    "records_constituency": (NAME,),
    "records_constituencyalias": (NAME,),
}
INDEXED = {table: f"{table}_search" for table in SEARCHED}


@dataclass(frozen=True)
class SearchText:
    """What a search compares, worked out once from the text asked for."""

    needle: str  # normalise_name of the text
    words: tuple[str, ...]  # its spelling key, word by word
    sounds: tuple[str | None, ...]  # each word's sound key, None where too short to match on
    joined: str  # its joined key: the spelling key without spaces

    @classmethod
    def of(cls, value: str) -> SearchText:
        words = tuple(spelling_key(value).split())
        # sound_key works on the spelling key's words: one sound per word, in order.
        sounds = tuple(s if len(s) >= SOUND_MIN else None for s in sound_key(value).split())
        return cls(normalise_name(value), words, sounds, joined_key(value))

    @property
    def key(self) -> str:
        return " ".join(self.words)

    def joined_words(self) -> tuple[bool, ...]:
        """Per word: whether it may be found inside a joined name (``JOINED_WORD_MIN`` letters or more)."""
        return tuple(len(word) >= JOINED_WORD_MIN for word in self.words)

    def joins_words(self) -> bool:
        """Whether the text, spaces removed, may be found inside a joined name:
        it has two words or more (one word is a word's own rule) and a trigram."""
        return len(self.words) > 1 and len(self.joined) >= TRIGRAM

    def has_trigrams(self) -> bool:
        """Whether an FTS5 trigram index can propose the rows: every needle has three characters."""
        return len(self.needle) >= TRIGRAM and all(len(word) >= TRIGRAM for word in self.words)


def name_match(text: SearchText, columns: NameColumns = NAME) -> Q:
    """The name contains the text, or each word of the text begins a word of
    the name's spelling key, sounds like one of its words or is inside its
    joined key, in any order, or the text without spaces is inside the joined
    key (the SQL: records/search_sql.py)."""
    return Q(NameMatch(text, columns))


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts_proposal(text: SearchText, columns: NameColumns) -> str:
    """An FTS5 query for the rows ``name_match`` may find on ``columns``: a
    trigram phrase is found wherever the exact condition's substring is."""
    proposal = f"{columns.name} : {_fts_phrase(text.needle)}"
    if text.words:
        each = []
        for word, sound, joined in zip(text.words, text.sounds, text.joined_words(), strict=True):
            alike = f"{columns.key} : {_fts_phrase(word)}"
            if sound is not None:
                alike += f" OR {columns.sound} : {_fts_phrase(sound)}"
            if joined:
                alike += f" OR {columns.joined} : {_fts_phrase(word)}"
            each.append(f"({alike})")
        proposal += " OR (" + " AND ".join(each) + ")"
    if text.joins_words():
        proposal += f" OR {columns.joined} : {_fts_phrase(text.joined)}"
    return f"({proposal})"


def indexed_name_search(model, value: str, using: str = "default") -> Q:
    """Rows of ``model`` (a table of ``SEARCHED``) whose name, or one of whose
    other names on the row, matches ``value`` (``name_match``).

    The condition is exact on both databases. On SQLite it is checked only on
    the rows the FTS5 index proposes, when every needle has a trigram; on
    PostgreSQL trigram indexes serve it directly."""
    text = SearchText.of(value)
    table = model._meta.db_table
    name_columns = SEARCHED[table]
    exact = Q()
    for columns in name_columns:
        exact |= name_match(text, columns)
    if connections[using].vendor != "sqlite" or not text.has_trigrams():
        return exact
    proposal = " OR ".join(_fts_proposal(text, columns) for columns in name_columns)
    index = INDEXED[table]
    return Q(id__in=RawSQL(f"SELECT rowid FROM {index} WHERE {index} MATCH %s", [proposal])) & exact


# -- SQLite: the FTS5 indexes ------------------------------------------------------


def _columns(table: str) -> tuple[str, ...]:
    return tuple(column for columns in SEARCHED[table] for column in columns.all)


def _statements(table: str, index: str) -> tuple[list[str], list[str]]:
    """(the index, its triggers): each idempotent."""
    names = _columns(table)
    columns = ", ".join(names)
    old = ", ".join(f"old.{c}" for c in names)
    new = ", ".join(f"new.{c}" for c in names)
    create = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5("
        f"{columns}, content='{table}', content_rowid='id', tokenize='trigram')"
    ]
    triggers = [
        f"CREATE TRIGGER IF NOT EXISTS {index}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, {columns}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {columns}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {index}_update AFTER UPDATE OF {columns}, id ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {columns}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {index}(rowid, {columns}) VALUES (new.id, {new}); END",
    ]
    return create, triggers


KINDS = ("insert", "delete", "update")


def install_search_indexes(using: str = "default", **kwargs) -> None:
    """SQLite: create the FTS5 indexes and triggers where missing (or of an
    older shape), and rebuild an index whose triggers were missing (it may
    have missed changes)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        existing = dict(cursor.execute("SELECT name, sql FROM sqlite_master").fetchall())
        for table, index in INDEXED.items():
            columns = _columns(table)
            if table not in existing or any(f'"{c}"' not in existing[table] for c in columns):
                continue  # before the migrations that create the table and its columns
            if index in existing and not _same_columns(existing[index], columns):
                # An index of an older shape: replaced with its triggers.
                for kind in KINDS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{kind}")
                cursor.execute(f"DROP TABLE {index}")
                del existing[index]
            create, triggers = _statements(table, index)
            complete = index in existing and all(f"{index}_{kind}" in existing for kind in KINDS)
            for statement in create + triggers:
                cursor.execute(statement)
            if not complete:
                cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def _same_columns(sql: str, columns: tuple[str, ...]) -> bool:
    """Whether the CREATE VIRTUAL TABLE statement ``sql`` indexes exactly ``columns``."""
    inside = sql[sql.index("(") + 1 :].split(", content=")[0]
    return tuple(c.strip() for c in inside.split(",")) == columns

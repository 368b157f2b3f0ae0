"""Search on the names of people and their aliases (whole normalised names and
spelling keys, records/text.py), served by an index on both databases.

PostgreSQL: GIN trigram indexes (pg_trgm, migrations 0005 and 0011) serve
``LIKE '%needle%'`` on both columns. SQLite has no such index for LIKE: a
search read all 100,000 people and 200,000 aliases of the benchmark corpus
(46 ms). Here each table gets an FTS5 index with the trigram tokenizer over
its ``search_name`` and ``search_key``, kept in step by triggers; a needle
of three or more characters is a phrase match on it, which is exactly
"contains" (the columns are normalised, lower case). Shorter needles have no
trigram and read the table.

The index and its triggers are (re)installed after every ``migrate``: a
migration that rebuilds a table on SQLite drops its triggers, and the index
is then rebuilt from the table.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from records.text import normalise_name, spelling_key

SPELLING_HELP = (
    "A word matches the start of a word of the name. Spelling variants are forgiven (ee/i, oo/u, aa/a, sh/s, "
    "w/v, ph/f, doubled letters, a trailing y/ey), initials and titles ignored."
)

# Table -> its FTS5 index.
INDEXED = {"records_person": "records_person_search", "records_personalias": "records_personalias_search"}
TRIGRAM = 3


COLUMNS = ("search_name", "search_key")


def _statements(table: str, index: str) -> tuple[list[str], list[str]]:
    """(the index, its triggers): each idempotent."""
    columns = ", ".join(COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
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
            if table not in existing or any(f'"{c}"' not in existing[table] for c in COLUMNS):
                continue  # before the migrations that create the table and its columns
            if index in existing and not all(c in existing[index] for c in COLUMNS):
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


def spelling_match(value: str, prefix: str = "") -> Q:
    """The normalised name (``<prefix>search_name``) contains the normalised
    value, or every word of the value's spelling key begins a word of the
    name's (``<prefix>search_key``), in any order. Exact on both databases; scans
    where no index serves it (small tables)."""
    condition = Q(**{f"{prefix}search_name__contains": normalise_name(value)})
    words = spelling_key(value).split()
    if words:
        every_word = Q()
        for word in words:
            # The start of a word of the name: "asi" finds Asim, "a" does not find Yadav.
            every_word &= Q(**{f"{prefix}search_key__startswith": word}) | Q(
                **{f"{prefix}search_key__contains": f" {word}"}
            )
        condition |= every_word
    return condition


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def indexed_name_search(model, value: str, using: str = "default") -> Q:
    """Rows of ``model`` (Person or PersonAlias) whose name matches ``value``:
    its normalised name contains the normalised value, or every word of the
    value's spelling key begins a word of the name's spelling key, in any order
    ("Arun Asim", "Aseem Arun" and "Asim K. Arun" find Asim Arun).

    The condition is exact on both databases. On SQLite it is checked only on
    the rows the FTS5 index proposes, when every needle has a trigram (three
    characters or more); on PostgreSQL trigram indexes serve it directly."""
    needle = normalise_name(value)
    words = spelling_key(value).split()
    exact = spelling_match(value)
    table = model._meta.db_table
    usable = len(needle) >= TRIGRAM and all(len(word) >= TRIGRAM for word in words)
    if connections[using].vendor != "sqlite" or table not in INDEXED or not usable:
        return exact
    proposal = f"search_name : {_fts_phrase(needle)}"
    if words:
        proposal += " OR (" + " AND ".join(f"search_key : {_fts_phrase(w)}" for w in words) + ")"
    index = INDEXED[table]
    return Q(id__in=RawSQL(f"SELECT rowid FROM {index} WHERE {index} MATCH %s", [proposal])) & exact

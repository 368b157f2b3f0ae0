"""A version per table, bumped by the database itself on every write.

Conditional GETs (records/api/conditional.py) decide "not modified" from these
versions before any query of the answer runs. The counters must see every
write, whatever path it takes (a model's save, ``QuerySet.update()``,
``bulk_create``, imports, the admin, raw SQL), in the transaction that makes
it: so triggers keep them, not Django signals. A rolled-back write rolls its
bump back with it.

One row per table (``table_name``, ``version``, ``changed_at``):

- PostgreSQL: a statement-level trigger (one bump per statement, however many
  rows; TRUNCATE included). A writer holds its tables' rows from its first
  write to its commit, so writers to the *same* table queue; writers to other
  tables do not. One row for the whole database would queue every writer
  behind every other. Curators' edits and imports are few, and reads never
  wait for them.
- SQLite: row-level triggers (SQLite has no others); a single writer at a time
  anyway.

``changed_at`` never goes back (the later of the last and now), so the latest
change time of a set of tables serves as Last-Modified.

The table is not a Django model: ``flush`` (tests) leaves it alone, so
versions only ever grow, and exports do not carry it. Triggers are installed
by migration 0019 and again after every ``migrate`` (apps.py): a new model's
table gets one, and SQLite's table rebuilds (which drop triggers) are covered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.apps import apps as global_apps
from django.db import connections

TABLE = "records_data_version"
TRIGGER = "records_data_version"
FUNCTION = "records_bump_data_version"

# Of django.contrib.auth, only the username shows in answers (who verified a
# record, who made a version): a login (last_login) changes no answer.
USER_COLUMNS = ("username",)


@dataclass(frozen=True)
class Version:
    table: str
    number: int
    changed_at: datetime


def tracked_tables(apps=global_apps) -> dict[str, tuple[str, ...] | None]:
    """Table -> the columns whose change counts (None: any change): every
    table of the records app, and the user table's usernames."""
    tables: dict[str, tuple[str, ...] | None] = {}
    for model in apps.get_app_config("records").get_models(include_auto_created=True):
        if not model._meta.proxy and model._meta.managed:
            tables[model._meta.db_table] = None
    user = apps.get_model("auth", "User")
    tables[user._meta.db_table] = USER_COLUMNS
    return tables


def install(using: str = "default", apps=global_apps, **kwargs) -> None:
    """Create the versions table and every tracked table's trigger where missing."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        tables = {t: columns for t, columns in tracked_tables(apps).items() if t in existing}
        if connection.vendor == "sqlite":
            statements = _sqlite(tables)
        else:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            triggered = {name.strip('"') for (name,) in cursor.fetchall()}
            statements = _postgresql(tables, triggered)
        for statement in statements:
            cursor.execute(statement)


def uninstall(using: str = "default", apps=global_apps, **kwargs) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in tracked_tables(apps):
            if connection.vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{table}_{event}")
            elif table in existing:
                cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _create_table(timestamp_type: str) -> str:
    return (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (table_name varchar(100) PRIMARY KEY, "
        f"version bigint NOT NULL, changed_at {timestamp_type} NOT NULL)"
    )


def _sqlite(tables: dict[str, tuple[str, ...] | None]) -> list[str]:
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    statements = [_create_table("text")]
    for table, columns in tables.items():
        statements.append(f"INSERT OR IGNORE INTO {TABLE} VALUES ('{table}', 0, {now})")
        for event in ("insert", "update", "delete"):
            on = f"UPDATE OF {', '.join(columns)}" if columns and event == "update" else event.upper()
            statements.append(
                f'CREATE TRIGGER IF NOT EXISTS {TRIGGER}_{table}_{event} AFTER {on} ON "{table}" BEGIN '
                f"INSERT INTO {TABLE} (table_name, version, changed_at) VALUES ('{table}', 1, {now}) "
                "ON CONFLICT (table_name) DO UPDATE SET version = version + 1, "
                "changed_at = max(changed_at, excluded.changed_at); END"
            )
    return statements


def _postgresql(tables: dict[str, tuple[str, ...] | None], triggered: set[str]) -> list[str]:
    """``triggered``: tables that have their trigger already (left alone: no lock taken on them)."""
    statements = [
        _create_table("timestamp with time zone"),
        # clock_timestamp(), not now(): the time of the write, after any wait for the row.
        f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {TABLE} AS v (table_name, version, changed_at) VALUES (TG_TABLE_NAME, 1, clock_timestamp())
            ON CONFLICT (table_name) DO UPDATE
                SET version = v.version + 1, changed_at = greatest(v.changed_at, clock_timestamp());
            RETURN NULL;
        END $$""",
    ]
    for table, columns in tables.items():
        statements.append(f"INSERT INTO {TABLE} VALUES ('{table}', 0, now()) ON CONFLICT DO NOTHING")
        if table in triggered:
            continue
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        statements.append(
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
    return statements


def versions(tables: Iterable[str], using: str = "default") -> dict[str, Version]:
    """The current version of each of ``tables`` that has one (one query)."""
    sql, params = versions_query(tables)
    if not params:
        return {}
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return versions_from(cursor.fetchall())


def versions_query(tables: Iterable[str]) -> tuple[str, list[str]]:
    """The SQL and parameters that read the versions of ``tables`` (rows for ``versions_from``)."""
    tables = sorted(tables)
    marks = ", ".join(["%s"] * len(tables))
    return f"SELECT table_name, version, changed_at FROM {TABLE} WHERE table_name IN ({marks})", tables


def versions_from(rows: Iterable[tuple]) -> dict[str, Version]:
    return {table: Version(table, number, _moment(changed_at)) for table, number, changed_at in rows}


def _moment(value) -> datetime:
    if isinstance(value, str):  # SQLite: text in UTC
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value

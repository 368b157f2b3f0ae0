"""Each contest's ``winner_margin``: the margin of its winner (the first winning
candidacy by id), stored on the contest so that the contests list orders and
filters on it through an index (a subquery per contest read every contest's
winner before sorting: 50 ms a page on PostgreSQL at 13,000 contests).

The database keeps it, not the app: triggers on candidacies recompute the
contest's value on every insert, delete, and change of ``contest``, ``won``
or ``margin``, whatever the path (a model's save, ``bulk_create``, an
import, raw SQL), in the transaction that makes the change. SQLite's table
rebuilds drop triggers, so ``install`` runs after every ``migrate``
(records/apps.py); when it had to create one, it recomputes every contest,
since writes made without it were not counted.
"""

from __future__ import annotations

from django.db import connections

TRIGGER = "records_contest_winner_margin"
WINNER = "(SELECT c.margin FROM records_candidacy c WHERE c.contest_id = {contest} AND c.won ORDER BY c.id LIMIT 1)"
RECOMPUTE_ALL = f"UPDATE records_contest SET winner_margin = {WINNER.format(contest='records_contest.id')}"
COLUMNS = "contest_id, won, margin"


def install(using: str = "default", **kwargs) -> None:
    """Create the triggers where missing; recompute every contest if any was."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if not {"records_candidacy", "records_contest"} <= tables:
            return
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "records_contest")}
        if "winner_margin" not in columns:  # a migration before the column's
            return
        statements = _sqlite(cursor) if connection.vendor == "sqlite" else _postgresql(cursor)
        for statement in statements:
            cursor.execute(statement)
        if statements:
            cursor.execute(RECOMPUTE_ALL)


def _update(contest: str) -> str:
    return f"UPDATE records_contest SET winner_margin = {WINNER.format(contest=contest)} WHERE id = {contest}"


def _sqlite(cursor) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER}_%"])
    existing = {name for (name,) in cursor.fetchall()}
    wanted = {
        f"{TRIGGER}_insert": f"AFTER INSERT ON records_candidacy WHEN NEW.contest_id IS NOT NULL "
        f"BEGIN {_update('NEW.contest_id')}; END",
        f"{TRIGGER}_delete": f"AFTER DELETE ON records_candidacy WHEN OLD.contest_id IS NOT NULL "
        f"BEGIN {_update('OLD.contest_id')}; END",
        f"{TRIGGER}_update": f"AFTER UPDATE OF {COLUMNS} ON records_candidacy "
        f"BEGIN {_update('OLD.contest_id')}; {_update('NEW.contest_id')}; END",
    }
    return [f"CREATE TRIGGER {name} {body}" for name, body in wanted.items() if name not in existing]


def _postgresql(cursor) -> list[str]:
    cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [TRIGGER])
    if cursor.fetchone():
        return []
    return [
        f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.contest_id IS NOT NULL THEN
                {_update("OLD.contest_id")};
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.contest_id IS NOT NULL
                    AND (TG_OP = 'INSERT' OR NEW.contest_id IS DISTINCT FROM OLD.contest_id) THEN
                {_update("NEW.contest_id")};
            END IF;
            RETURN NULL;
        END $$""",
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF {COLUMNS} ON records_candidacy "
        f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
    ]


def uninstall(using: str = "default", **kwargs) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{event}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON records_candidacy")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")

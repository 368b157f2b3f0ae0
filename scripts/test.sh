#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite and on PostgreSQL.
# PostgreSQL: $DATABASE_URL when it names one, else postgres://postgres@127.0.0.1:5432.
# Without a reachable server the PostgreSQL run is skipped, and says so.
# Extra arguments go to pytest (e.g. scripts/test.sh -k fuzzy).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings_test

step() { printf '\n== %s\n' "$*"; }

step "ruff check / ruff format --check"
$BIN/ruff check .
$BIN/ruff format --check .

step "migrations match the models"
DATABASE_URL=sqlite:///:memory: $BIN/python manage.py makemigrations --check --dry-run

step "committed fixtures match seeds/"
DATABASE_URL=sqlite:///:memory: $BIN/python manage.py build_fixtures --check

step "pytest on SQLite"
DATABASE_URL=sqlite:///:memory: $BIN/python -m pytest "$@"

postgres_url="${DATABASE_URL:-}"
case "$postgres_url" in
  postgres://*|postgresql://*) ;;
  *) postgres_url="postgres://postgres@127.0.0.1:5432/political_records" ;;
esac
step "pytest on PostgreSQL ($postgres_url)"
if DATABASE_URL="$postgres_url" $BIN/python -c '
import sys, dj_database_url, psycopg
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"] or None,
                dbname="postgres", connect_timeout=3).close()
' "$postgres_url" 2>/tmp/pg-probe.$$; then
  DATABASE_URL="$postgres_url" $BIN/python -m pytest "$@"
else
  echo "SKIPPED: the PostgreSQL run; no server reachable at $postgres_url ($(tail -n 1 /tmp/pg-probe.$$))"
fi
rm -f /tmp/pg-probe.$$

#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite and on PostgreSQL,
# the two database passes side by side (one core each).
# PostgreSQL: $DATABASE_URL when it names one, else postgres://postgres@127.0.0.1:5432.
# Without a reachable server the PostgreSQL run is skipped, and says so.
# Extra arguments go to pytest (e.g. scripts/test.sh -k fuzzy).
# Each pass's full output is kept in test-artifacts/pytest-<db>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings_test
ARTIFACTS="${TEST_ARTIFACTS_DIR:-test-artifacts}"
mkdir -p "$ARTIFACTS"

step() { printf '\n== %s\n' "$*"; }

step "ruff check / ruff format --check"
$BIN/ruff check .
$BIN/ruff format --check .

step "uv.lock matches pyproject.toml; requirements/ exported from it"
scripts/check-lock.sh

step "migrations match the models"
DATABASE_URL=sqlite:///:memory: $BIN/python manage.py makemigrations --check --dry-run

step "committed fixtures match seeds/"
DATABASE_URL=sqlite:///:memory: $BIN/python manage.py build_fixtures --check

postgres_url="${DATABASE_URL:-}"
case "$postgres_url" in
  postgres://*|postgresql://*) ;;
  *) postgres_url="postgres://postgres@127.0.0.1:5432/political_records" ;;
esac
postgres_down=""
if ! probe=$(DATABASE_URL="$postgres_url" $BIN/python -c '
import sys, dj_database_url, psycopg
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"] or None,
                dbname="postgres", connect_timeout=3).close()
' "$postgres_url" 2>&1); then
  postgres_down="$(printf '%s' "$probe" | tail -n 1)"
fi

# pytest once per database, in the background; its output goes to a log.
run_pass() {  # name database_url [pytest args...]
  local name=$1 url=$2
  shift 2
  DATABASE_URL="$url" $BIN/python -m pytest -p no:cacheprovider --durations=15 "$@" \
    >"$ARTIFACTS/pytest-$name.log" 2>&1
}

started=$SECONDS
step "pytest on SQLite and on PostgreSQL ($postgres_url), side by side"
run_pass sqlite "sqlite:///:memory:" "$@" &
sqlite_pid=$!
if [ -z "$postgres_down" ]; then
  run_pass postgresql "$postgres_url" "$@" &
  postgres_pid=$!
fi

status=0
wait "$sqlite_pid" || status=1
step "pytest on SQLite: $([ $status = 0 ] && echo passed || echo FAILED)"
cat "$ARTIFACTS/pytest-sqlite.log"
if [ -z "$postgres_down" ]; then
  postgres_status=0
  wait "$postgres_pid" || postgres_status=1
  step "pytest on PostgreSQL: $([ $postgres_status = 0 ] && echo passed || echo FAILED)"
  cat "$ARTIFACTS/pytest-postgresql.log"
  [ $postgres_status = 0 ] || status=1
else
  step "pytest on PostgreSQL"
  echo "SKIPPED: the PostgreSQL run; no server reachable at $postgres_url ($postgres_down)"
fi
step "both passes took $((SECONDS - started)) s; the suite $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status

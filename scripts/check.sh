#!/usr/bin/env bash
# The inner loop (`make check`): lint, then only the tests that the changes
# since the last run can affect, on SQLite. pytest-testmon records which code
# each test runs (in .testmondata); the first run, or one after the
# dependencies change, runs every test once to record it. Extra arguments go
# to pytest. `make test` stays the full check (both databases) before a commit.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings_test

$BIN/ruff check .
$BIN/ruff format --check .
DATABASE_URL=sqlite:///:memory: $BIN/python -m pytest --testmon -q --durations=5 "$@"

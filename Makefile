# Two commands on a fresh machine (they make their own virtual environment):
#   make serve   set up, load the seed data and the 2017 results into SQLite, serve on 127.0.0.1:8000
#   make test    the whole test suite (SQLite, then PostgreSQL when reachable)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: setup setup-prod serve test check fuzz fixtures lint lock bench prod load soak cluster cluster-stop cluster-load

# requirements/dev.txt is exported from uv.lock (every package pinned, with
# hashes); production installs requirements/prod.txt, which has no dev tool.
$(STAMP): requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $(STAMP)

setup: $(STAMP)

# Production's environment: requirements/prod.txt only (no test, lint or load tool).
PROD_VENV := .venv-prod
PROD_STAMP := $(PROD_VENV)/.requirements-installed
$(PROD_STAMP): requirements/prod.txt
	test -x $(PROD_VENV)/bin/python || $(PYTHON) -m venv $(PROD_VENV)
	$(PROD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/prod.txt
	touch $(PROD_STAMP)

setup-prod: $(PROD_STAMP)

RESULTS_2017 := data/up-assembly-2017-eci

serve: setup
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_seed_data
	DJANGO_DEBUG=1 $(BIN)/python manage.py import_results $(RESULTS_2017)/uttar-pradesh-2017.json \
		--election up-2017 --party-map $(RESULTS_2017)/party-map.csv
	DJANGO_DEBUG=1 $(BIN)/python manage.py ensure_dev_admin
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup
	scripts/test.sh $(ARGS)

# The production server (README: "Production"): needs DJANGO_SECRET_KEY; over
# plain HTTP on 127.0.0.1 also DJANGO_HTTPS=0. Loads the data as `make serve` does.
prod: setup-prod
	$(PROD_VENV)/bin/python manage.py load_seed_data
	$(PROD_VENV)/bin/python manage.py import_results $(RESULTS_2017)/uttar-pradesh-2017.json \
		--election up-2017 --party-map $(RESULTS_2017)/party-map.csv
	VENV_BIN=$(PROD_VENV)/bin scripts/serve-prod.sh

# A bounded load test of the production server on 127.0.0.1 (LOAD_RATE, LOAD_DURATION...).
load: setup
	scripts/load_test.sh

# Ten minutes of load while the server's memory is sampled: fails if it grows.
soak: setup
	LOAD_DURATION=10m LOAD_WATCH_MEMORY=1 scripts/load_test.sh

# On 127.0.0.1: a PostgreSQL primary and its streaming replica, two app servers and
# HAProxy in front (README: "Read replicas and the loopback cluster"). Ctrl-C stops it.
cluster: setup
	$(BIN)/python scripts/cluster.py up

cluster-stop: setup
	$(BIN)/python scripts/cluster.py stop

# The same cluster, a bounded load test through HAProxy (one app server vs two, with
# and without 304s) and the write-then-read check; then everything stops.
cluster-load: setup
	$(BIN)/python scripts/cluster.py load

# The inner loop: lint what changed, then the tests that the changed code can
# affect (pytest-testmon), on SQLite. The first run records the dependencies.
check: setup
	scripts/check.sh $(ARGS)

# A deeper, slower fuzz of the whole API than `make test` runs (README: "Tests").
fuzz: setup
	FUZZ_DEPTH=deep DATABASE_URL=sqlite:///:memory: $(BIN)/python -m pytest tests/test_api_fuzz.py tests/test_api_schema.py $(ARGS)

# After editing the dependencies in pyproject.toml: re-lock and re-export.
lock: setup
	$(BIN)/uv lock
	$(BIN)/uv export --quiet --locked --no-dev --no-emit-project --format requirements-txt -o requirements/prod.txt
	$(BIN)/uv export --quiet --locked --all-groups --no-emit-project --format requirements-txt -o requirements/dev.txt

fixtures: setup
	DJANGO_DEBUG=1 $(BIN)/python manage.py build_fixtures

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Every read of the API against the limit on a synthetic corpus (README: "Speed"), e.g.
#   make bench BENCH_ARGS="--engine both --people 100000"
#   make bench BENCH_ARGS="--api-checkout /tmp/bench-before"   (an older commit, via git worktree)
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

# Two commands on a fresh machine (they make their own virtual environment):
#   make serve   set up, load the seed data and the 2017 results into SQLite, serve on 127.0.0.1:8000
#   make test    the whole test suite (SQLite, then PostgreSQL when reachable)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: setup serve test fixtures lint bench prod load

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

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
prod: setup
	$(BIN)/python manage.py load_seed_data
	$(BIN)/python manage.py import_results $(RESULTS_2017)/uttar-pradesh-2017.json \
		--election up-2017 --party-map $(RESULTS_2017)/party-map.csv
	scripts/serve-prod.sh

# A bounded load test of the production server on 127.0.0.1 (LOAD_RATE, LOAD_DURATION...).
load: setup
	scripts/load_test.sh

fixtures: setup
	DJANGO_DEBUG=1 $(BIN)/python manage.py build_fixtures

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# The API against the limit on a synthetic corpus (README: "Speed"), e.g.
#   make bench BENCH_ARGS="--engine both --people 100000"
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

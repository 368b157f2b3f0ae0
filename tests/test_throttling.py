"""Rate limits: a client over its limit gets 429 with Retry-After and the JSON
error body; other clients, and the same address signed in, are unaffected.

The test settings switch throttling off (a rate of None); these tests set
rates deliberately, and the limits read them on every request.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import uuid

import django.db
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client, RequestFactory

from tests.processes import environment

URL = "/api/v1/parties/"
GENEROUS = "1000/min"


@pytest.fixture
def rates(settings):
    """Set some rates (the rest generous) on a clean slate of counters."""

    def set_rates(**chosen):
        scopes = ("anon_burst", "anon_sustained", "user_burst", "user_sustained")
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {scope: chosen.get(scope, GENEROUS) for scope in scopes},
        }
        cache.clear()

    yield set_rates
    cache.clear()


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_an_anonymous_client_over_its_burst_rate_gets_429_with_retry_after(db, rates):
    rates(anon_burst="3/min")
    scraper = from_address("203.0.113.7")
    assert [scraper.get(URL).status_code for _ in range(3)] == [200, 200, 200]

    refused = scraper.get(URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert "seconds" in body["detail"]

    assert from_address("203.0.113.8").get(URL).status_code == 200  # another client is unaffected
    assert scraper.get(URL).status_code == 429  # still refused


def test_a_forged_x_forwarded_for_does_not_buy_a_new_allowance(db, rates):
    rates(anon_burst="2/min")
    scraper = from_address("203.0.113.9")
    assert [scraper.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)] == [200, 200, 429]


def test_the_sustained_rate_counts_too(db, rates):
    rates(anon_sustained="2/day")
    client = from_address("203.0.113.10")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(URL)["Retry-After"]) > 3600  # a day's window


def test_signed_in_clients_have_their_own_higher_limit(db, rates):
    rates(anon_burst="2/min", user_burst="4/min")
    address = "203.0.113.11"
    anonymous = from_address(address)
    assert [anonymous.get(URL).status_code for _ in range(3)] == [200, 200, 429]

    curator = from_address(address)
    curator.force_login(get_user_model().objects.create_user("curator", password="not-used"))
    assert [curator.get(URL).status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    assert anonymous.get(URL).status_code == 429


# -- wrong tokens -------------------------------------------------------------------


def test_wrong_tokens_are_throttled_by_address_before_any_lookup(db, rates, django_assert_num_queries):
    rates(anon_burst="3/min")
    guesser = Client(REMOTE_ADDR="203.0.113.20", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert [guesser.get(URL).status_code for _ in range(3)] == [401, 401, 401]
    with django_assert_num_queries(0):  # refused before the token is looked up
        refused = guesser.get(URL)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) >= 1
    # Other addresses still get their answer; the same address without a token reads as before.
    assert Client(REMOTE_ADDR="203.0.113.21", HTTP_AUTHORIZATION="Token " + "1" * 40).get(URL).status_code == 401
    assert from_address("203.0.113.20").get(URL).status_code == 200


def test_a_right_token_is_not_counted_as_a_wrong_one(db, rates):
    from tests.writes import account, token_client

    rates(anon_burst="2/min")
    curator = token_client(account("ria", curator=True))
    curator.defaults["REMOTE_ADDR"] = "203.0.113.22"
    assert [curator.get(URL).status_code for _ in range(4)] == [200] * 4


# -- counters in the database ------------------------------------------------------

COUNTERS_TABLE = "test_rate_counters"


@pytest.fixture
def database_counters(transactional_db, settings):
    """The production store of the counters, a table of the database, outside
    any test transaction (as a request runs)."""
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    backend = "django.core.cache.backends.db.DatabaseCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": COUNTERS_TABLE}}
    call_command("createcachetable", verbosity=0)
    yield caches["default"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {COUNTERS_TABLE}")


def test_database_counters_refuse_over_the_rate_and_forget_an_expired_window(database_counters, rates):
    from django.db import connection

    rates(anon_burst="2/min")
    client = from_address("203.0.113.30")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    # The entry is the cache's own: what `cache.get` reads (and `cache.clear` empties).
    windows = database_counters.get("throttle_anon_203.0.113.30")
    assert windows["anon_burst"][1] == 2
    assert windows["anon_sustained"][1] == 2

    with connection.cursor() as cursor:  # the entry outlives its time, as if the client came back later
        cursor.execute(f"UPDATE {COUNTERS_TABLE} SET expires = %s", ["2000-01-01 00:00:00"])
    assert client.get(URL).status_code == 200
    assert database_counters.get("throttle_anon_203.0.113.30")["anon_burst"][1] == 1


def test_a_request_counts_in_two_statements_without_a_transaction(database_counters, rates):
    """A read, then a write that applies only if the row is still what was
    read: no BEGIN, lock or COMMIT (five round trips on PostgreSQL before).
    The client's next request through the same worker writes over what that
    worker wrote, without reading it: one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from records.api.throttling import RateLimitThrottle

    rates(anon_burst="5/min")
    request = RequestFactory().get(URL, REMOTE_ADDR="203.0.113.31")
    request.user = AnonymousUser()
    key = "throttle_anon_203.0.113.31"

    def statements(allowed: bool = True) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert RateLimitThrottle().allow_request(request, None) is allowed
        return [query["sql"].split()[0] for query in queries.captured_queries]

    assert statements() == ["SELECT", "SELECT", "INSERT"]  # a first request also counts the table, to cull it
    assert statements() == ["UPDATE"]
    assert statements() == ["UPDATE"]
    assert database_counters.get(key)["anon_burst"][1] == 3

    # Another worker counts a request: this one's write over its own last value
    # misses, and it reads the row, so that neither request is lost.
    windows = database_counters.get(key)
    windows["anon_burst"] = (windows["anon_burst"][0], windows["anon_burst"][1] + 1)
    database_counters.set(key, windows, 60)
    assert statements() == ["UPDATE", "SELECT", "UPDATE"]
    assert database_counters.get(key)["anon_burst"][1] == 5
    assert statements(allowed=False) == ["SELECT"]  # full: refused on the row as read, not as remembered


def test_counters_cleared_are_not_refused_on_what_a_worker_remembers(database_counters, rates):
    """Emptying the counters (``cache.clear``) lets a refused client in again at
    once, on the worker that counted it too."""
    rates(anon_burst="2/min")
    client = from_address("203.0.113.32")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    database_counters.clear()
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]


def test_an_expired_entry_a_worker_wrote_is_absent_to_it(database_counters, monkeypatch):
    """What this worker wrote, once expired, is absent, as the cache reads it:
    the next change starts from nothing rather than from the remembered value."""
    from records.api import counters

    key = f"expiry-check-{uuid.uuid4().hex}"
    seen = []

    def add_one(current):
        seen.append(current)
        return (current or 0) + 1, 60

    counters.update(key, add_one)
    counters.update(key, add_one)
    later = counters.tz_now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(counters, "tz_now", lambda: later)
    counters.update(key, add_one)
    assert seen == [None, 1, None]


@pytest.mark.parametrize("first", [True, False], ids=["new entry", "existing entry"])
def test_a_count_that_loses_a_race_reads_again_and_loses_no_request(database_counters, first):
    """Another worker writes the entry between this one's read and write: the
    write must not apply over it, and the count read again holds both."""
    from records.api import counters

    key = f"race-check-{uuid.uuid4().hex}"  # nothing this worker wrote before
    if not first:
        database_counters.set(key, 5, 60)
    seen = []

    def add_one(current):
        seen.append(current)
        if len(seen) == 1:
            database_counters.set(key, (current or 0) + 10, 60)  # the other worker, in between
        return (current or 0) + 1, 60

    counters.update(key, add_one)

    start = 0 if first else 5
    assert seen == [None if first else start, start + 10]
    assert database_counters.get(key) == start + 11


def test_the_counters_table_is_culled_as_the_cache_culls_it(database_counters, rates, settings):
    rates(anon_burst="100/min")
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 2}},
    }
    for n in range(8):  # eight clients: a new entry each
        assert from_address(f"203.0.113.{40 + n}").get(URL).status_code == 200
    with django.db.connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {COUNTERS_TABLE}")
        assert cursor.fetchone()[0] <= 4


# -- counters shared by the workers -------------------------------------------------

# Two processes (as two gunicorn workers would be), each sending five requests
# from one address with a limit of three a minute, at once. The requests are
# 400s (a page size out of range): they are counted before the view runs, so
# the database needs only the cache's table and the data versions' (every read
# looks them up first: records/api/conditional.py).
WORKER = """
import json, os, sys, time, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client, RequestFactory
client = Client(REMOTE_ADDR=os.environ["PROBE_ADDRESS"], raise_request_exception=False)
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))  # every worker starts at once
print(json.dumps([client.get("/api/v1/parties/?page_size=0").status_code for _ in range(5)]))
"""


def statuses_from_two_workers(
    tmp_path, cache_url: str | None, database_url: str | None = None, cache_variable: str = "DJANGO_CACHE_URL"
) -> list[int]:
    database = database_url or f"sqlite:///{tmp_path / 'records.sqlite3'}"
    env = environment(
        **{
            "DJANGO_SETTINGS_MODULE": "config.settings",  # the production defaults, not the test settings
            "DJANGO_SECRET_KEY": "test-only-not-secret",
            "DJANGO_HTTPS": "0",
            "DATABASE_URL": database,
            "DJANGO_THROTTLE_ANON_BURST": "3/min",
        }
    )
    if cache_url:
        env[cache_variable] = cache_url

    def run(code: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, text=True
        )

    # A fresh address each time, and no flush: `make test` runs this on both
    # databases at once, and the Redis server (and its counters) is shared.
    env["PROBE_ADDRESS"] = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    prepare = "import django; django.setup(); from django.core.management import call_command; "
    prepare += "call_command('createcachetable'); from records import dataversions; dataversions.install()"
    assert run(prepare).wait(timeout=60) == 0
    env["START_AT"] = str(time.time() + 4)  # after every worker has loaded Django
    workers = [run(WORKER) for _ in range(2)]
    outputs = [worker.communicate(timeout=60)[0] for worker in workers]
    return [status for output in outputs for status in json.loads(output.strip().splitlines()[-1])]


def test_by_default_the_workers_share_one_count(tmp_path):
    statuses = statuses_from_two_workers(tmp_path, cache_url=None)  # the default: the database
    assert sorted(statuses) == [400] * 3 + [429] * 7


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        import dj_database_url
        import psycopg

        c = dj_database_url.parse(url)
        psycopg.connect(
            host=c["HOST"],
            port=c["PORT"] or 5432,
            user=c["USER"],
            password=c["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception:
        return None
    return url


@pytest.mark.skipif(postgres_url() is None, reason="no PostgreSQL server reachable")
def test_the_database_counters_hold_on_postgresql_too(tmp_path):
    """Its workers take an advisory lock on the key (SQLite's take the write lock)."""
    import dj_database_url
    import psycopg

    c = dj_database_url.parse(postgres_url())
    name = f"throttle_probe_{os.getpid()}"
    admin = dict(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"] or None)
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    try:
        url = f"postgres://{c['USER']}@{c['HOST']}:{c['PORT'] or 5432}/{name}"
        statuses = statuses_from_two_workers(tmp_path, cache_url=None, database_url=url)
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    assert sorted(statuses) == [400] * 3 + [429] * 7


def test_per_process_counters_would_let_each_worker_count_alone(tmp_path):
    """What the shared store prevents (and that the test above can tell)."""
    statuses = statuses_from_two_workers(tmp_path, cache_url="locmem://")
    assert statuses.count(400) == 6


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_redis_counters_are_shared_by_the_workers(tmp_path):
    statuses = statuses_from_two_workers(tmp_path, cache_url="redis://127.0.0.1:6379/15")  # db 15: tests only
    assert sorted(statuses) == [400] * 3 + [429] * 7


@pytest.mark.skipif(not redis_reachable(), reason="no Redis server on 127.0.0.1:6379")
def test_redis_url_alone_puts_the_counters_in_redis(tmp_path):
    """REDIS_URL, as a platform sets it, without DJANGO_CACHE_URL: no cache table is used."""
    statuses = statuses_from_two_workers(tmp_path, cache_url="redis://127.0.0.1:6379/15", cache_variable="REDIS_URL")
    assert sorted(statuses) == [400] * 3 + [429] * 7


def test_the_counters_table_skips_the_write_ahead_log_on_postgresql(database_counters):
    """A counter's write waits for no disk flush (UNLOGGED): what migrate's
    hook does after it creates the table."""
    from django.db import connection

    from records.apps import create_cache_tables

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's commits already wait for no flush (WAL, synchronous=NORMAL)")
    persistence = f"SELECT relpersistence FROM pg_class WHERE oid = to_regclass('{COUNTERS_TABLE}')"
    with connection.cursor() as cursor:
        cursor.execute(persistence)
        assert cursor.fetchone()[0] == "p"  # as createcachetable makes it
        create_cache_tables(verbosity=0)
        cursor.execute(persistence)
        assert cursor.fetchone()[0] == "u"
    database_counters.set("after", 1, 60)
    assert database_counters.get("after") == 1


def test_the_data_versions_are_read_with_the_count_in_one_statement_on_postgresql(database_counters, rates):
    """A list's ETag needs the versions of the tables it reads: on PostgreSQL
    they are read in the rate count's own statement (one round trip, not two),
    to the same ETag; where the count's write misses (another worker counted
    since), what the statement read serves all the same. SQLite (no write in
    a WITH) reads them on their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rates(anon_burst="100/min")
    client = from_address("203.0.113.34")
    first = client.get(URL)  # the row is read, then written: the versions on their own
    assert first.status_code == 200

    def statements(**headers) -> tuple[list[str], object]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, headers=headers)
        return [query["sql"] for query in queries.captured_queries], response

    sql, second = statements()
    assert second["ETag"] == first["ETag"]
    versions = [s for s in sql if "records_data_version" in s]
    if connection.vendor == "postgresql":
        assert len(versions) == 1
        assert versions[0].startswith("WITH written AS (UPDATE")
        assert not any(s.startswith("UPDATE") for s in sql)
    else:
        assert sql[0].startswith("UPDATE")
        assert len(versions) == 1
        assert versions[0].startswith("SELECT table_name")

    # Another worker counts a request: the combined write misses, the row is read and written.
    key = "throttle_anon_203.0.113.34"
    windows = database_counters.get(key)
    windows["anon_burst"] = (windows["anon_burst"][0], windows["anon_burst"][1] + 1)
    database_counters.set(key, windows, 60)
    sql, third = statements(if_none_match=first["ETag"])
    assert third.status_code == 304
    assert len([s for s in sql if "records_data_version" in s]) == 1
    if connection.vendor == "postgresql":
        assert [s.split()[0] for s in sql[:3]] == ["WITH", "SELECT", "UPDATE"]
    assert database_counters.get(key)["anon_burst"][1] == 4

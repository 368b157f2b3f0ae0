"""The database router's and the replica middleware's decisions, in process
(tests/test_read_replicas.py shows them on a real streaming replica)."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config.env import env_replicas
from records import db_router, replica_middleware
from records.db_router import PrimaryReplicaRouter, reading_from
from records.models import Person
from records.replica_middleware import COOKIE, ReplicaReadsMiddleware, remember_write, wrote_recently

router = PrimaryReplicaRouter()
POSTGRES = {"ENGINE": "django.db.backends.postgresql"}


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica_1", "replica_2"]
    settings.READ_YOUR_WRITES_SECONDS = 10
    db_router._down_until.clear()
    yield settings.DATABASE_REPLICAS
    db_router._down_until.clear()


def test_reads_outside_a_request_and_every_write_go_to_the_primary(replicas):
    assert router.db_for_read(Person) == "default"  # commands, migrations, the shell
    with reading_from("replica_2"):
        assert router.db_for_write(Person) == "default"
        assert router.db_for_read(Person) == "replica_2"


def test_a_transaction_and_the_rate_limit_counters_read_the_primary(replicas, transactional_db):
    counters = DatabaseCache("records_cache", {}).cache_model_class
    with reading_from("replica_1"):
        assert router.db_for_read(counters) == "default"
        with transaction.atomic():
            assert router.db_for_read(Person) == "default"
        assert router.db_for_read(Person) == "replica_1"


def test_related_rows_come_from_the_database_of_the_row_they_hang_on(replicas):
    person = Person(name="x")
    person._state.db = "replica_2"
    with reading_from("replica_1"):
        assert router.db_for_read(Person, instance=person) == "replica_2"


def test_migrations_run_on_the_primary_only(replicas):
    assert router.allow_migrate("default", "records")
    assert not router.allow_migrate("replica_1", "records")


def test_a_replica_that_did_not_answer_is_left_alone_for_a_while(replicas, settings):
    settings.REPLICA_RETRY_SECONDS = 1
    db_router.mark_down("replica_1", OSError("refused"))
    assert {db_router.choose_replica() for _ in range(20)} == {"replica_2"}
    db_router.mark_down("replica_2", OSError("refused"))
    assert db_router.choose_replica() is None  # the request reads from the primary
    time.sleep(1.1)
    assert {db_router.choose_replica() for _ in range(40)} == {"replica_1", "replica_2"}


def test_without_replicas_the_middleware_steps_aside(settings):
    settings.DATABASE_REPLICAS = []
    with pytest.raises(MiddlewareNotUsed):
        ReplicaReadsMiddleware(lambda request: HttpResponse())


def test_writes_and_the_admin_read_the_primary(replicas):
    middleware = ReplicaReadsMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()
    assert not middleware.must_read_primary(factory.get("/api/v1/persons/"))
    for method in ("post", "put", "patch", "delete"):
        assert middleware.must_read_primary(getattr(factory, method)("/api/v1/persons/"))
    assert middleware.must_read_primary(factory.get("/admin/records/person/"))


def test_after_a_write_the_client_reads_the_primary_by_cookie_or_token(replicas, settings):
    cache.clear()
    factory = RequestFactory()
    response = HttpResponse()
    remember_write(factory.patch("/api/v1/persons/1/", HTTP_AUTHORIZATION="Token abc123"), response)
    cookie = response.cookies[COOKIE]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (10, True, "Lax")

    assert wrote_recently(factory.get("/", HTTP_COOKIE=f"{COOKIE}={cookie.value}"))
    assert wrote_recently(factory.get("/", HTTP_AUTHORIZATION="Token abc123"))
    assert not wrote_recently(factory.get("/", HTTP_AUTHORIZATION="Token another"))
    assert not wrote_recently(factory.get("/", HTTP_COOKIE=f"{COOKIE}=1"))  # not signed by us
    assert not wrote_recently(factory.get("/"))
    assert not any("abc123" in key for key in cache._cache)  # the pin is keyed by a hash of the token


def test_the_read_your_writes_cookie_expires(replicas, settings):
    settings.READ_YOUR_WRITES_SECONDS = 1
    response = HttpResponse()
    remember_write(RequestFactory().post("/api/v1/persons/"), response)
    request = RequestFactory().get("/", HTTP_COOKIE=f"{COOKIE}={response.cookies[COOKIE].value}")
    assert wrote_recently(request)
    time.sleep(2.1)  # the signature's timestamp has a resolution of a second
    assert not wrote_recently(request)


def test_a_refused_write_pins_nothing(replicas):
    def refuse(request):
        return HttpResponse(status=400)

    middleware = ReplicaReadsMiddleware(refuse)
    middleware._admin_prefix = "/admin/"
    response = middleware(RequestFactory().post("/api/v1/persons/", HTTP_AUTHORIZATION="Token abc"))
    assert COOKIE not in response.cookies


def test_replica_urls_are_postgresql_urls_with_a_short_connect_timeout(monkeypatch):
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://u@r1:5432/db, postgres://u@r2/db?connect_timeout=9")
    first, second = env_replicas("DATABASE_REPLICA_URLS", POSTGRES, connect_timeout=2, conn_max_age=60)
    assert (first["HOST"], first["OPTIONS"]["connect_timeout"], first["CONN_MAX_AGE"]) == ("r1", 2, 60)
    assert (second["HOST"], second["OPTIONS"]["connect_timeout"]) == ("r2", 9)
    monkeypatch.delenv("DATABASE_REPLICA_URLS")
    assert env_replicas("DATABASE_REPLICA_URLS", POSTGRES, connect_timeout=2) == []


@pytest.mark.parametrize(
    ("replicas_url", "primary"),
    [
        pytest.param("sqlite:///replica.sqlite3", POSTGRES, id="sqlite-replica"),
        pytest.param("postgres://u@r1/db", {"ENGINE": "django.db.backends.sqlite3"}, id="sqlite-primary"),
        pytest.param("postgres://u:s3cret@r1:notaport/db", POSTGRES, id="malformed"),
    ],
)
def test_replica_urls_that_cannot_work_are_refused_without_echoing_them(monkeypatch, replicas_url, primary):
    monkeypatch.setenv("DATABASE_REPLICA_URLS", replicas_url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URLS") as refused:
        env_replicas("DATABASE_REPLICA_URLS", primary, connect_timeout=2)
    assert "s3cret" not in str(refused.value)


def test_a_replica_failing_during_a_request_has_it_answered_from_the_primary(replicas, monkeypatch):
    monkeypatch.setattr(replica_middleware, "answering_replica", lambda: "replica_1")
    monkeypatch.setattr(replica_middleware, "answers", lambda alias: False)  # the replica is gone
    read_from = []

    def view(request):
        read_from.append(router.db_for_read(Person))
        return HttpResponse(status=503 if read_from[-1] == "replica_1" else 200)

    middleware = ReplicaReadsMiddleware(view)
    middleware._admin_prefix = "/admin/"
    response = middleware(RequestFactory().get("/api/v1/persons/"))
    assert (response.status_code, read_from) == (200, ["replica_1", "default"])
    assert db_router.replicas_up() == ["replica_2"]  # and left alone for a while

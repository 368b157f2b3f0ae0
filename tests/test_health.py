"""GET /api/v1/health/: 200 when a row of a real table can be read, 503 with
the JSON error body when it cannot; never throttled, never cached. With the
database down, every endpoint answers 503 with Retry-After, not 500."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection

from tests.processes import python

URL = "/api/v1/health/"

# A server pointed at a database that is down: requests made in a separate
# process, whose settings name that database.
PROBE = """
import json, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
client = Client(raise_request_exception=False)
answers = [client.get(url) for url in ("/api/v1/health/", "/api/v1/health/", *OTHER_URLS)]
print(json.dumps([[r.status_code, r.json() if r["Content-Type"] == "application/json" else r.content.decode(),
                   r.get("Cache-Control"), r.get("Retry-After"), r.get("X-Request-ID")] for r in answers]))
"""
# Besides health: endpoints that read data.
DATA_URLS = ["/api/v1/parties/", "/api/v1/persons/asim-arun/"]


def probe_with_database(url: str) -> list:
    result = python(
        f"OTHER_URLS = {DATA_URLS!r}\n{PROBE}", DJANGO_SETTINGS_MODULE="config.settings_test", DATABASE_URL=url
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthy_when_the_database_answers(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    [check] = body["checked"]
    assert (check["alias"], check["role"], check["read"]) == ("default", "primary", "records_source")
    assert check["reachable"] is True
    assert check["lag_seconds"] is None  # a primary is behind no one
    assert check["vendor"] == connection.vendor
    assert check["milliseconds"] >= 0
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response


@pytest.mark.parametrize(
    "database_url",
    [
        pytest.param("sqlite:////nonexistent-directory/records.sqlite3", id="sqlite-file-that-cannot-be-opened"),
        pytest.param("postgres://records@127.0.0.1:1/records", id="postgresql-port-nothing-listens-on"),
    ],
)
def test_503_with_a_json_body_when_the_database_is_down(database_url):
    answers = probe_with_database(database_url)
    for status, body, cache_control, retry_after, request_id in answers[:2]:  # and again: no stale state
        assert status == 503
        assert body == {
            "status": 503,
            "code": "database_unavailable",
            "detail": "The database does not answer.",
            "request_id": request_id,
        }
        assert cache_control == "no-store"
        assert retry_after == "30"
    for status, body, _, retry_after, request_id in answers[2:]:  # every data endpoint: 503, not 500
        assert status == 503, body
        assert body["code"] == "database_unavailable"
        assert body["request_id"] == request_id
        assert retry_after == "30"


def test_a_database_file_that_cannot_be_read_is_not_healthy(tmp_path):
    """`SELECT 1` answers without reading the file; a row of a real table does not."""
    garbage = tmp_path / "records.sqlite3"
    garbage.write_bytes(b"not a database at all " * 1000)
    for status, body, *_ in probe_with_database(f"sqlite:///{garbage}"):
        assert status == 503, body
        assert body["code"] == "database_unavailable"


def test_never_throttled(client, db, settings):
    limited = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": limited}
    cache.clear()
    try:
        assert client.get("/api/v1/parties/").status_code == 200
        assert client.get("/api/v1/parties/").status_code == 429  # the limit is real
        assert [client.get(URL).status_code for _ in range(5)] == [200] * 5
    finally:
        cache.clear()


def test_documented_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][URL]["get"]
    assert operation["operationId"] == "health"
    assert {"200", "503"} <= set(operation["responses"])

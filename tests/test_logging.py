"""Every server error leaves a trace: the 5xx is logged with its traceback and
the request's id, as one JSON line on stderr in production; the client gets the
same id in the X-Request-ID header and in the JSON error body."""

from __future__ import annotations

import json

import pytest

from tests.processes import python

# A production-like process (debug off, the real settings) whose parties list
# fails with an unexpected error.
FAILING_SERVER = """
import json, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.core.management import call_command
call_command("migrate", verbosity=0)  # a GET reads the data versions before the list runs
from django.test import Client
from records.api.resources import parties

def fail(*args, **kwargs):
    raise RuntimeError("an unexpected failure, for the test")

parties.PartyViewSet.list = fail
client = Client(raise_request_exception=False)
answers = [client.get("/api/v1/parties/"), client.get("/api/v1/parties/", HTTP_X_REQUEST_ID="proxy-given-id-1234")]
print(json.dumps([[r.status_code, r["X-Request-ID"], r.json()] for r in answers]))
"""


def serve_a_failure(**env) -> tuple[list, str]:
    production = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "test-only-not-secret",
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_CACHE_URL": "locmem://",
    }
    result = python(FAILING_SERVER, **production | env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_a_500_is_logged_as_a_json_line_with_its_traceback_and_request_id():
    (answer, _), stderr = serve_a_failure()
    status, header_id, body = answer
    assert status == 500
    assert body == {"status": 500, "code": "server_error", "detail": "Internal server error.", "request_id": header_id}
    assert len(header_id) == 32

    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    [logged] = [line for line in lines if line["request_id"] == header_id]
    assert logged["level"] == "ERROR"
    assert logged["logger"] == "django.request"
    assert (logged["status"], logged["method"], logged["path"]) == (500, "GET", "/api/v1/parties/")
    assert "RuntimeError: an unexpected failure, for the test" in logged["exc_info"]
    assert "Traceback (most recent call last)" in logged["exc_info"]


def test_a_client_cannot_choose_its_request_id_unless_a_proxy_of_ours_sets_it():
    (_, (_, untrusted, _)), _ = serve_a_failure()
    assert untrusted != "proxy-given-id-1234"
    (_, (_, trusted, body)), _ = serve_a_failure(DJANGO_TRUSTED_PROXIES="1")
    assert trusted == body["request_id"] == "proxy-given-id-1234"


def test_text_logs_on_request_carry_the_id_too():
    (answer, _), stderr = serve_a_failure(DJANGO_LOG_FORMAT="text")
    header_id = answer[1]
    [line] = [line for line in stderr.splitlines() if f"[{header_id}]" in line]
    assert " ERROR django.request " in line
    assert "RuntimeError: an unexpected failure, for the test" in stderr


def test_every_response_has_a_request_id(client, db):
    first, second = client.get("/api/v1/"), client.get("/api/v1/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    ("bind", "refused"),
    [
        ("0.0.0.0:8000", True),
        ("[::]:8000", True),
        ("10.0.0.5:8000", True),
        ("127.0.0.1:8000", False),
        ("[::1]:8000", False),
        ("unix:/run/records.sock", False),
    ],
)
def test_with_trusted_proxies_gunicorn_listens_only_where_the_proxy_reaches_it(bind, refused):
    """Reached directly, a client would write X-Forwarded-For itself."""
    result = python(
        "import runpy; runpy.run_path('config/gunicorn.conf.py')", DJANGO_TRUSTED_PROXIES="1", GUNICORN_BIND=bind
    )
    assert (result.returncode != 0) == refused, result.stderr
    if refused:
        assert "bind it to a Unix socket or to a loopback address" in result.stderr

"""Settings come from the environment and fail loudly where it matters."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import command, python

SCRIPT = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.conf import settings
try:
    settings.SECRET_KEY
except Exception as exc:
    print(type(exc).__name__, exc)
else:
    print("key set")
"""


def run(**env) -> subprocess.CompletedProcess:
    return python(SCRIPT, **env)


def test_without_a_secret_key_outside_debug_nothing_can_sign():
    result = run(DATABASE_URL="sqlite:///:memory:")
    assert "ImproperlyConfigured The SECRET_KEY setting must not be empty." in result.stdout, result.stderr


def test_debug_mode_has_a_development_key_and_production_uses_its_own():
    assert "key set" in run(DJANGO_DEBUG="1", DATABASE_URL="sqlite:///:memory:").stdout
    assert "key set" in run(DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="sqlite:///:memory:").stdout


def test_a_malformed_boolean_stops_start_up_naming_the_variable():
    result = run(DJANGO_DEBUG="maybe", DATABASE_URL="sqlite:///:memory:")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


# -- production ---------------------------------------------------------------

PRODUCTION = {
    "DJANGO_SECRET_KEY": "production-like-" + "k3y" * 20,
    "DJANGO_ALLOWED_HOSTS": "records.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://records.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}
WITHOUT_KEY = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}


def manage(*args: str, **env) -> subprocess.CompletedProcess:
    return command(sys.executable, "manage.py", *args, **env)


def gunicorn_check(**env) -> subprocess.CompletedProcess:
    """gunicorn loads its configuration and the application, then exits."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return command(gunicorn, "--check-config", "--config", "config/gunicorn.conf.py", "config.wsgi", **env)


def test_the_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_is_an_error_without_a_secret_key():
    result = manage("check", "--deploy", **WITHOUT_KEY)
    assert result.returncode != 0
    assert "(records.E001) DJANGO_SECRET_KEY is not set" in result.stderr


def test_over_plain_http_the_deploy_check_names_what_is_left_insecure():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DJANGO_HTTPS="0")
    assert result.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):  # no redirect, cookies over HTTP
        assert warning in result.stderr


def test_the_server_refuses_to_start_without_a_secret_key():
    refused = gunicorn_check(**WITHOUT_KEY)
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in refused.stdout + refused.stderr
    started = gunicorn_check(**PRODUCTION)
    assert started.returncode == 0, started.stdout + started.stderr


def test_a_malformed_worker_count_stops_the_server_naming_it():
    result = gunicorn_check(**PRODUCTION, GUNICORN_WORKERS="many")
    assert result.returncode != 0
    assert "GUNICORN_WORKERS='many' is not an integer" in result.stderr


def test_schema_and_data_commands_run_without_a_secret_key():
    result = manage("migrate", "--verbosity", "0", **WITHOUT_KEY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_ALLOWED_HOSTS", "https://records.example.org", "is not a host name"),
        ("DJANGO_ALLOWED_HOSTS", "records.example.org:8000", "is not a host name"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "records.example.org", "is not an origin"),
        ("DJANGO_CORS_ALLOWED_ORIGINS", "https://reader.example.org/app", "is not an origin"),
        ("DATABASE_URL", "postgres://records:s3cret@db:port/records", "DATABASE_URL is not a database URL"),
        ("DATABASE_URL", "", "DATABASE_URL is not a database URL"),
        ("DJANGO_THROTTLE_ANON_BURST", "lots", "is not a rate"),
        ("DJANGO_THROTTLE_USER_SUSTAINED", "100/fortnight", "is not a rate"),
        ("DJANGO_CACHE_URL", "memcached://cache:11211", "is not a cache URL"),
        ("DJANGO_LOG_FORMAT", "xml", "is not one of: json, text"),
        ("DJANGO_REQUEST_BODY_MAX_BYTES", "1MB", "is not an integer"),
        ("DJANGO_HTTPS", "sometimes", "is not a boolean"),
        ("DJANGO_HSTS_SECONDS", "-1", "is below the minimum"),
        ("DJANGO_TRUSTED_PROXIES", "one", "is not an integer"),
        ("DJANGO_LOGIN_FAILURE_LIMIT", "0", "is below the minimum"),
    ],
)
def test_a_malformed_production_value_stops_start_up_naming_it(variable, value, message):
    result = run(**PRODUCTION | {variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
    assert message in result.stderr
    assert "s3cret" not in result.stderr  # a database URL's password is never echoed


def test_sqlite_writes_take_the_write_lock_when_they_begin(monkeypatch):
    """SQLite has no SELECT ... FOR UPDATE: with IMMEDIATE transactions two
    curators' writes checking If-Match run one after the other, so the second
    gets a 412 rather than both passing or one failing with "database is locked"."""
    from config.env import env_database

    monkeypatch.setenv("TEST_DATABASE_URL", "sqlite:////tmp/records.sqlite3")
    assert env_database("TEST_DATABASE_URL", "")["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    monkeypatch.setenv("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/records")
    assert "transaction_mode" not in env_database("TEST_DATABASE_URL", "").get("OPTIONS", {})


def test_postgresql_connections_do_not_compile_queries_to_machine_code(monkeypatch):
    """JIT compilation cost 15-20 ms a request on the costliest lists; a URL may still turn it on."""
    from config.env import env_database, env_replicas

    monkeypatch.setenv("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/records")
    primary = env_database("TEST_DATABASE_URL", "")
    assert primary["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/records?options=-c%20jit%3Don")
    assert env_database("TEST_DATABASE_URL", "")["OPTIONS"]["options"] == "-c jit=off -c jit=on"
    monkeypatch.setenv("TEST_REPLICAS", "postgres://u@r1:5432/db")
    assert env_replicas("TEST_REPLICAS", primary, connect_timeout=2)[0]["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv("TEST_DATABASE_URL", "sqlite:////tmp/records.sqlite3")
    assert "options" not in env_database("TEST_DATABASE_URL", "")["OPTIONS"]


def test_the_test_database_connection_runs_without_jit(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


RATES = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
)


@pytest.mark.parametrize(
    ("env", "anon_burst"),
    [
        ({"DJANGO_DEBUG": "1"}, "6000/min"),
        (PRODUCTION, "60/min"),
        ({"DJANGO_DEBUG": "1", "DJANGO_THROTTLE_ANON_BURST": "5/min"}, "5/min"),
    ],
)
def test_the_development_server_is_a_hundred_times_more_generous(env, anon_burst):
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": "sqlite:///:memory:", **env}
    result = command(sys.executable, "-c", RATES, **env)
    assert result.returncode == 0, result.stderr
    assert f"'anon_burst': '{anon_burst}'" in result.stdout

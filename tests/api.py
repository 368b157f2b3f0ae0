"""Helpers for API tests: fetch JSON, list every result across pages, the
OpenAPI document and a schemathesis view of it."""

from __future__ import annotations

import functools
import json

SCHEMA_URL = "/api/schema/"
SCHEMA_JSON = {"Accept": "application/vnd.oai.openapi+json"}  # JSON parses far faster than the YAML default


@functools.cache
def openapi_document() -> dict:
    """The served OpenAPI document, fetched once per test process (the view
    generates it once per process too). Callers must not change it."""
    from django.test import Client, override_settings

    with override_settings(ALLOWED_HOSTS=["testserver"]):  # also at collection, before pytest-django sets it
        response = Client().get(SCHEMA_URL, headers=SCHEMA_JSON)
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def schemathesis_schema(config=None):
    """Schemathesis over the served schema, calling the app in-process (WSGI)."""
    import schemathesis

    from config.wsgi import application

    return schemathesis.openapi.from_wsgi(SCHEMA_URL, application, config=config, headers=SCHEMA_JSON)


def get_json(client, url: str, expect: int = 200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, (url, params, response.content[:500])
    return response.json()


def all_results(client, url: str, page_size: int = 200, **params) -> list[dict]:
    """Every record of a list, following `next` links (a small ``page_size`` walks the cursors)."""
    body = get_json(client, url, page_size=page_size, **params)
    results = body["results"]
    while body["next"]:
        body = get_json(client, body["next"])
        results += body["results"]
    return results


def ids(client, url: str, **params) -> list[int]:
    return [row["id"] for row in all_results(client, url, **params)]


# On PostgreSQL the candidacies page runs with its joins planned as written
# (records/api/resources/base.py, joins_as_written): in a test's transaction
# that is a savepoint, the setting, its reset and the savepoint's release.
PLANNED_AS_WRITTEN = ("SAVEPOINT", "SET LOCAL join_collapse_limit", "RELEASE SAVEPOINT")


def planning_statements(endpoint: str) -> int:
    """The statements a list adds around its page to set how it is planned."""
    from django.db import connection
    from django.urls import resolve

    as_written = resolve(f"/api/v1/{endpoint}/").func.cls.page_joins_as_written
    return 4 if as_written and connection.vendor == "postgresql" else 0


def reads(captured) -> list[str]:
    """The captured queries that read or write data (not how a page is planned)."""
    return [query["sql"] for query in captured if not query["sql"].startswith(PLANNED_AS_WRITTEN)]


# Every API read starts with one query: the versions of the tables its answer is
# read from, which decide a conditional GET before anything else is read
# (records/api/conditional.py). Query budgets count it on top of the answer's own.
VERSIONS = 1

"""The query plans of the API's SQL for each benchmarked request (--explain)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def plans(url: str) -> list[tuple[str, list[str]]]:
    """(SQL, plan lines) of every query the API runs for ``url``."""
    Client().get(url)  # warm: content types are cached by then, as in a running server
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    out = []
    for query in captured.captured_queries:
        sql = query["sql"]
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
        lines = [str(row[-1]) for row in rows]
        out.append((sql, lines))
    return out


def report(scenarios) -> str:
    chunks = []
    for scenario in scenarios:
        chunks.append(f"== {scenario.name}: {scenario.api_url}")
        for i, (sql, lines) in enumerate(plans(scenario.api_url), start=1):
            chunks.append(f"-- query {i}: {sql[:300]}{' ...' if len(sql) > 300 else ''}")
            chunks += [f"   {line}" for line in lines]
    return "\n".join(chunks)

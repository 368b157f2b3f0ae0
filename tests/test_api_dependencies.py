"""An answer's ETag is decided from the versions of the tables its endpoint
is read from (records/api/dependencies.py): a table missing from that set
would let a change to it go unseen, and clients keep a stale copy. Every
benchmark scenario (every read operation, filter and order of the schema) is
run here, and each query it makes must read only tables of its endpoint's set."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from bench import cursors, scenarios
from records.api.urls import router
from records.dataversions import TABLE, tracked_tables
from records.search import INDEXED
from tests.test_bench_harness import _corpus_and_scenarios

READ_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)
# Read to answer any request, never part of an answer: content type ids (fixed once
# created) and the versions themselves. SQLite's name search indexes are their tables'.
NOT_ANSWERS = {"django_content_type", TABLE}
INDEX_OF = {index: table for table, index in INDEXED.items()}


def tables_read(queries) -> set[str]:
    found = set()
    for query in queries:
        for table in READ_TABLE.findall(query["sql"]):
            found.add(INDEX_OF.get(table, table))
    return found - NOT_ANSWERS


def followed_tables(url: str) -> tuple[str, frozenset[str] | None]:
    """The endpoint (viewset and action) and the tables its ETag follows (None: none)."""
    view = resolve(urlsplit(url).path).func
    action = getattr(view, "actions", {}).get("get")
    answer_tables = getattr(view.cls, "answer_tables", None)
    if action is None or answer_tables is None:
        return view.__name__, None
    return f"{view.cls.__name__}.{action}", answer_tables(action)


def test_every_table_an_answer_follows_has_a_version():
    tracked = set(tracked_tables())
    for url in router.urls:
        viewset = getattr(url.callback, "cls", None)
        for action in getattr(url.callback, "actions", {}).values():
            followed = viewset.answer_tables(action) if hasattr(viewset, "answer_tables") else None
            assert followed is None or followed <= tracked, (viewset.__name__, action, sorted(followed - tracked))


@pytest.mark.django_db
def test_every_scenario_reads_only_tables_its_etag_follows(client):
    _, found = _corpus_and_scenarios()
    outside, covered = {}, set()
    for scenario in found:
        if scenario.deep_after is not None:
            first = scenarios.Scenario(scenario.name, scenario.operation, scenario.path, {**scenario.params})
            first.params["page_size"] = 1
            first_page = client.get(first.api_url).json()
            scenario.api_cursor = cursors.deep_cursor(first_page, scenario.deep_after, scenario.cursor_order)
        endpoint, followed = followed_tables(scenario.api_url)
        if followed is None:
            continue
        covered.add(endpoint)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(scenario.api_url)
        assert response.status_code == scenario.status, (scenario.name, response.content[:300])
        missing = tables_read(captured.captured_queries) - followed
        for table in missing:
            outside.setdefault(endpoint, {}).setdefault(table, scenario.name)
    assert outside == {}, "\n".join(f"{e}: {sorted(t)}" for e, t in outside.items())
    # Every list and detail of the API follows its tables.
    assert {name.split(".")[1] for name in covered} >= {"list", "retrieve"}
    assert len(covered) >= 30

"""`according_to` gives the same answer whichever way the list is read: by
the ids of the records the source is cited for (a source cited for few, on
SQLite) or by testing each record for a citation (records/knowledge.py,
``cited_by_few``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records import knowledge, remembered
from records.models import Source
from tests.api import ids

API = "/api/v1"
LISTS = ["persons", "postings", "events", "candidacies", "parties", "organisations", "places", "elections"]


@pytest.mark.parametrize("path", LISTS)
def test_a_list_according_to_a_source_is_the_same_read_either_way(seeded, client, monkeypatch, path):
    """Every seed source, every page (the cursors too): the ids by the few, then
    with no source counted as few."""
    asked = 0
    for slug in Source.objects.order_by("slug").values_list("slug", flat=True):
        monkeypatch.setattr(knowledge, "SPARSE_CITATIONS", 2000)
        remembered.forget()  # a list's plan is kept: made again, with the other bound
        by_ids = ids(client, f"{API}/{path}/", page_size=3, according_to=slug)
        monkeypatch.setattr(knowledge, "SPARSE_CITATIONS", -1)
        remembered.forget()
        by_probe = ids(client, f"{API}/{path}/", page_size=3, according_to=slug)
        assert by_ids == by_probe, slug
        asked += bool(by_ids)
    assert asked, f"no seed source is cited for any of {path}"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL plans the EXISTS from the citations itself")
def test_only_a_source_cited_for_few_records_is_read_by_ids(seeded, client, monkeypatch):
    """Over the threshold (a dataset cited for tens of thousands of records), the
    page is read as before, by the probe: those ids would be the slower plan."""
    slug = Source.objects.filter(citations__isnull=False).values_list("slug", flat=True).first()

    def page_sql() -> str:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/postings/?according_to={slug}").status_code == 200
        (sql,) = [q["sql"] for q in captured if 'FROM "records_posting"' in q["sql"] and "LIMIT" in q["sql"]][:1]
        return sql

    monkeypatch.setattr(knowledge, "SPARSE_CITATIONS", 0)
    assert '"records_posting"."id" IN (SELECT' not in page_sql()
    monkeypatch.setattr(knowledge, "SPARSE_CITATIONS", 2000)
    remembered.forget()  # a list's plan is kept: made again, with the other bound
    assert '"records_posting"."id" IN (SELECT' in page_sql()

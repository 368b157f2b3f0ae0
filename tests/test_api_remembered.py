"""A list's total (``count=true``) is counted once while the tables it is read
from are unchanged (records/remembered.py), and again after any write to them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records import remembered
from records.dataversions import TABLE as VERSIONS_TABLE
from records.models import Citation, Organisation, Person, Posting, Source
from tests.api import get_json

API = "/api/v1"


def counted(client, url: str, **params) -> tuple[int, int]:
    """The list's total and how many COUNT queries answering it ran."""
    with CaptureQueriesContext(connection) as captured:
        body = get_json(client, url, count="true", **params)
    counts = [q for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    return body["count"], len(counts)


def test_a_repeated_total_is_not_counted_again(seeded, client):
    first = counted(client, f"{API}/persons/")
    again = counted(client, f"{API}/persons/")
    assert first == (Person.objects.count(), 1)
    assert again == (Person.objects.count(), 0)


def test_the_next_pages_share_the_first_pages_total(seeded, client):
    body = get_json(client, f"{API}/postings/", count="true", page_size=2)
    assert body["next"]
    assert "count=true" in body["next"]
    with CaptureQueriesContext(connection) as captured:
        following = client.get(body["next"]).json()
    assert following["count"] == body["count"] == Posting.objects.count()
    assert not [q for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")]


def test_a_write_to_a_table_of_the_list_is_counted(seeded, client):
    before, _ = counted(client, f"{API}/persons/")
    Person.objects.create(slug="zz-written-meanwhile", name="Written Meanwhile")  # as another worker would
    assert counted(client, f"{API}/persons/") == (before + 1, 1)
    Person.objects.filter(slug="zz-written-meanwhile").delete()
    assert counted(client, f"{API}/persons/") == (before, 1)


def test_each_question_has_its_own_total(seeded, client):
    """Other filters, other values: other totals, each right."""
    organisations = list(Organisation.objects.filter(postings__isnull=False).distinct()[:3])
    assert len(organisations) == 3
    for _ in range(2):
        for organisation in organisations:
            total, _ = counted(client, f"{API}/postings/", organisation=organisation.slug)
            assert total == Posting.objects.filter(organisation=organisation).count(), organisation.slug
    assert (
        counted(client, f"{API}/postings/", review_status="draft")[0]
        == Posting.objects.filter(review_status="draft").count()
    )


def test_without_a_tables_version_every_total_is_counted(seeded, client):
    """A table with no version (its trigger not installed) tells no change: nothing is kept."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {VERSIONS_TABLE} WHERE table_name = %s", [Person._meta.db_table])
    assert counted(client, f"{API}/persons/")[1] == 1
    assert counted(client, f"{API}/persons/")[1] == 1


def test_a_worker_keeps_the_totals_used_last(seeded, client, monkeypatch, settings):
    # A total is kept with its list's plan too (records/api/keyset.py, PagePlan.total).
    monkeypatch.setattr(remembered, "KEPT", 2)
    settings.KEPT_PLANS = 2
    for ordering in ("name", "-name", "id"):
        assert counted(client, f"{API}/persons/", ordering=ordering)[1] == 1
    assert counted(client, f"{API}/persons/", ordering="id")[1] == 0  # kept
    assert counted(client, f"{API}/persons/", ordering="name")[1] == 1  # the oldest, forgotten


def test_pending_records_are_counted_apart(seeded, client, admin_user):
    """The same list with and without pending records: two questions, two totals."""
    Person.objects.create(slug="zz-pending", name="Pending", review_status="draft", drafted_by=admin_user)
    for _ in range(2):
        public, _ = counted(client, f"{API}/persons/")
        pending, _ = counted(client, f"{API}/persons/", include_pending="true")
        assert pending == Person.objects.count() == public + 1


def plan_counts(client, url: str, **params) -> int:
    """How many COUNT queries answering a page ran (no count=true asked)."""
    with CaptureQueriesContext(connection) as captured:
        get_json(client, url, **params)
    return len([q for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite counts to choose a page's plan")
def test_the_count_that_chooses_a_subtrees_plan_is_made_again_after_a_write(seeded, client):
    """postings?organisation= counts the postings of the organisation's subtree
    to choose how to read the page (records/api/filtering.py, holds_many)."""
    organisation = Organisation.objects.filter(postings__isnull=False).first()
    assert plan_counts(client, f"{API}/postings/", organisation=organisation.slug) == 1
    assert plan_counts(client, f"{API}/postings/", organisation=organisation.slug) == 0
    Organisation.objects.create(slug="zz-a-new-unit", name="A New Unit", kind="police", parent=organisation)
    assert plan_counts(client, f"{API}/postings/", organisation=organisation.slug) == 1
    posting = Posting.objects.filter(organisation=organisation).first()
    posting.note = "changed meanwhile"
    posting.save()
    assert plan_counts(client, f"{API}/postings/", organisation=organisation.slug) == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite counts to choose a page's plan")
def test_the_count_that_chooses_a_sources_plan_is_made_again_after_a_write(seeded, client):
    """postings?according_to= counts the source's citations of postings to
    choose how to read the page (records/knowledge.py, cited_by_few)."""
    source = Source.objects.filter(citations__isnull=False).first()
    assert plan_counts(client, f"{API}/postings/", according_to=source.slug) == 1
    assert plan_counts(client, f"{API}/postings/", according_to=source.slug) == 0
    text = "A note."
    note = Source.objects.create(slug="zz-a-note", sha256="d" * 64, text=text)
    Citation.objects.create(source=note, record=Person.objects.first(), quote=text, start=0, end=len(text))
    assert plan_counts(client, f"{API}/postings/", according_to=source.slug) == 1


def test_a_list_nothing_can_match_is_counted_without_a_query(seeded, client):
    """A filter that leaves no possible row (no ids at all) makes no SQL to key a total by."""
    empty = Person.objects.filter(pk__in=[])
    versions = {"records_person": object()}  # any: never read for a list nothing can match
    assert remembered.count(empty, versions) == 0

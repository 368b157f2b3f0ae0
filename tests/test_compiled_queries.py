"""Querysets compiled once and run again with other ids (records/compiled_queries.py):
the citations, links and nested lists of every page go through them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext

from records import compiled_queries
from records.compiled_queries import Ids, Slot, compiled
from records.models import Citation, ClaimLink, Person, Posting, Source

pytestmark = pytest.mark.django_db


def test_in_ids_matches_what_in_matches(seeded):
    every = list(Posting.objects.order_by("pk").values_list("pk", flat=True))
    some = [*every[::3], 10**12]  # one id that is no posting
    for ids in ([], [None], every[:1], [*some, None], every):
        by_in = list(Posting.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        by_ids = list(Posting.objects.filter(pk__in_ids=ids).order_by("pk").values_list("pk", flat=True))
        assert by_ids == by_in


def test_in_ids_follows_a_foreign_key(seeded):
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:3])
    by_in = set(Posting.objects.filter(person__in=people).values_list("pk", flat=True))
    assert by_in
    assert set(Posting.objects.filter(person__in_ids=people).values_list("pk", flat=True)) == by_in


def test_a_compiled_query_runs_again_with_other_ids_in_one_query(seeded, django_assert_num_queries):
    compiled_queries.forget()
    made = []

    def make():
        made.append(1)
        cited = Citation.objects.filter(object_id__in_ids=Ids("ids"))
        return cited.values("object_id").annotate(first=Min("source__published_on")).order_by("object_id")

    postings = list(Posting.objects.order_by("pk").values_list("pk", flat=True))
    seen = []
    for ids in (postings[:2], postings[2:], []):
        expected = list(
            Citation.objects.filter(object_id__in=ids)
            .values("object_id")
            .annotate(first=Min("source__published_on"))
            .order_by("object_id")
        )
        with django_assert_num_queries(1):
            rows = compiled(("probe",), make).values(ids=ids)
        assert rows == expected
        seen += rows
    assert made == [1]  # built and compiled once
    days = [row["first"] for row in seen]
    assert any(isinstance(day, date) for day in days)  # converted as .values() converts (SQLite gives text)
    assert all(day is None or isinstance(day, date) for day in days)


def test_shapes_are_kept_apart_and_the_oldest_go_first(seeded, monkeypatch):
    compiled_queries.forget()
    monkeypatch.setattr(compiled_queries, "MAX_SHAPES", 2)
    first_source = Source.objects.order_by("pk").first()

    def by_source(pk):
        return lambda: Citation.objects.filter(source_id=pk, object_id__in_ids=Ids("ids")).values("id")

    postings = list(Posting.objects.values_list("pk", flat=True))
    a = compiled(("by source", first_source.pk), by_source(first_source.pk))
    b = compiled(("by source", -1), by_source(-1))
    assert a is not b
    assert b.values(ids=postings) == []
    assert {row["id"] for row in a.values(ids=postings)} == set(
        Citation.objects.filter(source=first_source, object_id__in=postings).values_list("id", flat=True)
    )
    compiled(("by source", -2), by_source(-2))
    assert ("by source", first_source.pk) not in compiled_queries._shapes  # the least recently used went


def test_a_query_that_can_match_nothing_runs_no_sql(seeded, django_assert_num_queries):
    query = compiled(("nothing",), lambda: ClaimLink.objects.filter(pk__in=[], claim_id__in_ids=Ids("ids")).values())
    with django_assert_num_queries(0):
        assert query.values(ids=[1, 2]) == []


def test_the_database_gets_the_sql_that_in_gives(seeded):
    """One placeholder per id, as ``__in`` writes them: the planner sees how many there are."""
    ids = list(Posting.objects.order_by("pk").values_list("pk", flat=True)[:3])
    query = compiled(("as in",), lambda: Posting.objects.filter(pk__in_ids=Ids("ids")).order_by("pk").values("pk"))
    with CaptureQueriesContext(connection) as ours:
        query.values(ids=ids)
    with CaptureQueriesContext(connection) as django_in:
        list(Posting.objects.filter(pk__in=ids).order_by("pk").values("pk"))
    assert ours.captured_queries[0]["sql"] == django_in.captured_queries[0]["sql"]
    assert "IN (NULL)" in str(Posting.objects.filter(pk__in_ids=[]).values("pk").query)


def test_in_ids_refuses_text_when_the_filter_is_made(seeded):
    with pytest.raises(ValueError, match="not text"):
        Posting.objects.filter(pk__in_ids="1,2")
    with pytest.raises(ValueError, match="invalid literal"):
        Posting.objects.filter(pk__in_ids=["1", "two"])
    assert list(Posting.objects.filter(pk__in_ids=("1",)).values_list("pk", flat=True)) == list(
        Posting.objects.filter(pk=1).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("field", ["id", "person", "role", "start_sort", "updated_at"])
def test_a_slot_is_filled_as_a_literal_value_is_compared(seeded, field):
    """A page cursor's values are slots of its compiled SQL (records/api/keyset.py):
    each run compares with its value as a literal filter compares (dates and
    times as each database stores them, a related record by its id)."""
    compiled_queries.forget()
    model_field = Posting._meta.get_field(field)
    column = model_field.attname
    values = list(Posting.objects.exclude(**{f"{column}__isnull": True}).values_list(column, flat=True))
    assert len(set(values)) > 2
    query = compiled(
        ("slot", field),
        lambda: Posting.objects.filter(**{f"{field}__gt": Slot("after", model_field)}).order_by("pk").values("pk"),
    )
    for value in sorted(set(values))[:: max(1, len(set(values)) // 5)]:
        literal = list(Posting.objects.filter(**{f"{field}__gt": value}).order_by("pk").values("pk"))
        assert query.values(after=value) == literal, value

"""Name search through SQLite's FTS5 trigram indexes (records/search.py): the
index follows every change to people and aliases, survives a migration that
drops its triggers, and answers exactly what a plain "contains" answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Person, PersonAlias
from records.search import INDEXED, install_search_indexes

API = "/api/v1"

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's FTS5 indexes; PostgreSQL searches through pg_trgm"
)


def found(client, q: str) -> set[str]:
    """Every person the search finds, page by page."""
    slugs: set[str] = set()
    url, params = f"{API}/persons/", {"q": q, "page_size": 200}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        slugs |= {row["slug"] for row in response.json()["results"]}
        url, params = response.json()["next"], None
    return slugs


def plain_contains(q: str) -> set[str]:
    from records.text import normalise_name

    needle = normalise_name(q)
    people = set(Person.objects.filter(search_name__contains=needle).values_list("slug", flat=True))
    aliased = PersonAlias.objects.filter(search_name__contains=needle).values_list("person__slug", flat=True)
    return people | set(aliased)


def test_the_index_follows_creates_renames_and_deletes(seeded, client):
    person = Person.objects.create(slug="zubair-qureshi", name="Zubair Qureshi")
    assert found(client, "qureshi") == {"zubair-qureshi"}
    person.name = "Zubair Qureishi"
    person.save()
    assert found(client, "qureshi") == set()
    assert found(client, "qureishi") == {"zubair-qureshi"}
    alias = PersonAlias.objects.create(person=person, name="Z. A. Kureshi", kind="spelling_variant")
    assert found(client, "kureshi") == {"zubair-qureshi"}
    alias.delete()
    assert found(client, "kureshi") == set()
    person.delete()
    assert found(client, "qureishi") == set()


@pytest.mark.parametrize("q", ["asim", "ASIM arun", "yadav", "ya", "a", "Āsim", "lodh", "zzzz", 'as"im'])
def test_the_index_answers_what_a_plain_contains_answers(results_2017, client, q):
    assert found(client, q) == plain_contains(q)


def test_a_search_reads_the_index_not_the_tables(seeded, client):
    with CaptureQueriesContext(connection) as captured:
        client.get(f"{API}/persons/", {"q": "arun"})
    (page,) = [
        q["sql"] for q in captured.captured_queries if 'FROM "records_person"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    with connection.cursor() as cursor:
        plan = " | ".join(str(row[-1]) for row in cursor.execute("EXPLAIN QUERY PLAN " + page).fetchall())
    for index in INDEXED.values():
        assert f"{index} VIRTUAL TABLE INDEX" in plan, plan


def test_an_index_whose_triggers_a_migration_dropped_is_rebuilt(seeded, client):
    with connection.cursor() as cursor:
        for index in INDEXED.values():
            for kind in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER {index}_{kind}")
    Person.objects.create(slug="missed-by-the-index", name="Missed Bytheindex")
    assert found(client, "bytheindex") == set()  # the index missed the insert
    install_search_indexes()  # what every `migrate` runs afterwards
    assert found(client, "bytheindex") == {"missed-by-the-index"}
    Person.objects.create(slug="seen-again", name="Seen Bytheindex")
    assert found(client, "bytheindex") == {"missed-by-the-index", "seen-again"}

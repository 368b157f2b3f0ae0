"""Name search through SQLite's FTS5 trigram indexes (records/search.py): the
index follows every change to people and aliases, survives a migration that
drops its triggers, and answers exactly what the rule computed in Python
answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Person, PersonAlias
from records.search import INDEXED, install_search_indexes
from records.text import SOUND_MIN, joined_key, normalise_name, sound_key, spelling_key

API = "/api/v1"

SQLITE_ONLY = pytest.mark.skipif(
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


def matches_in_python(q: str) -> set[str]:
    """What a search should find, computed in Python from every name: the
    normalised name contains the normalised query, or every word of the
    query's spelling key begins a word of the name's spelling key, has the
    sound key of one of its words (sounds of three letters or more) or (words
    of four letters or more) is inside the name's joined key where a word of
    it begins, or the query's joined key (of two words or more) is so."""
    needle, words, sounds, joined = normalise_name(q), spelling_key(q).split(), sound_key(q).split(), joined_key(q)

    def matches(name: str) -> bool:
        starts, name_sounds, name_joined = spelling_key(name).split(), sound_key(name).split(), joined_key(name)

        def inside_joined(text: str) -> bool:
            return text in name_joined and any(k.startswith(text[:3]) for k in starts)

        return (
            needle in normalise_name(name)
            or (
                bool(words)
                and all(
                    any(k.startswith(w) for k in starts)
                    or (len(s) >= SOUND_MIN and s in name_sounds)
                    or (len(w) >= 4 and inside_joined(w))
                    for w, s in zip(words, sounds, strict=True)
                )
            )
            or (len(words) > 1 and len(joined) >= 3 and inside_joined(joined))
        )

    people = {slug for slug, name in Person.objects.values_list("slug", "name") if matches(name)}
    aliased = {slug for slug, name in PersonAlias.objects.values_list("person__slug", "name") if matches(name)}
    return people | aliased


@SQLITE_ONLY
def test_the_index_follows_creates_renames_and_deletes(seeded, client):
    person = Person.objects.create(slug="zubair-qureshi", name="Zubair Qureshi")
    assert found(client, "qureshi") == {"zubair-qureshi"}
    person.name = "Zubair Siddiqui"
    person.save()
    assert found(client, "qureshi") == set()
    assert found(client, "siddiqui") == {"zubair-qureshi"}
    alias = PersonAlias.objects.create(person=person, name="Z. A. Qureshi", kind="spelling_variant")
    assert found(client, "kureishi") == {"zubair-qureshi"}  # by its sound: krs
    alias.delete()
    assert found(client, "kureishi") == set()
    person.delete()
    assert found(client, "siddiqui") == set()


@SQLITE_ONLY
@pytest.mark.parametrize(
    "q",
    [
        *("asim", "ASIM arun", "yadav", "ya", "a", "Āsim", "lodh", "zzzz", 'as"im', "Aseem", "arun asim", "K. Arun"),
        *("Dohrey", "anil dohrey", "Chowdhary", "Adityanat", "Maurya"),
        # written joined or split: both ways, in any order, and a prefix
        *("Harishankar", "Hari Shankar", "Lalji Verma", "Verma Lalji", "Shivkumar", "ram pal", "ramp", "Ram Mohan"),
    ],
)
def test_the_index_answers_what_the_rule_answers(results_2017, client, q):
    assert found(client, q) == matches_in_python(q)


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("q", "slug"),
    [("arun", "asim-arun"), ("Asimarun", "asim-arun"), ("Adit Yanath", "yogi-adityanath")],  # written joined, split
)
def test_a_search_reads_the_index_not_the_tables(seeded, client, q, slug):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}/persons/", {"q": q})
    assert slug in [row["slug"] for row in response.json()["results"]]
    (page,) = [
        query["sql"]
        for query in captured.captured_queries
        if 'FROM "records_person"' in query["sql"] and "LIMIT" in query["sql"]
    ]
    with connection.cursor() as cursor:
        plan = " | ".join(str(row[-1]) for row in cursor.execute("EXPLAIN QUERY PLAN " + page).fetchall())
    for table in ("records_person", "records_personalias"):
        assert f"{INDEXED[table]} VIRTUAL TABLE INDEX" in plan, plan


@SQLITE_ONLY
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


# -- spelling variants (both databases) -----------------------------------------------


@pytest.mark.parametrize("q", ["Aseem Arun", "Arun Asim", "Asim K. Arun", "Shri Asim Arun", "ASIM ARUN", "aseem"])
def test_spellings_word_order_initials_and_titles_find_asim_arun(seeded, client, q):
    response = client.get(f"{API}/persons/", {"q": q})
    assert response.status_code == 200, response.content
    assert [row["slug"] for row in response.json()["results"]] == ["asim-arun"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Anil Kumar Dohare", "ANIL KUMAR DOHAREY"),
        ("Chaudhary", "Chaudhari"),
        ("Mayawati", "Mayavati"),
        ("Akhilesh Yadav", "Akhilesh Yaadav"),
        ("Dr. Ram Manohar Lohia", "Ram Manohar Lohia"),
        ("Qureshi", "Kureshi"),
    ],
)
def test_spelling_variants_share_a_key(one, other):
    assert spelling_key(one) == spelling_key(other)


@pytest.mark.parametrize(("one", "other"), [("Asim Arun", "Arun Kumar"), ("Yadav", "Yogi"), ("Ram", "Rama Devi")])
def test_different_names_keep_different_keys(one, other):
    assert spelling_key(one) != spelling_key(other)


@pytest.mark.parametrize(
    ("path", "q", "slug"),
    [
        ("parties", "Samajvadi", "sp"),
        ("parties", "party samaj bahujan", "bsp"),
        ("places", "Utar Pradesh", "uttar-pradesh"),
        ("places", "kanpoor", "kanpur"),
        ("constituencies", "Urban Gorakhpur", "uttar-pradesh-322-gorakhpur-urban"),
    ],
)
def test_parties_places_and_constituencies_forgive_spelling_and_word_order(results_2017, client, path, q, slug):
    response = client.get(f"{API}/{path}/", {"q": q, "page_size": 200})
    assert response.status_code == 200, response.content
    assert slug in [row["slug"] for row in response.json()["results"]]


def test_contests_by_a_constituency_name_in_another_order(results_2017, client):
    response = client.get(f"{API}/contests/", {"q": "urban gorakhpur", "election": "up-2017"})
    assert response.status_code == 200, response.content
    (contest,) = response.json()["results"]
    assert contest["constituency"]["name"] == "Gorakhpur Urban"

"""Search that forgives spelling, on both databases: ``q`` on people, parties,
organisations, places and constituencies finds a record by its name or its
other names however the text spells, orders or abbreviates it, and, without an
explicit ``ordering``, lists the best match first (records/search_rank.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Candidacy, Constituency, ConstituencyAlias, OrganisationAlias, Party, Place
from tests.api import get_json

API = "/api/v1"


@pytest.fixture
def results(results_2017, db):
    """The seeds and the 2017 results (loaded once for the module)."""


def slugs(client, path: str, **params) -> list[str]:
    """Every record the search finds, in its order, page by page (page_size 200)."""
    found: list[str] = []
    url, query = f"{API}/{path}/", {"page_size": 200, **params}
    while url:
        body = get_json(client, url, **query)
        found += [row["slug"] for row in body["results"]]
        url, query = body["next"], {}
    return found


def rank(found: list[str], slug: str) -> int | None:
    return found.index(slug) + 1 if slug in found else None


def kannauj_winner_2017() -> str:
    winner = Candidacy.objects.get(
        election__slug="up-2017", won=True, contest__constituency__search_name="kannauj"
    ).person
    assert winner.name == "Anil Kumar Dohare"
    return winner.slug


# -- the five examples -------------------------------------------------------------


@pytest.mark.parametrize("q", ["Aseem Arun", "Arun Asim", "Asim K. Arun"])
def test_spellings_word_orders_and_initials_of_asim_arun_find_him_alone(results, client, q):
    assert slugs(client, "persons", q=q) == ["asim-arun"]


def test_a_surname_in_capitals_finds_yogi_adityanath_first(results, client):
    found = slugs(client, "persons", q="ADITYANATH")
    assert rank(found, "yogi-adityanath") == 1
    assert found == ["yogi-adityanath"]


def test_dohrey_finds_the_dohares_by_their_consonants_shortest_name_first(results, client):
    """Dohrey and Dohare share their consonants (d-h-r) and nothing else: each
    Dohare is a sound match (tier 6), and a shorter name comes first."""
    found = slugs(client, "persons", q="Dohrey")
    winner = kannauj_winner_2017()
    names = dict(Candidacy.objects.filter(person__slug__in=found).values_list("person__slug", "person__name"))
    assert all(name.split()[-1] == "Dohare" for name in names.values()), names
    assert rank(found, winner) == 2  # after "Deepak Dohare", a shorter name of the same tier
    assert [names[slug] for slug in found] == sorted(names.values(), key=lambda n: (len(n), n))
    assert slugs(client, "persons", q="Anil Dohrey") == [winner]


def test_the_five_examples_keep_their_ranks_on_a_later_page(results, client):
    """The score is a key of the keyset order: one record per page gives the same order."""
    for q in ("Dohrey", "Samajvadi"):
        path = "persons" if q == "Dohrey" else "parties"
        whole = slugs(client, path, q=q)
        paged, url, query = [], f"{API}/{path}/", {"q": q, "page_size": 1}
        while url:
            body = get_json(client, url, **query)
            paged += [row["slug"] for row in body["results"]]
            url, query = body["next"], {}
        assert paged == whole


# -- the other lists: names, aliases, other names -----------------------------------


@pytest.mark.parametrize(
    ("path", "q", "slug", "position"),
    [
        ("parties", "Samajvadi", "sp", 1),  # begins the name: before the parties with the word later on
        ("organisations", "Samajvadi", "sp", 1),
        ("parties", "samajwadi party", "sp", 1),  # the name itself
        ("parties", "SP", "sp", 1),  # the abbreviation
        ("parties", "Bhartiya Janta", "bjp", 3),  # after Bhartiya Janta Dal (integrated), spelt so
        ("places", "kanpoor", "kanpur", 1),
        ("places", "UP", "uttar-pradesh", 1),  # one of its other names
        ("places", "Utar Pardesh", "uttar-pradesh", 1),
        ("constituencies", "Kanauj", "uttar-pradesh-198-kannauj", 1),
        ("constituencies", "Urban Gorakhpur", "uttar-pradesh-322-gorakhpur-urban", 1),
    ],
)
def test_other_lists_forgive_spelling_and_rank_the_record(results, client, path, q, slug, position):
    assert rank(slugs(client, path, q=q), slug) == position


def test_an_alias_and_an_other_name_are_found_and_ranked_as_the_name_is(results, client):
    kannauj = Constituency.objects.get(search_name="kannauj")
    ConstituencyAlias.objects.create(constituency=kannauj, name="Kanyakubja")
    assert slugs(client, "constituencies", q="Kanyakubj") == [kannauj.slug]  # begins the alias
    assert slugs(client, "constituencies", q="Kanyakbja") == [kannauj.slug]  # a vowel dropped: by its sound
    bsp = Party.objects.get(slug="bsp")
    OrganisationAlias.objects.create(organisation=bsp, name="Bahujan Samaj Dal", kind="former_name")
    found = slugs(client, "parties", q="Bahujan Samaj Dal")
    assert found[0] == "bsp"  # the alias is the text: tier 0
    place = Place.objects.get(slug="kanpur")
    place.other_names = ["Cawnpore"]
    place.save()
    assert slugs(client, "places", q="Cawnpor") == ["kanpur"]


def test_an_explicit_ordering_wins_over_the_rank(results, client):
    by_name = slugs(client, "parties", q="Samajvadi", ordering="name")
    ranked = slugs(client, "parties", q="Samajvadi")
    assert sorted(by_name) == sorted(ranked)
    names = dict(Party.objects.values_list("slug", "name"))
    assert [names[s] for s in by_name] == sorted(names[s] for s in by_name)
    assert by_name != ranked


@pytest.mark.parametrize(
    ("path", "q", "unrelated"),
    [
        ("persons", "Aseem Arun", ("arun-kumar",)),
        ("persons", "Dohrey", ()),
        ("parties", "Samajvadi", ("bjp", "bsp", "inc")),
        ("places", "kanpoor", ("kannauj", "uttar-pradesh")),
        ("constituencies", "Kanauj", ("uttar-pradesh-322-gorakhpur-urban",)),
    ],
)
def test_unrelated_records_are_not_found(results, client, path, q, unrelated):
    found = slugs(client, path, q=q)
    assert found
    assert not set(found) & set(unrelated)


@pytest.mark.parametrize(
    ("path", "q"),
    [("persons", "Dohrey"), ("persons", "Xyzzy Qwv"), ("places", "Dhoare"), ("constituencies", "Yadav")],
)
def test_words_whose_consonants_differ_find_nothing_more(results, client, path, q):
    """A sound match needs every consonant of a word, and three of them at least."""
    found = slugs(client, path, q=q)
    if q == "Dohrey":
        assert len(found) == 3
    else:
        assert found == []


# -- cost: the rank is part of the page's query -------------------------------------


@pytest.mark.parametrize(
    ("path", "q"),
    [
        ("persons", "Dohrey"),
        ("persons", "kumar"),
        ("parties", "Samajvadi"),
        ("organisations", "Samajvadi"),
        ("places", "kanpoor"),
        ("constituencies", "Kanauj"),
    ],
)
def test_a_ranked_search_costs_no_query_more_than_the_list(results, client, path, q):
    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            get_json(client, f"{API}/{path}/", page_size=5, **params)
        return len(captured.captured_queries)

    plain = queries(review_status="draft")  # the same reads for a page that a filter narrows
    assert queries(q=q) == plain
    assert queries(q=q, ordering="id") == plain


def test_the_schema_documents_q_with_its_order_and_an_example(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("persons", "parties", "organisations", "places", "constituencies"):
        parameters = {p["name"]: p for p in schema["paths"][f"/api/v1/{path}/"]["get"]["parameters"]}
        description = parameters["q"]["description"]
        assert "best match first" in description, path
        assert "Example:" in description, path
        assert parameters["q"]["schema"]["example"], path

"""Search that forgives a name written joined or split, on both databases:
the 2017 results write "Muzaffar Nagar", "Lal Ji Verma" and "Govindnagar"
where the candidates' affidavits (../shared/data/up-affidavits-myneta) write
"MUZAFFARNAGAR", "Lalji Verma" and "GOVINDNAGAR"; ``q`` on every list that
has it finds the record either way (records/search.py), and a text that only
runs across a word boundary finds nothing."""

from __future__ import annotations

import csv
import re

import pytest
from django.conf import settings

from records.models import Constituency, Person, Place
from records.text import joined_key, spelling_key
from tests.api import get_json

API = "/api/v1"


@pytest.fixture
def results(results_2017, db):
    """The seeds and the 2017 results (loaded once for the module)."""


def names(client, path: str, **params) -> list[str]:
    """The name of every record the search finds, in its order, page by page."""
    found: list[str] = []
    url, query = f"{API}/{path}/", {"page_size": 200, **params}
    while url:
        body = get_json(client, url, **query)
        found += [row["name"] for row in body["results"]]
        url, query = body["next"], {}
    return found


# -- constituencies: as the affidavits write them, against the 2017 results -------------


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("MUZAFFARNAGAR", "Muzaffar Nagar"),  # joined in the text, split in the record
        ("MODINAGAR", "Modi Nagar"),
        ("SAROJININAGAR", "Sarojini Nagar"),
        ("KUSHI NAGAR", "Kushinagar"),  # split in the text, joined in the record
        ("Govind Nagar", "Govindnagar"),
    ],
)
def test_a_constituency_written_joined_or_split_is_found_alone(results, client, q, name):
    assert names(client, "constituencies", q=q) == [name]


def test_a_contest_is_found_by_its_constituency_written_otherwise(results, client):
    body = get_json(client, f"{API}/contests/", q="KUSHI NAGAR", election="up-2017")
    assert [row["constituency"]["name"] for row in body["results"]] == ["Kushinagar"]


def test_a_place_that_only_sounds_alike_across_a_boundary_is_not_found(results, client):
    assert names(client, "constituencies", q="Muzaffarpur") == []
    assert names(client, "constituencies", q="Nagarmuzaffar") == []


# -- places: the name and the other names ----------------------------------------------


def test_siddharthnagar_finds_siddharth_nagar(results, client):
    assert names(client, "places", q="Siddharthnagar") == ["Siddharth Nagar"]
    assert names(client, "places", q="SIDDHARTH NAGAR") == ["Siddharth Nagar"]


def test_a_place_written_joined_is_found_split_by_its_name_and_its_other_names(results, client):
    Place.objects.create(slug="muzaffarnagar-district", name="Muzaffarnagar", kind="district")
    Place.objects.create(slug="padrauna", name="Padrauna", kind="city", other_names=["Kushi Nagar"])
    assert "Muzaffarnagar" in names(client, "places", q="Muzaffar Nagar")
    assert names(client, "places", q="Kushinagar") == ["Padrauna"]


# -- people: the 2017 results against the affidavits -----------------------------------


@pytest.mark.parametrize(
    ("q", "name"),
    [
        ("Lalji Verma", "Lal Ji Verma"),  # the affidavit of 2012
        ("Verma Lalji", "Lal Ji Verma"),  # words in any order
        ("HARSH VARDHAN BAJPAI", "Harshvardhan Bajpai"),  # the affidavit of 2007
        ("RAMGOVIND CHAUDHARY", "Ram Govind Chaudheri"),  # joined, and another spelling
    ],
)
def test_a_candidate_named_as_another_dataset_writes_him_is_found_alone(results, client, q, name):
    assert names(client, "persons", q=q) == [name]


def test_hari_shankar_and_harishankar_find_each_other_exact_spelling_first(results, client):
    joined, split = names(client, "persons", q="Harishankar"), names(client, "persons", q="Hari Shankar")
    assert sorted(joined) == sorted(split) == ["Hari Shankar Mahor", "Harishankar", "Harishankar"]
    assert joined == ["Harishankar", "Harishankar", "Hari Shankar Mahor"]  # the name as written comes first


def test_a_text_that_runs_across_a_word_boundary_is_not_found_inside_it(results, client):
    """ "ram" is inside "hiramani" (the name without spaces), but no word of
    Hira Mani begins with it: not a match. Written joined, the name is."""
    Person.objects.create(slug="hira-mani-test", name="Hira Mani Pathak")
    assert "Hira Mani Pathak" not in names(client, "persons", q="ram")
    assert "Hira Mani Pathak" not in names(client, "persons", q="rampat")
    assert names(client, "persons", q="Hiramani Pathak") == ["Hira Mani Pathak"]


def test_an_unrelated_text_finds_nobody(results, client):
    assert names(client, "persons", q="Zorawarnagar Qwerty") == []


# -- parties and organisations ---------------------------------------------------------


def test_a_party_written_joined_or_split_is_found_first(results, client):
    assert names(client, "parties", q="bahujansamaj")[0] == "Bahujan Samaj Party"
    assert names(client, "parties", q="Samaj Wadi Party")[0] == "Samajwadi Party"
    assert names(client, "organisations", q="bahujansamaj party")[0] == "Bahujan Samaj Party"


# -- every constituency the affidavits write joined or split otherwise ------------------

AFFIDAVITS = settings.BASE_DIR.parent / "shared" / "data" / "up-affidavits-myneta"


def affidavit_constituencies() -> set[str]:
    """The constituency names of the affidavits (2007, 2012, 2017), without their reservation ("(SC)")."""
    path = AFFIDAVITS / "uttar-pradesh-candidates-2007-2017.csv"
    if not path.is_file():
        pytest.skip(f"no affidavits dataset at {AFFIDAVITS} on this machine")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return {re.sub(r"\s*\((SC|ST)\)$", "", row["Constituency"]) for row in rows}


def test_every_constituency_the_affidavits_write_joined_or_split_otherwise_is_found_first(results, client):
    by_joined = {}
    for name, key in Constituency.objects.values_list("name", "search_key"):
        by_joined.setdefault(joined_key(name), []).append((name, key))
    # The affidavits' names that differ from the results' only by their spaces.
    spaced = {
        written: known[0][0]
        for written in affidavit_constituencies()
        if len(known := by_joined.get(joined_key(written), [])) == 1 and known[0][1] != spelling_key(written)
    }
    # Both ways: joined in the affidavits, and split (Vishwanathganj).
    assert {"MUZAFFARNAGAR", "SAROJININAGAR", "VISHWANATH GANJ"} <= set(spaced), spaced
    first = {written: names(client, "constituencies", q=written)[:1] for written in spaced}
    assert first == {written: [name] for written, name in spaced.items()}

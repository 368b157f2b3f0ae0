"""Identifiers of parties, organisations, places and constituencies (and
people) in other databases: the scheme registry refuses what is not one,
naming it; details show them with their citations; every list of such
records finds a record by one; curators write them with the record."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from records.identifiers import CONSTITUENCY, ORGANISATION, PERSON, PLACE, identifier_problem
from records.models import (
    Citation,
    Constituency,
    ConstituencyIdentifier,
    Organisation,
    OrganisationIdentifier,
    Party,
    Person,
    PersonIdentifier,
    Place,
    PlaceIdentifier,
    Source,
)
from tests.api import VERSIONS, get_json
from tests.conftest import dump_records
from tests.test_admin import form_data
from tests.writes import API, account, patch, token_client

# -- the registry -----------------------------------------------------------------

VALID = [
    (PERSON, "wikidata", "Q42"),
    (PERSON, "myneta", "http://myneta.info/uttarpradesh2017/candidate.php?candidate_id=1079"),
    (ORGANISATION, "wikidata", "Q10230"),
    (PLACE, "iso-3166-2", "IN-UP"),
    (PLACE, "iso-3166-1", "IN"),
    (PLACE, "lgd-district", "162"),
    (CONSTITUENCY, "eci-ac", "2008:UP:14"),
    (CONSTITUENCY, "eci-pc", "1976:UP:80"),
]
REFUSED = [  # (kind, scheme, value, field at fault, words the message has)
    (PERSON, "wikidta", "Q42", "scheme", "Unknown identifier scheme 'wikidta'; persons take wikidata, myneta"),
    (PLACE, "eci-ac", "2008:UP:14", "scheme", "identifies constituencies, not places"),
    (ORGANISATION, "myneta", "http://myneta.info/x/candidate.php?candidate_id=1", "scheme", "not organisations"),
    (PERSON, "wikidata", "42", "value", "'42' is not a wikidata identifier: expected Q followed by digits"),
    (PERSON, "myneta", "https://example.org/1", "value", "expected a MyNeta candidate URL"),
    (CONSTITUENCY, "eci-ac", "UP:14", "value", "expected delimitation year:state code:number (e.g. 2008:UP:14)"),
    (CONSTITUENCY, "eci-ac", "2008:UP:0", "value", "is not a eci-ac identifier"),
    (PLACE, "iso-3166-2", "in-up", "value", "is not a iso-3166-2 identifier"),
]


@pytest.mark.parametrize(("kind", "scheme", "value"), VALID)
def test_the_registry_takes_each_schemes_values(kind, scheme, value):
    assert identifier_problem(kind, scheme, value) is None


@pytest.mark.parametrize(("kind", "scheme", "value", "field", "words"), REFUSED)
def test_the_registry_names_what_is_wrong(kind, scheme, value, field, words):
    assert identifier_problem(kind, scheme, value)[0] == field
    assert words in identifier_problem(kind, scheme, value)[1]


# -- reads -----------------------------------------------------------------------


@pytest.fixture
def identified(seeded):
    """The seeds' BJP, Uttar Pradesh and a constituency of it, each with an identifier cited to a source."""
    source = Source.objects.get(slug="000_b84d1872df6a742e")
    bjp = Party.objects.get(abbreviation="BJP")
    up = Place.objects.get(slug="uttar-pradesh")
    tiloi = Constituency.objects.create(slug="up-178-tiloi", jurisdiction=up, number=178, name="Tiloi")
    made = {
        "parties": OrganisationIdentifier.objects.create(organisation=bjp, scheme="wikidata", value="Q10230"),
        "places": PlaceIdentifier.objects.create(place=up, scheme="iso-3166-2", value="IN-UP"),
        "constituencies": ConstituencyIdentifier.objects.create(
            constituency=tiloi, scheme="eci-ac", value="2008:UP:178"
        ),
    }
    made["organisations"] = made["parties"]
    for identifier in {id(i): i for i in made.values()}.values():  # organisations and parties share one
        Citation.objects.create(record=identifier, source=source, locator="test")
    return made


def owner(identifier):
    return getattr(identifier, identifier.identifies)


@pytest.mark.parametrize("endpoint", ["parties", "organisations", "places", "constituencies"])
def test_a_detail_shows_the_records_identifiers_with_their_citations(identified, client, endpoint):
    identifier = identified[endpoint]
    body = get_json(client, f"{API}/{endpoint}/{owner(identifier).slug}/")
    (shown,) = body["identifiers"]
    assert (shown["id"], shown["scheme"], shown["value"]) == (identifier.pk, identifier.scheme, identifier.value)
    assert [(c["source_slug"], c["locator"]) for c in shown["citations"]] == [("000_b84d1872df6a742e", "test")]


@pytest.mark.parametrize("endpoint", ["parties", "organisations", "places", "constituencies"])
def test_a_list_finds_the_record_by_its_identifier(identified, client, endpoint):
    identifier = identified[endpoint]
    found = get_json(client, f"{API}/{endpoint}/", identifier=f"{identifier.scheme}:{identifier.value}")
    assert [row["id"] for row in found["results"]] == [owner(identifier).pk]
    if endpoint == "constituencies":
        nobody = "eci-ac:2008:UP:179"
    else:
        nobody = "wikidata:Q99999999" if endpoint in ("parties", "organisations") else "iso-3166-2:IN-XX"
    assert get_json(client, f"{API}/{endpoint}/", identifier=nobody)["results"] == []


@pytest.mark.parametrize(
    ("endpoint", "value", "words"),
    [
        ("parties", "wikidata", "Give scheme:value"),
        ("parties", "wikidata:10230", "expected Q followed by digits"),
        ("organisations", "isbn:123", "Unknown identifier scheme 'isbn'"),
        ("places", "eci-ac:2008:UP:14", "identifies constituencies, not places"),
        ("constituencies", "eci-ac:UP:14", "expected delimitation year:state code:number"),
        ("persons", "wikidata:Q1%", "expected Q followed by digits"),
    ],
)
def test_a_malformed_identifier_filter_is_a_400_naming_the_expected_form(seeded, client, endpoint, value, words):
    body = get_json(client, f"{API}/{endpoint}/", expect=400, identifier=value)
    assert words in " ".join(body["errors"]["identifier"])


def test_the_schema_documents_each_lists_schemes(seeded, client):
    from tests.api import openapi_document

    parameters = {
        path: {p["name"]: p for p in operation["get"]["parameters"]}
        for path, operation in openapi_document()["paths"].items()
        if path.endswith("s/") and "get" in operation
    }
    assert "eci-ac (e.g. 2008:UP:14)" in parameters["/api/v1/constituencies/"]["identifier"]["description"]
    assert "iso-3166-2 (e.g. IN-UP)" in parameters["/api/v1/places/"]["identifier"]["description"]
    assert "wikidata" in parameters["/api/v1/parties/"]["identifier"]["description"]


# -- writes -----------------------------------------------------------------------


def identifier_errors(response) -> str:
    """The messages about the identifiers sent (keyed "identifiers[0].scheme" and so on)."""
    errors = response.json()["errors"]
    return " ".join(m for key, messages in errors.items() if key.startswith("identifiers") for m in messages)


@pytest.fixture
def curator(seeded):
    return token_client(account("ria", curator=True))


def test_a_curator_adds_an_identifier_with_its_citation(curator):
    url = f"{API}/places/uttar-pradesh/"
    cite = {"source": "000_b84d1872df6a742e", "quote": "Uttar Pradesh"}
    response = patch(curator, url, {"identifiers": [{"scheme": "iso-3166-2", "value": "IN-UP", "citations": [cite]}]})
    assert response.status_code == 200, response.content
    (shown,) = response.json()["identifiers"]
    assert (shown["scheme"], shown["value"], shown["citations"][0]["quote"]) == ("iso-3166-2", "IN-UP", "Uttar Pradesh")
    # Listing it again adds nothing; identifiers not listed stay.
    again = patch(curator, url, {"identifiers": [{"scheme": "iso-3166-2", "value": "IN-UP"}]})
    assert again.json()["identifiers"] == response.json()["identifiers"]
    assert patch(curator, url, {"name": "Uttar Pradesh"}).json()["identifiers"] == response.json()["identifiers"]


def test_a_curator_removes_an_identifier(curator):
    party = Party.objects.get(abbreviation="BJP")
    OrganisationIdentifier.objects.create(organisation=party, scheme="wikidata", value="Q10230")
    url = f"{API}/parties/{party.slug}/"
    response = patch(curator, url, {"identifiers": [{"scheme": "wikidata", "value": "Q10230", "remove": True}]})
    assert response.status_code == 200, response.content
    assert response.json()["identifiers"] == []
    assert not OrganisationIdentifier.objects.exists()


def test_a_new_constituency_comes_with_its_number_in_a_delimitation(curator):
    body = {
        "slug": "up-178-tiloi",
        "jurisdiction": "uttar-pradesh",
        "number": 178,
        "name": "Tiloi",
        "identifiers": [{"scheme": "eci-ac", "value": "2008:UP:178"}],
    }
    response = curator.post(f"{API}/constituencies/", body, format="json")
    assert response.status_code == 201, response.content
    assert [(i["scheme"], i["value"]) for i in response.json()["identifiers"]] == [("eci-ac", "2008:UP:178")]
    found = get_json(curator, f"{API}/constituencies/", identifier="eci-ac:2008:UP:178")["results"]
    assert [row["slug"] for row in found] == ["up-178-tiloi"]


@pytest.mark.parametrize(
    ("endpoint", "key", "item", "words"),
    [
        ("places", "uttar-pradesh", {"scheme": "iso3166", "value": "IN-UP"}, "Unknown identifier scheme 'iso3166'"),
        ("places", "uttar-pradesh", {"scheme": "iso-3166-2", "value": "UP"}, "is not a iso-3166-2 identifier"),
        ("parties", "bjp", {"scheme": "eci-ac", "value": "2008:UP:1"}, "identifies constituencies, not organ"),
        ("persons", "asim-arun", {"scheme": "wikidata", "value": "Q1", "remove": True}, "not one of this record's"),
        ("persons", "asim-arun", {"scheme": "wikidata", "value": "Q1", "bogus": 1}, "Unknown field"),
    ],
)
def test_a_write_with_a_bad_identifier_is_a_400_naming_it_and_writes_nothing(curator, endpoint, key, item, words):
    if endpoint == "parties":
        key = Party.objects.get(abbreviation="BJP").slug
    before = dump_records()
    response = patch(curator, f"{API}/{endpoint}/{key}/", {"name": "Renamed", "identifiers": [item]})
    assert response.status_code == 400, response.content
    assert words in identifier_errors(response)
    assert dump_records() == before


def test_another_records_identifier_is_refused(curator):
    PersonIdentifier.objects.create(person=Person.objects.get(slug="asim-arun"), scheme="wikidata", value="Q7")
    other = Person.objects.exclude(slug="asim-arun").order_by("slug").first()
    before = dump_records()
    response = patch(curator, f"{API}/persons/{other.slug}/", {"identifiers": [{"scheme": "wikidata", "value": "Q7"}]})
    assert response.status_code == 400
    assert "wikidata:Q7 already identifies another person" in identifier_errors(response)
    assert dump_records() == before


def test_the_same_value_may_identify_records_of_two_kinds(curator):
    """Uniqueness is per kind: a party's and a place's Wikidata items never clash
    (they are different items), and a test of that must not need one."""
    OrganisationIdentifier.objects.create(
        organisation=Organisation.objects.get(slug="ips"), scheme="wikidata", value="Q5"
    )
    response = patch(curator, f"{API}/places/uttar-pradesh/", {"identifiers": [{"scheme": "wikidata", "value": "Q5"}]})
    assert response.status_code == 200, response.content


# -- the admin --------------------------------------------------------------------


def test_the_admin_inline_refuses_an_unknown_scheme_naming_it(seeded, admin_client):
    place = Place.objects.get(slug="uttar-pradesh")
    url = f"/admin/records/place/{place.pk}/change/"
    data = form_data(admin_client.get(url))
    data.update({"identifiers-TOTAL_FORMS": "1", "identifiers-0-scheme": "iso3166", "identifiers-0-value": "IN-UP"})
    before = dump_records()
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Unknown identifier scheme &#x27;iso3166&#x27;; places take" in response.content.decode()
    assert dump_records() == before

    data["identifiers-0-scheme"] = "iso-3166-2"
    assert admin_client.post(url, data).status_code == 302
    assert list(PlaceIdentifier.objects.values_list("place__slug", "value")) == [("uttar-pradesh", "IN-UP")]


@pytest.mark.parametrize("more", [0, 4])
def test_a_constituency_detail_costs_the_same_with_one_or_many_identifiers(
    identified, client, django_assert_num_queries, more
):
    tiloi = owner(identified["constituencies"])
    for k in range(more):
        ConstituencyIdentifier.objects.create(constituency=tiloi, scheme="eci-pc", value=f"200{k}:UP:37")
    # 1 the constituency (jurisdiction and district joined), 2 its aliases, 3 its identifiers,
    # 4 the citations of all three
    with django_assert_num_queries(VERSIONS + 4):
        body = get_json(client, f"{API}/constituencies/{tiloi.slug}/")
    assert len(body["identifiers"]) == 1 + more


# -- annotations ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "reason"),
    [
        ("{scheme: iso-3166-2, value: IN-UP}", ""),
        ("{scheme: iso3166, value: IN-UP}", "identifier iso3166:IN-UP: Unknown identifier scheme 'iso3166'"),
        ("{scheme: myneta, value: IN-UP}", "identifier myneta:IN-UP: The scheme 'myneta' identifies persons"),
    ],
)
def test_an_annotation_gives_a_place_identifiers_checked_against_the_registry(
    tmp_path, seed_copy, capsys, identifier, reason
):
    annotation = seed_copy / "000_b84d1872df6a742e.yaml"
    anchor = "    other_names: [UP]\n"
    given = f'    identifiers: [{{cite: "contest Uttar Pradesh Assembly election 2022", {identifier[1:]}]\n'
    annotation.write_text(annotation.read_text().replace(anchor, anchor + given, 1))
    out = tmp_path / "out"
    command = ["build_fixtures", "--seeds", str(seed_copy), "--out", str(out)]
    if not reason:
        call_command(*command, verbosity=0)
        rows = json.loads((out / "gazetteer.json").read_text())
        (recorded,) = [r for r in rows if r["model"] == "records.placeidentifier"]
        assert (recorded["fields"]["scheme"], recorded["fields"]["value"]) == ("iso-3166-2", "IN-UP")
        return
    with pytest.raises(CommandError, match="no fixture was written"):
        call_command(*command, verbosity=0)
    assert reason in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())

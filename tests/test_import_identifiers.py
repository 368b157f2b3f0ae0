"""Candidates' identifiers in other databases (the MyNeta links of the 2017
file's winners; a CSV's `identifier` column) are imported onto their people,
cited; a later file's candidate with the same identifier is the same person
whatever the spelling; and persons?identifier=scheme:value finds them."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from records.importers.rows import RowError, make_row
from records.models import (
    Candidacy,
    Citation,
    Constituency,
    ConstituencyIdentifier,
    Person,
    PersonIdentifier,
    PlaceIdentifier,
)
from tests.api import get_json
from tests.test_import_results import refuses, row, run, write_csv

API = "/api/v1"
FILE_2017 = settings.BASE_DIR / "data" / "up-assembly-2017-eci" / "uttar-pradesh-2017.json"


def links_2017() -> dict[str, list[tuple[int, str]]]:
    """MyNeta link -> the (constituency, candidate) rows of the file that carry it."""
    data = json.loads(FILE_2017.read_text(encoding="utf-8"))
    out: dict[str, list[tuple[int, str]]] = {}
    for constituency in data["constituencies"]:
        for candidate in constituency["candidates"]:
            url = (candidate.get("myneta") or {}).get("url")
            if url:
                name = " ".join(candidate["name"].split())  # as the importer reads it
                out.setdefault(url, []).append((constituency["constituencyId"], name))
    return out


@pytest.fixture
def results(results_2017, db):
    """The seeds and the 2017 results (loaded once for the module)."""


def test_the_2017_winners_myneta_links_are_on_their_people_with_the_dataset_cited(results, client):
    links = links_2017()
    unique = {url: rows[0] for url, rows in links.items() if len(rows) == 1}
    recorded = {i.value: i for i in PersonIdentifier.objects.filter(scheme="myneta").select_related("person")}
    assert set(recorded) == set(unique)
    for url, (number, name) in unique.items():
        identifier = recorded[url]
        assert Candidacy.objects.filter(
            person=identifier.person, contest__constituency__number=number, ballot_name=name
        ).exists()
        assert Citation.objects.filter(
            content_type__model="personidentifier", object_id=identifier.pk, locator__startswith="constituencies["
        ).exists()
    url, (number, name) = next(iter(unique.items()))
    (found,) = get_json(client, f"{API}/persons/", identifier=f"myneta:{url}")["results"]
    assert found["name"] == name
    detail = get_json(client, f"{API}/persons/{found['id']}/")
    (shown,) = [i for i in detail["identifiers"] if i["scheme"] == "myneta"]
    assert shown["value"] == url
    assert [c["source_slug"] for c in shown["citations"]] == ["up-assembly-2017-eci"]


def test_a_link_the_file_gives_two_different_winners_is_recorded_for_neither(results):
    shared = [url for url, rows in links_2017().items() if len(rows) > 1]
    assert shared, "the 2017 file gives one MyNeta link to two winners"
    assert not PersonIdentifier.objects.filter(value__in=shared).exists()


def test_a_later_file_finds_the_person_by_identifier_whatever_the_spelling(results, tmp_path):
    url, rows = next((u, r) for u, r in links_2017().items() if len(r) == 1)
    number, name = rows[0]
    person = PersonIdentifier.objects.get(value=url).person
    spelled = name.upper().replace(".", " ")  # "DR DHARAM SINGH SAINI"
    path = write_csv(
        tmp_path,
        [
            row(
                number,
                person.candidacies.first().contest.constituency.name,
                spelled,
                "BJP",
                1000,
                identifier=f"myneta:{url}",
            ),
            row(number, person.candidacies.first().contest.constituency.name, "Someone Else", "SP", 900),
        ],
    )
    people = Person.objects.count()
    report = run(path)
    assert "people: 1 created, 1 matched" in report
    assert Person.objects.count() == people + 1
    assert Candidacy.objects.filter(person=person, election__slug="up-2022", ballot_name=spelled).exists()
    assert "person identifiers: 0 created, 1 matched" in report


def test_an_identifier_on_a_person_whose_name_shares_no_word_is_not_a_match(results, tmp_path):
    url = next(u for u, r in links_2017().items() if len(r) == 1)
    holder = PersonIdentifier.objects.get(value=url).person
    number = holder.candidacies.first().contest.constituency.number
    name = holder.candidacies.first().contest.constituency.name
    report = run(
        write_csv(tmp_path, [row(number, name, "Completely Different", "BJP", 10, identifier=f"myneta:{url}")])
    )
    assert not Candidacy.objects.filter(person=holder, election__slug="up-2022").exists()
    assert "is another person's" in report  # the identifier stays where it was; a curator decides


def test_a_malformed_identifier_is_refused_naming_the_row(results, tmp_path):
    path = write_csv(tmp_path, [row(2, "Nakur", "A Candidate", "BJP", 10, identifier="no-colon")], name="bad.csv")
    refuses(path, r"^bad\.csv: row 2: identifier 'no-colon' is not scheme:value")


@pytest.mark.parametrize("value", ["no-colon", "Upper:x", "myneta:", ":x", "a b:c", "x" * 51 + ":v", "s:" + "v" * 201])
def test_what_is_not_scheme_value(value):
    with pytest.raises(RowError, match=r"^row 9: identifier .* is not scheme:value"):
        make_row("row 9", **row(2, "Nakur", "A Candidate", "BJP", 10, identifier=value))


@pytest.mark.parametrize("value", ["nocolon", "Wikidata:Q1", "myneta:", "x" * 300])
def test_a_malformed_identifier_filter_is_a_400(results, client, value):
    body = get_json(client, f"{API}/persons/", expect=400, identifier=value)
    assert "identifier" in body["errors"]


@pytest.mark.parametrize("value", ["wikidta:Q1", "myneta:https://example.org/candidate/1"])
def test_an_identifier_outside_the_scheme_registry_is_refused_naming_it(results, tmp_path, value):
    path = write_csv(tmp_path, [row(2, "Nakur", "A Candidate", "BJP", 10, identifier=value)], name="bad.csv")
    scheme = value.partition(":")[0]
    refuses(path, rf"^bad\.csv: row 2: identifier '{scheme}:.*': .*{scheme}")


# -- constituency numbers per delimitation --------------------------------------------


def test_the_2017_constituencies_carry_their_2008_delimitation_numbers_citing_the_file(results, client):
    data = json.loads(FILE_2017.read_text(encoding="utf-8"))
    numbered = dict(ConstituencyIdentifier.objects.filter(scheme="eci-ac").values_list("value", "constituency__number"))
    assert numbered == {f"2008:UP:{c['constituencyId']}": c["constituencyId"] for c in data["constituencies"]}
    index, constituency = next((i, c) for i, c in enumerate(data["constituencies"]) if c["constituencyId"] == 14)
    identifier = ConstituencyIdentifier.objects.get(value="2008:UP:14")
    assert Citation.objects.filter(
        content_type__model="constituencyidentifier", object_id=identifier.pk, locator=f"constituencies[{index}]"
    ).exists()

    (found,) = get_json(client, f"{API}/constituencies/", identifier="eci-ac:2008:UP:14")["results"]
    assert (found["number"], found["name"]) == (14, constituency["name"])
    detail = get_json(client, f"{API}/constituencies/{found['slug']}/")
    assert [(i["scheme"], i["value"]) for i in detail["identifiers"]] == [("eci-ac", "2008:UP:14")]


def test_another_delimitations_numbers_sit_beside_the_2008_ones(results, tmp_path):
    path = write_csv(tmp_path, [row(2, "Nakur", "A Candidate", "BJP", 10, state="up")])
    report = run(path, "up-2022", "--delimitation", "1976")
    assert "constituency identifiers: 1 created, 0 matched" in report
    nakur = Constituency.objects.get(identifiers__value="2008:UP:2")
    assert sorted(nakur.identifiers.values_list("value", flat=True)) == ["1976:UP:2", "2008:UP:2"]


def test_the_delimitation_in_force_is_the_default_and_a_known_number_is_matched(results, tmp_path):
    report = run(write_csv(tmp_path, [row(2, "Nakur", "A Candidate", "BJP", 10, state="UP")]))
    assert "constituency identifiers: 0 created, 1 matched" in report


def test_without_the_states_code_the_numbers_are_not_recorded_and_the_report_says_why(results, tmp_path):
    report = run(write_csv(tmp_path, [row(2, "Nakur", "A Candidate", "BJP", 10)]))
    assert "constituency numbers not recorded as eci-ac identifiers: the state's code" in report
    assert not any(line.startswith("constituency identifiers:") for line in report.splitlines())


def test_a_state_the_jurisdiction_is_not_is_refused(results, tmp_path):
    up = Constituency.objects.get(identifiers__value="2008:UP:2").jurisdiction
    PlaceIdentifier.objects.create(place=up, scheme="iso-3166-2", value="IN-UP")
    path = write_csv(tmp_path, [row(2, "Nakur", "A Candidate", "BJP", 10, state="UK")], name="uk.csv")
    refuses(path, r"^uk\.csv: file: state UK is not Uttar Pradesh's \(iso-3166-2:IN-UP\)")


@pytest.mark.parametrize(("state", "words"), [("U", "state 'U' is not a two-letter state code")])
def test_a_malformed_state_is_refused(results, tmp_path, state, words):
    path = write_csv(tmp_path, [row(2, "Nakur", "A Candidate", "BJP", 10, state=state)], name="bad.csv")
    refuses(path, rf"^bad\.csv: row 2: {words}")

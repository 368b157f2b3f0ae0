"""The Popolo export (GET /api/v1/popolo/, write_popolo): every object valid
against Popolo's own JSON Schemas (../shared/data/popolo-schemas/, resolved
from local files), every reference inside the document, fuzzy dates mapped
honestly, filters as on the persons list."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from records.corpus import CorpusSize, generate_corpus
from records.interchange.popolo import SECTIONS, write_popolo
from records.interchange.popolo.dates import date_fields
from records.interchange.popolo.validation import Report, default_schema_dir, validate_document, validators
from records.models import Candidacy, Person, Posting, Source

URL = "/api/v1/popolo/"
needs_schemas = pytest.mark.skipif(
    not default_schema_dir().is_dir(), reason=f"no Popolo schemas at {default_schema_dir()} on this machine"
)


@pytest.fixture(scope="module")
def checks():
    if not default_schema_dir().is_dir():
        pytest.skip(f"no Popolo schemas at {default_schema_dir()} on this machine")
    return validators()


def export(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def validated(document: dict, checks) -> Report:
    report = validate_document(document, checks, Report())
    assert report.errors == []
    return report


def by_id(document: dict, section: str) -> dict[str, dict]:
    return {obj["id"]: obj for obj in document[section]}


# -- fuzzy dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021", {"x_date": "2021"}),
        ("2021-03", {"x_date": "2021-03"}),
        ("2021-03-15", {"x_date": "2021-03-15"}),
        ("2021-21", {"x_date": "2021", "x_date_edtf": "2021-21"}),  # spring: within the year
        ("2021-24", {"x_date_edtf": "2021-24"}),  # winter runs into 2022
        ("2021-03-05/2021-03-20", {"x_date": "2021-03", "x_date_edtf": "2021-03-05/2021-03-20"}),
        ("2021-03/2021-11", {"x_date": "2021", "x_date_edtf": "2021-03/2021-11"}),
        ("1970-01-11/1971-01-10", {"x_date_edtf": "1970-01-11/1971-01-10"}),
        ("199X", {"x_date_edtf": "199X"}),
        ("2021-03-XX", {"x_date": "2021-03", "x_date_edtf": "2021-03-XX"}),
        ("../2021", {"x_date_edtf": "../2021"}),
        ("2022-01-10/..", {"x_date_edtf": "2022-01-10/.."}),
        ("2021?", {"x_date": "2021", "x_date_edtf": "2021?"}),
        ("", {}),
    ],
)
def test_a_fuzzy_date_maps_to_the_narrowest_honest_popolo_date_and_keeps_its_edtf(value, expected):
    assert date_fields("x", value) == expected


# -- the seeds and the 2017 results ---------------------------------------------------


@pytest.fixture
def whole(results_2017, db, client) -> dict:
    return export(client)


@needs_schemas
def test_the_whole_dataset_validates_against_the_popolo_schemas(whole, checks):
    report = validated(whole, checks)
    assert list(whole) == list(SECTIONS)
    assert report.objects["persons"] == Person.objects.count()
    assert all(count > 0 for count in report.objects.values()), report.objects
    print(report.summary())


def test_a_seat_won_is_a_membership_of_the_body_on_behalf_of_the_party_holding_the_constituencys_post(whole):
    seat = Candidacy.objects.filter(won=True, contest__isnull=False, party__isnull=False).select_related(
        "person", "party", "contest__constituency", "election__body"
    )[0]
    membership = by_id(whole, "memberships")[f"candidacies/{seat.pk}"]
    constituency = seat.contest.constituency
    assert membership["person_id"] == f"persons/{seat.person.slug}"
    assert membership["organization_id"] == f"organisations/{seat.election.body.slug}"
    assert membership["on_behalf_of_id"] == f"organisations/{seat.party.slug}"
    assert membership["area_id"] == f"constituencies/{constituency.slug}"
    assert membership["election_id"] == "elections/up-2017"
    post = by_id(whole, "posts")[membership["post_id"]]
    assert post["label"].startswith(f"Member of the {seat.election.body.name} for {constituency.name}")
    area = by_id(whole, "areas")[membership["area_id"]]
    assert area["identifier"] == str(constituency.number)
    assert membership["sources"]
    assert all(link["note"] for link in membership["sources"])
    losers = Candidacy.objects.filter(won=False).values_list("pk", flat=True)[:50]
    assert not {f"candidacies/{pk}" for pk in losers} & set(by_id(whole, "memberships"))


def test_an_expected_membership_keeps_its_status_and_its_open_start_as_edtf(whole):
    expected = Posting.objects.get(person__slug="asim-arun", key="bjp-member")
    membership = by_id(whole, "memberships")[f"postings/{expected.pk}"]
    assert membership["status"] == "expected"
    assert membership["organization_id"] == "organisations/bjp"
    assert "post_id" not in membership  # plain party membership is no post
    assert membership["start_date_edtf"] == expected.start
    assert "start_date" not in membership


def test_a_person_carries_aliases_and_birth_date_as_the_records_hold_them(whole):
    asim = by_id(whole, "persons")["persons/asim-arun"]
    assert asim["name"] == "Asim Arun"
    assert {"name": "Asim Kumar Arun", "note": "full name"} in asim["other_names"]
    assert "given_name" not in asim
    assert "family_name" not in asim
    assert asim["birth_date_edtf"] == Person.objects.get(slug="asim-arun").birth_date
    assert "birth_date" not in asim  # its days span two years


def test_sources_give_the_documents_address_and_the_quote(whole):
    quoted = Source.objects.get(slug__startswith="000_")
    asim = by_id(whole, "persons")["persons/asim-arun"]
    link = next(link for link in asim["sources"] if link["url"].endswith(f"/api/v1/sources/{quoted.slug}/"))
    assert link["url"].startswith("http://testserver/")
    assert link["note"] in quoted.text


# -- filters ---------------------------------------------------------------------------


@needs_schemas
def test_filters_choose_the_people_and_the_document_holds_what_they_refer_to(seeded, client, checks):
    document = export(client, q="Aseem Arun")
    validated(document, checks)
    assert [p["id"] for p in document["persons"]] == ["persons/asim-arun"]
    assert {m["person_id"] for m in document["memberships"]} == {"persons/asim-arun"}
    organisations = by_id(document, "organizations")
    assert "organisations/up-ats" in organisations
    assert "organisations/up-police" in organisations  # its parent, though no posting names it
    assert "organisations/rajya-sabha" not in organisations  # someone else's
    assert "places/uttar-pradesh" in by_id(document, "areas")


def test_as_of_keeps_what_sources_had_said_by_that_day(seeded, client):
    assert export(client, as_of="2022-01-09")["persons"] == []
    told = export(client, as_of="2022-01-10", party="bjp")
    assert "persons/asim-arun" in by_id(told, "persons")


def test_a_bad_filter_is_the_same_400_as_on_the_persons_list(seeded, client):
    for params in ({"active_on": "2021-02-30"}, {"party": "no-such-party"}, {"status": "rumoured"}):
        popolo, persons = client.get(URL, params), client.get("/api/v1/persons/", params)
        assert popolo.status_code == persons.status_code == 400, params
        assert {**popolo.json(), "request_id": None} == {**persons.json(), "request_id": None}
    mistyped = client.get(URL, {"actve_on": "2021-01-01"})
    assert mistyped.status_code == 400
    assert list(mistyped.json()["errors"]) == ["actve_on"]


def test_the_document_has_no_ordering_parameter(seeded, client):
    response = client.get(URL, {"ordering": "name"})
    assert response.status_code == 400
    assert "ordering" in response.json()["errors"]


# -- the validator itself, and a generated corpus ------------------------------------------


@needs_schemas
def test_the_validator_catches_a_broken_object(seeded, client, checks):
    document = export(client, q="Asim Arun")
    document["persons"][0]["birth_date"] = "1970-01-11/1971-01-10"
    document["memberships"][0]["sources"] = [{"note": "a quote without its document"}]
    document["memberships"][1]["post_id"] = "posts/no-such-post"
    errors = validate_document(document, checks, Report()).errors
    assert len(errors) == 3, errors
    assert "does not match" in errors[0]
    assert "persons/asim-arun" in errors[0]
    assert "'url' is a required property" in errors[1]
    assert "posts/no-such-post" in errors[2]


@needs_schemas
@pytest.mark.django_db
def test_a_generated_corpus_exports_valid_popolo_to_a_file(checks):
    generate_corpus(CorpusSize(people=300, postings=2500), seed=3)
    fp = io.BytesIO()
    counts = write_popolo(fp)
    document = json.loads(fp.getvalue())
    report = validated(document, checks)
    assert report.objects == {section: getattr(counts, section) for section in SECTIONS}
    assert counts.persons == 300
    assert counts.memberships >= 2500
    dated = [m for m in document["memberships"] if "start_date_edtf" in m]
    assert any("start_date" in m for m in dated)
    assert any("start_date" not in m for m in dated)
    links = [link for m in document["memberships"] for link in m["sources"]]
    # Without a server to name, a source without an address of its own is named by its content.
    assert links
    assert all(link["url"].startswith(("ni:///sha-256;", "http")) for link in links)


@needs_schemas
def test_the_command_prints_files_objects_and_errors_and_fails_on_an_error(seeded, tmp_path):
    out = io.StringIO()
    call_command("validate_popolo", stdout=out)
    assert out.getvalue().strip().startswith("files: 1, objects: ")
    assert out.getvalue().strip().endswith("errors: 0")
    broken = tmp_path / "broken.json"
    fp = io.BytesIO()
    write_popolo(fp)
    document = json.loads(fp.getvalue())
    document["events"][0]["start_date"] = "2022-02-10/2022-03-07"
    broken.write_text(json.dumps(document))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 errors"):
        call_command("validate_popolo", str(broken), stdout=out)
    assert "events[0]" in out.getvalue()
    assert out.getvalue().strip().endswith("errors: 1")


def test_a_popolo_export_counts_against_the_rate_limits_by_its_objects(client, seeded, settings, monkeypatch):
    """The whole dataset in one request is no way around the rate limits: each
    ``ROWS_PER_REQUEST`` objects sent cost one request more, as for CSV."""
    from django.core.cache import cache

    from records.api import throttling

    monkeypatch.setattr(throttling, "ROWS_PER_REQUEST", 5)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon_burst": "3/min",
            "anon_sustained": "10000/day",
            "user_burst": "10000/min",
            "user_sustained": "10000/day",
        },
    }
    cache.clear()
    try:
        response = client.get("/api/v1/popolo/")
        document = json.loads(b"".join(response.streaming_content))
        assert sum(len(document[section]) for section in SECTIONS) > 3 * 5  # worth more than the limit
        refused = client.get("/api/v1/persons/")
        assert refused.status_code == 429
        assert refused.json()["code"] == "throttled"
    finally:
        cache.clear()

"""Finding contests and candidates without knowing slugs: a constituency by
name or number, contests by a candidate or by a party's result, people by the
party they stood for (official results) as well as the party they belong to."""

from __future__ import annotations

import pytest

from records.models import Candidacy, Constituency, Contest, Election, Person, Place, Posting
from tests.api import all_results, get_json

API = "/api/v1"


@pytest.fixture
def results(results_2017, db):
    """The seeds and the 2017 results (loaded once for the module)."""


def kannauj() -> Constituency:
    return Constituency.objects.get(search_name="kannauj")


@pytest.mark.parametrize("key", ["kannauj", "KANNAUJ", "Kannauj", "198", "uttar-pradesh-198-kannauj"])
def test_a_constituency_by_name_number_or_slug(results, client, key):
    rows = all_results(client, f"{API}/contests/", constituency=key)
    assert {row["id"] for row in rows} == set(
        Contest.objects.filter(constituency=kannauj()).values_list("id", flat=True)
    )
    assert rows


def test_a_name_or_number_that_several_constituencies_share_is_a_400_listing_them(results, client):
    elsewhere = Place.objects.create(slug="elsewhere", name="Elsewhere", kind="state")
    Constituency.objects.create(slug="elsewhere-198-kannauj", jurisdiction=elsewhere, number=198, name="Kannauj")
    for key in ("kannauj", "198"):
        body = get_json(client, f"{API}/contests/", expect=400, constituency=key)
        [message] = body["errors"]["constituency"]
        assert "uttar-pradesh-198-kannauj" in message
        assert "elsewhere-198-kannauj" in message
    assert get_json(client, f"{API}/contests/", constituency="elsewhere-198-kannauj")["results"] == []


def test_contests_by_part_of_the_constituency_name(results, client):
    names = {row["constituency"]["name"] for row in all_results(client, f"{API}/contests/", q="kanpur")}
    assert names
    assert all("kanpur" in name.lower() for name in names)
    assert "Kanpur Cantt." in names or any(name.startswith("Kanpur") for name in names)


def test_the_contests_a_party_lost(results, client):
    """BJP candidates who lost in 2017: contests where the BJP stood and did not win."""
    lost = all_results(client, f"{API}/contests/", election="up-2017", party="bjp", party_result="lost")
    expected = Candidacy.objects.filter(
        election__slug="up-2017", party__slug="bjp", won=False, contest__isnull=False
    ).values_list("contest_id", flat=True)
    assert {row["id"] for row in lost} == set(expected)
    assert 0 < len(lost) < 403
    won = all_results(client, f"{API}/contests/", election="up-2017", party="BJP", party_result="won")
    stood = all_results(client, f"{API}/contests/", election="up-2017", party="bjp")
    assert len(won) + len(lost) == len(stood)
    assert {row["id"] for row in won} == {
        row["id"] for row in all_results(client, f"{API}/contests/", election="up-2017", winner_party="bjp")
    }


def test_a_party_result_needs_a_party(results, client):
    body = get_json(client, f"{API}/contests/", expect=400, party_result="lost")
    assert list(body["errors"]) == ["party_result"]


def test_the_contests_a_person_stood_in(results, client):
    candidacy = Candidacy.objects.filter(election__slug="up-2017", won=True).select_related("person").first()
    rows = all_results(client, f"{API}/contests/", candidate=candidacy.person.slug)
    assert [row["id"] for row in rows] == [candidacy.contest_id]


def test_a_partys_people_include_its_candidates_when_asked(results, client):
    up_2017 = Election.objects.get(slug="up-2017")
    candidates = set(Candidacy.objects.filter(election=up_2017, party__slug="bjp").values_list("person_id", flat=True))
    members = set(Posting.objects.filter(organisation__slug="bjp").values_list("person_id", flat=True))
    by_membership = {row["id"] for row in all_results(client, f"{API}/persons/", party="bjp")}
    by_candidacy = {row["id"] for row in all_results(client, f"{API}/persons/", candidate_party="bjp")}
    assert by_membership == members
    assert candidates <= by_candidacy
    assert len(candidates - members) > 300  # the 2017 winners and losers known only from the results
    assert Person.objects.get(slug="asim-arun").pk in by_membership


def test_the_schema_says_what_party_means(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/persons/"]["get"]["parameters"]}
    assert "candidate_party" in parameters["party"]["description"]
    assert "candidacy" in parameters["candidate_party"]["description"]


# -- a source's claims, and the locators of dataset citations ----------------------


def test_a_datasets_detail_is_light_and_its_claims_are_paginated(results, client):
    from records.models import Citation, Source

    dataset = Source.objects.get(slug="up-assembly-2017-eci")
    total = Citation.objects.filter(source=dataset).count()
    response = client.get(f"{API}/sources/{dataset.slug}/")
    assert len(response.content) < 100_000  # was 1.18 MB with every claim inline
    detail = response.json()
    assert detail["claims_count"] == total > 10_000
    assert len(detail["claims"]) == 100
    claims = all_results(client, detail["claims_url"])
    assert len(claims) == total
    assert len({claim["id"] for claim in claims}) == total
    assert [claim["id"] for claim in claims[:100]] == [claim["id"] for claim in detail["claims"]]
    assert all(claim["locator"] for claim in claims if not claim["quote"])


def test_a_news_source_shows_every_claim_inline(results, client):
    from records.models import Citation, Source

    for source in Source.objects.filter(kind="news"):
        detail = get_json(client, f"{API}/sources/{source.slug}/")
        assert len(detail["claims"]) == detail["claims_count"] == Citation.objects.filter(source=source).count()


def test_the_claims_list_takes_only_pagination(results, client):
    body = get_json(client, f"{API}/sources/up-assembly-2017-eci/claims/", expect=400, ordering="id")
    assert list(body["errors"]) == ["ordering"]
    assert get_json(client, f"{API}/sources/no-such-source/claims/", expect=404)["detail"] == "No such record."


def test_a_dataset_citation_has_its_locator_wherever_it_is_shown(results, client):
    winner = Candidacy.objects.filter(election__slug="up-2017", won=True).select_related("person").first()
    person = get_json(client, f"{API}/persons/{winner.person.slug}/")
    contest = get_json(client, f"{API}/contests/{winner.contest_id}/")
    assert person["citations"]
    assert all(c["locator"] and c["quote"] == "" for c in person["citations"])  # the person's own row
    [in_person] = [row["citations"] for row in person["candidacies"] if row["id"] == winner.pk]
    [in_contest] = [row["citations"] for row in contest["candidates"] if row["id"] == winner.pk]
    assert in_person == in_contest
    assert in_person[0]["locator"].startswith("constituencies[")

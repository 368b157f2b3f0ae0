"""Questions a researcher asks, answered from the seed data through the API."""

import pytest

from tests.api import all_results, get_json

pytestmark = pytest.mark.usefixtures("seeded")


def test_searching_asim_kumar_arun_finds_asim_arun(client):
    for query in ("Asim Kumar Arun", "asim kumar arun", "ASIM  KUMAR-ARUN", "Asīm Kumar"):
        names = [p["name"] for p in all_results(client, "/api/v1/persons/", q=query)]
        assert names == ["Asim Arun"], query


def test_postings_active_on_2021_06_01_include_the_kanpur_commissionership(client):
    rows = all_results(client, "/api/v1/postings/", active_on="2021-06-01")
    kanpur = [r for r in rows if r["organisation"] and r["organisation"]["slug"] == "kanpur-police"]
    assert len(kanpur) == 1
    assert kanpur[0]["person"]["slug"] == "asim-arun"
    assert kanpur[0]["start"] == {"value": "2021-03", "earliest": "2021-03-01", "latest": "2021-03-31"}
    assert any(
        c["quote"] == "who was appointed the police commissioner of Kanpur in March 2021"
        for c in kanpur[0]["citations"]
    )


def test_the_2022_election_lists_seven_phases_in_date_order(client):
    election = get_json(client, "/api/v1/elections/up-2022/")
    dates = [phase["poll_date"]["value"] for phase in election["phases"]]
    assert [phase["number"] for phase in election["phases"]] == [1, 2, 3, 4, 5, 6, 7]
    assert (
        dates
        == sorted(dates)
        == [
            "2022-02-10",
            "2022-02-14",
            "2022-02-20",
            "2022-02-23",
            "2022-02-27",
            "2022-03-03",
            "2022-03-07",
        ]
    )
    assert election["counting"]["value"] == "2022-03-10"
    assert election["seats"] == 403


def test_what_the_2017_election_gave_each_party_with_sources(client):
    election = get_json(client, "/api/v1/elections/up-2017/")
    results = {r["party"]["abbreviation"] or r["party"]["name"]: r for r in election["results"]}
    bjp = results["BJP"]
    assert (bjp["seats_won"], bjp["seats_with_allies"], bjp["vote_share"]) == (312, 325, 39.67)
    assert {c["source_slug"] for c in bjp["citations"]} == {"002_2c5037d3f0a176ad"}
    assert [r["seats_won"] for r in election["results"]] == [312, 47, 19, 7]  # most seats first


def test_which_parties_a_person_belongs_to_and_how_sure_we_are(client):
    asim = get_json(client, "/api/v1/persons/asim-arun/")
    memberships = [(m["party"]["abbreviation"], m["status"]) for m in asim["memberships"]]
    assert memberships == [("BJP", "expected")]
    assert all(p["organisation"] is None or p["organisation"]["kind"] != "party" for p in asim["postings"])


def test_a_person_record_embeds_everything_with_citations(client):
    asim = get_json(client, "/api/v1/persons/asim-arun/")
    assert [a["name"] for a in asim["aliases"]] == ["Asim Kumar Arun"]
    assert asim["relations"][0]["relation"] == "parent"
    assert asim["relations"][0]["person"]["slug"] == "arun-ram"
    assert {c["status"] for c in asim["candidacies"]} == {"expected", "speculated"}
    kinds = {e["kind"]: e for e in asim["events"]}
    assert kinds["retirement_approved"]["contradicts"] == [kinds["retirement_pending"]["id"]]
    for citation in asim["citations"]:
        assert set(citation) == {
            "id",
            "source",
            "source_slug",
            "published_on",
            "field",
            "quote",
            "start",
            "end",
            "said",
            "locator",
        }
        assert citation["published_on"] == "2022-01-10"
        assert citation["locator"] == ""  # a quote, not a dataset row
    father = get_json(client, "/api/v1/persons/arun-ram/")
    assert father["relations"][0]["relation"] == "child"
    assert len(father["postings"]) == 2


def test_the_earlier_posts_come_in_order(client):
    asim = get_json(client, "/api/v1/persons/asim-arun/")
    by_id = {p["id"]: p for p in asim["postings"]}
    kanpur = next(p for p in asim["postings"] if p["organisation"] and p["organisation"]["slug"] == "kanpur-police")
    adg = by_id[kanpur["previous"]]
    ats = by_id[adg["previous"]]
    assert (adg["organisation"]["slug"], ats["organisation"]["slug"]) == ("up-112", "up-ats")


def test_a_source_lists_the_claims_it_supports(client):
    source = get_json(client, "/api/v1/sources/002_2c5037d3f0a176ad/")
    assert source["text"].startswith(" date 2022-01-10 ")
    for claim in source["claims"]:
        assert source["text"][claim["start"] : claim["end"]] == claim["quote"]
    assert {"person", "posting", "event", "partyresult", "electionphase"} <= {
        c["record_type"] for c in source["claims"]
    }


def test_sources_mentioning_a_person(client):
    assert [s["slug"] for s in all_results(client, "/api/v1/sources/", mentions="brij-lal")] == ["002_2c5037d3f0a176ad"]
    both = [s["slug"] for s in all_results(client, "/api/v1/sources/", mentions="asim-arun")]
    assert both == ["000_b84d1872df6a742e", "002_2c5037d3f0a176ad"]


def test_the_party_misspelling_finds_the_bjp(client):
    found = all_results(client, "/api/v1/parties/", q="Bharatiya Janta Party")
    assert [p["abbreviation"] for p in found] == ["BJP"]
    leaders = get_json(client, "/api/v1/parties/sp/")["leaders"]
    assert [leader["person"]["name"] for leader in leaders] == ["Akhilesh Yadav"]


def test_a_news_source_says_what_it_does_not_state(client):
    """The seed documents carry no headline, publisher or address: the data says so, not an empty string alone."""
    for source in get_json(client, "/api/v1/sources/", kind="article")["results"]:
        assert source["not_stated"] == ["title", "publisher", "url"]
        assert (source["title"], source["publisher"], source["url"]) == ("", "", "")

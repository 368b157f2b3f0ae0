"""List rows that tell namesakes apart: each person's last post, party and
latest candidacy (records/api/person_context.py), in the list and the detail."""

from __future__ import annotations

from datetime import date

from records.api.person_context import person_context
from records.models import Organisation

API = "/api/v1"
PARTY = Organisation.Kind.PARTY


def posting(pk, *, role="member", organisation="Org", kind="police", start=None, previous=None, status="confirmed"):
    return {
        "id": pk,
        "previous_id": previous,
        "start_earliest": start,
        "start_latest": start,
        "end_earliest": None,
        "end_latest": None,
        "role": role,
        "organisation__kind": kind,
        "organisation__id": pk + 100,
        "organisation__slug": organisation.lower(),
        "organisation__name": organisation,
        "organisation__abbreviation": organisation[:3].upper(),
        "place__name": None,
        "start": start.isoformat() if start else "",
        "end": "",
        "status": status,
    }


def candidacy(pk, *, election_day, party=None, won=None, status="confirmed"):
    return {
        "id": pk,
        "election__id": pk,
        "election__slug": f"e-{pk}",
        "election__name": f"Election {pk}",
        "election__start_earliest": election_day,
        "party__id": party and pk + 500,
        "party__slug": party and party.lower(),
        "party__name": party,
        "party__abbreviation": party,
        "contest__constituency__id": None,
        "contest__constituency__slug": None,
        "contest__constituency__number": None,
        "contest__constituency__name": None,
        "place__id": None,
        "place__slug": None,
        "place__name": None,
        "place__kind": None,
        "won": won,
        "status": status,
    }


def test_the_post_is_the_latest_dated_one_and_never_a_party_membership():
    rows = [
        posting(1, role="SP", start=date(2001, 1, 1)),
        posting(2, role="DIG", start=date(2010, 1, 1)),
        posting(3, role="SP", organisation="Somewhere"),  # undated: not known to be the latest
        posting(4, role="member", organisation="XYZ", kind=PARTY, start=date(2022, 1, 1), status="expected"),
    ]
    context = person_context(rows, [])
    assert context["post"]["role"] == "DIG"
    assert context["party"] == {
        "id": 104,
        "slug": "xyz",
        "name": "XYZ",
        "abbreviation": "XYZ",
        "role": "member",
        "status": "expected",
        "via": "membership",
    }
    assert context["candidacy"] is None


def test_without_a_membership_the_party_is_the_latest_candidacys_that_names_one():
    candidacies = [
        candidacy(1, election_day=date(2012, 2, 8), party="AAA", won=True),
        candidacy(2, election_day=date(2017, 2, 11), party="BBB", won=False),
        candidacy(3, election_day=date(2022, 2, 10), party=None, status="speculated"),  # no party yet
        candidacy(4, election_day=None, party="CCC"),  # undated: counts as the oldest
    ]
    context = person_context([], candidacies)
    assert context["post"] is None
    assert (context["party"]["abbreviation"], context["party"]["via"]) == ("BBB", "candidacy")
    assert context["candidacy"]["id"] == 3
    assert context["candidacy"]["status"] == "speculated"


def test_nothing_known_gives_an_empty_context():
    assert person_context([], []) == {"post": None, "party": None, "candidacy": None}


def test_namesakes_are_told_apart_in_the_list(results_2017, client):
    rows = client.get(f"{API}/persons/", {"q": "akhilesh yadav"}).json()["results"]
    assert len(rows) == 2
    contexts = [row["context"] for row in rows]
    assert contexts[0] != contexts[1]
    # The SP president (the seed articles) and a 2017 candidate of the official results.
    leader = next(c for c in contexts if c["party"] and c["party"]["via"] == "membership")
    candidate = next(c for c in contexts if c["candidacy"] and c["candidacy"]["constituency"])
    assert leader["party"]["abbreviation"] == "SP"
    assert candidate["candidacy"]["election"]["slug"] == "up-2017"
    assert candidate["candidacy"]["won"] in (True, False)
    assert candidate["party"]["via"] == "candidacy"


def test_the_list_row_and_the_detail_give_the_same_context(results_2017, client):
    for q in ("akhilesh yadav", "mayawati", "asim arun"):
        for row in client.get(f"{API}/persons/", {"q": q}).json()["results"]:
            detail = client.get(f"{API}/persons/{row['id']}/").json()
            assert detail["context"] == row["context"]


def test_asim_aruns_row_shows_kanpur_the_bjp_and_the_expected_candidacy(seeded, client):
    (row,) = client.get(f"{API}/persons/", {"q": "asim arun"}).json()["results"]
    context = row["context"]
    assert (context["post"]["role"], context["post"]["place"]) == ("Commissioner of Police", "Kanpur")
    assert (context["party"]["slug"], context["party"]["status"]) == ("bjp", "expected")
    assert context["candidacy"]["election"]["slug"] == "up-2022"
    assert context["candidacy"]["constituency"] is None  # a claim: a place, no official contest yet
    assert context["candidacy"]["place"]["slug"] == "kannauj"

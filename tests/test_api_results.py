"""Official results through the API: constituencies, contests with their
candidates, an election's official tally and the check of what sources claim,
and a person's results.

The data is the seeds plus the 2017 Uttar Pradesh results
(data/up-assembly-2017-eci/: 403 contests, 4,853 candidacies), imported once
for this module inside a transaction that is rolled back at its end; each test
runs in its own savepoint within it, so what a test adds (an alliance, a
district, a contest elsewhere) is gone for the next.

The dataset gives no reservation, district or electors; tests that need them
set them on a few records (test data, not facts about those constituencies).
"""

from __future__ import annotations

import json
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from records.api.resources.candidacies import CandidacyViewSet
from records.models import (
    Alliance,
    Candidacy,
    Citation,
    Constituency,
    Contest,
    Election,
    Party,
    PartyResult,
    Person,
    Place,
    Source,
)
from records.selectors import percent
from tests.api import VERSIONS, all_results, get_json, ids, schemathesis_schema
from tests.conftest import RESULTS_2017

API = "/api/v1"
NAKUR = "uttar-pradesh-002-nakur"  # constituency 2
BEHAT = "uttar-pradesh-001-behat"  # constituency 1
SAHARANPUR = "uttar-pradesh-004-saharanpur"  # constituency 4
DATASET = "up-assembly-2017-eci"


# -- the data -------------------------------------------------------------------


@pytest.fixture
def results(results_2017, db):
    # GenericRelation prefetches look their ContentType up in a process-wide
    # cache: fill it, so that no query count depends on which test ran first.
    ContentType.objects.get_for_models(*apps.get_app_config("records").get_models())


@pytest.fixture
def extra(results) -> dict:
    """Test data on top of the import: a district holding Behat and Nakur,
    reservations (Nakur GEN, Behat SC), and a constituency in another state
    with a contest in up-2022 that has no candidates (so no winner, no margin)."""
    up = Place.objects.get(slug="uttar-pradesh")
    district = Place.objects.create(slug="test-district", name="Test District", kind="district", parent=up)
    Constituency.objects.filter(slug=NAKUR).update(district=district, reservation="GEN")
    Constituency.objects.filter(slug=BEHAT).update(district=None, reservation="SC")
    other_state = Place.objects.create(slug="test-state", name="Test State", kind="state")
    elsewhere = Constituency.objects.create(
        slug="test-state-001-elsewhere", jurisdiction=other_state, number=1, name="Elsewhere"
    )
    up_2022 = Election.objects.get(slug="up-2022")
    elsewhere_contest = Contest.objects.create(election=up_2022, constituency=elsewhere, result_declared=False)
    return {
        "up": up,
        "district": district,
        "other_state": other_state,
        "elsewhere": elsewhere,
        "elsewhere_contest": elsewhere_contest,
        "up_2017": Election.objects.get(slug="up-2017"),
        "up_2022": up_2022,
        "bjp": Party.objects.get(slug="bjp"),
        "nakur": Constituency.objects.get(slug=NAKUR),
        "nakur_contest": Contest.objects.get(constituency__slug=NAKUR, election__slug="up-2017"),
    }


def contest_of(slug: str, election: str = "up-2017") -> Contest:
    return Contest.objects.get(constituency__slug=slug, election__slug=election)


def contest_number(number: int) -> Contest:
    """The 2017 contest in Uttar Pradesh constituency ``number``."""
    return Contest.objects.get(constituency__number=number, election__slug="up-2017")


def error_names(client, url: str, **params) -> set[str]:
    body = get_json(client, url, expect=400, **params)
    assert (body["status"], body["code"]) == (400, "invalid"), body
    return set(body["errors"])


# -- constituencies ---------------------------------------------------------------


def test_constituencies_list_every_imported_constituency_by_number(results, client):
    rows = all_results(client, f"{API}/constituencies/")
    assert [row["number"] for row in rows] == list(range(1, 404))
    nakur = rows[1]
    assert nakur["slug"] == NAKUR
    assert (nakur["name"], nakur["reservation"], nakur["district"]) == ("Nakur", "", None)
    assert nakur["jurisdiction"] == {
        "id": nakur["jurisdiction"]["id"],
        "slug": "uttar-pradesh",
        "name": "Uttar Pradesh",
        "kind": "state",
    }
    assert [(c["source_slug"], c["locator"]) for c in nakur["citations"]] == [(DATASET, "constituencies[0]")]


def test_a_constituency_by_id_or_slug_and_404s(extra, client):
    by_slug = get_json(client, f"{API}/constituencies/{NAKUR}/")
    by_id = get_json(client, f"{API}/constituencies/{by_slug['id']}/")
    assert by_slug == by_id
    assert (by_slug["number"], by_slug["name"], by_slug["reservation"]) == (2, "Nakur", "GEN")
    assert by_slug["district"] == {
        "id": extra["district"].pk,
        "slug": "test-district",
        "name": "Test District",
        "kind": "district",
    }
    for key in ("999999", "no-such-constituency"):
        assert get_json(client, f"{API}/constituencies/{key}/", expect=404)["code"] == "not_found"


CONSTITUENCY_FILTERS = [
    # (params, included, excluded): slugs of constituencies
    ({"jurisdiction": "uttar-pradesh"}, NAKUR, "test-state-001-elsewhere"),
    ({"jurisdiction_id": "{up}"}, NAKUR, "test-state-001-elsewhere"),
    ({"jurisdiction": "test-state"}, "test-state-001-elsewhere", NAKUR),
    ({"district": "test-district"}, NAKUR, BEHAT),
    ({"district_id": "{district}"}, NAKUR, BEHAT),
    ({"district": "uttar-pradesh"}, NAKUR, "test-state-001-elsewhere"),  # places within it match too
    ({"reservation": "GEN"}, NAKUR, BEHAT),
    ({"reservation": "SC"}, BEHAT, NAKUR),
    ({"election": "up-2017"}, NAKUR, "test-state-001-elsewhere"),
    ({"election_id": "{up_2022}"}, "test-state-001-elsewhere", NAKUR),
    ({"q": "NAKUR"}, NAKUR, BEHAT),
    ({"q": "nakúr"}, NAKUR, BEHAT),
]


@pytest.mark.parametrize(("params", "included", "excluded"), CONSTITUENCY_FILTERS)
def test_constituency_filters(extra, client, params, included, excluded):
    ids = {name: str(value.pk) for name, value in extra.items()}
    params = {k: v.format(**ids) for k, v in params.items()}
    slugs = [row["slug"] for row in all_results(client, f"{API}/constituencies/", **params)]
    assert included in slugs
    assert excluded not in slugs


def test_constituency_ordering(extra, client):
    rows = all_results(client, f"{API}/constituencies/", ordering="name")
    names = [row["name"] for row in rows]
    assert names == sorted(names)
    assert len(names) == 404
    rows = all_results(client, f"{API}/constituencies/", ordering="-number", jurisdiction="uttar-pradesh")
    assert [row["number"] for row in rows] == list(range(403, 0, -1))


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"reservation": "XX"}, "reservation"),
        ({"reservation": "sc"}, "reservation"),
        ({"election": "no-such-election"}, "election"),
        ({"election": "%s"}, "election"),  # a "%" in a key is not a format string (was a 500)
        ({"election_id": "0"}, "election_id"),
        ({"district_id": "abc"}, "district_id"),
        ({"jurisdiction": "no-such-place"}, "jurisdiction"),
        ({"q": "x" * 201}, "q"),
        ({"ordering": "margin"}, "ordering"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_constituency_parameters_are_400s_naming_them(results, client, params, named):
    assert error_names(client, f"{API}/constituencies/", **params) == {named}


# -- contests ---------------------------------------------------------------------


def test_contests_list_by_constituency_number_with_winners(results, client):
    rows = all_results(client, f"{API}/contests/")
    assert [row["constituency"]["number"] for row in rows] == list(range(1, 404))
    assert {row["election"]["slug"] for row in rows} == {"up-2017"}
    nakur = rows[1]
    assert nakur["constituency"]["slug"] == NAKUR
    assert (nakur["total_votes"], nakur["nota_votes"], nakur["electors"], nakur["turnout"]) == (
        255532,
        1232,
        None,
        None,
    )
    assert nakur["result_declared"] is True
    winner = nakur["winner"]
    assert winner["person"]["name"] == winner["ballot_name"] == "Dr.dharam Singh Saini"
    assert winner["party"]["abbreviation"] == "BJP"
    assert (winner["votes"], winner["margin"]) == (94375, 4057)
    assert all(row["winner"] is not None for row in rows)


def test_nakur_winner_and_candidates_in_vote_order_without_nota(extra, client):
    contest = get_json(client, f"{API}/contests/{extra['nakur_contest'].pk}/")
    assert contest["constituency"]["number"] == 2
    assert contest["winner"]["ballot_name"] == "Dr.dharam Singh Saini"
    assert contest["winner"]["party"]["slug"] == "bjp"
    assert contest["winner"]["margin"] == 4057

    candidates = contest["candidates"]
    file_rows = json.loads((RESULTS_2017 / "uttar-pradesh-2017.json").read_text())["constituencies"][0]["candidates"]
    assert len(file_rows) == 12
    assert len(candidates) == 11
    assert not any("none of the above" in c["ballot_name"].lower() or c["ballot_name"] == "NOTA" for c in candidates)
    votes = [c["votes"] for c in candidates]
    assert votes == sorted(votes, reverse=True)
    assert sum(votes) + contest["nota_votes"] == contest["total_votes"] == 255532
    assert [c["rank"] for c in candidates] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 11]  # 245 votes twice
    first, second = candidates[0], candidates[1]
    assert first["id"] == contest["winner"]["id"]
    assert (first["won"], first["margin"], first["votes"]) == (True, 4057, 94375)
    assert first["votes"] - second["votes"] == 4057
    assert (second["ballot_name"], second["won"], second["margin"]) == ("Imran Masood", False, None)
    assert first["vote_share"] == float(percent(94375, 255532)) == 36.93
    independents = [c for c in candidates if c["party"] is None]
    assert "Kamal Garg" in [c["ballot_name"] for c in independents]
    assert first["citations"][0]["locator"] == "constituencies[0].candidates[0]"


def test_turnout_is_votes_over_electors_when_electors_are_known(extra, client):
    Contest.objects.filter(pk=extra["nakur_contest"].pk).update(electors=300000)
    nakur = get_json(client, f"{API}/contests/{extra['nakur_contest'].pk}/")
    assert nakur["turnout"] == 85.18  # 255,532 / 300,000 = 85.1773 %
    behat = get_json(client, f"{API}/contests/{contest_of(BEHAT).pk}/")
    assert behat["electors"] is None
    assert behat["turnout"] is None


def test_a_contest_without_candidates_has_no_winner(extra, client):
    body = get_json(client, f"{API}/contests/{extra['elsewhere_contest'].pk}/")
    assert (body["winner"], body["candidates"], body["total_votes"], body["turnout"]) == (None, [], None, None)
    assert body["result_declared"] is False


def test_contest_404s(results, client):
    for key in ("999999", "nakur"):  # contests have no slug
        assert get_json(client, f"{API}/contests/{key}/", expect=404)["code"] == "not_found"


def contest_keys(client, **params) -> list[str]:
    rows = all_results(client, f"{API}/contests/", **params)
    return [f"{row['constituency']['slug']}@{row['election']['slug']}" for row in rows]


ELSEWHERE = "test-state-001-elsewhere@up-2022"
CONTEST_FILTERS = [
    # (params, included, excluded): constituency@election
    ({"election": "up-2017"}, f"{NAKUR}@up-2017", ELSEWHERE),
    ({"election_id": "{up_2022}"}, ELSEWHERE, f"{NAKUR}@up-2017"),
    ({"constituency": NAKUR}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"constituency_id": "{nakur}"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"district": "test-district"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"district_id": "{district}"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"reservation": "SC"}, f"{BEHAT}@up-2017", f"{NAKUR}@up-2017"),
    ({"reservation": "GEN"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"winner_party": "bjp"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),  # Behat: Congress
    ({"winner_party": "BJP"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"winner_party_id": "{bjp}"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"winner_party": "congress"}, f"{BEHAT}@up-2017", f"{NAKUR}@up-2017"),
    ({"margin_min": "4057"}, f"{NAKUR}@up-2017", ELSEWHERE),  # Nakur's margin is 4,057
    ({"margin_min": "4058"}, f"{BEHAT}@up-2017", f"{NAKUR}@up-2017"),  # Behat's is 25,586
    ({"margin_max": "4057"}, f"{NAKUR}@up-2017", f"{BEHAT}@up-2017"),
    ({"margin_max": "2147483647"}, f"{BEHAT}@up-2017", ELSEWHERE),  # no winner, no margin
    ({"jurisdiction": "uttar-pradesh"}, f"{NAKUR}@up-2017", ELSEWHERE),
    ({"jurisdiction_id": "{other_state}"}, ELSEWHERE, f"{NAKUR}@up-2017"),
]


@pytest.mark.parametrize(("params", "included", "excluded"), CONTEST_FILTERS)
def test_contest_filters(extra, client, params, included, excluded):
    ids = {name: str(value.pk) for name, value in extra.items()}
    keys = contest_keys(client, **{k: v.format(**ids) for k, v in params.items()})
    assert included in keys
    assert excluded not in keys


def test_margin_bounds_together_and_winner_party_counts(extra, client):
    assert contest_keys(client, margin_min="4057", margin_max="4057") == [f"{NAKUR}@up-2017"]
    body = get_json(client, f"{API}/contests/", winner_party="bjp", count="true", page_size=1)
    assert body["count"] == 312


def walk(client, url: str, **params) -> tuple[list[dict], list[list[dict]]]:
    """Every row following `next`, and then the pages again following `previous` from the last."""
    body = get_json(client, url, **params)
    pages = [body["results"]]
    while body["next"]:
        body = get_json(client, body["next"])
        pages.append(body["results"])
    backwards = [body["results"]]
    while body["previous"]:
        body = get_json(client, body["previous"])
        backwards.append(body["results"])
    return [row for page in pages for row in page], backwards[::-1]


@pytest.mark.parametrize("descending", [False, True])
def test_contests_by_margin_walk_page_by_page_with_ties_and_nulls(extra, client, descending):
    # Ties (Behat's and Deoband's winners given Nakur's 4,057) and NULLs (no winner
    # in Elsewhere; Saharanpur's winner without a margin) across page boundaries.
    Candidacy.objects.filter(
        contest__constituency__number__in=[1, 5], won=True, contest__election=extra["up_2017"]
    ).update(margin=4057)
    Candidacy.objects.filter(contest=contest_of(SAHARANPUR), won=True).update(margin=None)
    margins = {c.pk: None for c in Contest.objects.all()}
    for contest_id, margin in Candidacy.objects.filter(won=True).values_list("contest_id", "margin"):
        margins[contest_id] = margin
    sign = -1 if descending else 1
    # NULLs last; ties by id in the order's direction.
    expected = sorted(margins, key=lambda pk: (margins[pk] is None, sign * (margins[pk] or 0), sign * pk))

    ordering = "-margin" if descending else "margin"
    rows, pages_back = walk(client, f"{API}/contests/", ordering=ordering, page_size=7)
    assert [row["id"] for row in rows] == expected
    assert len(expected) == 404
    assert [row["winner"]["margin"] if row["winner"] else None for row in rows] == [margins[pk] for pk in expected]
    assert [row["id"] for page in pages_back for row in page] == expected  # the same pages, walked back
    tied = [row["id"] for row in rows if row["winner"] and row["winner"]["margin"] == 4057]
    assert len(tied) == 3
    assert tied == sorted(tied, reverse=descending)


def test_contests_by_total_votes(extra, client):
    rows = all_results(client, f"{API}/contests/", ordering="-total_votes")
    totals = [row["total_votes"] for row in rows]
    assert totals[-1] is None  # Elsewhere: NULLs last
    assert totals[:-1] == sorted(totals[:-1], reverse=True)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"margin_min": "-1"}, "margin_min"),
        ({"margin_min": "abc"}, "margin_min"),
        ({"margin_max": "2147483648"}, "margin_max"),
        ({"winner_party": "no-such-party"}, "winner_party"),
        ({"winner_party": "50%"}, "winner_party"),
        ({"winner_party_id": "999999"}, "winner_party_id"),
        ({"constituency": "atlantis"}, "constituency"),
        ({"constituency_id": "x"}, "constituency_id"),
        ({"election": "up-2099"}, "election"),
        ({"district": "no-such-place"}, "district"),
        ({"reservation": "OBC"}, "reservation"),
        ({"ordering": "votes"}, "ordering"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"page_size": "201"}, "page_size"),
    ],
)
def test_bad_contest_parameters_are_400s_naming_them(results, client, params, named):
    assert error_names(client, f"{API}/contests/", **params) == {named}


def test_a_cursor_is_refused_under_another_ordering(results, client):
    link = get_json(client, f"{API}/contests/", ordering="margin", page_size=2)["next"]
    cursor = dict(parse_qsl(urlsplit(link).query))["cursor"]
    assert error_names(client, f"{API}/contests/", ordering="total_votes", cursor=cursor) == {"cursor"}


# -- an election's official results and claim checks ------------------------------


def checks_by_party(election: dict) -> dict[str, dict]:
    return {check["party"]["slug"]: check for check in election["result_checks"]}


def test_2017_official_results_per_party_and_the_claims_checked_against_them(results, client):
    election = get_json(client, f"{API}/elections/up-2017/")  # one request: the detail is large (every candidacy)
    official = election["official_results"]
    bjp = official[0]
    assert bjp["party"]["abbreviation"] == "BJP"
    assert (bjp["seats_won"], bjp["vote_share"], bjp["votes"]) == (312, 39.67, 34403039)
    assert [row["party"]["slug"] for row in official[:3]] == ["bjp", "sp", "bsp"]
    order = [(-row["seats_won"], -row["votes"]) for row in official]
    assert order == sorted(order)
    # The seats agree with the winners the contests list shows.
    winners = {}
    for row in all_results(client, f"{API}/contests/", election="up-2017"):
        party = row["winner"]["party"]
        if party:
            winners[party["slug"]] = winners.get(party["slug"], 0) + 1
    assert {row["party"]["slug"]: row["seats_won"] for row in official if row["seats_won"]} == winners

    # Each claimed party result, field by field.
    checks = checks_by_party(election)
    assert list(checks) == ["bjp", "sp", "bsp", "congress"]  # as the claims: most seats first
    bjp = checks["bjp"]
    claim = next(r for r in election["results"] if r["party"]["slug"] == "bjp")
    assert bjp["claim"] == claim["id"]
    assert bjp["seats_won"] == {"claimed": 312, "official": 312, "agrees": True, "note": ""}
    assert bjp["vote_share"] == {"claimed": 39.67, "official": 39.67, "agrees": True, "note": ""}
    allies = bjp["seats_with_allies"]
    assert (allies["claimed"], allies["official"], allies["agrees"]) == (325, None, None)
    assert "no alliance recorded" in allies["note"]
    assert bjp["agrees"] is True
    assert any("312 Assembly seats" in c["quote"] for c in bjp["citations"])
    assert {c["source_slug"] for c in bjp["citations"]} == {"002_2c5037d3f0a176ad"}
    [source] = bjp["official_sources"]
    assert source["slug"] == DATASET
    assert source["license"].startswith("MIT")
    assert set(source) == {"id", "slug", "title", "license"}
    sp = checks["sp"]
    assert sp["seats_won"]["agrees"] is True
    assert sp["vote_share"] == {"claimed": None, "official": 21.82, "agrees": None, "note": "not claimed"}


def test_seats_with_allies_are_checked_against_a_recorded_alliance(extra, client):
    alliance = Alliance.objects.create(election=extra["up_2017"], name="NDA", slug="nda-up-2017", leader=extra["bjp"])
    alliance.parties.set(Party.objects.filter(name__in=["Apna Dal (soneylal)", "Suheldev Bhartiya Samaj Party"]))
    alliance.parties.add(extra["bjp"])
    assert alliance.parties.count() == 3
    allies = checks_by_party(get_json(client, f"{API}/elections/up-2017/"))["bjp"]["seats_with_allies"]
    assert allies == {"claimed": 325, "official": 325, "agrees": True, "note": "alliance: NDA"}

    alliance.parties.remove(Party.objects.get(name="Suheldev Bhartiya Samaj Party"))  # 4 seats fewer
    check = checks_by_party(get_json(client, f"{API}/elections/up-2017/"))["bjp"]
    assert (check["seats_with_allies"]["official"], check["seats_with_allies"]["agrees"]) == (321, False)
    assert check["agrees"] is False


def test_an_election_without_imported_results(extra, client):
    election = get_json(client, f"{API}/elections/up-2022/")  # one contest, no candidates, no claims
    assert (election["official_results"], election["result_checks"]) == ([], [])
    Contest.objects.filter(election=extra["up_2022"]).delete()
    PartyResult.objects.create(election=extra["up_2022"], party=extra["bjp"], seats_won=255)
    [check] = get_json(client, f"{API}/elections/up-2022/")["result_checks"]
    assert check["seats_won"] == {
        "claimed": 255,
        "official": None,
        "agrees": None,
        "note": "no official results imported for this election",
    }
    assert (check["agrees"], check["official_sources"]) == (None, [])


# -- a person's results -----------------------------------------------------------


def test_a_person_shows_their_results(extra, client):
    winner = Candidacy.objects.get(contest=extra["nakur_contest"], won=True)
    body = get_json(client, f"{API}/persons/{winner.person.slug}/")
    [candidacy] = body["candidacies"]
    assert candidacy["election"]["slug"] == "up-2017"
    assert candidacy["contest"]["id"] == extra["nakur_contest"].pk
    assert candidacy["contest"]["constituency"]["number"] == 2
    assert candidacy["contest"]["constituency"]["district"]["slug"] == "test-district"
    assert (candidacy["ballot_name"], candidacy["votes"], candidacy["rank"]) == ("Dr.dharam Singh Saini", 94375, 1)
    assert (candidacy["won"], candidacy["margin"], candidacy["party"]["slug"]) == (True, 4057, "bjp")

    runner_up = Candidacy.objects.get(contest=extra["nakur_contest"], rank=2)
    [candidacy] = get_json(client, f"{API}/persons/{runner_up.person_id}/")["candidacies"]
    assert (candidacy["won"], candidacy["margin"], candidacy["rank"]) == (False, None, 2)

    claims = get_json(client, f"{API}/persons/asim-arun/")["candidacies"]  # claims, no contest
    assert claims
    assert all(c["contest"] is None and c["votes"] is None and c["won"] is None for c in claims)


# -- query budgets ----------------------------------------------------------------

LIST_BUDGETS = {
    # 1 constituencies page (jurisdiction, district joined), 2 their aliases, 3 the citations of both
    "constituencies": 3,
    # 1 contests page (election, constituency, its district joined; the constituency's number and the
    # winner's margin annotated), 2 their citations, 3 their winners (person, party joined)
    "contests": 3,
}


@pytest.mark.parametrize("endpoint", LIST_BUDGETS)
@pytest.mark.parametrize("page_size", [1, 100])
def test_a_list_page_costs_the_same_whatever_its_size(results, client, django_assert_num_queries, endpoint, page_size):
    with django_assert_num_queries(VERSIONS + LIST_BUDGETS[endpoint]):
        first = get_json(client, f"{API}/{endpoint}/", page_size=page_size)
    assert len(first["results"]) == page_size
    assert all(row["citations"] for row in first["results"])
    if endpoint == "contests":
        assert all(row["winner"] for row in first["results"])
    # The next page, under another ordering, and count=true (1 more: the COUNT).
    with django_assert_num_queries(VERSIONS + LIST_BUDGETS[endpoint]):
        assert len(get_json(client, first["next"])["results"]) == page_size
    ordering = "-margin" if endpoint == "contests" else "name"
    with django_assert_num_queries(VERSIONS + LIST_BUDGETS[endpoint] + 1):
        body = get_json(client, f"{API}/{endpoint}/", page_size=page_size, ordering=ordering, count="true")
    assert body["count"] == 403


@pytest.mark.parametrize("page_size", [1, 100])
def test_contest_filters_that_name_a_record_add_one_query_each(extra, client, django_assert_num_queries, page_size):
    # 1 resolve the party, 2 resolve the election, 3 contests page (winner's party as an EXISTS), 4 citations, 5 winners
    with django_assert_num_queries(VERSIONS + 5):
        body = get_json(client, f"{API}/contests/", page_size=page_size, winner_party="BJP", election="up-2017")
    assert len(body["results"]) == page_size
    # no related record: 1 contests page, 2 citations, 3 winners
    with django_assert_num_queries(VERSIONS + 3):
        get_json(client, f"{API}/contests/", page_size=page_size, margin_min="10", reservation="GEN")


DETAIL_BUDGETS = {
    # 1 constituency (jurisdiction, district joined), 2 its aliases, 3 its identifiers (its
    # numbers per delimitation), 4 the citations of all three
    "constituencies": 4,
    # 1 contest (election, constituency, district joined), 2 its candidates (person, party joined;
    # the winner is picked from them), 3 the citations of the contest and its candidates
    "contests": 3,
}


@pytest.mark.parametrize("endpoint", DETAIL_BUDGETS)
def test_a_detail_costs_the_same_for_every_record(extra, client, django_assert_num_queries, endpoint):
    keys = {
        "constituencies": [NAKUR, str(extra["nakur"].pk), BEHAT],
        "contests": [str(extra["nakur_contest"].pk), str(contest_of(BEHAT).pk), str(contest_number(403).pk)],
    }[endpoint]
    for key in keys:
        with django_assert_num_queries(VERSIONS + DETAIL_BUDGETS[endpoint]):
            get_json(client, f"{API}/{endpoint}/{key}/")
    # 1 the lookup (no prefetch runs for no row)
    with django_assert_num_queries(VERSIONS + 1):
        get_json(client, f"{API}/{endpoint}/999999/", expect=404)


# 1 election (jurisdiction, body joined), 2 phases, 3 results (party joined), 4 claimed
# candidacies (official ones belong to contests), then records.selectors: 5 how many contests
# and their total votes, 6 the tally per party, 7 the tally's parties, 8 the sources the
# contests cite, 9 alliances, 10 the claims (party joined); 11 the citations of all of them,
# 12 the links of the results and claimed candidacies
ELECTION_WITH_RESULTS = 12


def one_contest_election(extra) -> Election:
    """An election shaped like up-2017 (a citation, a cited claim, no phases) with 1 cited contest
    and 1 cited candidacy in it."""
    source = Source.objects.get(slug=DATASET)
    election = Election.objects.create(slug="test-2030", name="Test 2030", jurisdiction=extra["up"], start="2030")
    claim = PartyResult.objects.create(election=election, party=extra["bjp"], seats_won=1, vote_share=Decimal("100"))
    contest = Contest.objects.create(election=election, constituency=extra["nakur"], total_votes=10)
    person = Person.objects.create(slug="test-candidate", name="Test Candidate")
    candidacy = Candidacy.objects.create(
        person=person, election=election, contest=contest, party=extra["bjp"], votes=10, rank=1, won=True
    )
    Citation.objects.bulk_create(
        Citation(source=source, record=record, locator="test") for record in (election, claim, contest, candidacy)
    )
    return election


def test_the_election_detail_costs_the_same_with_1_or_403_contests(extra, client, django_assert_num_queries):
    small = one_contest_election(extra)
    with django_assert_num_queries(VERSIONS + ELECTION_WITH_RESULTS):
        body = get_json(client, f"{API}/elections/{small.slug}/")
    assert len(body["official_results"]) == 1
    assert body["result_checks"][0]["agrees"] is True
    with django_assert_num_queries(VERSIONS + ELECTION_WITH_RESULTS):
        body = get_json(client, f"{API}/elections/up-2017/")
    assert len(body["official_results"]) > 250
    assert len(body["result_checks"]) == 4

    # An alliance: 1 more query, its parties (whatever their number).
    for election in (small, extra["up_2017"]):
        alliance = Alliance.objects.create(
            election=election, name="NDA", slug=f"nda-{election.slug}", leader=extra["bjp"]
        )
        alliance.parties.set(Party.objects.filter(slug__in=["bjp", "sp", "bsp"]))
        with django_assert_num_queries(VERSIONS + ELECTION_WITH_RESULTS + 1):
            get_json(client, f"{API}/elections/{election.slug}/")


def test_a_person_detail_with_results_costs_a_fixed_number_of_queries(extra, client, django_assert_num_queries):
    winner = Candidacy.objects.get(contest=extra["nakur_contest"], won=True).person
    # 1 person, 2 aliases, 3 identifiers, 4 relations as subject, 5 relations as object,
    # 6 postings, 7 memberships, 8 candidacies (election, party, place, contest, its constituency
    # and district joined), 9 events, 10 the citations of the person and its candidacies (no
    # events: their participants and contradictions are not read), 11 the candidacies' links
    with django_assert_num_queries(VERSIONS + 11):
        body = get_json(client, f"{API}/persons/{winner.slug}/")
    assert len(body["candidacies"]) == 1
    # Two more contests, in two more constituencies: the same.
    for number in (3, 4):
        Candidacy.objects.create(
            person=winner, election=extra["up_2017"], contest=contest_number(number), votes=1, rank=20, won=False
        )
    with django_assert_num_queries(VERSIONS + 11):
        body = get_json(client, f"{API}/persons/{winner.slug}/")
    assert {c["contest"]["constituency"]["number"] for c in body["candidacies"]} == {2, 3, 4}


# -- the schema holds for real results --------------------------------------------

api_schema = schemathesis_schema().include(method="GET")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def app_shares_test_connection():
    """Requests go straight to the WSGI app, which closes "old" connections when a
    request starts and ends: inside this module's transaction that would lose it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_results_responses_conform_to_the_schema(extra, app_shares_test_connection):
    alliance = Alliance.objects.create(election=extra["up_2017"], name="NDA", slug="nda", leader=extra["bjp"])
    alliance.parties.set([extra["bjp"]])
    Contest.objects.filter(pk=extra["nakur_contest"].pk).update(electors=300000)
    winner = Candidacy.objects.get(contest=extra["nakur_contest"], won=True)
    requests = [
        ("/api/v1/constituencies/", {"query": {"page_size": "200", "count": "true"}}),
        ("/api/v1/constituencies/{id}/", {"path_parameters": {"id": NAKUR}}),
        ("/api/v1/contests/", {"query": {"page_size": "200", "ordering": "-margin"}}),
        ("/api/v1/contests/", {"query": {"election": "up-2022"}}),
        ("/api/v1/contests/{id}/", {"path_parameters": {"id": str(extra["nakur_contest"].pk)}}),
        ("/api/v1/contests/{id}/", {"path_parameters": {"id": str(extra["elsewhere_contest"].pk)}}),
        ("/api/v1/elections/{id}/", {"path_parameters": {"id": "up-2017"}}),
        ("/api/v1/elections/{id}/", {"path_parameters": {"id": "up-2022"}}),
        ("/api/v1/persons/{id}/", {"path_parameters": {"id": winner.person.slug}}),
        ("/api/v1/persons/{id}/", {"path_parameters": {"id": "asim-arun"}}),
    ]
    for path, kwargs in requests:
        case = api_schema[path]["GET"].Case(**kwargs)
        response = case.call()
        assert response.status_code == 200, (path, kwargs, response.text[:300])
        case.validate_response(response, checks=CHECKS)


def test_the_detail_picks_the_winner_the_list_shows(extra, client, django_user_model):
    """The detail finds its winner among its candidates (no query of its own):
    the same as the list's, whatever the point of view."""

    def winners(contests, **params) -> tuple[list, list]:
        listed = {row["id"]: row["winner"] for row in all_results(client, f"{API}/contests/", **params)}
        details = [get_json(client, f"{API}/contests/{c.pk}/", **params)["winner"] for c in contests]
        return [listed[c.pk] for c in contests], details

    sample = list(Contest.objects.filter(election__slug="up-2017").order_by("pk")[::20])
    listed, details = winners(sample, election="up-2017")
    assert listed == details
    assert all(details)

    nakur = extra["nakur_contest"]
    first, second = nakur.candidacies.order_by("-votes")[:2]
    Candidacy.objects.filter(pk=second.pk).update(won=True)  # two marked won: the lower id is the winner
    listed, details = winners([nakur], election="up-2017")
    assert listed == details
    assert details[0]["id"] == min(first.pk, second.pk)

    curator = django_user_model.objects.create_user("drafting-curator")
    Candidacy.objects.filter(pk__in=[first.pk, second.pk]).update(drafted_by=curator, review_status="draft")
    listed, details = winners([nakur], election="up-2017")
    assert listed == details == [None]  # pending winners are not shown by default
    listed, details = winners([nakur], election="up-2017", include_pending="true")
    assert listed == details
    assert details[0]["id"] == min(first.pk, second.pk)


# -- the candidacies page's plan on PostgreSQL ---------------------------------
# Planned with its joins in the order written (records/api/resources/base.py,
# joins_as_written): weighing every order of its eight to-one joins took 40 ms,
# for a page read in 1-2 ms.

JOIN_ORDER_PARAMS = [
    {},
    {"ordering": "-votes"},
    {"official": "true", "ordering": "election"},
    {"party": "bjp"},
    {"place": "uttar-pradesh", "ordering": "-id"},
]


def captured_sql(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_candidacies_page_is_planned_in_written_order_and_only_it(results_2017, client):
    executed = captured_sql(client, f"{API}/candidacies/?page_size=5")
    page = next(i for i, sql in enumerate(executed) if sql.startswith('SELECT "records_candidacy"."id"'))
    settings = [sql for sql in executed if "join_collapse_limit" in sql]
    if connection.vendor != "postgresql":
        assert settings == []
        return
    assert executed[page - 1] == "SET LOCAL join_collapse_limit = 1"
    assert executed[page + 1] == "SET LOCAL join_collapse_limit = DEFAULT"
    with connection.cursor() as cursor:  # nothing after the page is planned that way
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone()[0] == "8"
    # Lists that need their joins reordered (people probed through postings) keep the default.
    assert not any("join_collapse_limit" in sql for sql in captured_sql(client, f"{API}/persons/?party=bjp"))


@pytest.mark.parametrize("params", JOIN_ORDER_PARAMS)
def test_the_candidacies_pages_are_the_same_in_either_plan(results_2017, client, monkeypatch, params):
    as_written = ids(client, f"{API}/candidacies/", page_size=7, **params)
    monkeypatch.setattr(CandidacyViewSet, "page_joins_as_written", False)
    assert ids(client, f"{API}/candidacies/", page_size=7, **params) == as_written
    assert as_written

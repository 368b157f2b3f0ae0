"""Claims across the dataset: the events and candidacies lists, and the
disputes list (every pair of claims that sources tell differently, once,
with both sides and their sources)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from records.knowledge import contradicted
from records.models import Candidacy, ClaimLink, Event, Person, Source
from tests.api import VERSIONS, all_results, get_json, planning_statements

API = "/api/v1"


@pytest.fixture
def results(results_2017, db):
    """The seeds and the 2017 results (loaded once for the module)."""


def test_the_disputes_list_gives_each_contradiction_once_with_both_sides_and_their_sources(results, client):
    links = ClaimLink.objects.filter(kind="contradicts")
    pairs = {frozenset((link.claim_id, link.target_id)) for link in links}
    assert pairs, "the seeds record a disputed retirement"
    disputes = all_results(client, f"{API}/disputes/")
    assert {frozenset((d["claim"]["id"], d["disputed_by"]["id"])) for d in disputes} == pairs
    assert len(disputes) == len(pairs)
    for dispute in disputes:
        assert dispute["type"] == dispute["claim"]["type"] == dispute["disputed_by"]["type"] == "event"
        claim, other = dispute["claim"], dispute["disputed_by"]
        for side in (claim, other):
            event = Event.objects.get(pk=side["id"])
            assert side["status"] == event.status
            assert side["person"]["slug"] == event.person.slug
            cited = {c.source.slug for c in event.citations.all()}
            assert {c["source_slug"] for c in side["citations"]} == cited
            assert all(c["quote"] for c in side["citations"])
        assert claim["id"] < other["id"]


def test_the_seed_retirement_dispute_reads_as_the_two_reports_tell_it(results, client):
    (dispute,) = all_results(client, f"{API}/disputes/", person="asim-arun")
    sides = {dispute["claim"]["kind"]: dispute["claim"], dispute["disputed_by"]["kind"]: dispute["disputed_by"]}
    assert set(sides) == {"retirement_approved", "retirement_pending"}
    approved, pending = sides["retirement_approved"], sides["retirement_pending"]
    assert {approved["status"], pending["status"]} == {"confirmed", "reported"}
    assert approved["citations"][0]["source_slug"] != pending["citations"][0]["source_slug"]
    assert get_json(client, f"{API}/disputes/{dispute['id']}/") == dispute


def test_disputes_of_someone_without_any_are_an_empty_list(results, client):
    nobody = Person.objects.filter(events__isnull=True).order_by("pk").first()
    assert all_results(client, f"{API}/disputes/", person=nobody.slug) == []


def test_a_dispute_is_found_by_its_own_id_only(results, client):
    applied, approved = Event.objects.filter(kind__in=["retirement_applied", "retirement_approved"]).order_by("kind")
    event_type = ContentType.objects.get_for_model(Event)
    not_a_dispute = ClaimLink.objects.create(
        claim_type=event_type, claim_id=approved.pk, kind="fulfils", target_type=event_type, target_id=applied.pk
    )
    get_json(client, f"{API}/disputes/{not_a_dispute.pk}/", expect=404)  # a link, but no contradiction
    get_json(client, f"{API}/disputes/999999/", expect=404)
    get_json(client, f"{API}/disputes/not-a-number/", expect=404)


def test_the_disputed_filter_splits_the_events_list(results, client):
    disputed = {e["id"] for e in all_results(client, f"{API}/events/", disputed="true")}
    undisputed = {e["id"] for e in all_results(client, f"{API}/events/", disputed="false")}
    assert disputed == set(Event.objects.filter(contradicted(Event)).values_list("pk", flat=True))
    assert disputed
    assert undisputed
    assert not disputed & undisputed
    assert disputed | undisputed == set(Event.objects.values_list("pk", flat=True))


def test_an_event_in_the_list_is_the_one_in_its_persons_record(results, client):
    person = get_json(client, f"{API}/persons/asim-arun/")
    listed = {e["id"]: e for e in all_results(client, f"{API}/events/", person="asim-arun")}
    assert list(listed) == [e["id"] for e in person["events"]]  # by date, as the person's record
    for event in person["events"]:
        row = listed[event["id"]]
        assert row["person"]["slug"] == "asim-arun"
        assert {k: v for k, v in row.items() if k in event} == event


def test_events_filter_by_kind_status_and_organisation(results, client):
    kinds = all_results(client, f"{API}/events/", kind=["retirement_approved", "retirement_pending"])
    assert {e["kind"] for e in kinds} == {"retirement_approved", "retirement_pending"}
    reported = all_results(client, f"{API}/events/", status="reported")
    assert reported
    assert all(e["status"] == "reported" for e in reported)
    in_ips = all_results(client, f"{API}/events/", organisation="ips")
    assert in_ips
    assert all(e["organisation"]["slug"] == "ips" for e in in_ips)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"kind": "resignation"}, "kind"),
        ({"disputed": "maybe"}, "disputed"),
        ({"person": "nobody-at-all"}, "person"),
        ({"ordering": "title"}, "ordering"),
        ({"election": "up-2017"}, "election"),  # not a filter of events
    ],
)
def test_a_bad_events_filter_is_a_400_naming_it(results, client, params, name):
    body = get_json(client, f"{API}/events/", expect=400, **params)
    assert name in body["errors"]


def test_the_official_filter_splits_candidacies_into_results_and_claims(results, client):
    claims = all_results(client, f"{API}/candidacies/", official="false")
    assert {c["id"] for c in claims} == set(Candidacy.objects.filter(contest__isnull=True).values_list("pk", flat=True))
    assert all(c["contest"] is None for c in claims)
    official = get_json(client, f"{API}/candidacies/", official="true", count="true", page_size=5)
    assert official["count"] == Candidacy.objects.filter(contest__isnull=False).count()
    assert all(c["contest"] for c in official["results"])


def test_the_claimed_candidacies_of_the_seeds_are_listed_with_their_sources(results, client):
    claims = all_results(client, f"{API}/candidacies/", person="asim-arun", election="up-2022")
    assert {c["id"] for c in claims} == set(
        Candidacy.objects.filter(person__slug="asim-arun", election__slug="up-2022").values_list("pk", flat=True)
    )
    (expected,) = [c for c in claims if c["status"] == "expected"]
    assert expected["citations"][0]["source_slug"] == Source.objects.order_by("pk").first().slug
    assert "likely to join" in expected["citations"][0]["quote"]


def test_winners_of_an_election_are_one_per_contest(results, client):
    won = get_json(client, f"{API}/candidacies/", election="up-2017", won="true", count="true", page_size=1)
    assert won["count"] == 403
    by_votes = get_json(client, f"{API}/candidacies/", election="up-2017", ordering="-votes", page_size=3)
    votes = [c["votes"] for c in by_votes["results"]]
    assert votes == sorted(votes, reverse=True)


@pytest.mark.parametrize(
    ("endpoint", "budget"),
    [
        # 1 page (person, election, party, place, contest, constituency, district joined), 2 citations,
        # 3 links to other claims
        ("candidacies", 3),
        # 1 page (the links, with the day each was first published), 2 the events on either side
        # (people, organisations joined; one query per claim type on the page: the seeds dispute events
        # only), 3 the citations of the links and both sides
        ("disputes", 3),
    ],
)
def test_a_claims_list_page_costs_the_same_whatever_its_size(
    results, client, django_assert_num_queries, endpoint, budget
):
    for page_size in (1, 100):
        with django_assert_num_queries(VERSIONS + budget + planning_statements(endpoint)):
            get_json(client, f"{API}/{endpoint}/", page_size=page_size)


def test_an_events_page_costs_the_same_whatever_its_size(results, client, django_assert_num_queries):
    # 1 page (person, organisation joined), 2 participants, 3 contradicting links, 4 citations,
    # 5 links; with a contradicted event on the page, 6 the events the links join (to order them);
    # a page that runs past the dated events reads the undated ones next (keyset.py).
    undated = Event.objects.filter(date_earliest__isnull=True).exists()
    with django_assert_num_queries(VERSIONS + 5):
        first = get_json(client, f"{API}/events/", page_size=1)["results"]
    assert first[0]["contradicts"] == []
    with django_assert_num_queries(VERSIONS + (7 if undated else 6)):
        page = get_json(client, f"{API}/events/", page_size=100)["results"]
    assert any(event["contradicts"] for event in page)


def test_a_dispute_between_two_peoples_events_is_found_by_either_person(results, client):
    asim_event = Event.objects.filter(person__slug="asim-arun").order_by("pk").first()
    other = Person.objects.exclude(slug="asim-arun").order_by("pk").first()
    told_otherwise = Event.objects.create(person=other, kind="statement", title="Says it went otherwise")
    event_type = ContentType.objects.get_for_model(Event)
    ClaimLink.objects.create(
        claim_type=event_type,
        claim_id=told_otherwise.pk,
        kind="contradicts",
        target_type=event_type,
        target_id=asim_event.pk,
    )
    for key in (other.slug, "asim-arun"):
        found = all_results(client, f"{API}/disputes/", person=key)
        assert any({d["claim"]["id"], d["disputed_by"]["id"]} == {asim_event.pk, told_otherwise.pk} for d in found)
    by_id = all_results(client, f"{API}/disputes/", person_id=other.pk)
    assert [{d["claim"]["id"], d["disputed_by"]["id"]} for d in by_id] == [{asim_event.pk, told_otherwise.pk}]

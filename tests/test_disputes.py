"""Disputes of every claim type: a ``contradicts`` claim link between two
postings, two candidacies, two events or claims of two types is one dispute,
with both claims as their sources tell them and the link's own citations."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from records.models import Candidacy, Citation, ClaimLink, Event, Person, Posting, Source
from tests.api import VERSIONS, all_results, get_json
from tests.writes import account, token_client

API = "/api/v1"


def contradiction(claim, target, source=None) -> ClaimLink:
    """``claim`` contradicts ``target``, cited to ``source``'s first words when one is given."""
    link = ClaimLink.objects.create(
        claim_type=ContentType.objects.get_for_model(claim),
        claim_id=claim.pk,
        kind="contradicts",
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    )
    if source is not None:
        Citation.objects.create(source=source, record=link, quote=source.text[:9], start=0, end=9)
    return link


def later_source() -> Source:
    """A document published a month after the seeds."""
    text = "Later, another paper told it otherwise."
    return Source.objects.create(slug="later-paper", sha256="c" * 64, text=text, published_on=date(2022, 2, 10))


@pytest.fixture
def disputes(seeded):
    """The seeds' disputed retirement, plus two postings and the two claimed
    candidacies of Asim Arun linked as contradicting, each cited."""
    seed = Source.objects.order_by("pk").first()
    earlier, later = Posting.objects.filter(person__slug="asim-arun", key__gt="").order_by("pk")[:2]
    expected, speculated = Candidacy.objects.filter(person__slug="asim-arun").order_by("status")
    return {
        "postings": (contradiction(later, earlier, seed), (later, earlier)),
        "candidacies": (contradiction(speculated, expected, seed), (speculated, expected)),
        "seed": seed,
    }


def by_type(items: list[dict]) -> dict[str, dict]:
    return {item["type"]: item for item in items}


def test_contradicting_postings_and_candidacies_are_disputes_with_both_sides(disputes, client):
    found = by_type(all_results(client, f"{API}/disputes/"))
    assert set(found) == {"event", "posting", "candidacy"}
    link, (later, earlier) = disputes["postings"]
    posting = found["posting"]
    assert posting["id"] == link.pk
    assert (posting["claim"]["id"], posting["disputed_by"]["id"]) == (later.pk, earlier.pk)
    for side, record in ((posting["claim"], later), (posting["disputed_by"], earlier)):
        assert (side["type"], side["key"], side["role"], side["status"]) == (
            "posting",
            record.key,
            record.role,
            record.status,
        )
        assert side["person"]["slug"] == "asim-arun"
        assert {c["quote"] for c in side["citations"]} == {c.quote for c in record.citations.all()}
    assert [c["quote"] for c in posting["citations"]] == [disputes["seed"].text[:9]]
    assert posting["since"] == disputes["seed"].published_on.isoformat()
    candidacy = found["candidacy"]
    speculated, expected = disputes["candidacies"][1]
    assert (candidacy["claim"]["id"], candidacy["disputed_by"]["id"]) == (speculated.pk, expected.pk)
    assert (candidacy["claim"]["status"], candidacy["disputed_by"]["status"]) == ("speculated", "expected")
    assert candidacy["claim"]["election"]["slug"] == candidacy["disputed_by"]["election"]["slug"] == "up-2022"
    assert get_json(client, f"{API}/disputes/{candidacy['id']}/") == candidacy


def test_the_seed_retirement_dispute_survives_the_move_to_claim_links(seeded, client):
    (dispute,) = all_results(client, f"{API}/disputes/", type="event")
    assert (dispute["claim"]["key"], dispute["disputed_by"]["key"]) == ("retirement-approved", "retirement-pending")
    # The link is cited by the words of both versions (each document names the other).
    assert {c["source_slug"] for c in dispute["citations"]} == set(Source.objects.values_list("slug", flat=True))
    events = {e["key"]: e for e in all_results(client, f"{API}/events/", person="asim-arun")}
    assert events["retirement-approved"]["contradicts"] == [events["retirement-pending"]["id"]]
    assert events["retirement-pending"]["contradicts"] == [events["retirement-approved"]["id"]]


def test_the_type_filter_keeps_disputes_with_a_claim_of_that_type_on_either_side(disputes, client):
    posting = disputes["postings"][1][0]
    event = Event.objects.get(key="retirement-approved")
    mixed = contradiction(event, posting, disputes["seed"])
    postings = all_results(client, f"{API}/disputes/", type="posting")
    assert [d["id"] for d in postings] == [disputes["postings"][0].pk, mixed.pk]
    assert by_type(postings)["mixed"]["disputed_by"]["type"] == "posting"
    several = all_results(client, f"{API}/disputes/", type=["candidacy", "event"])
    assert {d["type"] for d in several} == {"candidacy", "event", "mixed"}
    body = get_json(client, f"{API}/disputes/", type="party", expect=400)
    assert "type" in body["errors"]


def test_the_person_filter_finds_a_dispute_by_either_side(disputes, client):
    other = Posting.objects.exclude(person__slug="asim-arun").order_by("pk").first()
    asims = disputes["postings"][1][0]
    link = contradiction(other, asims, disputes["seed"])
    for person in (other.person.slug, "asim-arun"):
        assert link.pk in {d["id"] for d in all_results(client, f"{API}/disputes/", person=person)}
    assert [d["id"] for d in all_results(client, f"{API}/disputes/", person_id=other.person_id)] == [link.pk]


def test_as_of_keeps_a_dispute_until_its_link_and_both_sides_are_told(disputes, client):
    late = later_source()
    told_late = contradiction(*Event.objects.filter(kind__in=["meeting", "training"]).order_by("pk")[:2], late)
    before, after = "2022-01-10", "2022-02-10"
    known_then = {d["id"] for d in all_results(client, f"{API}/disputes/", as_of=before)}
    assert disputes["postings"][0].pk in known_then
    assert told_late.pk not in known_then
    assert told_late.pk in {d["id"] for d in all_results(client, f"{API}/disputes/", as_of=after)}
    get_json(client, f"{API}/disputes/{told_late.pk}/", as_of=before, expect=404)
    according = all_results(client, f"{API}/disputes/", according_to=late.slug)
    assert according == []  # the later paper is cited for the link, not for either event
    uncited = contradiction(*Posting.objects.filter(person__slug="asim-arun", key__gt="").order_by("pk")[2:4])
    assert uncited.pk not in {d["id"] for d in all_results(client, f"{API}/disputes/", as_of=after)}
    assert uncited.pk in {d["id"] for d in all_results(client, f"{API}/disputes/")}


def test_the_disputed_filters_read_the_links_of_every_claim_type(disputes, client):
    postings = {p["id"] for p in all_results(client, f"{API}/postings/", disputed="true")}
    assert postings == {p.pk for p in disputes["postings"][1]}
    candidacies = {c["id"] for c in all_results(client, f"{API}/candidacies/", disputed="true")}
    assert candidacies == {c.pk for c in disputes["candidacies"][1]}
    events = {e["key"] for e in all_results(client, f"{API}/events/", disputed="true")}
    assert events == {"retirement-approved", "retirement-pending"}


def test_a_disputes_page_costs_one_query_per_claim_type_on_it(disputes, client, django_assert_num_queries):
    # 1 the page of links, 2-4 the events, postings and candidacies on either side, 5 every citation
    # (after the data versions every read starts with).
    with django_assert_num_queries(VERSIONS + 5):
        assert len(get_json(client, f"{API}/disputes/", page_size=100)["results"]) == 3
    with django_assert_num_queries(VERSIONS + 3):  # one link: one type
        get_json(client, f"{API}/disputes/", page_size=1)


def test_a_dispute_whose_claim_was_deleted_shows_that_side_as_null(disputes, client):
    link, (later, earlier) = disputes["postings"]
    later.delete()
    dispute = get_json(client, f"{API}/disputes/{link.pk}/")
    assert dispute["claim"] is None
    assert dispute["disputed_by"]["id"] == earlier.pk


def test_a_contradiction_is_recorded_once_whichever_side_comes_first(seeded):
    curator = token_client(account("curator", curator=True))
    (seed_link,) = ClaimLink.objects.filter(kind="contradicts")
    mirror = {
        "claim_type": "event",
        "claim_id": seed_link.target_id,
        "kind": "contradicts",
        "target_type": "event",
        "target_id": seed_link.claim_id,
    }
    response = curator.post(f"{API}/claim-links/", mirror, format="json")
    assert response.status_code == 400, response.content
    assert f"claim link {seed_link.pk}" in response.content.decode()
    assert ClaimLink.objects.filter(kind="contradicts").count() == 1
    response = curator.post(f"{API}/claim-links/", {**mirror, "kind": "confirms"}, format="json")
    assert response.status_code == 201, response.content  # other kinds may go either way


def _document(folder, name: str, text: str, annotation: str) -> tuple[str, str]:
    document, described = folder / f"{name}.txt", folder / f"{name}.yaml"
    document.write_text(text, encoding="utf-8")
    described.write_text(annotation.replace("SHA", hashlib.sha256(text.encode()).hexdigest()), encoding="utf-8")
    return str(document), str(described)


ASIM = 'persons:\n  - {id: asim-arun, name: Asim Arun, cite: "Asim Arun"}\n'


def test_an_ingested_event_that_names_a_recorded_version_adds_one_link_per_pair(seeded, tmp_path):
    doubted = _document(
        tmp_path,
        "010_doubted",
        " date 2022-02-01 TEST MATERIAL, not a published article.\n\nAsim Arun's retirement was never approved.\n",
        "source: {sha256: SHA, not_stated: [title, publisher, url]}\n" + ASIM + "events:\n"
        "  - {key: retirement-doubted, person: asim-arun, kind: retirement_pending, title: Never approved,\n"
        '     status: reported, contradicts: [retirement-approved], cite: "retirement was never approved"}\n',
    )
    call_command("ingest_document", *doubted, verbosity=0)
    approved, doubted_event = Event.objects.get(key="retirement-approved"), Event.objects.get(key="retirement-doubted")
    link = ClaimLink.objects.get(kind="contradicts", claim_id=doubted_event.pk)
    assert (link.target_type.model, link.target_id) == ("event", approved.pk)
    assert [c.quote for c in link.citations.all()] == ["retirement was never approved"]
    # The other side names it back: the same pair, so the same link, with these words too.
    again = _document(
        tmp_path,
        "011_approved",
        " date 2022-02-02 TEST MATERIAL, not a published article.\n\nAsim Arun's retirement was approved.\n",
        "source: {sha256: SHA, not_stated: [title, publisher, url]}\n" + ASIM + "events:\n"
        "  - {key: retirement-approved, person: asim-arun, kind: retirement_approved,\n"
        "     title: Voluntary retirement approved, status: confirmed, contradicts: [retirement-doubted],\n"
        '     cite: "retirement was approved"}\n',
    )
    call_command("ingest_document", *again, verbosity=0)
    assert ClaimLink.objects.filter(kind="contradicts").count() == 2  # the seeds' pair and this one
    assert sorted(c.quote for c in link.citations.all()) == ["retirement was approved", "retirement was never approved"]


def test_an_events_versions_come_in_the_events_order_as_the_point_of_view_tells_them(disputes, client):
    approved = Event.objects.get(key="retirement-approved")
    pending = Event.objects.get(key="retirement-pending")
    seed, late = disputes["seed"], later_source()
    other = Person.objects.exclude(pk=approved.person_id).order_by("pk").first()
    assert other.pk > approved.person_id

    def version(person, title, day, source):
        event = Event.objects.create(person=person, kind="statement", title=title, date=day)
        Citation.objects.create(source=source, record=event, quote=source.text[:9], start=0, end=9)
        return event

    undated = version(approved.person, "Undated version", "", seed)
    early = version(approved.person, "Early version", "2001-05-01", seed)
    elsewhere = version(other, "Another person's version", "1990-01-01", seed)
    told_late = version(approved.person, "A later paper's version", "2002-01-01", late)
    for claim in (undated, elsewhere, told_late):
        contradiction(claim, approved, seed)
    contradiction(approved, early, seed)  # either side of a link

    def versions(event=approved, **params) -> list[int]:
        events = all_results(client, f"{API}/events/", person="asim-arun", **params)
        return next(e["contradicts"] for e in events if e["id"] == event.pk)

    # The person's own first, dated by day then undated; then the other person's; by id among equals.
    dated = sorted([early, told_late, pending], key=lambda e: (e.date_earliest, e.pk))
    assert versions() == [e.pk for e in dated] + [undated.pk, elsewhere.pk]
    # Before the later paper: the version only it tells is not known, though its link is.
    assert told_late.pk not in versions(as_of="2022-01-10")
    assert told_late.pk in versions(as_of="2022-02-10")
    assert versions(told_late) == [approved.pk]
    assert versions(told_late, according_to=late.slug) == []  # it tells neither the link nor the other side

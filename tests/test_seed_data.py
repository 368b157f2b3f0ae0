"""What the seed fixtures say: the facts of the two documents, each cited.

These tests check the product's seed data (fixtures/), loaded as
`manage.py load_seed_data` loads it.
"""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from records.ingest import ingest_texts
from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    Election,
    Event,
    Government,
    Organisation,
    Party,
    Person,
    PersonRelation,
    Place,
    Posting,
    Source,
)
from tests.api import all_results

pytestmark = pytest.mark.usefixtures("seeded")


def cited_sources(record) -> set[str]:
    return {c.source.slug for c in record.citations.select_related("source")}


def test_asim_arun_is_one_person_also_known_as_asim_kumar_arun():
    matches = Person.objects.filter(search_name="asim arun") | Person.objects.filter(
        aliases__search_name="asim kumar arun"
    )
    assert matches.distinct().count() == 1
    asim = matches.first()
    assert asim.aliases.get(name="Asim Kumar Arun").kind == "full_name"
    assert cited_sources(asim) == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}


def test_arun_ram_is_his_parent_with_his_own_postings():
    relation = PersonRelation.objects.get(subject__name="Arun Ram", object__name="Asim Arun")
    assert relation.kind == "parent"
    assert cited_sources(relation) == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}
    dgp = Posting.objects.filter(person__name="Arun Ram", role="Director General of Police")
    assert dgp.count() == 2  # "had served as the DGP of the State twice"
    assert {p.organisation.slug for p in dgp} == {"up-police"}


def test_kanpur_commissionership_dates_from_march_2021_with_both_quotes():
    posting = Posting.objects.get(person__slug="asim-arun", organisation__slug="kanpur-police")
    assert posting.start == "2021-03"
    assert (posting.start_earliest, posting.start_latest) == (date(2021, 3, 1), date(2021, 3, 31))
    start_quotes = posting.citations.filter(field="start")
    assert {c.quote for c in start_quotes} >= {"who was appointed the police commissioner of Kanpur in March 2021"}
    last_year = start_quotes.get(said="last year")  # the relative words are kept with the quote
    assert "last year" in last_year.quote


def test_earlier_posts_come_in_the_documents_order():
    kanpur = Posting.objects.get(person__slug="asim-arun", organisation__slug="kanpur-police")
    adg_112 = kanpur.previous
    ats = adg_112.previous
    assert adg_112.organisation.slug == "up-112"
    assert ats.organisation.slug == "up-ats"
    assert ats.previous is None
    # "Before taking over as the first police commissioner of Kanpur last year": both ended by 2021.
    assert adg_112.end_latest == ats.end_latest == date(2021, 12, 31)


def test_the_two_documents_disagree_on_the_retirement_and_both_claims_are_kept():
    approved = Event.objects.get(person__slug="asim-arun", kind="retirement_approved")
    pending = Event.objects.get(person__slug="asim-arun", kind="retirement_pending")
    # Both documents name the other version: one contradicts link, first named by the first document.
    (link,) = ClaimLink.objects.filter(kind="contradicts")
    assert (link.claim, link.target) == (approved, pending)
    assert cited_sources(link) == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}
    assert cited_sources(approved) == {"000_b84d1872df6a742e"}
    assert cited_sources(pending) == {"002_2c5037d3f0a176ad"}
    assert (approved.status, pending.status) == ("confirmed", "reported")
    applied = Event.objects.get(person__slug="asim-arun", kind="retirement_applied")
    assert applied.date == "2022-01-08"  # "on Saturday", before Monday 2022-01-10
    assert {c.said for c in applied.citations.all()} >= {"on Saturday"}


def test_the_contest_from_his_home_district_is_speculation():
    speculated = Candidacy.objects.get(person__slug="asim-arun", place__slug="kannauj")
    assert speculated.status == "speculated"
    assert speculated.election.slug == "up-2022"
    expected = Candidacy.objects.get(person__slug="asim-arun", place=None)
    assert expected.status == "expected"


def test_the_expected_candidacy_is_for_the_bjp():
    # "He is likely to join the ruling Bharatiya Janata Party (BJP) and contest ... election 2022."
    expected = Candidacy.objects.get(person__slug="asim-arun", key="up-2022")
    assert (expected.party.abbreviation, expected.status, expected.place) == ("BJP", "expected", None)
    assert expected.party == Party.objects.get(slug="bjp")
    assert Candidacy.objects.get(person__slug="asim-arun", key="up-2022-home-district").party is None


def test_joining_the_bjp_is_expected_not_a_fact():
    membership = Posting.objects.get(person__slug="asim-arun", organisation__slug="bjp")
    assert membership.status == "expected"
    assert membership.start_earliest == date(2022, 1, 10)


def test_the_2022_election_has_seven_phases_counting_and_seats():
    election = Election.objects.get(slug="up-2022")
    assert election.seats == 403
    assert election.announced == "2022-01-08"
    assert election.counting == "2022-03-10"
    phases = list(election.phases.order_by("number").values_list("number", "poll_date"))
    assert phases == [
        (1, "2022-02-10"),
        (2, "2022-02-14"),
        (3, "2022-02-20"),
        (4, "2022-02-23"),
        (5, "2022-02-27"),
        (6, "2022-03-03"),
        (7, "2022-03-07"),
    ]
    assert (election.start, election.end) == ("2022-02-10", "2022-03-07")


def test_the_2017_election_has_its_party_results():
    election = Election.objects.get(slug="up-2017")
    results = {
        r.party.abbreviation or r.party.name: (r.seats_won, r.seats_with_allies, r.vote_share)
        for r in election.results.select_related("party")
    }
    assert results == {
        "BJP": (312, 325, Decimal("39.67")),
        "SP": (47, None, None),
        "BSP": (19, None, None),
        "Congress": (7, None, None),
    }


def test_the_bjp_misspelling_is_an_alias_with_its_quote():
    bjp = Party.objects.get(abbreviation="BJP")
    alias = bjp.aliases.get(name="Bharatiya Janta Party")
    assert alias.kind == "misspelling"
    assert [c.quote for c in alias.citations.all()] == ["membership of the Bharatiya Janta Party"]


def test_everything_in_kanpur_and_in_the_up_police_is_one_filter():
    up_police = Organisation.objects.get(slug="up-police")
    in_force = Posting.objects.filter(organisation__in=Organisation.objects.subtree(up_police))
    assert {p.organisation.slug for p in in_force} == {"up-police", "up-ats", "up-112", "kanpur-police"}
    kanpur = Place.objects.get(slug="kanpur")
    assert Posting.objects.filter(place__in=Place.objects.subtree(kanpur)).count() == 1


def test_asim_arun_age_gives_a_birth_interval():
    asim = Person.objects.get(slug="asim-arun")
    assert (asim.birth_date_earliest, asim.birth_date_latest) == (date(1970, 1, 11), date(1971, 1, 10))
    assert asim.citations.get(field="birth_date").quote == "Asim Arun (51)"


def test_every_record_is_cited_and_every_quote_is_verbatim():
    for model in apps.get_app_config("records").get_models():
        if model in (Source, Citation) or model._meta.proxy or model.__name__.startswith("Historical"):
            continue
        content_type = ContentType.objects.get_for_model(model)
        cited = set(Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True))
        uncited = set(model.objects.values_list("pk", flat=True)) - cited
        assert not uncited, f"{model.__name__} without a citation: {sorted(uncited)}"
    texts = dict(Source.objects.values_list("pk", "text"))
    for citation in Citation.objects.all():
        assert texts[citation.source_id][citation.start : citation.end] == citation.quote
        assert citation.said in citation.quote


DISTRICTS = ["agra", "aligarh", "gorakhpur", "balrampur", "hathras", "siddharth-nagar"]


def test_the_six_districts_lie_in_uttar_pradesh_and_garhwal_has_no_parent():
    up = Place.objects.get(slug="uttar-pradesh")
    for slug in DISTRICTS:
        district = Place.objects.get(slug=slug)
        assert (district.kind, district.parent, district.path) == ("district", up, f"uttar-pradesh/{slug}")
    garhwal = Place.objects.get(slug="garhwal")
    assert (garhwal.parent, garhwal.path) == (None, "garhwal")  # "then under UP"


def test_his_postings_in_uttar_pradesh_are_the_eight_in_its_subtree(client):
    rows = all_results(client, "/api/v1/postings/", person="asim-arun", place="uttar-pradesh")
    assert sorted((r["key"], r["place"]["slug"]) for r in rows) == sorted(
        [(f"district-chief-{slug}", slug) for slug in DISTRICTS]
        + [("kanpur-commissioner", "kanpur"), ("ips", "uttar-pradesh")]
    )
    assert "sp-garhwal" not in {r["key"] for r in rows}


def test_the_close_protection_post_served_manmohan_singh(client):
    [row] = all_results(
        client, "/api/v1/postings/", person="asim-arun", role="Head of the Prime Minister's Close Protection Team"
    )
    assert row["serves"]["slug"] == "manmohan-singh"
    assert row["note"] == ""  # a link to the person, not words in a note
    assert any("Manmohan Singh" in c["quote"] for c in row["citations"])
    asim = client.get("/api/v1/persons/asim-arun/").json()
    served = {p["key"]: p["serves"] for p in asim["postings"]}
    assert served["spg-close-protection-head"]["slug"] == "manmohan-singh"
    assert served["kanpur-commissioner"] is None


def test_the_ruling_bjp_governs_uttar_pradesh_on_the_articles_day_in_both_documents(client):
    party = client.get("/api/v1/parties/bjp/").json()
    [governs] = party["governs"]
    assert governs["place"]["slug"] == "uttar-pradesh"
    assert (governs["start"]["latest"], governs["end"]["earliest"]) == ("2022-01-10", "2022-01-10")
    assert governs["status"] == "confirmed"
    quotes = {c["quote"] for c in governs["citations"]}
    assert quotes == {
        "the ruling Bharatiya Janata Party (BJP)",
        "where the BJP is pushing for a second term in power",
    }
    place = client.get("/api/v1/places/uttar-pradesh/").json()
    assert [g["party"]["slug"] for g in place["governed_by"]] == ["bjp"]
    assert client.get("/api/v1/places/kanpur/").json()["governed_by"] == []
    before = client.get("/api/v1/places/uttar-pradesh/", {"as_of": "2022-01-09"})
    assert before.status_code == 404 or before.json()["governed_by"] == []


def test_the_facebook_statement_is_one_event_of_saturday_in_both_documents():
    statement = Event.objects.get(person__slug="asim-arun", key="facebook-statement")
    assert (statement.kind, statement.status, statement.organisation) == ("statement", "confirmed", None)
    assert statement.date == "2022-01-08"  # "on Saturday", before Monday 2022-01-10
    assert [p.slug for p in statement.participants.all()] == ["yogi-adityanath"]
    assert cited_sources(statement) == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}
    quotes = {c.quote for c in statement.citations.all()}
    assert (
        "Arun, in a statement posted on Facebook, said he wanted to serve the country and the nation in a new form."
        in quotes
    )
    assert any('wanted to serve the nation and society in a different manner"' in q for q in quotes)
    assert any("thanked Chief Minister Yogi Adityanath" in q for q in quotes)
    dated = statement.citations.filter(field="date")
    assert {c.said for c in dated} == {"on Saturday"}
    assert {c.source.slug for c in dated} == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}
    assert Event.objects.filter(kind="statement", key="facebook-statement").count() == 1


def test_the_tribute_to_ambedkar_is_a_statement_with_his_words():
    tribute = Event.objects.get(person__slug="asim-arun", key="ambedkar-tribute")
    assert (tribute.kind, tribute.status) == ("statement", "confirmed")
    assert [p.slug for p in tribute.participants.all()] == ["br-ambedkar"]
    # No day given: paid by the day of publication.
    assert (tribute.date, tribute.date_earliest, tribute.date_latest) == ("../2022-01-10", None, date(2022, 1, 10))
    quotes = [c.quote for c in tribute.citations.all()]
    assert "He also paid a tribute to BR Ambedkar for the trajectory of his career" in quotes
    assert any("the system crafted by Babasaheb Ambedkar for \u2018equality of opportunity\u2019" in q for q in quotes)
    assert cited_sources(tribute) == {"000_b84d1872df6a742e"}
    ambedkar = Person.objects.get(slug="br-ambedkar")
    assert ambedkar.aliases.get(name="Babasaheb Ambedkar").kind == "honorific"


def test_the_chief_minister_finding_him_fit_for_bjp_membership_is_announced():
    found_fit = Event.objects.get(person__slug="asim-arun", key="found-fit-for-bjp-membership")
    assert (found_fit.kind, found_fit.status, found_fit.organisation.slug) == ("other", "announced", "bjp")
    assert [p.slug for p in found_fit.participants.all()] == ["yogi-adityanath"]
    # Told in the post of Saturday: on or before that day.
    assert (found_fit.date, found_fit.date_earliest, found_fit.date_latest) == ("../2022-01-08", None, date(2022, 1, 8))
    quotes = " | ".join(c.quote for c in found_fit.citations.all())
    assert "considered him fit for the membership of the BJP" in quotes
    assert "for finding him worthy of membership of the Bharatiya Janta Party" in quotes
    assert cited_sources(found_fit) == {"000_b84d1872df6a742e", "002_2c5037d3f0a176ad"}


def test_brij_lal_tweeted_the_photograph_of_the_meeting_last_night():
    tweet = Event.objects.get(person__slug="brij-lal", key="tweeted-meeting-photograph")
    assert (tweet.kind, tweet.status, tweet.date) == ("other", "confirmed", "2022-01-09")
    assert [p.slug for p in tweet.participants.all()] == ["asim-arun"]
    meeting = Event.objects.get(person__slug="asim-arun", key="meeting-brij-lal")
    assert meeting.date == tweet.date


def test_genders_stated_by_a_title_or_a_pronoun():
    genders = dict(Person.objects.exclude(gender="").values_list("slug", "gender"))
    assert genders == {"asim-arun": "male", "arun-ram": "male", "brij-lal": "male", "br-ambedkar": "male"}
    asim = Person.objects.get(slug="asim-arun")
    assert {c.quote for c in asim.citations.filter(field="gender")} == {
        "Arun is the son of Arun Ram",
        "In the same post, Mr Arun",
    }


def test_the_election_commission_is_recorded_with_its_words():
    commission = Organisation.objects.get(slug="election-commission")
    assert commission.name == "Election Commission"
    assert [c.quote for c in commission.citations.all()] == [
        "the Election Commission finished announcing the poll schedule"
    ]


def test_a_later_ruling_party_narrows_the_government_and_keeps_both_quotes(client):
    text = " date 2022-01-20 TEST MATERIAL.\n\nThe ruling BJP in Uttar Pradesh named its candidates.\n"
    annotation = f"""
source:
  title: "Test material: a later report"
  not_stated: [publisher, url]
  sha256: {hashlib.sha256(text.encode()).hexdigest()}
places:
  - {{id: uttar-pradesh, name: Uttar Pradesh, kind: state, cite: "Uttar Pradesh"}}
organisations:
  - {{id: bjp, name: Bharatiya Janata Party, kind: party, abbreviation: BJP, cite: "The ruling BJP"}}
governments:
  - {{party: bjp, place: uttar-pradesh, start: "../2022-01-20", end: "2022-01-20/..", status: confirmed,
     cite: "The ruling BJP in Uttar Pradesh"}}
"""
    ingest_texts("later_report", text, annotation, folder="test")
    government = Government.objects.get(party__slug="bjp", place__slug="uttar-pradesh")
    assert government.end == "2022-01-20/.."  # still in power ten days later
    assert {c.quote for c in government.citations.all()} >= {
        "the ruling Bharatiya Janata Party (BJP)",
        "The ruling BJP in Uttar Pradesh",
    }
    assert Government.objects.count() == 1

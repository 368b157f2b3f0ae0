"""What the seed fixtures say: the facts of the two documents, each cited.

These tests check the product's seed data (fixtures/), loaded as
`manage.py load_seed_data` loads it.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from records.models import (
    Candidacy,
    Citation,
    Election,
    Event,
    Organisation,
    Party,
    Person,
    PersonRelation,
    Place,
    Posting,
    Source,
)

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
    assert list(approved.contradicts.all()) == [pending]
    assert list(pending.contradicts.all()) == [approved]
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

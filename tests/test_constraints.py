"""Rules the database enforces, whatever writes to it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from records.models import (
    Citation,
    Election,
    ElectionPhase,
    Party,
    PartyResult,
    Person,
    PersonRelation,
    Place,
    Posting,
    Source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return Person.objects.create(slug="p", name="P")


@pytest.fixture
def election():
    state = Place.objects.create(slug="s", name="S", kind="state")
    return Election.objects.create(slug="e", name="E", jurisdiction=state, seats=403)


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_it_rejects_a_posting_that_ends_before_it_starts(person):
    assert_rejected(lambda: Posting.objects.create(person=person, role="r", start="2021", end="2020"))


def test_it_accepts_an_end_that_may_equal_the_start(person):
    Posting.objects.create(person=person, role="r", start="2021-03", end="2021")
    Posting.objects.create(person=person, role="r", start="2021-03-31", end="2021-03")


def test_it_rejects_vote_shares_outside_0_100(election):
    party = Party.objects.create(slug="x", name="X")
    assert_rejected(lambda: PartyResult.objects.create(election=election, party=party, vote_share=Decimal("100.01")))
    assert_rejected(lambda: PartyResult.objects.create(election=election, party=party, vote_share=Decimal("-1")))
    PartyResult.objects.create(election=election, party=party, vote_share=Decimal("100"))


def test_it_rejects_fewer_seats_with_allies_than_alone(election):
    party = Party.objects.create(slug="x", name="X")
    assert_rejected(
        lambda: PartyResult.objects.create(election=election, party=party, seats_won=312, seats_with_allies=300)
    )


def test_it_rejects_two_phases_with_one_number(election):
    ElectionPhase.objects.create(election=election, number=1, poll_date="2022-02-10")
    assert_rejected(lambda: ElectionPhase.objects.create(election=election, number=1, poll_date="2022-02-14"))


def test_it_rejects_phase_zero(election):
    assert_rejected(lambda: ElectionPhase.objects.create(election=election, number=0))


def test_it_rejects_a_person_related_to_themselves(person):
    assert_rejected(lambda: PersonRelation.objects.create(subject=person, object=person, kind="parent"))


def test_it_rejects_an_empty_quote_span(person):
    source = Source.objects.create(slug="s", text="abc", sha256="0" * 64)
    assert_rejected(lambda: Citation.objects.create(source=source, record=person, quote="", start=2, end=2))


def test_parties_are_organisations_of_kind_party():
    party = Party.objects.create(slug="bjp", name="Bharatiya Janata Party", abbreviation="BJP")
    assert party.kind == "party"
    assert list(Party.objects.all()) == [party]

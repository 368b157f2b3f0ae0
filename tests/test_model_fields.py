"""Fuzzy-date and search-name columns compute themselves on save and bulk insert."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from records.models import Person, PersonAlias, Place, Posting

pytestmark = pytest.mark.django_db


def make_person(**kwargs) -> Person:
    return Person.objects.create(slug=kwargs.pop("slug", "someone"), name=kwargs.pop("name", "Someone"), **kwargs)


def test_it_stores_bounds_on_save():
    person = make_person(birth_date="1970-01-11/1971-01-10")
    person.refresh_from_db()
    assert (person.birth_date_earliest, person.birth_date_latest) == (date(1970, 1, 11), date(1971, 1, 10))


def test_it_recomputes_bounds_when_the_value_changes():
    person = make_person(birth_date="1970")
    person.birth_date = "1971-05"
    person.save()
    person.refresh_from_db()
    assert (person.birth_date_earliest, person.birth_date_latest) == (date(1971, 5, 1), date(1971, 5, 31))


def test_it_computes_bounds_and_search_names_in_bulk_create():
    person = make_person()
    Posting.objects.bulk_create([Posting(person=person, role="Chief", start="2011-12", end="2012/..")])
    PersonAlias.objects.bulk_create([PersonAlias(person=person, name="Ásim  KUMAR-Arun", kind="full_name")])
    posting = Posting.objects.get()
    assert (posting.start_earliest, posting.start_latest) == (date(2011, 12, 1), date(2011, 12, 31))
    assert (posting.end_earliest, posting.end_latest) == (date(2012, 1, 1), None)
    assert PersonAlias.objects.get().search_name == "asim kumar arun"


def test_full_clean_names_the_bad_value():
    person = Person(slug="x", name="X", birth_date="2021-13")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "'2021-13'" in excinfo.value.message_dict["birth_date"][0]


def test_save_refuses_a_bad_value_rather_than_store_wrong_bounds():
    with pytest.raises(ValidationError), transaction.atomic():
        make_person(birth_date="March 2021")
    assert not Person.objects.exists()


def test_place_paths_follow_their_parents():
    india = Place.objects.create(slug="india", name="India", kind="country")
    up = Place.objects.create(slug="uttar-pradesh", name="Uttar Pradesh", kind="state", parent=india)
    kanpur = Place.objects.create(slug="kanpur", name="Kanpur", kind="city", parent=up)
    assert kanpur.path == "india/uttar-pradesh/kanpur"
    up.slug = "up"
    up.save()
    kanpur.refresh_from_db()
    assert kanpur.path == "india/up/kanpur"
    assert set(Place.objects.subtree(up).values_list("slug", flat=True)) == {"up", "kanpur"}

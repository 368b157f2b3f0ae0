"""Concurrent edits cannot silently overwrite each other: an update or delete
carries the ETag of the version it is based on (If-Match); a stale one gets 412
and changes nothing, none gets 428. The ETag is the one a GET of the record
gives, on either read path (serializers or the fast path)."""

from __future__ import annotations

import pytest

from records.models import Election, Person, Posting
from tests.conftest import dump_records
from tests.writes import API, account, etag_of, token_client

ASIM = f"{API}/persons/asim-arun/"


@pytest.fixture
def curator(seed_data, db):
    return token_client(account("ria", curator=True))


@pytest.fixture
def other_curator(seed_data, db):
    return token_client(account("sam", curator=True))


def posting_url() -> str:
    posting = Posting.objects.filter(person__slug="asim-arun", end="").order_by("id").first()
    return f"{API}/postings/{posting.pk}/"


def test_the_etag_a_get_gives_lets_an_update_through(curator):
    etag = etag_of(curator, ASIM)
    response = curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["social_group"] == "SC"
    assert Person.objects.get(slug="asim-arun").social_group == "SC"


def test_the_response_carries_the_new_versions_etag_which_a_get_agrees_with(curator):
    first = curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH=etag_of(curator, ASIM))
    assert first["ETag"] != ""
    get = curator.get(ASIM)
    assert first["ETag"] == get["ETag"]
    assert first.content == get.content  # the response is the record as a GET serves it
    second = curator.patch(ASIM, {"social_group": "Dalit"}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert second.status_code == 200


def test_a_stale_etag_gets_412_and_changes_nothing(curator, other_curator):
    url = posting_url()
    seen_by_both = etag_of(curator, url)
    won = other_curator.patch(url, {"end": "2022-01-10"}, format="json", HTTP_IF_MATCH=seen_by_both)
    assert won.status_code == 200
    before = dump_records()

    lost = curator.patch(url, {"end": "2021-12"}, format="json", HTTP_IF_MATCH=seen_by_both)

    assert lost.status_code == 412
    assert lost.json()["code"] == "precondition_failed"
    assert dump_records() == before
    assert curator.get(url).json()["end"]["value"] == "2022-01-10"


def test_a_change_to_what_the_record_shows_makes_its_etag_stale(curator):
    """The ETag covers the whole representation: a citation added to a person
    changes the person's version, though no column of the person changed."""
    etag = etag_of(curator, ASIM)
    person = Person.objects.get(slug="asim-arun")
    quote_owner = person.citations.first()
    quote_owner.pk = None
    quote_owner.field = "name"
    quote_owner.save()
    response = curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412


def test_a_change_to_another_record_of_the_same_tables_is_no_reason_for_412(curator, other_curator):
    """Reads follow whole tables (the ETag's data part changes, so a cached copy
    is revalidated), but If-Match compares the record's own representation."""
    etag = etag_of(curator, ASIM)
    someone_else = Person.objects.exclude(slug="asim-arun").order_by("slug").first()
    other_url = f"{API}/persons/{someone_else.slug}/"
    changed = other_curator.patch(
        other_url, {"social_group": "OBC"}, format="json", HTTP_IF_MATCH=etag_of(other_curator, other_url)
    )
    assert changed.status_code == 200
    Posting.objects.exclude(person__slug="asim-arun").update(note="changed elsewhere")
    assert curator.get(ASIM, HTTP_IF_NONE_MATCH=etag).status_code == 200  # a read does not trust the old copy

    response = curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    assert Person.objects.get(slug="asim-arun").social_group == "SC"


def test_without_if_match_an_update_gets_428_and_changes_nothing(curator):
    before = dump_records()
    for method in (curator.put, curator.patch):
        response = method(ASIM, {"slug": "asim-arun", "name": "Asim Kumar Arun"}, format="json")
        assert response.status_code == 428
        assert response.json()["code"] == "precondition_required"
    assert curator.delete(ASIM).status_code == 428
    assert dump_records() == before


def test_if_match_star_changes_whatever_version_is_current(curator):
    response = curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200


@pytest.mark.parametrize("header", ['"not-the-etag"', "unquoted", '"a", "b"'])
def test_an_if_match_that_names_another_version_gets_412(curator, header):
    before = dump_records()
    response = curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH=header)
    assert response.status_code == 412
    assert dump_records() == before


def test_one_of_several_etags_may_match(curator):
    header = f'"older", {etag_of(curator, ASIM)}'
    assert curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH=header).status_code == 200


def test_a_weakened_etag_still_names_its_version(curator):
    """A compressing proxy turns "x" into W/"x"; the version is the same."""
    weak = "W/" + etag_of(curator, ASIM)
    assert curator.patch(ASIM, {"social_group": "SC"}, format="json", HTTP_IF_MATCH=weak).status_code == 200


def test_a_stale_delete_gets_412_and_deletes_nothing(curator, other_curator):
    url = f"{API}/elections/up-2022/"
    etag = etag_of(curator, url)
    changed = other_curator.patch(url, {"name": "UP assembly election, 2022"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    response = curator.delete(url, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert Election.objects.filter(slug="up-2022").exists()


def test_the_election_detail_etag_covers_its_computed_results(curator):
    """An election's detail includes what is computed from other records; the
    ETag a write compares is that very representation's."""
    url = f"{API}/elections/up-2017/"
    etag = etag_of(curator, url)
    response = curator.patch(url, {"counting": "2017-03-11"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert response["ETag"] == curator.get(url)["ETag"]


def test_preconditions_come_after_authentication_and_existence(curator):
    anonymous = token_client()
    assert anonymous.patch(ASIM, {"social_group": "SC"}, format="json").status_code == 401
    assert curator.patch(f"{API}/persons/no-such-person/", {"social_group": "SC"}, format="json").status_code == 404

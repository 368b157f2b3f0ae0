"""The review state of every record in the read API: draft or verified, by
whom (a username, nothing more of the account) and when; every list filters on
it strictly."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import (
    Constituency,
    Contest,
    Election,
    Organisation,
    Party,
    Person,
    Place,
    Posting,
    ReviewStatus,
)
from tests.api import get_json, ids

API = "/api/v1"

# Every endpoint whose records carry a review state (sources are documents, not claims).
REVIEWED = {
    "persons": Person,
    "postings": Posting,
    "parties": Party,
    "organisations": Organisation,
    "places": Place,
    "elections": Election,
    "constituencies": Constituency,
    "contests": Contest,
}


@pytest.fixture
def results(results_2017, db):
    """The seeds and the 2017 results (loaded once for the module)."""


ENDPOINTS = pytest.mark.parametrize("endpoint", REVIEWED)


@pytest.fixture
def curator(db):
    return get_user_model().objects.create_user("ria", email="ria@example.org", password="pw-not-shown")


def verify(record, user) -> None:
    record.review_status = ReviewStatus.VERIFIED
    record.verified_by = user
    record.save()


@ENDPOINTS
def test_every_record_says_whether_it_is_verified_and_by_whom(results, client, curator, endpoint):
    model = REVIEWED[endpoint]
    record = model.objects.order_by("pk").first()
    detail = get_json(client, f"{API}/{endpoint}/{record.pk}/")
    assert (detail["review_status"], detail["verified_by"], detail["verified_at"]) == ("draft", None, None)

    verify(record, curator)
    detail = get_json(client, f"{API}/{endpoint}/{record.pk}/")
    assert detail["review_status"] == "verified"
    assert detail["verified_by"] == "ria"
    assert detail["verified_at"].startswith(str(record.verified_at.date()))
    assert "ria@example.org" not in str(detail)

    listed = get_json(client, f"{API}/{endpoint}/", review_status="verified")["results"]
    assert [(row["id"], row["verified_by"]) for row in listed] == [(record.pk, "ria")]
    assert listed[0]["verified_at"] == detail["verified_at"]


@ENDPOINTS
def test_the_review_filter_splits_every_list(results, client, curator, endpoint):
    model = REVIEWED[endpoint]
    everything = ids(client, f"{API}/{endpoint}/")
    verified = model.objects.order_by("pk")[: 2 if model.objects.count() > 2 else 1]
    for record in verified:
        verify(record, curator)
    verified_ids = {record.pk for record in verified}
    assert set(ids(client, f"{API}/{endpoint}/", review_status="verified")) == verified_ids
    drafts = ids(client, f"{API}/{endpoint}/", review_status="draft")
    assert set(drafts) == set(everything) - verified_ids
    assert set(ids(client, f"{API}/{endpoint}/", review_status="")) == set(everything)


@ENDPOINTS
def test_an_unknown_review_status_is_a_400_naming_the_parameter(results, client, endpoint):
    body = get_json(client, f"{API}/{endpoint}/", expect=400, review_status="checked")
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["review_status"]


def test_sources_have_no_review_state(results, client):
    listed = get_json(client, f"{API}/sources/")["results"][0]
    detail = get_json(client, f"{API}/sources/{listed['id']}/")
    assert not {"review_status", "verified_by", "verified_at"} & (set(listed) | set(detail))


def test_persons_combine_the_review_filter_with_posting_filters(results, client, curator):
    asim = Person.objects.get(slug="asim-arun")
    assert ids(client, f"{API}/persons/", organisation="up-police", review_status="verified") == []
    verify(asim, curator)
    assert ids(client, f"{API}/persons/", organisation="up-police", review_status="verified") == [asim.pk]


@ENDPOINTS
def test_verifiers_cost_no_query_per_row(results, client, endpoint):
    """A page whose records were each verified by a different curator costs
    what the same page of drafts costs: the username is joined, not fetched per row."""
    model = REVIEWED[endpoint]

    def cost():
        with CaptureQueriesContext(connection) as captured:
            rows = get_json(client, f"{API}/{endpoint}/", page_size=20)["results"]
        return rows, len(captured)

    drafts, drafts_cost = cost()
    users = get_user_model().objects
    for i, row in enumerate(drafts):
        verify(model.objects.get(pk=row["id"]), users.create_user(f"curator{i}"))
    verified, verified_cost = cost()
    assert len(verified) >= 2
    assert {row["verified_by"] for row in verified} == {f"curator{i}" for i in range(len(drafts))}
    assert verified_cost == drafts_cost

"""The admin's "Record a document" page: a curator pastes a document and its
annotation; it is recorded by natural keys, or every problem is listed and
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from records.models import ClaimLink, Posting, Source
from tests.conftest import dump_records
from tests.writes import account

MATERIAL = Path(__file__).parent / "material"
URL = reverse("admin:records_source_record_document")


def form(**changes) -> dict:
    return {
        "slug": "003_story_joined",
        # As a browser sends a textarea: CRLF line ends.
        "text": (MATERIAL / "003_story_joined.txt").read_text(encoding="utf-8").replace("\n", "\r\n"),
        "annotation": (MATERIAL / "003_story_joined.yaml").read_text(encoding="utf-8"),
        **changes,
    }


@pytest.fixture
def curator_client(seed_data, db, client):
    user = account("ria", curator=True)
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def test_the_sources_list_offers_the_page(curator_client):
    page = curator_client.get(reverse("admin:records_source_changelist"))
    assert URL in page.content.decode()


def test_a_curator_records_a_document_from_the_page(curator_client):
    response = curator_client.post(URL, form())
    source = Source.objects.get(slug="003_story_joined")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:records_source_change", args=[source.pk])
    joined = Posting.objects.get(person__slug="asim-arun", key="bjp-member-joined")
    assert ClaimLink.objects.filter(claim_id=joined.pk, kind="fulfils").exists()
    followed = curator_client.get(response["Location"])
    assert "Recorded 003_story_joined" in followed.content.decode()


def test_problems_are_listed_and_nothing_is_written(curator_client):
    before = dump_records()
    broken = form(annotation=form()["annotation"].replace("joined the Bharatiya", "entered the Bharatiya"))
    response = curator_client.post(URL, broken)
    assert response.status_code == 200
    assert "form/003_story_joined.yaml: postings[0]" in response.content.decode()
    assert "does not occur verbatim" in response.content.decode()
    assert dump_records() == before


def test_only_curators_may_record(seed_data, db, client):
    reader = account("reader", curator=False)
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    assert client.get(URL).status_code == 403

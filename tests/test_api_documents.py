"""POST /api/v1/documents/: a curator records a document with what it says, in
one request, on the path of `manage.py ingest_document` (records/ingest/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from records.models import ClaimLink, Posting, Source
from tests.conftest import dump_records
from tests.writes import API, account, token_client

MATERIAL = Path(__file__).parent / "material"
URL = f"{API}/documents/"


def joined(**changes) -> dict:
    """The test material's next report (tests/material/003_story_joined.*)."""
    body = {
        "slug": "003_story_joined",
        "text": (MATERIAL / "003_story_joined.txt").read_text(encoding="utf-8"),
        "annotation": (MATERIAL / "003_story_joined.yaml").read_text(encoding="utf-8"),
    }
    return {**body, **changes}


@pytest.fixture
def curator(seed_data, db):
    return token_client(account("ria", curator=True))


def test_a_curator_records_a_document_and_its_claims_in_one_request(curator):
    response = curator.post(URL, joined(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["source"], body["recorded"]) == ("003_story_joined", True)
    assert body["created"] == {"claim links": 1, "postings": 1, "sources": 1}
    assert body["unchanged"] == {"organisations": 1, "people": 1}
    joined_posting = Posting.objects.get(person__slug="asim-arun", key="bjp-member-joined")
    assert ClaimLink.objects.get(claim_id=joined_posting.pk).target.key == "bjp-member"
    assert Source.objects.get(slug="003_story_joined").path == ""  # not a file of the repository


def test_the_same_document_again_changes_nothing(curator):
    assert curator.post(URL, joined(), format="json").status_code == 201
    before = dump_records()
    again = curator.post(URL, joined(), format="json")
    assert again.status_code == 200
    assert again.json()["recorded"] is False
    assert dump_records() == before


BAD = {
    "a quote the document does not hold": (
        {"annotation": joined()["annotation"].replace("joined the Bharatiya", "entered the Bharatiya")},
        "does not occur verbatim",
    ),
    "text whose bytes the annotation does not pin": (
        {"text": joined()["text"] + "\n"},
        "does not match the document's bytes",
    ),
    "an annotation that is not YAML": ({"annotation": "postings: [unclosed"}, "request/003_story_joined.yaml"),
    "YAML aliases (a small text that expands)": (
        {"annotation": "a: &x [1, 2]\nb: [*x, *x]\n"},
        "line 2: an alias (*x); write the value where it is said",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_document_is_a_400_listing_its_problems_and_writes_nothing(curator, case):
    changes, message = BAD[case]
    before = dump_records()
    response = curator.post(URL, joined(**changes), format="json")
    assert response.status_code == 400, response.content
    problems = response.json()["errors"]["annotation"]
    assert any(message in problem for problem in problems), problems
    assert dump_records() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [({"slug": "not a slug"}, "slug"), ({"text": ""}, "text"), ({"annotation": None}, "annotation")],
)
def test_a_malformed_request_is_a_400_naming_the_field(curator, body, field):
    response = curator.post(URL, joined(**body), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_only_curators_record_documents(seed_data, db):
    assert token_client().post(URL, joined(), format="json").status_code == 401
    reader = token_client(account("reader", curator=False))
    assert reader.post(URL, joined(), format="json").status_code == 403
    assert not Source.objects.filter(slug="003_story_joined").exists()

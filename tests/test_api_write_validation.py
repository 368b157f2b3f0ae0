"""A curator's write is validated as the admin validates it (the model's own
checks: fuzzy dates, bounds, statuses, quotes that must occur in their source,
uniqueness, trees) and by every database constraint, before anything is
saved: an invalid body is a 400 whose `errors` name each field (a nested one
by its path, "citations[0].quote") with a message, and changes nothing."""

from __future__ import annotations

import pytest
from django.db import transaction

from records.models import Citation, Constituency, Contest, Election, Place, Posting, Source
from tests.conftest import dump_records, settle_module_data
from tests.writes import API, account, etag_of, token_client

FIRST_SOURCE = "000_b84d1872df6a742e"
QUOTE = "A native of Kannauj in central UP"  # occurs twice in the first source (its opening is repeated)


@pytest.fixture(scope="module")
def seeds(seed_data, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        behat = Constituency.objects.create(
            slug="up-1-behat", jurisdiction=Place.objects.get(slug="uttar-pradesh"), number=1, name="Behat"
        )
        Contest.objects.create(election=Election.objects.get(slug="up-2022"), constituency=behat, total_votes=1000)
        settle_module_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def curator(seeds, db):
    return token_client(account("ria", curator=True))


def commissioner() -> str:
    """Asim Arun as Kanpur's police commissioner: started 2021-03."""
    return str(Posting.objects.get(person__slug="asim-arun", start="2021-03").pk)


def brij_lal_posting() -> str:
    return str(Posting.objects.filter(person__slug="brij-lal").order_by("id").first().pk)


def contest() -> str:
    return str(Contest.objects.get(constituency__slug="up-1-behat").pk)


def other_records_citation() -> int:
    return Citation.objects.filter(content_type__model="organisation").order_by("id").first().pk


def cited(**citation) -> dict:
    return {"citations": [{"source": FIRST_SOURCE, **citation}]}


# (resource, key of the record to change or None to create, body, field named, words of its message)
INVALID = [
    ("persons", None, {"slug": "x", "name": "X", "birth_date": "2021-13"}, "birth_date", "2021-13"),
    ("persons", None, {"slug": "asim-arun", "name": "Another"}, "slug", "already exists"),
    ("persons", None, {"name": "No slug"}, "slug", "required"),
    ("persons", "asim-arun", {"gender": "unknown"}, "gender", "not a valid choice"),
    ("persons", "asim-arun", {"native_place": "atlantis"}, "native_place", "No place 'atlantis'"),
    ("persons", "asim-arun", {"native_place": True}, "native_place", "id or slug"),
    ("persons", "asim-arun", {"native_place": "kan\x00pur"}, "native_place", "No place"),
    ("persons", "asim-arun", {"native_place": 10**30}, "native_place", "No place"),
    ("persons", "asim-arun", {"birth_date_earliest": "1970-01-01"}, "birth_date_earliest", "Unknown field"),
    ("postings", commissioner, {"end": "2020"}, "end", "cannot be before the start"),
    ("postings", commissioner, {"start": "../2022", "end": "2021-99"}, "end", "2021-99"),
    ("postings", commissioner, {"status": "rumoured"}, "status", "not a valid choice"),
    ("postings", commissioner, {"previous": brij_lal_posting}, "previous", "same person's"),
    ("postings", commissioner, {"previous": commissioner}, "previous", "cannot come before itself"),
    ("postings", commissioner, {"person": None}, "person", "may not be null"),
    ("parties", None, {"slug": "up-police", "name": "Police Party"}, "slug", "already exists"),
    ("places", "uttar-pradesh", {"parent": "kanpur"}, "parent", "cannot be inside itself"),
    ("places", "kanpur", {"kind": "village"}, "kind", "not a valid choice"),
    ("organisations", "up-police", {"parent": "up-ats"}, "parent", "cannot be inside itself"),
    ("elections", "up-2022", {"start": "2022-02-10", "end": "2022-01"}, "end", "cannot be before the start"),
    ("elections", "up-2022", {"seats": 0}, "seats", "at least one seat"),
    (
        "constituencies",
        None,
        {"slug": "up-1-again", "jurisdiction": "uttar-pradesh", "number": 1, "name": "B"},
        "number",
        "same jurisdiction and number",
    ),
    (
        "constituencies",
        None,
        {"slug": "up-0", "jurisdiction": "uttar-pradesh", "number": 0, "name": "Z"},
        "number",
        "numbered from 1",
    ),
    ("contests", contest, {"nota_votes": 1001}, "nota_votes", "cannot exceed the total"),
    ("contests", None, {"election": "up-2022", "constituency": "up-1-behat"}, "constituency", "same election and"),
    ("sources", None, {"slug": "s", "text": "Some words.", "sha256": "0" * 64}, "sha256", "Does not match the text"),
    ("sources", None, {"slug": "s", "kind": "dataset"}, "sha256", "blank"),
    ("sources", FIRST_SOURCE, {"text": "Rewritten."}, "text", "citations quote this text"),
    ("persons", "asim-arun", cited(quote="words that are not there"), "citations[0].quote", "does not occur"),
    ("persons", "asim-arun", cited(quote=QUOTE, start=0), "citations[0].quote", "is not at offsets 0-"),
    ("persons", "asim-arun", cited(quote=QUOTE, said="last year"), "citations[0].said", "does not occur in the quote"),
    ("persons", "asim-arun", cited(quote=QUOTE, field="hometown"), "citations[0].field", "Not a field of this record"),
    ("persons", "asim-arun", cited(quote=QUOTE, id=other_records_citation), "citations[0].id", "not one of this"),
    ("persons", "asim-arun", cited(quote=""), "citations[0].quote", "quotes its source"),
    ("persons", "asim-arun", cited(quote=QUOTE, start=5, end=1), "citations[0].end", "end after start"),
    (
        "persons",
        "asim-arun",
        {"citations": [{"source": "no-such-source", "quote": QUOTE}]},
        "citations[0].source",
        "No source",
    ),
    ("persons", "asim-arun", {"citations": [{"quote": QUOTE}]}, "citations[0].source", "required"),
    # A mistyped key inside a citation is named, as at the top level, not dropped.
    ("persons", "asim-arun", cited(quote=QUOTE, locatr="row 1"), "citations[0].locatr", "Unknown field"),
]


def resolve(value):
    if callable(value):
        return value()
    if isinstance(value, dict):
        return {name: resolve(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [resolve(inner) for inner in value]
    return value


@pytest.mark.parametrize(("resource", "key", "body", "field", "words"), INVALID)
def test_an_invalid_write_is_a_400_naming_the_field_and_changes_nothing(curator, resource, key, body, field, words):
    body, key = resolve(body), resolve(key)
    before = dump_records()
    if key is None:
        response = curator.post(f"{API}/{resource}/", body, format="json")
    else:
        url = f"{API}/{resource}/{key}/"
        response = curator.patch(url, body, format="json", HTTP_IF_MATCH=etag_of(curator, url))
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["code"] == "invalid"
    assert field in error["errors"], error
    assert any(words in message for message in error["errors"][field]), error["errors"][field]
    assert field in error["detail"]
    assert dump_records() == before


def test_every_problem_of_the_record_is_named_at_once(curator):
    """Field checks that pass DRF reach the model's, which report everything."""
    url = f"{API}/postings/{commissioner()}/"
    body = {"start": "spring", "note": "x" * 501, "end": "2021-13"}
    response = curator.patch(url, body, format="json", HTTP_IF_MATCH=etag_of(curator, url))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"note"}  # DRF's own length check stops first
    body.pop("note")
    response = curator.patch(url, body, format="json", HTTP_IF_MATCH=etag_of(curator, url))
    assert set(response.json()["errors"]) == {"start", "end"}


def test_a_body_that_is_not_an_object_is_a_400(curator):
    response = curator.post(f"{API}/persons/", [{"slug": "x", "name": "X"}], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_malformed_json_is_a_400(curator):
    response = curator.generic("POST", f"{API}/persons/", '{"slug": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_validation_error_comes_after_the_precondition(curator):
    """A stale version is a 412 even when the body is invalid too: the client
    must see the current record before anything else."""
    url = f"{API}/postings/{commissioner()}/"
    response = curator.patch(url, {"end": "2020"}, format="json", HTTP_IF_MATCH='"stale"')
    assert response.status_code == 412


def test_the_source_must_keep_the_quotes_of_its_citations(curator):
    source = Source.objects.get(slug=FIRST_SOURCE)
    assert source.citations.exists()
    url = f"{API}/sources/{FIRST_SOURCE}/"
    same = curator.patch(url, {"text": source.text}, format="json", HTTP_IF_MATCH=etag_of(curator, url))
    assert same.status_code == 200  # the same text is no change

"""What a curator's writes do: the change is recorded in the edit history
under the curator's name, verification names its curator, citations are
written with their record, deletes that would orphan records are refused, and
each write costs a fixed number of queries."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from records.models import Citation, Organisation, Person, Place, Posting, Source
from tests.writes import API, account, delete, etag_of, patch, token_client

FIRST_SOURCE = "000_b84d1872df6a742e"
QUOTE = "A native of Kannauj in central UP"  # occurs twice in the first source (its opening is repeated)


@pytest.fixture
def ria(seed_data, db):
    return account("ria", curator=True)


@pytest.fixture
def curator(ria):
    return token_client(ria)


def commissioner_url() -> str:
    return f"{API}/postings/{Posting.objects.get(person__slug='asim-arun', start='2021-03').pk}/"


# -- who changed what ----------------------------------------------------------


def test_the_history_names_the_curator_of_each_change(curator, ria):
    url = commissioner_url()
    assert patch(curator, url, {"end": "2022-01-10"}).status_code == 200
    latest = Posting.history.filter(id=int(url.split("/")[-2])).latest("history_date")
    assert (latest.history_type, latest.history_user, latest.end) == ("~", ria, "2022-01-10")

    created = curator.post(f"{API}/places/", {"slug": "lucknow", "name": "Lucknow", "kind": "city"}, format="json")
    place_id = created.json()["id"]
    assert delete(curator, created["Location"]).status_code == 204
    kinds = list(Place.history.filter(id=place_id).order_by("history_date").values_list("history_type", "history_user"))
    assert kinds == [("+", ria.pk), ("-", ria.pk)]


def test_verifying_names_the_curator_and_a_draft_clears_it(curator):
    url = commissioner_url()
    verified = patch(curator, url, {"review_status": "verified"}).json()
    assert (verified["review_status"], verified["verified_by"]) == ("verified", "ria")
    assert verified["verified_at"] is not None

    other = token_client(account("sam", curator=True))
    edited = patch(other, url, {"note": "first police commissioner of Kanpur"}).json()
    assert (edited["verified_by"], edited["verified_at"]) == ("ria", verified["verified_at"])  # still ria's check

    draft = patch(curator, url, {"review_status": "draft"}).json()
    assert (draft["review_status"], draft["verified_by"], draft["verified_at"]) == ("draft", None, None)


def test_a_write_that_changes_nothing_leaves_no_history(curator):
    url = commissioner_url()
    posting = Posting.objects.get(pk=int(url.split("/")[-2]))
    history = Posting.history.count()
    etag = etag_of(curator, url)
    response = curator.patch(url, {"role": posting.role, "start": posting.start}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] == etag
    assert Posting.history.count() == history


def test_a_token_from_the_create_curator_command_writes(seed_data, db):
    call_command("create_curator", "tara", "--no-input", "--token", stdout=io.StringIO())
    client = token_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user__username='tara').key}")
    assert patch(client, f"{API}/persons/asim-arun/", {"social_group": "SC"}).status_code == 200


# -- citations -------------------------------------------------------------------


def test_a_record_is_created_with_its_citations_offsets_found_for_it(curator):
    body = {
        "person": "asim-arun",
        "role": "native",
        "place": "kannauj",
        "citations": [{"source": FIRST_SOURCE, "field": "place", "quote": QUOTE}],
    }
    response = curator.post(f"{API}/postings/", body, format="json")
    assert response.status_code == 201, response.content
    (citation,) = response.json()["citations"]
    text = Source.objects.get(slug=FIRST_SOURCE).text
    assert citation["start"] == text.index(QUOTE)  # the first of its two occurrences
    assert text[citation["start"] : citation["end"]] == QUOTE
    assert (citation["field"], citation["source_slug"]) == ("place", FIRST_SOURCE)


def test_a_posting_names_the_person_it_serves_by_slug_and_a_wrong_one_is_refused(curator):
    body = {"person": "arun-ram", "role": "Personal security officer", "serves": "manmohan-singh"}
    response = curator.post(f"{API}/postings/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["serves"]["slug"] == "manmohan-singh"
    refused = curator.post(f"{API}/postings/", {**body, "serves": "nobody-such"}, format="json")
    assert refused.status_code == 400
    assert "serves" in refused.json()["errors"]


def test_citations_sent_are_added_and_changed_and_the_others_kept(curator):
    """An update never drops what a source said unless asked to (living records)."""
    url = f"{API}/persons/asim-arun/"
    person = Person.objects.get(slug="asim-arun")
    before = list(person.citations.order_by("id"))
    assert len(before) >= 2
    kept = before[0]
    body = {
        "citations": [
            {"id": kept.pk, "source": kept.source_id, "field": "name", "quote": kept.quote, "start": kept.start},
            {"source": FIRST_SOURCE, "field": "native_place", "quote": QUOTE},
        ]
    }
    response = patch(curator, url, body)
    assert response.status_code == 200, response.content
    after = {(c["id"], c["field"], c["quote"]) for c in response.json()["citations"]}
    assert len(after) == len(before) + 1
    assert (kept.pk, "name", kept.quote) in after
    assert {c.pk for c in before} <= {pk for pk, _, _ in after}
    assert ("native_place", QUOTE) in {(field, quote) for _, field, quote in after}


def test_a_citation_goes_only_when_the_request_says_so(curator):
    url = f"{API}/persons/asim-arun/"
    before = list(Person.objects.get(slug="asim-arun").citations.order_by("id"))
    gone = before[-1]
    response = patch(curator, url, {"citations": [{"id": gone.pk, "remove": True}]})
    assert response.status_code == 200, response.content
    assert {c["id"] for c in response.json()["citations"]} == {c.pk for c in before[:-1]}
    assert not Citation.objects.filter(pk=gone.pk).exists()
    assert Citation.history.filter(id=gone.pk, history_type="-").count() == 1  # the history keeps it
    refused = patch(curator, url, {"citations": [{"id": before[0].pk, "remove": True, "quote": "x"}]})
    assert refused.status_code == 400
    assert "citations[0].remove" in refused.json()["errors"]


def test_citations_left_out_stay_and_an_unchanged_one_is_not_saved_again(curator):
    url = f"{API}/persons/asim-arun/"
    person = Person.objects.get(slug="asim-arun")
    fields = ("id", "source", "field", "quote", "start", "end", "locator", "said")
    citations = list(person.citations.order_by("id").values(*fields))
    history = Citation.history.count()

    assert patch(curator, url, {"social_group": "SC"}).status_code == 200
    assert list(person.citations.order_by("id").values_list("id", flat=True)) == [c["id"] for c in citations]

    assert patch(curator, url, {"citations": citations}).status_code == 200
    assert Citation.history.count() == history


# -- deleting ----------------------------------------------------------------------


def test_deleting_a_record_others_refer_to_is_a_409_naming_them(curator):
    response = delete(curator, f"{API}/places/kanpur/")
    assert response.status_code == 409
    error = response.json()
    assert error["code"] == "conflict"
    assert "1 posting" in error["detail"]
    assert Place.objects.filter(slug="kanpur").exists()


def test_deleting_a_person_takes_their_postings_and_the_history_keeps_both(curator):
    person = Person.objects.get(slug="brij-lal")
    postings = list(person.postings.values_list("id", flat=True))
    assert postings
    assert delete(curator, f"{API}/persons/brij-lal/").status_code == 204
    assert not Posting.objects.filter(id__in=postings).exists()
    assert Person.history.filter(id=person.pk, history_type="-").exists()
    assert Posting.history.filter(id__in=postings, history_type="-").count() == len(postings)


# -- resources with rules of their own -----------------------------------------------


def test_a_party_is_an_organisation_of_kind_party(curator):
    created = curator.post(f"{API}/parties/", {"slug": "new-party", "name": "New Party"}, format="json")
    assert created.status_code == 201, created.content
    assert Organisation.objects.get(slug="new-party").kind == "party"
    assert curator.get(f"{API}/organisations/new-party/").json()["kind"] == "party"
    # The party endpoint holds parties only.
    assert (
        curator.patch(f"{API}/parties/up-police/", {"name": "X"}, format="json", HTTP_IF_MATCH="*").status_code == 404
    )


def test_renaming_an_organisation_moves_what_lies_within_it(curator):
    assert patch(curator, f"{API}/organisations/up-police/", {"slug": "uttar-pradesh-police"}).status_code == 200
    assert curator.get(f"{API}/organisations/up-ats/").json()["path"] == "uttar-pradesh-police/up-ats"
    within = curator.get(f"{API}/organisations/", {"within": "uttar-pradesh-police"}).json()["results"]
    assert "up-ats" in {row["slug"] for row in within}


def test_a_new_source_keeps_its_text_byte_for_byte_and_can_be_cited_at_once(curator):
    text = "  Reported on Monday: the officer joined the party.\n"
    created = curator.post(f"{API}/sources/", {"slug": "new-report", "text": text}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["text"] == text
    assert body["sha256"] == hashlib.sha256(text.encode()).hexdigest()

    quote = "the officer joined the party"
    cited = patch(curator, f"{API}/persons/asim-arun/", {"citations": [{"source": "new-report", "quote": quote}]})
    assert cited.status_code == 200, cited.content
    assert curator.get(created["Location"]).json()["claims"][0]["quote"] == quote


# -- query budgets -----------------------------------------------------------------------

# What a write costs besides reading the record (the read API's own budget,
# pinned in test_api_query_budgets.py): 1 token + 2 permissions (the user's,
# the user's groups'), the savepoint and its release, the locked row; then
# what the change needs (below); and the record read twice: for the ETag
# If-Match is compared with, and for the response.
AUTHENTICATION = 3
TRANSACTION = 2
LOCK = 1
# A claim's key is unique per person (a conditional constraint): the model's validation
# checks it in a savepoint of its own (SAVEPOINT, the check, RELEASE).
KEY_CHECK = 3


def detail_queries(url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert token_client().get(url).status_code == 200
    return len(queries)


def test_an_update_costs_a_fixed_number_of_queries(curator):
    url = commissioner_url()
    patch(curator, url, {"note": "first"})  # its first edit also keeps the prior version (the history baseline)
    etag, read = etag_of(curator, url), detail_queries(url)
    with CaptureQueriesContext(connection) as queries:
        response = curator.patch(url, {"end": "2022-01-10"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    # The change: the previous posting (Posting.clean checks it is the same person's), whether the
    # record has a history yet (records/curation/baseline.py), UPDATE, history INSERT, the
    # person's career order (records/careers.py; unchanged here, so nothing renumbered).
    assert len(queries) == AUTHENTICATION + TRANSACTION + LOCK + KEY_CHECK + 5 + 2 * read


def test_a_create_with_citations_costs_a_fixed_number_of_queries(curator):
    body = {
        "person": "asim-arun",
        "role": "native",
        "place": "kannauj",
        "citations": [{"source": FIRST_SOURCE, "quote": QUOTE}, {"source": FIRST_SOURCE, "quote": "Kannauj"}],
    }
    with CaptureQueriesContext(connection) as queries:
        response = curator.post(f"{API}/postings/", body, format="json")
    assert response.status_code == 201
    read = detail_queries(response["Location"])
    # Resolving person, place and each citation's source (4); INSERT + history; then
    # each citation's INSERT + history (the content type is cached); the person's career
    # order, and the UPDATE that places the new posting in it (last: it is undated).
    assert len(queries) == AUTHENTICATION + TRANSACTION + KEY_CHECK + 4 + 2 + 2 * 2 + 2 + read


def test_not_stated_fields_must_be_empty_and_known(ria):
    from tests.writes import token_client

    curator = token_client(ria)
    url = f"{API}/sources/{FIRST_SOURCE}/"
    refused = patch(curator, url, {"publisher": "The Daily Example"})
    assert refused.status_code == 400
    assert "not_stated" in refused.json()["errors"]
    unknown = patch(curator, url, {"not_stated": ["author"]})
    assert unknown.status_code == 400
    assert "not_stated" in str(unknown.json()["errors"])
    stated = patch(curator, url, {"publisher": "The Daily Example", "not_stated": ["title", "url"]})
    assert stated.status_code == 200, stated.content
    assert (stated.json()["publisher"], stated.json()["not_stated"]) == ("The Daily Example", ["title", "url"])

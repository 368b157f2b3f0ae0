"""Who may write: for every resource and every write operation, an anonymous
client gets 401 and a signed-in account outside the curator group 403, and
neither changes anything; a curator's write takes effect and reads back."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import transaction

from records.models import Constituency, Contest, Election, Place, Posting, Source
from tests.conftest import dump_records, settle_module_data
from tests.writes import API, account, etag_of, token_client


@dataclass
class Resource:
    path: str
    create: dict  # a new record's body
    update: dict  # a full body for the existing record (PUT)
    change: dict  # one field to change (PATCH); read back as it was sent unless `reads` says otherwise
    reads: dict = field(default_factory=dict)


def existing_key(resource: str) -> str:
    """A record of each resource in the seed data (or made for this module)."""
    return {
        "persons": "asim-arun",
        "postings": str(Posting.objects.filter(person__slug="asim-arun").order_by("id").first().pk),
        "parties": "bjp",
        "organisations": "up-112",
        "places": "kanpur",
        "elections": "up-2022",
        "constituencies": "up-1-behat",
        "contests": str(Contest.objects.get(constituency__slug="up-1-behat").pk),
        "sources": Source.objects.order_by("id").first().slug,
    }[resource]


TEXT = "A new document, quoted below."

RESOURCES = {
    "persons": Resource(
        "persons",
        create={"slug": "new-person", "name": "New Person", "birth_date": "1970", "native_place": "kannauj"},
        update={"slug": "asim-arun", "name": "Asim Kumar Arun"},
        change={"social_group": "SC"},
    ),
    "postings": Resource(
        "postings",
        create={"person": "asim-arun", "role": "Director General", "organisation": "up-police", "start": "2022-01"},
        update={"person": "asim-arun", "role": "Superintendent of Police", "rank": "SP"},
        change={"end": "2022-01-10"},
        reads={"end": {"value": "2022-01-10", "earliest": "2022-01-10", "latest": "2022-01-10"}},
    ),
    "parties": Resource(
        "parties",
        create={"slug": "new-party", "name": "New Party", "abbreviation": "NP"},
        update={"slug": "bjp", "name": "Bharatiya Janata Party (India)", "abbreviation": "BJP"},
        change={"abbreviation": "B.J.P."},
    ),
    "organisations": Resource(
        "organisations",
        create={"slug": "up-new-unit", "name": "New Unit", "kind": "police", "parent": "up-police"},
        update={"slug": "up-112", "name": "UP 112", "kind": "police"},
        change={"abbreviation": "112"},
    ),
    "places": Resource(
        "places",
        create={"slug": "lucknow", "name": "Lucknow", "kind": "city", "parent": "uttar-pradesh"},
        update={"slug": "kanpur", "name": "Kanpur Nagar", "kind": "city"},
        change={"other_names": ["Cawnpore"]},
    ),
    "elections": Resource(
        "elections",
        create={"slug": "up-2027", "name": "2027 Uttar Pradesh Assembly election", "jurisdiction": "uttar-pradesh"},
        update={
            "slug": "up-2022",
            "name": "2022 Uttar Pradesh Legislative Assembly election",
            "jurisdiction": "uttar-pradesh",
        },
        change={"counting": "2022-03-11"},
        reads={"counting": {"value": "2022-03-11", "earliest": "2022-03-11", "latest": "2022-03-11"}},
    ),
    "constituencies": Resource(
        "constituencies",
        create={"slug": "up-2-nakur", "jurisdiction": "uttar-pradesh", "number": 2, "name": "Nakur"},
        update={"slug": "up-1-behat", "jurisdiction": "uttar-pradesh", "number": 1, "name": "Behat (SC)"},
        change={"reservation": "SC"},
    ),
    "contests": Resource(
        "contests",
        create={"election": "up-2017", "constituency": "up-1-behat", "total_votes": 1000},
        update={"election": "up-2022", "constituency": "up-1-behat", "total_votes": 2000},
        change={"electors": 300000},
    ),
    "sources": Resource(
        "sources",
        create={"slug": "new-document", "title": "A new document", "published_on": "2022-01-11", "text": TEXT},
        # A title the document states: no longer among what it does not state.
        update={"slug": "000_b84d1872df6a742e", "kind": "article", "title": "Asim Arun seeks VRS", "not_stated": []},
        change={"not_stated": ["title", "url"]},
    ),
}

OPERATIONS = ["create", "update", "partial_update", "destroy"]


@pytest.fixture(scope="module")
def seeds(seed_data, django_db_blocker):
    """The seed data and a constituency with a contest (the seeds have none), once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        behat = Constituency.objects.create(
            slug="up-1-behat", jurisdiction=Place.objects.get(slug="uttar-pradesh"), number=1, name="Behat"
        )
        Contest.objects.create(election=Election.objects.get(slug="up-2022"), constituency=behat)
        settle_module_data()
        yield
        transaction.set_rollback(True)


def send(client, operation: str, resource: Resource, *, if_match: str | None = None):
    """The operation on the resource's list (create) or existing record."""
    if operation == "create":
        return client.post(f"{API}/{resource.path}/", resource.create, format="json")
    url = f"{API}/{resource.path}/{existing_key(resource.path)}/"
    headers = {"HTTP_IF_MATCH": if_match or etag_of(client, url)}
    if operation == "update":
        return client.put(url, resource.update, format="json", **headers)
    if operation == "partial_update":
        return client.patch(url, resource.change, format="json", **headers)
    return client.delete(url, **headers)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("resource", RESOURCES.values(), ids=list(RESOURCES))
def test_an_anonymous_write_is_a_401_and_changes_nothing(seeds, db, resource, operation):
    before = dump_records()
    response = send(token_client(), operation, resource)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert dump_records() == before


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("resource", RESOURCES.values(), ids=list(RESOURCES))
def test_a_write_by_a_non_curator_is_a_403_and_changes_nothing(seeds, db, resource, operation):
    reader = token_client(account("reader", curator=False))
    before = dump_records()
    response = send(reader, operation, resource)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert dump_records() == before


def test_a_bad_token_is_a_401_even_for_a_curator_account(seeds, db):
    client = token_client()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    before = dump_records()
    assert send(client, "partial_update", RESOURCES["persons"], if_match="*").status_code == 401
    assert dump_records() == before


@pytest.mark.parametrize("resource", RESOURCES.values(), ids=list(RESOURCES))
def test_a_curator_creates_and_the_record_reads_back(seeds, db, resource):
    curator = token_client(account("ria", curator=True))
    response = send(curator, "create", resource)
    assert response.status_code == 201, response.content
    assert response.content == curator.get(response["Location"]).content
    body = response.json()
    for name, value in resource.create.items():
        if name in ("slug", "name", "title", "total_votes", "number", "abbreviation"):
            assert body[name] == value, name


@pytest.mark.parametrize("resource", RESOURCES.values(), ids=list(RESOURCES))
def test_a_curator_updates_and_the_record_reads_back(seeds, db, resource):
    curator = token_client(account("ria", curator=True))
    url = f"{API}/{resource.path}/{existing_key(resource.path)}/"
    compared = [name for name in ("slug", "name", "role", "rank", "title", "total_votes") if name in resource.update]
    before = curator.get(url).json()
    assert any(before[name] != resource.update[name] for name in compared)  # a change, not the values it has
    response = send(curator, "update", resource)
    assert response.status_code == 200, response.content
    after = curator.get(url).json()
    assert {name: after[name] for name in compared} == {name: resource.update[name] for name in compared}


@pytest.mark.parametrize("resource", RESOURCES.values(), ids=list(RESOURCES))
def test_a_curator_changes_one_field_and_it_reads_back(seeds, db, resource):
    curator = token_client(account("ria", curator=True))
    ((name, value),) = resource.change.items()
    url = f"{API}/{resource.path}/{existing_key(resource.path)}/"
    expected = resource.reads.get(name, value)
    assert curator.get(url).json()[name] != expected  # a change, not the value it has
    response = send(curator, "partial_update", resource)
    assert response.status_code == 200, response.content
    assert curator.get(url).json()[name] == expected


@pytest.mark.parametrize("resource", RESOURCES.values(), ids=list(RESOURCES))
def test_a_curator_deletes_a_record_nothing_refers_to(seeds, db, resource):
    curator = token_client(account("ria", curator=True))
    created = send(curator, "create", resource)
    assert created.status_code == 201, created.content
    url = created["Location"]
    response = curator.delete(url, HTTP_IF_MATCH=created["ETag"])
    assert response.status_code == 204, response.content
    assert curator.get(url).status_code == 404


# What the server keeps for itself. `verified_*` are set by review_status, history by every save.
READ_ONLY = {
    "id": 123456,
    "created_at": "2001-01-01T00:00:00Z",
    "updated_at": "2001-01-01T00:00:00Z",
    "verified_by": "someone",
    "verified_at": "2001-01-01T00:00:00Z",
    "history": [],
}
READ_ONLY_BY_RESOURCE = {
    # Sources are documents without review fields.
    name: [field for field in READ_ONLY if not (name == "sources" and field.startswith("verified"))]
    for name in RESOURCES
}


@pytest.mark.parametrize("operation", ["create", "partial_update"])
@pytest.mark.parametrize(
    ("resource", "field"),
    [(RESOURCES[name], field) for name, fields in READ_ONLY_BY_RESOURCE.items() for field in fields],
    ids=[f"{name}-{field}" for name, fields in READ_ONLY_BY_RESOURCE.items() for field in fields],
)
def test_a_read_only_field_in_a_write_is_a_400_naming_it_and_changes_nothing(seeds, db, resource, field, operation):
    """A client that sends an id, a timestamp, a verifier or history learns it
    was not applied, rather than being silently ignored."""
    curator = token_client(account("ria", curator=True))
    body = {**(resource.create if operation == "create" else resource.change), field: READ_ONLY[field]}
    before = dump_records()
    if operation == "create":
        response = curator.post(f"{API}/{resource.path}/", body, format="json")
    else:
        url = f"{API}/{resource.path}/{existing_key(resource.path)}/"
        response = curator.patch(url, body, format="json", HTTP_IF_MATCH=etag_of(curator, url))
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
    assert dump_records() == before

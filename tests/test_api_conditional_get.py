"""Conditional GETs: an answer's ETag and Last-Modified come from the versions
of the tables it is read from (records/api/conditional.py), so a client or an
HTTP cache that has the answer gets a 304 after one small query, without the
answer being read or rendered; any write, by any path, gives a new ETag."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client
from django.utils.http import http_date, parse_http_date

from records.models import Citation, Person, PersonAlias, Place, PossibleMatch
from tests.writes import account, token_client

pytestmark = pytest.mark.usefixtures("seeded")

ASIM = "/api/v1/persons/asim-arun/"
READS = [
    "/api/v1/persons/",
    "/api/v1/persons/?q=arun&page_size=5",
    ASIM,
    "/api/v1/postings/?person=asim-arun&status=confirmed",
    "/api/v1/elections/up-2022/",
    f"{ASIM}history/",
]
PUBLIC = "public, max-age=60, stale-while-revalidate=60"


@pytest.mark.parametrize("url", READS)
def test_a_matching_etag_gets_304_without_reading_the_answer(client, django_assert_num_queries, url):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the versions of the answer's tables, nothing of the answer
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert again[header] == first[header], header


def test_a_read_says_how_it_may_be_cached(client):
    response = client.get("/api/v1/persons/")
    assert response["Cache-Control"] == PUBLIC
    assert {"Accept", "Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert parse_http_date(response["Last-Modified"]) <= time.time()
    assert response["ETag"].startswith('"')


def test_the_cache_lifetimes_come_from_settings(client, settings):
    settings.API_CACHE_MAX_AGE, settings.API_CACHE_STALE_WHILE_REVALIDATE = 5, 300
    assert client.get("/api/v1/parties/")["Cache-Control"] == "public, max-age=5, stale-while-revalidate=300"


def test_one_of_several_etags_or_a_weakened_one_matches(client):
    etag = client.get(ASIM)["ETag"]
    assert client.get(ASIM, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304


def raw_update(table: str, column: str, value: str, key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET "{column}" = %s WHERE slug = %s', [value, key])


def add_alias(person: Person) -> None:
    PersonAlias.objects.bulk_create([PersonAlias(person=person, name="A. Arun", kind="spelling")])


CHANGES = {
    "QuerySet.update()": lambda person: Person.objects.filter(pk=person.pk).update(social_group="changed"),
    "raw SQL": lambda person: raw_update("records_person", "social_group", "raw", person.slug),
    "bulk_create of a nested row": add_alias,
    "a citation deleted": lambda person: Citation.objects.filter(pk=person.citations.first().pk).delete(),
    "the native place renamed": lambda person: Place.objects.filter(pk=person.native_place_id).update(name="K."),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_write_by_any_path_gives_a_new_etag(client, change):
    etag = client.get(ASIM)["ETag"]
    CHANGES[change](Person.objects.get(slug="asim-arun"))
    response = client.get(ASIM, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_write_to_a_table_the_answer_does_not_read_keeps_it_valid(client):
    etag = client.get("/api/v1/persons/")["ETag"]
    incoming, existing = Person.objects.order_by("pk")[:2]
    PossibleMatch.objects.create(incoming=incoming, existing=existing, score=1.0, evidence=[])
    assert client.get("/api/v1/persons/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/possible-matches/")["ETag"] != etag


def test_a_deleted_record_is_not_answered_304(client):
    place = Place.objects.create(slug="nowhere", name="Nowhere", kind="city")
    url = f"/api/v1/places/{place.slug}/"
    etag = client.get(url)["ETag"]
    place.delete()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_the_etag_names_the_query_and_the_requester(client):
    plain = client.get("/api/v1/persons/")
    assert client.get("/api/v1/persons/?page_size=5")["ETag"] != plain["ETag"]
    assert client.get("/api/v1/persons/?page_size=5", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 200
    curator = token_client(account("ria", curator=True))
    signed_in = curator.get("/api/v1/persons/")
    assert signed_in["Cache-Control"] == "private, no-cache"
    assert signed_in["ETag"] != plain["ETag"]
    assert curator.get("/api/v1/persons/", HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 200
    assert curator.get("/api/v1/persons/", HTTP_IF_NONE_MATCH=signed_in["ETag"]).status_code == 304


def test_if_modified_since_is_read_without_if_none_match(client):
    first = client.get(ASIM)
    modified = parse_http_date(first["Last-Modified"])
    assert client.get(ASIM, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(ASIM, HTTP_IF_MODIFIED_SINCE=http_date(modified - 1)).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110, 13.2.2).
    both = client.get(ASIM, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert both.status_code == 200


def test_a_change_moves_last_modified_on(client):
    before = parse_http_date(client.get(ASIM)["Last-Modified"])
    time.sleep(1.05)  # Last-Modified counts whole seconds
    Person.objects.filter(slug="asim-arun").update(social_group="changed")
    assert parse_http_date(client.get(ASIM)["Last-Modified"]) > before


def test_errors_are_not_cached_publicly(client):
    response = client.get("/api/v1/persons/", {"page_size": "0"})
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")


def test_a_head_request_is_answered_304_too():
    client = Client()
    etag = client.get(ASIM)["ETag"]
    assert client.head(ASIM, HTTP_IF_NONE_MATCH=etag).status_code == 304

"""What one request may ask for: a bounded body, a bounded page on every list,
and an ordering from each list's whitelist."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from records.api.pagination import MAX_PAGE_SIZE
from records.api.urls import router

LISTS = [prefix for prefix, viewset, _ in router.registry if hasattr(viewset, "list")]
# The lists that take `ordering` (person-merges, for curators, has one fixed order).
ORDERED_LISTS = [
    prefix
    for prefix, viewset, _ in router.registry
    if "ordering" in getattr(getattr(viewset, "filterset_class", None), "base_filters", {})
]
PUBLIC_LISTS = [
    "persons",
    "postings",
    "parties",
    "organisations",
    "places",
    "elections",
    "sources",
    "constituencies",
    "contests",
]


@pytest.fixture
def reader(client, db):
    """A signed-in superuser: whatever a list's permissions, it may read it."""
    client.force_login(get_user_model().objects.create_superuser("reader", password="not-used"))
    return client


# -- request bodies -------------------------------------------------------------


def test_a_body_over_the_limit_gets_413_before_anything_parses_it(client, db, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    malformed = "{" * 1001  # would be a 400 if parsed
    for url in ("/api/v1/persons/", "/api/v1/persons/1/", "/admin/login/"):
        response = client.post(url, malformed, content_type="application/json")
        assert response.status_code == 413, url
        assert response.json() == {
            "status": 413,
            "code": "request_too_large",
            "detail": "The request body is 1001 bytes; the limit is 1000.",
        }


def test_a_body_within_the_limit_reaches_the_view(client, db, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    response = client.post("/api/v1/persons/", "{" * 1000, content_type="application/json")
    assert response.status_code in (400, 401, 403, 405)  # the view's own answer, whatever it is


# -- page sizes -----------------------------------------------------------------


@pytest.mark.usefixtures("results_2017")
@pytest.mark.parametrize("prefix", LISTS)
def test_every_list_serves_at_most_200_records_a_page(reader, prefix):
    url = f"/api/v1/{prefix}/"
    refused = reader.get(url, {"page_size": MAX_PAGE_SIZE + 1})
    assert refused.status_code == 400
    assert "page_size" in refused.json()["errors"]

    default = reader.get(url).json()
    assert len(default["results"]) <= 50
    largest = reader.get(url, {"page_size": MAX_PAGE_SIZE}).json()
    assert len(largest["results"]) <= MAX_PAGE_SIZE
    assert largest["next"] is None or len(largest["results"]) == MAX_PAGE_SIZE


@pytest.mark.usefixtures("results_2017")
def test_a_list_longer_than_a_page_is_cut_at_200_with_a_next_link(reader):
    body = reader.get("/api/v1/contests/", {"page_size": MAX_PAGE_SIZE}).json()  # 403 contests
    assert len(body["results"]) == MAX_PAGE_SIZE
    assert body["next"]


# -- ordering -------------------------------------------------------------------


def test_every_public_list_takes_a_whitelisted_ordering():
    assert set(PUBLIC_LISTS) <= set(ORDERED_LISTS)


@pytest.mark.parametrize("prefix", ORDERED_LISTS)
@pytest.mark.parametrize("ordering", ["no_such_field", "-created_at", "person__name", "id,password"])
def test_ordering_outside_the_whitelist_is_a_400_naming_it(reader, prefix, ordering):
    response = reader.get(f"/api/v1/{prefix}/", {"ordering": ordering})
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid"
    assert "ordering" in body["errors"]

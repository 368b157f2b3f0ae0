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
            "request_id": response["X-Request-ID"],
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


# -- malformed requests: a JSON 4xx, never a 500 or a silent no-op ----------------


@pytest.fixture
def curator_client(seeded):
    from tests.writes import account, token_client

    return token_client(account("ria", curator=True))


def nested(depth: int) -> str:
    return '{"name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("patch", "/api/v1/persons/asim-arun/"),
        ("put", "/api/v1/parties/bjp/"),
        ("post", "/api/v1/places/"),
        ("post", "/api/v1/persons/asim-arun/merge/"),
    ],
)
def test_deeply_nested_json_is_a_400_naming_the_problem(curator_client, method, url, depth):
    from tests.conftest import dump_records

    before = dump_records()
    response = getattr(curator_client, method)(url, nested(depth), content_type="application/json", HTTP_IF_MATCH="*")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "parse_error"
    assert "32 levels" in body["detail"]
    assert dump_records() == before


def test_json_nested_within_the_bound_is_parsed(curator_client):
    """A body a little deep but within the bound reaches validation (a field error, not a parse error)."""
    response = curator_client.patch(
        "/api/v1/persons/asim-arun/", nested(20), content_type="application/json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_chunked_body_is_refused_with_411_not_ignored(curator_client, method):
    """Django reads only Content-Length bytes: a chunked body would reach the view empty."""
    from tests.conftest import dump_records

    before = dump_records()
    url = "/api/v1/persons/" if method == "post" else "/api/v1/persons/asim-arun/"
    response = getattr(curator_client, method)(
        url, '{"name": "Changed"}', content_type="application/json", HTTP_TRANSFER_ENCODING="chunked", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 411
    assert response.json()["code"] == "length_required"
    assert dump_records() == before


def test_a_chunked_get_is_answered(client, db):
    assert client.get("/api/v1/parties/", HTTP_TRANSFER_ENCODING="chunked").status_code == 200


def test_an_over_long_url_is_a_json_414(client, db):
    response = client.get("/api/v1/persons/", {"q": "x" * 5000})
    assert response.status_code == 414
    assert response.json()["code"] == "uri_too_long"


def test_too_many_or_too_large_headers_are_a_json_431(client, db):
    many = {f"HTTP_X_EXTRA_{n}": "1" for n in range(120)}
    response = client.get("/api/v1/parties/", **many)
    assert response.status_code == 431
    assert "120" in response.json()["detail"] or "headers" in response.json()["detail"]
    large = client.get("/api/v1/parties/", HTTP_X_LARGE="x" * 9000)
    assert large.status_code == 431
    assert "X-Large" in large.json()["detail"]


def test_a_host_not_allowed_is_a_json_400_under_the_api(db):
    from django.test import Client

    response = Client(HTTP_HOST="evil.example", raise_request_exception=False).get("/api/v1/parties/")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "bad_request"
    assert "Host" in response.json()["detail"]


def test_too_many_query_parameters_is_a_json_400(client, db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.get("/api/v1/parties/?" + "&".join(f"p{n}=1" for n in range(20)))
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert "at most 10" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/persons/?page_size=1000&page_size=1", "page_size"),
        ("/api/v1/postings/?active_on=2021-06-01&active_on=2015-01-01", "active_on"),
        ("/api/v1/elections/?year=2022&year=2017", "year"),
        ("/api/v1/parties/?q=bjp&q=sp", "q"),
    ],
)
def test_a_single_valued_parameter_given_twice_is_a_400_naming_it(client, db, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()["errors"]) == [parameter]
    assert "more than once" in response.json()["errors"][parameter][0]


def test_a_multi_valued_filter_may_repeat(client, seeded):
    assert client.get("/api/v1/postings/?status=confirmed&status=expected").status_code == 200

"""Other sites' scripts may read the API from the configured origins, and
nothing else: no other origin, no write, nothing outside /api/."""

from __future__ import annotations

import pytest

ALLOWED = "https://reader.example.org"
URL = "/api/v1/parties/"


@pytest.fixture(autouse=True)
def allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]


def preflight(client, url: str, origin: str, method: str):
    return client.options(url, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD=method)


def test_a_preflight_for_reading_from_an_allowed_origin_succeeds(client, db):
    response = preflight(client, URL, ALLOWED, "GET")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_read_from_an_allowed_origin_may_be_handed_to_its_page(client, db):
    response = client.get(URL, HTTP_ORIGIN=ALLOWED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED


def test_another_origin_gets_no_cors_headers(client, db):
    for response in (
        preflight(client, URL, "https://elsewhere.example.com", "GET"),
        client.get(URL, HTTP_ORIGIN="https://elsewhere.example.com"),
    ):
        assert "Access-Control-Allow-Origin" not in response
        assert "Access-Control-Allow-Methods" not in response


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_not_allowed_cross_origin(client, db, method):
    asked = preflight(client, URL, ALLOWED, method)
    assert "Access-Control-Allow-Origin" not in asked  # the browser refuses to send the write
    sent = client.generic(method, URL, "{}", content_type="application/json", HTTP_ORIGIN=ALLOWED)
    assert "Access-Control-Allow-Origin" not in sent  # and a simple one's answer stays hidden


def test_nothing_outside_the_api_is_shared(client, db):
    response = preflight(client, "/admin/login/", ALLOWED, "GET")
    assert "Access-Control-Allow-Origin" not in response

"""Every response carries the security headers; HTTPS is enforced when the
site says it is served over HTTPS (the default outside debug)."""

from __future__ import annotations

import pytest


@pytest.fixture
def api_response(client, db):
    return client.get("/api/v1/parties/")


def test_responses_forbid_sniffing_framing_and_leaking_the_referrer(api_response):
    assert api_response["X-Content-Type-Options"] == "nosniff"
    assert api_response["X-Frame-Options"] == "DENY"
    assert api_response["Referrer-Policy"] == "same-origin"
    assert api_response["Cross-Origin-Opener-Policy"] == "same-origin"


def directives(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def test_the_content_security_policy_allows_nothing_from_elsewhere(api_response):
    policy = directives(api_response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no nonce asked for, none granted
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_a_docs_page_may_run_only_its_own_nonced_inline_code(client, db):
    response = client.get("/api/docs/")
    policy = directives(response)
    nonce = response.content.decode().split('nonce="', 1)[1].split('"', 1)[0]
    assert policy["style-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    assert directives(client.get("/api/docs/"))["style-src"] != policy["style-src"]  # a new nonce per response


def test_a_page_with_a_policy_of_its_own_leaves_the_next_answers_theirs(client, db, settings):
    """The settings' header is built once: a page's own policy (ReDoc's relaxed
    styles, a docs page's nonce) never leaks into other answers, and a change
    of the settings shows at once."""
    assert "'unsafe-inline'" in directives(client.get("/api/redoc/"))["style-src"]
    assert "nonce-" in directives(client.get("/api/docs/"))["script-src"]
    assert directives(client.get("/api/v1/parties/"))["style-src"] == "'self'"
    assert directives(client.get("/api/v1/parties/"))["script-src"] == "'self'"

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/api/v1/parties/")["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    assert "img-src 'self'" in client.get("/api/v1/parties/")["Content-Security-Policy-Report-Only"]


def test_over_https_browsers_are_told_to_stay_on_https(client, db):
    response = client.get("/api/v1/parties/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_except_the_health_check(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production (the test settings turn it off)
    response = client.get("/api/v1/parties/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/parties/"
    assert client.get("/api/v1/health/").status_code == 200


def test_cookies_travel_over_https_only(client, db):
    cookie = client.get("/admin/login/").cookies["csrftoken"]
    assert cookie["secure"] is True

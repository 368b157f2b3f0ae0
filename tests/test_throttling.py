"""Rate limits: a client over its limit gets 429 with Retry-After and the JSON
error body; other clients, and the same address signed in, are unaffected.

The test settings switch throttling off (a rate of None); these tests set
rates deliberately, and the limits read them on every request.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

URL = "/api/v1/parties/"
GENEROUS = "1000/min"


@pytest.fixture
def rates(settings):
    """Set some rates (the rest generous) on a clean slate of counters."""

    def set_rates(**chosen):
        scopes = ("anon_burst", "anon_sustained", "user_burst", "user_sustained")
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {scope: chosen.get(scope, GENEROUS) for scope in scopes},
        }
        cache.clear()

    yield set_rates
    cache.clear()


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_an_anonymous_client_over_its_burst_rate_gets_429_with_retry_after(db, rates):
    rates(anon_burst="3/min")
    scraper = from_address("203.0.113.7")
    assert [scraper.get(URL).status_code for _ in range(3)] == [200, 200, 200]

    refused = scraper.get(URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert "seconds" in body["detail"]

    assert from_address("203.0.113.8").get(URL).status_code == 200  # another client is unaffected
    assert scraper.get(URL).status_code == 429  # still refused


def test_a_forged_x_forwarded_for_does_not_buy_a_new_allowance(db, rates):
    rates(anon_burst="2/min")
    scraper = from_address("203.0.113.9")
    assert [scraper.get(URL, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)] == [200, 200, 429]


def test_the_sustained_rate_counts_too(db, rates):
    rates(anon_sustained="2/day")
    client = from_address("203.0.113.10")
    assert [client.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(URL)["Retry-After"]) > 3600  # a day's window


def test_signed_in_clients_have_their_own_higher_limit(db, rates):
    rates(anon_burst="2/min", user_burst="4/min")
    address = "203.0.113.11"
    anonymous = from_address(address)
    assert [anonymous.get(URL).status_code for _ in range(3)] == [200, 200, 429]

    curator = from_address(address)
    curator.force_login(get_user_model().objects.create_user("curator", password="not-used"))
    assert [curator.get(URL).status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    assert anonymous.get(URL).status_code == 429

"""Bad input gets a JSON 4xx that names the parameter; nothing a client sends gives a 500."""

import pytest

from tests.api import get_json

pytestmark = pytest.mark.usefixtures("seeded")

ENDPOINTS = ["persons", "postings", "parties", "organisations", "places", "elections", "sources"]

# (endpoint, parameter, bad value): unknown records, formats and words the schema
# cannot express. What test_api_input_hardening.py derives from the schema for
# every list (bounds, malformed numbers and dates, bad cursors) is not repeated.
BAD_PARAMETERS = [
    ("postings", "started_before", "2021"),
    ("postings", "status", "rumoured"),
    ("postings", "person_id", "-1"),
    ("postings", "person_id", "99999"),
    ("postings", "person", "nobody-at-all"),
    ("postings", "organisation", "no-such-force"),
    ("postings", "date_match", "maybe"),
    ("postings", "ordering", "person__name"),
    ("postings", "role", "chief\x00"),
    ("persons", "q", "asim\x00"),
    ("persons", "party", "NO-PARTY"),
    ("persons", "active_on", "2021/06/01"),
    ("persons", "ordering", "birth"),
    ("parties", "q", "q" * 500),
    ("elections", "year", "twenty"),
    ("elections", "year", "2017.5"),
    ("elections", "jurisdiction", "atlantis"),
    ("elections", "start_after", "10-02-2022"),
    ("sources", "published_after", "2022-1-1"),
    ("sources", "mentions", "nobody"),
    ("sources", "mentions_id", "x"),
    ("places", "within", "nowhere"),
    ("organisations", "kind", "club"),
    *[(endpoint, "page_size", value) for endpoint in ENDPOINTS for value in ("100000", "-5", "ten")],
    *[(endpoint, "count", "perhaps") for endpoint in ENDPOINTS],
]


@pytest.mark.parametrize(("endpoint", "parameter", "value"), BAD_PARAMETERS)
def test_bad_parameter_is_a_400_naming_it(client, endpoint, parameter, value):
    body = get_json(client, f"/api/v1/{endpoint}/", expect=400, **{parameter: value})
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert parameter in body["errors"], body
    assert all(isinstance(message, str) and message for message in body["errors"][parameter])


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("key", ["999999", "no-such-slug"])
def test_unknown_record_is_a_json_404(client, endpoint, key):
    body = get_json(client, f"/api/v1/{endpoint}/{key}/", expect=404)
    assert body["status"] == 404
    assert body["code"] == "not_found"


def test_unknown_endpoint_is_a_json_404(client):
    response = client.get("/api/v1/candidates/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_writes_are_refused_and_change_nothing(client, endpoint):
    """Only curators write (tests/test_api_write_permissions.py has the whole matrix)."""
    before = client.get(f"/api/v1/{endpoint}/").content
    response = client.post(f"/api/v1/{endpoint}/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert client.get(f"/api/v1/{endpoint}/").content == before


def test_list_filters_do_not_apply_to_a_detail(client):
    assert get_json(client, "/api/v1/persons/asim-arun/", active_on="not-a-date")["slug"] == "asim-arun"


LISTS = [*ENDPOINTS, "constituencies", "contests"]


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize("parameter", ["actve_on", "page", "limit", "Active_on"])
def test_a_parameter_the_list_does_not_take_is_a_400_naming_it(client, endpoint, parameter):
    """A mistyped filter must not quietly answer with the whole list."""
    body = get_json(client, f"/api/v1/{endpoint}/", expect=400, **{parameter: "2021-06-01"})
    assert list(body["errors"]) == [parameter]
    assert "page_size" in body["errors"][parameter][0]  # the message lists what the list takes


@pytest.mark.parametrize(
    ("endpoint", "parameter", "value", "valid"),
    [
        ("constituencies", "reservation", "sc", "GEN, SC, ST"),
        ("persons", "ordering", "birthday", "name, -name, birth_date"),
        ("postings", "status", "rumoured", "confirmed, announced, reported, expected, speculated"),
        ("postings", "date_match", "maybe", "certainly, possibly"),
    ],
)
def test_a_value_outside_the_choices_is_refused_with_the_valid_values(client, endpoint, parameter, value, valid):
    body = get_json(client, f"/api/v1/{endpoint}/", expect=400, **{parameter: value})
    [message] = body["errors"][parameter]
    assert f"Valid values: {valid}" in message


@pytest.mark.parametrize("endpoint", ["persons", "postings", "parties", "elections", "contests", "constituencies"])
def test_every_unknown_record_says_so_in_the_same_words(client, endpoint):
    body = get_json(client, f"/api/v1/{endpoint}/999999/", expect=404)
    assert body["detail"] == "No such record."


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_url_is_a_json_404_in_debug_mode_too(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/v1/candidates/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "No such endpoint."


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"

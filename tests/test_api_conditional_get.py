"""ETags let clients and HTTP caches skip bodies they already have."""

import pytest

from records.models import Person

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.mark.parametrize("url", ["/api/v1/persons/", "/api/v1/persons/asim-arun/", "/api/v1/elections/up-2022/"])
def test_a_matching_etag_gets_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_record_gets_a_new_etag(client):
    etag = client.get("/api/v1/persons/asim-arun/")["ETag"]
    Person.objects.filter(slug="asim-arun").update(social_group="changed")
    response = client.get("/api/v1/persons/asim-arun/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_errors_are_not_cached_publicly(client):
    response = client.get("/api/v1/persons/", {"page_size": "0"})
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")

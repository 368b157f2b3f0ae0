"""Helpers for write API tests: accounts that authenticate with a token, and
conditional writes (If-Match with the ETag a GET gave)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from records.roles import ensure_curator_group

API = "/api/v1"


def account(username: str, *, curator: bool):
    """A signed-up user; a curator is in the curator group (records.roles)."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "not-used")
    if curator:
        user.groups.add(ensure_curator_group())
    return user


def token_client(user=None) -> APIClient:
    """A client that sends the user's API token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def etag_of(client: APIClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response["ETag"]


def patch(client: APIClient, url: str, body: dict, **headers):
    """PATCH based on the version a GET gives now, unless If-Match is given."""
    headers.setdefault("HTTP_IF_MATCH", etag_of(client, url))
    return client.patch(url, body, format="json", **headers)


def delete(client: APIClient, url: str, **headers):
    headers.setdefault("HTTP_IF_MATCH", etag_of(client, url))
    return client.delete(url, **headers)

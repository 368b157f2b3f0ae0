"""Helpers for API tests: fetch JSON and list every result across pages."""

from __future__ import annotations


def get_json(client, url: str, expect: int = 200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, (url, params, response.content[:500])
    return response.json()


def all_results(client, url: str, **params) -> list[dict]:
    """Every record of a list, following `next` links."""
    body = get_json(client, url, page_size=200, **params)
    results = body["results"]
    while body["next"]:
        body = get_json(client, body["next"])
        results += body["results"]
    return results


def ids(client, url: str, **params) -> list[int]:
    return [row["id"] for row in all_results(client, url, **params)]

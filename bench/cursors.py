"""A deep page's cursor for the API. The API's cursor is opaque; the one the
benchmark sends is the API's own, from the ``next`` link of a one-row first
page of the same list, with its values swapped for those of the row 90 % in.
(Its other fields, such as which order it belongs to, are the API's.) A list
with one row or none has no such link: its deep page (empty) gets a cursor of
the same shape, naming the order as the limit's keys do."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit


def decode(token: str) -> dict | None:
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode() + b"==="))
    except ValueError:
        return None
    return payload if isinstance(payload, dict) and isinstance(payload.get("v"), list) else None


def encode(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def cursor_of(link: str | None) -> str | None:
    if not link:
        return None
    found = parse_qs(urlsplit(link).query).get("cursor")
    return found[0] if found else None


def deep_cursor(first_page: dict, values: list, order: str | None = None) -> str:
    """The cursor of the rows after ``values``, shaped like ``first_page``'s next link's.
    A list too short for a next link (none or one row in the corpus) gets one made
    from ``order``, the order as the API's cursor names it."""
    token = cursor_of(first_page.get("next"))
    payload = decode(token) if token else None
    if payload is None and order is not None and not first_page.get("next"):
        payload = {"o": order, "v": values, "r": 0}
    if payload is None:
        raise ValueError("the API's first page has no next link with a cursor the benchmark can read")
    if len(payload["v"]) != len(values):
        raise ValueError(f"the API's cursor holds {len(payload['v'])} values, the limit's order {len(values)}")
    return encode({**payload, "v": values})

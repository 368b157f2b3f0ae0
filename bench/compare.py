"""Do the API and the limit return the same data for the same request?

``results``, ``count`` and a detail's every field must be equal, as parsed
JSON. Links differ in their prefix (/api/v1/ vs /limit/v1/): after it they
must be equal too, except a page's ``next`` and ``previous``: the API's
cursor is opaque and the limit's is plain (``after=`` / ``before=`` the
order's values of a row), so those are compared by the page they lead to:
the row values they resume from, the direction and the other parameters."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from bench.cursors import decode

PAGE_LINKS = ("next", "previous")
POSITION_PARAMS = {"cursor", "after", "before"}


def normalise(document, prefix: str):
    """The document with every string that is a link under ``prefix`` made relative to it."""
    if isinstance(document, dict):
        return {key: normalise(value, prefix) for key, value in document.items()}
    if isinstance(document, list):
        return [normalise(value, prefix) for value in document]
    if isinstance(document, str) and prefix in document and document.startswith("http"):
        return document.split(prefix, 1)[1]
    return document


def position(link: str | None):
    """Where a page link leads: (direction, row values, other parameters); the
    opaque token itself where the cursor cannot be read."""
    if link is None:
        return None
    query = parse_qs(urlsplit(link).query)
    others = sorted((k, v) for k, v in query.items() if k not in POSITION_PARAMS)
    if "cursor" in query:
        payload = decode(query["cursor"][0])
        if payload is None:
            return ("opaque cursor", others)
        return ("before" if payload.get("r") else "after", payload["v"], others)
    for direction in ("after", "before"):
        if direction in query:
            return (direction, json.loads(query[direction][0]), others)
    return ("first page", others)


def _drop(document, keys: frozenset):
    if isinstance(document, dict):
        return {k: _drop(v, keys) for k, v in document.items() if k not in keys}
    if isinstance(document, list):
        return [_drop(v, keys) for v in document]
    return document


def differences(
    api_body: bytes,
    limit_body: bytes,
    *,
    api_prefix: str = "/api/v1/",
    limit_prefix: str = "/limit/v1/",
    ignore: frozenset = frozenset(),
) -> list[str]:
    """Paths where the two documents differ; empty when they carry the same data.
    HTML (a preview card) is compared by the words it shows, markup aside."""
    if api_body.lstrip()[:1] == b"<" or limit_body.lstrip()[:1] == b"<":
        out: list[str] = []
        _diff(shown_words(api_body), shown_words(limit_body), "$text", out)
        return out
    api, limit = json.loads(api_body), json.loads(limit_body)
    if isinstance(api, dict) and isinstance(limit, dict):
        for name in PAGE_LINKS:
            if name in api and name in limit and "results" in api:
                api[name], limit[name] = position(api[name]), position(limit[name])
    api = _drop(normalise(api, api_prefix), ignore)
    limit = _drop(normalise(limit, limit_prefix), ignore)
    out: list[str] = []
    _diff(json.loads(json.dumps(api)), json.loads(json.dumps(limit)), "$", out)
    return out


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.words: list[str] = []

    def handle_data(self, data):
        self.words += data.split()


def shown_words(body: bytes) -> list[str]:
    """The words an HTML document shows (its title's included), in order."""
    parser = _Text()
    parser.feed(body.decode("utf-8", "replace"))
    return parser.words


def _diff(a, b, path: str, out: list[str], limit: int = 20) -> None:
    if len(out) >= limit:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}.{key}: only in {'the limit' if key in b else 'the API'}")
            else:
                _diff(a[key], b[key], f"{path}.{key}", out, limit)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items in the API, {len(b)} in the limit")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff(x, y, f"{path}[{i}]", out, limit)
    elif a != b or type(a) is not type(b):
        out.append(f"{path}: API {a!r} != limit {b!r}")

"""Do the API and the limit return the same data for the same request?

Links differ only in their path prefix (/api/v1/ vs /limit/v1/); after that,
the parsed JSON documents must be equal."""

from __future__ import annotations

import json


def normalise(document, prefix: str):
    """The document with every string that is a link under ``prefix`` made relative to it."""
    if isinstance(document, dict):
        return {key: normalise(value, prefix) for key, value in document.items()}
    if isinstance(document, list):
        return [normalise(value, prefix) for value in document]
    if isinstance(document, str) and prefix in document and document.startswith("http"):
        return document.split(prefix, 1)[1]
    return document


def differences(api_body: bytes, limit_body: bytes, *, api_prefix="/api/v1/", limit_prefix="/limit/v1/") -> list[str]:
    """Paths where the two documents differ; empty when they carry the same data."""
    api = normalise(json.loads(api_body), api_prefix)
    limit = normalise(json.loads(limit_body), limit_prefix)
    out: list[str] = []
    _diff(api, limit, "$", out)
    return out


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

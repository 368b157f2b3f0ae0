"""Conditional GETs decided before any query of the answer runs.

An answer's ETag has two parts, ``"<data>.<body>"``:

- ``data``: a hash of the versions of the tables the answer is read from
  (records/dataversions.py, records/api/dependencies.py), the full path and
  query, the negotiated media type and whether the requester is signed in.
  Equal data parts mean the same answer, so a matching ``If-None-Match`` is a
  304 after one small query (the versions), without reading or rendering.
- ``body``: a hash of the bytes, as before. ``If-Match`` on a write compares
  this part only: a write to *another* record of a table changes the data part
  of every answer read from that table, but not this record's body, so it is
  no reason for a 412; a change to this record (or its citations) is.

Versions are read *before* the answer: a write landing in between gives a
newer body an older data part (the next request just gets a 200), never an
older body a newer one (which would answer 304 to a stale copy for ever).

Last-Modified is the latest change of those tables (to the second).
If-Modified-Since is only read without If-None-Match (RFC 9110, 13.2.2).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from records.dataversions import versions

# Who may get a different answer: the representation (Accept: JSON or CSV) and the requester.
VARY = ("Accept", "Authorization", "Cookie")


@dataclass(frozen=True)
class Validators:
    data_tag: str  # the data part of the ETag
    last_modified: datetime | None

    def etag(self, body: bytes) -> str:
        return f'"{self.data_tag}.{body_tag(body)}"'

    def matches(self, request) -> bool:
        """Whether the request's If-None-Match (or If-Modified-Since) says it has this answer."""
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            # "*" (any version at all) needs to know whether the record exists: left to the answer.
            return self.data_tag in {data_part(tag) for tag in parse_etags(if_none_match)}
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and self.last_modified is not None and int(self.last_modified.timestamp()) <= since

    def matching_etag(self, request) -> str | None:
        """The tag of If-None-Match that names this answer (a 304 repeats it)."""
        for tag in parse_etags(request.headers.get("If-None-Match", "")):
            if data_part(tag) == self.data_tag:
                return tag
        return None

    def set_headers(self, response, *, etag: str | None = None) -> None:
        if etag is not None:
            response["ETag"] = etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())


def validators_for(
    request, tables: frozenset[str], media_type: str, *, path: str | None = None, found: dict | None = None
) -> Validators | None:
    """The request's validators (``path``: of another URL than the request's,
    with no query; ``found``: the tables' versions, read already); None when a
    table has no version (its trigger is not installed: nothing then would
    tell a change)."""
    if found is None:
        found = versions(tables)
    if len(found) < len(tables):
        return None
    user = getattr(request, "user", None)
    key = [
        code_version(),
        *(f"{v.table}:{v.number}:{v.changed_at.isoformat()}" for v in sorted(found.values(), key=lambda v: v.table)),
        request.get_full_path() if path is None else path,
        media_type,
        "signed-in" if user is not None and user.is_authenticated else "anonymous",
    ]
    data_tag = hashlib.blake2b("\n".join(key).encode(), digest_size=12).hexdigest()
    last_modified = max((v.changed_at for v in found.values()), default=None)
    return Validators(data_tag, last_modified)


@functools.cache
def code_version() -> str:
    """What the running code is: a deploy that changes how answers are written
    must not have clients keep copies written by the code before it. Derived
    from the code (the same on every app server that runs it)."""
    digest = hashlib.blake2b(digest_size=12)
    for folder in CODE:
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


CODE = (settings.BASE_DIR / "records", settings.BASE_DIR / "config")


def body_tag(body: bytes) -> str:
    return hashlib.md5(body, usedforsecurity=False).hexdigest()


def opaque(tag: str) -> str:
    """The tag's text between its quotes, without the weak marker: a
    compressing proxy or middleware weakens an ETag (W/"...") without changing
    what it names."""
    return tag.removeprefix("W/").strip('"')


def data_part(tag: str) -> str:
    return opaque(tag).split(".")[0]


def body_part(tag: str) -> str:
    """The body hash of an ETag (an ETag of one part is the body's hash itself)."""
    return opaque(tag).rpartition(".")[2]


def cache_control(request) -> str:
    """Public reads may be kept by shared caches and served a while stale as
    they revalidate; a signed-in requester's answers are private and revalidated."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "private, no-cache"
    return (
        f"public, max-age={settings.API_CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.API_CACHE_STALE_WHILE_REVALIDATE}"
    )


def vary(response) -> None:
    patch_vary_headers(response, VARY)

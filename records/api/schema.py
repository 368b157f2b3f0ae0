"""The OpenAPI schema's error responses and security, in one place.

Every operation may be throttled (429), refused for a malformed request (400),
a URL too long (414) or headers too large (431), or answered 503 while the
database is down. Writes may also be refused for want of a token (401) or a
permission (403), for a body that is too large (413), sent without a length
(411) or invalid (400); PUT, PATCH and DELETE need the record's ETag in
If-Match (428 without it, 412 when it is stale). Operations on one record (a
path parameter) may find none (404). An operation's own documented responses
win.

Reads that anyone may make are documented with `security: []` (no credentials
needed); writes declare the token (and session) schemes and never the
anonymous alternative. A view that reads by POST (``reads_by_post``: the
reconciliation service's batch, which OpenRefine posts as a form) is a read
that may also be refused for its body's size (413, 411).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions

from records.api.errors import ErrorSerializer

SAFE = {"GET", "HEAD", "OPTIONS"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
CONDITIONAL = {"PUT", "PATCH", "DELETE"}  # the writes to an existing record: If-Match applies

RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before the next request.",
    }
}

ERROR_RESPONSES: dict[str, tuple[str, set[str]]] = {
    # status: (description, methods it applies to)
    "400": (
        "The request body or a parameter is invalid (`errors` names each field), a parameter is given twice, "
        "or the request is malformed (too many parameters, a Host this server does not answer to).",
        SAFE | WRITES,
    ),
    "401": (
        "No valid credentials: send `Authorization: Token <key>` (see `manage.py create_curator`).",
        WRITES,
    ),
    "403": ("Signed in, but without the permission this change needs (the curator role).", WRITES),
    "404": ("No such record.", SAFE | WRITES),
    "411": ("The body was sent without a Content-Length (chunked): send its length.", WRITES | {"BODY"}),
    "412": ("If-Match names an older version of the record (its ETag changed): fetch it again.", CONDITIONAL),
    "413": ("The request body is larger than the server accepts (DJANGO_REQUEST_BODY_MAX_BYTES).", WRITES | {"BODY"}),
    "428": ("If-Match is required: send the ETag of the version the change is based on.", CONDITIONAL),
    "414": ("The URL (path and query) is longer than 4,096 characters.", SAFE | WRITES),
    "429": ("Too many requests from this client; `Retry-After` says when to try again.", SAFE | WRITES),
    "431": ("Too many headers (over 100), or one over 8,190 bytes.", SAFE | WRITES),
    "503": ("The database does not answer; `Retry-After` says when to try again.", SAFE | WRITES),
}


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class RecordsAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self._is_read() and self._anyone_may_call():
            operation["security"] = []  # explicitly public: no credentials needed
        return operation

    def _is_read(self) -> bool:
        return self.method in SAFE or getattr(self.view, "reads_by_post", False)

    def _documented_as(self) -> set[str]:
        """The methods whose errors this operation may answer."""
        if self.method in SAFE or not self._is_read():
            return {self.method}
        return {"GET", "BODY"}

    def get_auth(self):
        auth = super().get_auth()
        if self.method in WRITES and not self._is_read():
            return [requirement for requirement in auth if requirement]  # never "or anonymously"
        return auth

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        has_path_parameter = "{" in self.path
        for code, (description, methods) in ERROR_RESPONSES.items():
            if code in responses or not self._documented_as() & methods:
                continue
            if code == "404" and not has_path_parameter:
                continue
            responses[code] = self._get_response_for_code(error_response(description), code, direction=direction)
        return responses

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        if media_types is None and not str(status_code).startswith("2"):
            media_types = ["application/json"]  # errors are JSON whatever the success's type (a list's CSV)
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) in ("429", "503"):
            headers = {**RETRY_AFTER, **(headers or {})}
        return headers

    def _anyone_may_call(self) -> bool:
        """True when every permission of the view lets an anonymous client make
        this (safe) request: asked of the permission classes themselves."""
        request = SimpleNamespace(method=self.method, user=AnonymousUser(), auth=None)
        try:
            return all(p.has_permission(request, self.view) for p in self.view.get_permissions())
        except Exception:  # a permission that needs a real request: not provably public
            return isinstance(self.view.get_permissions(), list) and all(
                isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()
            )

"""A request id for every request: taken from a trusted proxy's X-Request-ID
when it is well-formed, else made here. It is returned in the X-Request-ID
header and in every JSON error body, and every log line written while the
request runs carries it, so that a client's report of a 500 leads to its
traceback."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.conf import settings

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


class RequestIdMiddleware:
    """First in the stack, so that every later answer (errors included) has it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        # A client could pick ids that collide with others' to muddle the logs:
        # only a proxy of ours may set it.
        trusted = settings.TRUSTED_PROXY_COUNT > 0 and _WELL_FORMED.fullmatch(incoming)
        request.id = incoming if trusted else uuid.uuid4().hex
        token = _current.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get() or "-"
        return True

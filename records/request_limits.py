"""Limits on the size of a request, enforced before anything reads it.

The URL and the headers: over the limits below, a JSON 414 or 431.

DRF's parsers read the request stream themselves, so Django's
DATA_UPLOAD_MAX_MEMORY_SIZE (which guards form parsing) never applies to the
API. This refuses a declared Content-Length over DJANGO_REQUEST_BODY_MAX_BYTES
with 413 and the API's JSON error body.

Django never reads more than the declared length, so a body sent without one
(Transfer-Encoding: chunked) would reach a view empty: a write would "succeed"
and change nothing. Such a request is refused with 411 Length Required.
"""

from __future__ import annotations

from django.conf import settings

from records.api.errors import error_response

BODILESS = {"GET", "HEAD", "OPTIONS"}

# Django answers these before gunicorn would (its limits are set higher in
# config/gunicorn.conf.py), so that the client gets the API's JSON error body
# rather than gunicorn's HTML page.
MAX_URL_CHARS = 4096  # path and query string, as sent
MAX_HEADERS = 100
MAX_HEADER_BYTES = 8190  # one header: name, ": " and value


def _headers(meta: dict):
    for key, value in meta.items():
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            yield key.removeprefix("HTTP_"), value


def oversized_request(request):
    """A 414 or 431 answer when the request line or the headers are too large, else None."""
    url = len(request.META.get("PATH_INFO", "")) + len(request.META.get("QUERY_STRING", ""))
    if url > MAX_URL_CHARS:
        return error_response(414, "uri_too_long", f"The URL is {url} characters long; the limit is {MAX_URL_CHARS}.")
    headers = list(_headers(request.META))
    if len(headers) > MAX_HEADERS:
        return error_response(
            431, "headers_too_large", f"The request has {len(headers)} headers; the limit is {MAX_HEADERS}."
        )
    for name, value in headers:
        size = len(name) + 2 + len(str(value))
        if size > MAX_HEADER_BYTES:
            header = name.replace("_", "-").title()
            return error_response(
                431, "headers_too_large", f"The {header} header is {size} bytes; the limit is {MAX_HEADER_BYTES}."
            )
    return None


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = oversized_request(request)
        if refused is not None:
            return refused
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and request.method not in BODILESS:
            return error_response(
                411, "length_required", "Send the request body with a Content-Length; chunked bodies are not read."
            )
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads a malformed length as no body
        if declared > limit:
            return error_response(
                413, "request_too_large", f"The request body is {declared} bytes; the limit is {limit}."
            )
        return self.get_response(request)

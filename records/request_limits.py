"""A limit on request bodies, enforced before anything reads one.

DRF's parsers read the request stream themselves, so Django's
DATA_UPLOAD_MAX_MEMORY_SIZE (which guards form parsing) never applies to the
API. This refuses a declared Content-Length over DJANGO_REQUEST_BODY_MAX_BYTES
with 413 and the API's JSON error body. Django never reads more than the
declared length, so a body without one (chunked) reaches a view empty.
"""

from __future__ import annotations

from django.conf import settings

from records.api.errors import error_response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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

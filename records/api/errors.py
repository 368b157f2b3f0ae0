"""Every API error is JSON of one shape: status, code, detail and, for invalid
input, the messages per parameter or field."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost, TooManyFieldsSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found, server_error
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

from records.request_id import current_request_id

# How long a client should wait before retrying while the database is down.
DATABASE_RETRY_AFTER_SECONDS = 30


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text='Machine-readable: "invalid", "not_found", "throttled"...')
    detail = serializers.CharField(help_text="What went wrong, for a person.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: messages per parameter or field.",
    )
    request_id = serializers.CharField(
        required=False, help_text="This request's id (also the X-Request-ID header): quote it when reporting an error."
    )


class Conflict(exceptions.APIException):
    """A 409: the change conflicts with other records (a reference, a merge)."""

    status_code = 409
    default_code = "conflict"
    default_detail = "The change conflicts with other records."


def with_request_id(body: dict) -> dict:
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    return body


def error_response(status: int, code: str, detail: str, **headers: str) -> JsonResponse:
    """The error body, for answers made outside DRF's views (middleware, handlers)."""
    response = JsonResponse(with_request_id({"status": status, "code": code, "detail": detail}), status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


NO_SUCH_RECORD = "No such record."
NOT_FOUND_DEFAULT = exceptions.NotFound.default_detail

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="A parameter is invalid; `errors` names it.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such record.")


def api_exception_handler(exc, context):
    if isinstance(exc, Http404) or (isinstance(exc, exceptions.NotFound) and exc.detail == NOT_FOUND_DEFAULT):
        exc = exceptions.NotFound(NO_SUCH_RECORD)  # one wording, whatever raised it
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == 503:
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    if isinstance(exc, exceptions.ValidationError):
        errors = field_messages(exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail})
        response.data = {
            "status": response.status_code,
            "code": "invalid",
            "detail": "Invalid input: " + ", ".join(errors) + ".",
            "errors": errors,
        }
        with_request_id(response.data)
    else:
        detail = getattr(exc, "detail", str(exc))
        response.data = {
            "status": response.status_code,
            "code": getattr(detail, "code", None) or exc.default_code,
            "detail": str(detail),
        }
        with_request_id(response.data)
    return response


def _as_list(messages):
    return messages if isinstance(messages, list) else [messages]


def field_messages(detail: dict) -> dict[str, list[str]]:
    """Messages per field; a nested field is named by its path in the body:
    ``citations[1].quote`` (the second citation's quote)."""
    out: dict[str, list[str]] = {}
    for name, messages in detail.items():
        _collect(messages, str(name), out)
    return out


def _collect(messages, key: str, out: dict[str, list[str]]) -> None:
    if isinstance(messages, dict):  # a nested object's errors (a list field's: by index)
        for name, inner in messages.items():
            _collect(inner, f"{key}[{name}]" if isinstance(name, int) else f"{key}.{name}", out)
    elif isinstance(messages, list) and any(isinstance(m, dict | list) for m in messages):
        for index, inner in enumerate(messages):  # one entry per item, {} for a valid one
            _collect(inner, f"{key}[{index}]", out)
    else:
        out.setdefault(key, []).extend(str(m) for m in _as_list(messages))


def not_found(request, exception=None):
    """JSON 404 under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return error_response(404, "not_found", "No such endpoint.")
    return page_not_found(request, exception)


@csrf_exempt  # a POST to an unknown URL is a 404 too, not a CSRF refusal
def no_such_endpoint(request, *args, **kwargs):
    """The last URL pattern under /api/: a JSON 404 in debug mode too, where
    Django would answer an unmatched URL with its HTML debug page."""
    return error_response(404, "not_found", "No such endpoint.")


def bad_request(request, exception=None):
    """JSON 400 under /api/ (a Host not allowed, too many fields...), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        if isinstance(exception, DisallowedHost):
            detail = "The Host header names a host this server does not answer to."
        elif isinstance(exception, TooManyFieldsSent):
            detail = f"Too many query parameters or form fields (at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})."
        else:
            detail = "Bad request: the request was malformed or not allowed."
        return error_response(400, "bad_request", detail)
    return django_bad_request(request, exception)


def database_down(exc: BaseException | None) -> bool:
    """An error that says the database cannot be reached or read right now (as
    opposed to a bug in a query, an IntegrityError or a ProgrammingError): the
    client may retry later. A bare DatabaseError is SQLite's "file is not a
    database" or "disk image is malformed"."""
    return isinstance(exc, OperationalError | InterfaceError) or type(exc) is DatabaseError


def server_failure(request):
    """A 500, or a 503 with Retry-After when the database is down; JSON under
    /api/. Django calls this inside its `except`, so the exception is at hand
    (and Django has logged it, with its traceback and the request id)."""
    if database_down(sys.exc_info()[1]):
        retry = str(DATABASE_RETRY_AFTER_SECONDS)
        if request.path.startswith("/api/"):
            return error_response(
                503, "database_unavailable", "The database does not answer; try again later.", Retry_After=retry
            )
        response = HttpResponse("Service unavailable: the database does not answer.", status=503)
        response["Content-Type"] = "text/plain; charset=utf-8"
        response["Retry-After"] = retry
        return response
    if request.path.startswith("/api/"):
        return error_response(500, "server_error", "Internal server error.")
    return server_error(request)

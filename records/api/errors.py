"""Every API error is JSON of one shape: status, code, detail and, for invalid
input, the messages per parameter or field."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views.defaults import page_not_found, server_error
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text='Machine-readable: "invalid", "not_found", "throttled"...')
    detail = serializers.CharField(help_text="What went wrong, for a person.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: messages per parameter or field.",
    )


class Conflict(exceptions.APIException):
    """A 409: the change conflicts with other records (a reference, a merge)."""

    status_code = 409
    default_code = "conflict"
    default_detail = "The change conflicts with other records."


def error_response(status: int, code: str, detail: str) -> JsonResponse:
    """The error body, for answers made outside DRF's views (middleware, handlers)."""
    return JsonResponse({"status": status, "code": code, "detail": detail}, status=status)


BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="A parameter is invalid; `errors` names it.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such record.")


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = field_messages(exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail})
        response.data = {
            "status": response.status_code,
            "code": "invalid",
            "detail": "Invalid input: " + ", ".join(errors) + ".",
            "errors": errors,
        }
    else:
        detail = getattr(exc, "detail", str(exc))
        response.data = {
            "status": response.status_code,
            "code": getattr(detail, "code", None) or exc.default_code,
            "detail": str(detail),
        }
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


def server_failure(request):
    if request.path.startswith("/api/"):
        return error_response(500, "server_error", "Internal server error.")
    return server_error(request)

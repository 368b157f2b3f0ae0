"""Responses: JSON from orjson, and the list envelope with its links."""

from __future__ import annotations

import orjson
from django.http import HttpResponse

from bench.limit.paging import Page


def json_response(data, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), content_type="application/json", status=status)


def not_found() -> HttpResponse:
    return json_response({"detail": "Not found."}, status=404)


def _link(request, name: str, values: list) -> str:
    query = request.GET.copy()
    query.pop("after", None)
    query.pop("before", None)
    query[name] = orjson.dumps(values).decode()
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def envelope(request, page: Page, results: list) -> HttpResponse:
    return json_response(
        {
            "next": _link(request, "after", page.next_values) if page.next_values is not None else None,
            "previous": _link(request, "before", page.previous_values) if page.previous_values is not None else None,
            "count": page.count,
            "results": results,
        }
    )

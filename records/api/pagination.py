"""Keyset ("cursor") pagination: a deep page costs what the first page costs.

The list's ordering (a whitelisted field or annotation, ascending or
descending, NULLs last, then ``id`` in the last field's direction) is read
from the filtered queryset. A cursor holds the ordering values of the last
row served, signed with the list and order it belongs to; the next page is
the rows strictly after them, read by the list's page plan
(records/api/keyset.py). Totals are opt-in (``count=true``) because counting
a large filtered set costs more than the page; a worker keeps a total while
the tables it counts are unchanged (records/remembered.py).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from records.api.keyset import PagePlan

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _reject(token):
    raise ValueError(f"unexpected {token!r} in a cursor")


def _plain_value(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    # No NUL: PostgreSQL refuses it in a string (a 500), and no stored value holds one.
    return value is None or (isinstance(value, str) and len(value) <= 1000 and "\x00" not in value)


def _encode_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(signature: str, values: list, *, reverse: bool = False) -> str:
    """The opaque cursor for the rows after (or, reversed, before) ``values``."""
    payload = {"o": signature, "v": [_encode_value(v) for v in values], "r": int(reverse)}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


class KeysetPagination(BasePagination):
    """``page_size`` (1-200, default 50), ``cursor`` (opaque), ``count`` (true to total)."""

    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    count_query_param = "count"

    @property
    def query_parameters(self) -> set[str]:
        return {self.page_size_query_param, self.cursor_query_param, self.count_query_param}

    def paginate_plan(self, plan: PagePlan, request, *, given: dict | None = None, total=None) -> list[dict]:
        """The page of ``plan``'s rows the request asks for; ``given``: the
        values of its queryset's slots, and then ``total()`` counts the rows."""
        versions = getattr(request, "data_versions", None)

        def fetch(values, reverse, limit):
            return plan.fetch(values, reverse, limit, given=given)

        return self._page(
            request, plan.model, plan.keys, plan.key_fields, fetch, total or (lambda: plan.total(versions))
        )

    def _page(self, request, model, keys, fields, fetch, total) -> list:
        self.request = request
        self.page_size = self._page_size(request)
        self.keys = keys
        self.model = model
        self.key_fields = fields
        self.total = total() if self._wants_count(request) else None
        cursor = self._decode(request.query_params.get(self.cursor_query_param))
        reverse = bool(cursor and cursor["reverse"])
        # One row more than a page, to know whether another follows.
        rows = fetch(cursor["values"] if cursor else None, reverse, self.page_size + 1)
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
        self.has_next = more if not reverse else True
        self.has_previous = (more if reverse else bool(cursor)) and bool(rows)
        if not rows:
            self.has_next = self.has_previous = False
        self.rows = rows
        return rows

    def get_paginated_response(self, data):
        return Response(self.envelope(data))

    def envelope(self, results) -> dict:
        return {
            "next": self._link(self.rows[-1], reverse=False) if self.has_next and self.rows else None,
            "previous": self._link(self.rows[0], reverse=True) if self.has_previous and self.rows else None,
            "count": self.total,
            "results": results,
        }

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "count", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True, "description": "The next page, if any."},
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The previous page, if any.",
                },
                "count": {
                    "type": "integer",
                    "nullable": True,
                    "description": "Total number of matching records; null unless the request asks count=true.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Records per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            },
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a previous response's `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.count_query_param,
                "in": "query",
                "required": False,
                "description": "true to include the total number of matching records in `count` (slower).",
                "schema": {"type": "boolean", "default": False},
            },
        ]

    # -- parameters ---------------------------------------------------------

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError({self.page_size_query_param: [f"Must be a whole number from 1 to {MAX_PAGE_SIZE}."]})
        return int(raw)

    def _wants_count(self, request) -> bool:
        raw = request.query_params.get(self.count_query_param)
        if raw is None:
            return False
        lowered = raw.lower()
        if lowered not in ("true", "false", "1", "0"):
            raise ValidationError({self.count_query_param: ["Must be true or false."]})
        return lowered in ("true", "1")

    def _decode(self, raw: str | None) -> dict | None:
        if raw is None:
            return None
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor; use a `next` or `previous` link."]})
        try:
            payload = json.loads(
                base64.urlsafe_b64decode(raw.encode("ascii") + b"==="),
                parse_constant=_reject,  # no NaN or Infinity
                parse_float=_reject,  # cursors hold strings, whole numbers and nulls only
            )
        except (ValueError, UnicodeEncodeError, binascii.Error, RecursionError):
            raise invalid from None
        if (
            not isinstance(payload, dict)
            or payload.get("o") != self._ordering_signature()
            or not isinstance(payload.get("v"), list)
            or len(payload["v"]) != len(self.keys)
            or not all(_plain_value(v) for v in payload["v"])
            or payload.get("r") not in (0, 1)
        ):
            raise invalid
        try:  # a crafted cursor must not reach the database with a value of the wrong type
            values = [
                None if v is None else self.key_fields[k.field].to_python(v)
                for k, v in zip(self.keys, payload["v"], strict=True)
            ]
        except (KeyError, DjangoValidationError, TypeError, ValueError, OverflowError):
            raise invalid from None
        return {"values": values, "reverse": bool(payload["r"])}

    def _ordering_signature(self) -> str:
        """Which list and order a cursor belongs to: it is refused anywhere else."""
        order = ",".join(("-" if k.descending else "") + k.field for k in self.keys)
        return f"{self.model._meta.label_lower}:{order}"

    def _link(self, row, *, reverse: bool) -> str:
        values = [row[k.field] if isinstance(row, dict) else getattr(row, k.field) for k in self.keys]
        token = encode_cursor(self._ordering_signature(), values, reverse=reverse)
        # Every other parameter is kept, count=true included: the next page answers the same question.
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, token)

"""The hook a viewset uses to serve its reads from the fast path.

A viewset names a ``fast_list`` (fields for ``.values()`` and the function
that turns a page of rows into JSON) and/or a ``fast_detail`` (a function
from a lookup to the JSON of one record). Everything else stays DRF's:
routing, permissions, the filterset, keyset pagination, error responses.
Writes never come here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from rest_framework.response import Response

from records.api.fast.renderers import OrjsonRenderer


@dataclass(frozen=True)
class FastList:
    fields: tuple[str, ...]  # the ordering keys are added by the paginator
    build: Callable[[list[dict]], list[dict]]


def fast_reads_enabled() -> bool:
    return settings.RECORDS_FAST_READS


class FastReadsMixin:
    fast_list: FastList | None = None
    fast_detail: Callable | None = None  # (Q lookup) -> dict, or None when no record matches
    renderer_classes = [OrjsonRenderer]

    def list(self, request, *args, **kwargs):
        if self.fast_list is None or not fast_reads_enabled():
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginator.paginate_values(queryset, request, self.fast_list.fields)
        return self.get_paginated_response(self.fast_list.build(rows))

    def retrieve(self, request, *args, **kwargs):
        if self.fast_detail is None or not fast_reads_enabled():
            return super().retrieve(request, *args, **kwargs)
        data = self.fast_detail(self.lookup())
        if data is None:
            raise Http404
        return Response(data)

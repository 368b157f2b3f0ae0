"""CSV of every list: ``Accept: text/csv`` or ``?format=csv`` on a list gives
every record the same filters and ordering select, one row per record
(columns: records/api/csv_columns.py), streamed.

Streamed in keyset chunks, the way the JSON list pages (records/api/keyset.py):
each chunk is one query for ``CHUNK_ROWS`` rows after the last one sent, built
into JSON by the list's read spec (its nested parts a chunk at a time, as for
a page), flattened and written out before the next is read, so memory stays
flat whatever the size of the export. Between chunks no cursor stays open, so
nothing holds the database (SQLite's write lock, which the rate-limit counters
take, included). The first chunk is read before the response starts, so that
a failing query is an error response rather than a cut-off file.

An export is not paginated: ``cursor``, ``page_size`` and ``count`` are refused
(400). It is counted against the client's rate limits as one request per
``ROWS_PER_REQUEST`` rows (records/api/throttling.py). No ETag: a streamed body
is not hashed before it is sent."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.http import HttpRequest, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings

from records.api.csv_columns import Column, csv_columns, csv_row
from records.api.keyset import fetch_after, ordering_keys
from records.api.readspec import Spec
from records.api.throttling import ROWS_PER_REQUEST, RateCharge

CHUNK_ROWS = 1000
CONTENT_TYPE = "text/csv; charset=utf-8"


class CsvRenderer(BaseRenderer):
    """Selects CSV in content negotiation; the body is streamed by ``csv_response``,
    and errors are JSON (records/api/resources/base.py), so nothing renders through it."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise TypeError("A CSV list is streamed by records.api.csv_export.csv_response, never rendered from data.")


def wants_csv(request) -> bool:
    return isinstance(getattr(request, "accepted_renderer", None), CsvRenderer)


# -- reading ------------------------------------------------------------------


def record_chunks(spec: Spec, queryset, context: dict) -> Iterator[list[dict]]:
    """The queryset's records as ``spec``'s JSON, in its order, a chunk at a
    time. The first chunk is read now, the rest as the iterator is consumed."""
    chunk_rows = CHUNK_ROWS
    keys = ordering_keys(queryset)
    columns = spec.columns()
    rows = queryset.prefetch_related(None).values(*columns, *(k.field for k in keys if k.field not in columns))
    first = fetch_after(rows, keys, None, reverse=False, limit=chunk_rows)

    def chunks(chunk):
        while chunk:
            last = [chunk[-1][k.field] for k in keys]
            yield spec.build(chunk, context)
            if len(chunk) < chunk_rows:
                return
            chunk = fetch_after(rows, keys, last, reverse=False, limit=chunk_rows)

    return chunks(first)


# -- writing ------------------------------------------------------------------


def csv_bytes(
    columns: tuple[Column, ...], chunks: Iterator[list[dict]], sent: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The header line, then each chunk's rows as UTF-8 CSV (RFC 4180: CRLF,
    quoted where needed); ``sent(n)`` after each chunk's ``n`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    yield buffer.getvalue().encode()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(csv_row(columns, record) for record in chunk)
        yield buffer.getvalue().encode()
        if sent is not None:
            sent(len(chunk))


def csv_response(view, queryset) -> StreamingHttpResponse:
    """The filtered, ordered ``queryset`` of a list view as a streamed CSV download."""
    # HEAD: the headers a GET would have; servers read and drop a body, so none is made.
    head = view.request.method == "HEAD"
    chunks = iter(()) if head else record_chunks(view.list_spec, queryset, view.read_context())
    body = csv_bytes(csv_columns(view.list_spec), chunks, RateCharge(view, view.request, per=ROWS_PER_REQUEST))
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPE)
    name = view.request.path.rstrip("/").rsplit("/", 1)[-1]
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def csv_viewsets() -> dict:
    """Every list served as CSV, by its URL name (``persons``, ``claim-links``...)."""
    from records.api.urls import router  # the resources, as the API serves them

    return {prefix: viewset for prefix, viewset, _ in router.registry if hasattr(viewset, "list_spec")}


def csv_resources() -> list[str]:
    return sorted(csv_viewsets())


def write_csv(resource: str, fp: BinaryIO) -> int:
    """Writes a resource's whole list (``persons``, ``claim-links``...: its URL
    name) as the API's CSV, in the list's default order, to a binary file;
    returns the number of rows. For publishing exports outside a request."""
    viewsets = csv_viewsets()
    if resource not in viewsets:
        raise ValueError(f"No list {resource!r}; the lists are: {', '.join(sorted(viewsets))}.")
    http_request = HttpRequest()
    http_request.method = "GET"
    view = viewsets[resource](action="list", args=(), kwargs={}, format_kwarg=None)
    view.request = Request(http_request)
    queryset = view.filter_queryset(view.get_queryset())
    rows = 0

    def count(n):
        nonlocal rows
        rows += n

    chunks = record_chunks(view.list_spec, queryset, view.read_context())
    for data in csv_bytes(csv_columns(view.list_spec), chunks, count):
        fp.write(data)
    return rows


# -- the schema ---------------------------------------------------------------

FORMAT_PARAMETER = OpenApiParameter(
    api_settings.URL_FORMAT_OVERRIDE,
    str,
    enum=["json", "csv"],
    default="json",
    description="csv: every matching record as one CSV file, streamed (the same as `Accept: text/csv`); "
    "json (the default): a page. A CSV export takes the list's filters and `ordering`, but no `cursor`, "
    f"`page_size` or `count` (400); it counts against the rate limits as one request per {ROWS_PER_REQUEST} rows.",
)


def list_responses(spec: Spec) -> dict:
    """A list's 200 responses: a JSON page of ``spec``'s records, or all of them as CSV
    (one description for both: OpenAPI has one per status)."""
    headers = ", ".join(f"`{column.header}`" for column in csv_columns(spec))
    description = (
        "JSON (the default): a page of records. CSV (`Accept: text/csv` or `format=csv`): every matching "
        "record, one row each, in the list's order, as a download (UTF-8, a header line, CRLF line ends). "
        "Nested records are flattened into `<field>_<inner field>` columns; a fuzzy date gives `<field>`, "
        "`<field>_earliest`, `<field>_latest`; only the first citation is given (`citation_source` is its "
        'source\'s slug); lists of names or values are joined with "; ", other nested lists (such as `links`) '
        "are left out; null is an empty cell. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage "
        "return starts with a single quote (`'=HYPERLINK(...)`), so that a spreadsheet shows it rather than runs "
        f"it as a formula; numbers and dates are written as they are. Columns: {headers}."
    )
    return {
        (200, "application/json"): OpenApiResponse(spec.serializer(many=True), description=description),
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=description),
    }

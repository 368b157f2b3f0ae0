"""CSV on every list: `Accept: text/csv` or `?format=csv` gives every record
the list's filters and ordering select, one row each with flattened columns,
streamed; bad input is a JSON 400 like the JSON list's; an export counts
against the rate limits by its rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.api import csv_export
from records.api.urls import router
from tests.api import all_results, openapi_document, reads

API = "/api/v1"
LISTS = sorted(prefix for prefix, viewset, _ in router.registry if hasattr(viewset, "list_spec"))
CSV = {"HTTP_ACCEPT": "text/csv"}


def body_of(response) -> str:
    assert response.streaming, "a CSV export is streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, url: str, **params) -> list[dict]:
    """The CSV rows of a list (asked with Accept: text/csv), each as {column: cell}."""
    response = client.get(url, params, **CSV)
    assert response.status_code == 200, response.content[:500]
    return list(csv.DictReader(io.StringIO(body_of(response), newline="")))


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_exports_its_records_in_its_json_order(client, seeded, resource):
    url = f"{API}/{resource}/"
    by_accept = client.get(url, **CSV)
    assert by_accept.status_code == 200
    assert by_accept["Content-Type"] == "text/csv; charset=utf-8"
    assert by_accept["Content-Disposition"] == f'attachment; filename="{resource}.csv"'
    assert "Accept" in by_accept["Vary"]
    text = body_of(by_accept)
    assert text == body_of(client.get(url, {"format": "csv"}))  # the same export either way

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    records = all_results(client, url)
    assert [row["id"] for row in rows] == [str(record["id"]) for record in records]
    header = text.splitlines()[0].split(",")
    flattened = {"citations": "citation_source"}  # the first citation
    for key in records[0] if records else ():  # each JSON key is a column, or flattened into some
        if key != "links":  # the one list left out
            assert flattened.get(key, key) in header or any(c.startswith(f"{key}_") for c in header), key


def test_a_posting_row_flattens_refs_fuzzy_dates_status_and_the_first_citation(client, seeded):
    params = {"person": "asim-arun", "ordering": "-start"}
    rows = export(client, f"{API}/postings/", **params)
    records = all_results(client, f"{API}/postings/", **params)
    assert len(rows) == len(records) > 1
    dated = 0
    for row, record in zip(rows, records, strict=True):
        assert row["person_slug"] == "asim-arun"
        assert row["person_name"] == record["person"]["name"]
        assert row["status"] == record["status"]
        assert row["role"] == record["role"]
        start = record["start"] or {"value": "", "earliest": None, "latest": None}
        assert (row["start"], row["start_earliest"], row["start_latest"]) == (
            start["value"],
            start["earliest"] or "",
            start["latest"] or "",
        )
        dated += bool(record["start"])
        organisation = record["organisation"] or {}
        assert row["organisation_slug"] == (organisation.get("slug") or "")
        first = record["citations"][0]
        assert (row["citation_source"], row["citation_quote"]) == (first["source_slug"], first["quote"])
        assert row["citation_published_on"] == first["published_on"]
        assert "citations" not in row
        assert "links" not in row
    assert dated, "some posting of the seeds has a start date"


def test_a_person_row_carries_birth_date_bounds_native_place_and_context(client, seeded):
    [row] = export(client, f"{API}/persons/", q="asim arun")
    [record] = all_results(client, f"{API}/persons/", q="asim arun")
    assert row["slug"] == "asim-arun"
    assert row["birth_date"] == record["birth_date"]["value"]
    assert row["birth_date_earliest"] == record["birth_date"]["earliest"]
    assert row["native_place_slug"] == record["native_place"]["slug"]
    assert row["context_party_slug"] == (record["context"]["party"] or {}).get("slug", "")


def test_the_point_of_view_applies_to_rows_and_citations(client, seeded):
    assert export(client, f"{API}/postings/", as_of="2022-01-09") == []  # before any seed was published
    sources = [source["slug"] for source in all_results(client, f"{API}/sources/")]
    seen = 0
    for slug in sources:
        rows = export(client, f"{API}/postings/", according_to=slug)
        assert {row["citation_source"] for row in rows} <= {slug}
        seen += len(rows)
    assert seen > len(export(client, f"{API}/postings/")), "the seeds tell some postings twice"


def test_a_list_of_plain_values_is_joined(client, seeded):
    for row in export(client, f"{API}/places/"):
        assert "[" not in row["other_names"]  # joined, not a Python or JSON list
    other_names = [row["other_names"] for row in export(client, f"{API}/places/") if row["other_names"]]
    assert other_names, "some seed place has other names"
    with_names = [r for r in all_results(client, f"{API}/places/") if r["other_names"]]
    assert sorted(other_names) == sorted("; ".join(r["other_names"]) for r in with_names)


@pytest.mark.parametrize("chunk_rows", [1, 2, 3])
@pytest.mark.parametrize("ordering", ["start", "-end", "career", "role"])
def test_chunk_boundaries_change_nothing(client, seeded, monkeypatch, chunk_rows, ordering):
    # Orderings with NULLs and ties: each chunk resumes after the last row sent, as a page does.
    whole = body_of(client.get(f"{API}/postings/", {"ordering": ordering, "format": "csv"}))
    monkeypatch.setattr(csv_export, "CHUNK_ROWS", chunk_rows)
    chunked = client.get(f"{API}/postings/", {"ordering": ordering, "format": "csv"})
    pieces = list(chunked.streaming_content)
    assert b"".join(pieces).decode() == whole
    assert len(pieces) > 2  # the header, then a piece per chunk


@pytest.mark.parametrize("resource", LISTS)
def test_an_export_that_fits_one_chunk_costs_the_queries_of_one_json_page(client, seeded, resource):
    url = f"{API}/{resource}/"
    with CaptureQueriesContext(connection) as page:
        client.get(url, {"page_size": 200})
    with CaptureQueriesContext(connection) as exported:
        body_of(client.get(url, **CSV))
    assert len(reads(exported)) == len(reads(page))


def test_head_answers_the_headers_without_reading_the_records(client, seeded):
    with CaptureQueriesContext(connection) as queries:
        response = client.head(f"{API}/postings/", **CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # The data versions (which name the tables they version) are read; no record is.
    reads = [query["sql"] for query in queries if "records_data_version" not in query["sql"]]
    assert not any("records_posting" in sql for sql in reads)


# -- bad input: JSON errors, nothing streamed -----------------------------------------


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"active_on": "2021-13-01"}, "active_on"),
        ({"actve_on": "2021-01-01"}, "actve_on"),
        ({"status": "rumoured"}, "status"),
        ({"ordering": "birthday"}, "ordering"),
        ({"page_size": "10"}, "page_size"),
        ({"cursor": "abc"}, "cursor"),
        ({"count": "true"}, "count"),
    ],
)
def test_a_bad_csv_request_is_a_json_400_like_the_json_list(client, seeded, params, named):
    for response in (
        client.get(f"{API}/postings/", params, **CSV),
        client.get(f"{API}/postings/", {**params, "format": "csv"}),
    ):
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert not response.streaming
        assert named in response.json()["errors"]


def test_an_unknown_format_is_a_400_naming_the_choices(client, seeded):
    response = client.get(f"{API}/persons/", {"format": "xml"})
    assert response.status_code == 400
    assert response.json()["errors"]["format"] == ["Must be json or csv."]
    assert client.get(f"{API}/persons/", {"format": "json"}).json()["results"]


def test_a_detail_has_no_csv(client, seeded):
    refused = client.get(f"{API}/persons/asim-arun/", {"format": "csv"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["format"] == ["Must be json (CSV is for lists)."]
    not_acceptable = client.get(f"{API}/persons/asim-arun/", **CSV)
    assert not_acceptable.status_code == 406
    assert not_acceptable.json()["status"] == 406


def test_json_stays_the_default_and_says_it_varies_by_accept(client, seeded):
    for headers in ({}, {"HTTP_ACCEPT": "*/*"}, {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}):
        response = client.get(f"{API}/persons/", **headers)
        assert response["Content-Type"] == "application/json"
        assert "Accept" in response["Vary"]
        assert "ETag" in response


# -- throttling ---------------------------------------------------------------------


@pytest.fixture
def burst(settings):
    def set_burst(rate):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                "anon_burst": rate,
                "anon_sustained": "10000/day",
                "user_burst": "10000/min",
                "user_sustained": "10000/day",
            },
        }
        cache.clear()

    yield set_burst
    cache.clear()


def test_an_export_counts_one_request_per_page_of_rows(client, seeded, burst, monkeypatch):
    monkeypatch.setattr(csv_export, "ROWS_PER_REQUEST", 2)  # a "page" of two rows
    postings = len(all_results(client, f"{API}/postings/"))
    assert postings >= 6
    # The export itself: 1 request; its rows beyond the first two, one more per two.
    cost = -(-postings // 2)
    burst(f"{cost + 1}/min")
    rows = export(client, f"{API}/postings/")
    assert len(rows) == postings
    assert client.get(f"{API}/parties/").status_code == 200  # the one request left
    refused = client.get(f"{API}/parties/", **CSV)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["code"] == "throttled"


def test_an_export_that_reaches_the_limit_is_not_cut_off(client, seeded, burst, monkeypatch):
    monkeypatch.setattr(csv_export, "ROWS_PER_REQUEST", 2)
    postings = len(all_results(client, f"{API}/postings/"))
    burst("2/min")
    assert len(export(client, f"{API}/postings/")) == postings  # costs far more than 2 requests...
    assert client.get(f"{API}/persons/").status_code == 429  # ...which the next request pays for


def test_an_export_within_a_page_costs_one_request(client, seeded, burst):
    burst("2/min")
    assert len(export(client, f"{API}/parties/")) <= csv_export.ROWS_PER_REQUEST
    assert client.get(f"{API}/parties/").status_code == 200
    assert client.get(f"{API}/parties/").status_code == 429


# -- the schema and the publishing hook ---------------------------------------------


def test_the_schema_documents_csv_on_every_list_and_only_there():
    paths = openapi_document()["paths"]
    for resource in LISTS:
        operation = paths[f"{API}/{resource}/"]["get"]
        content = operation["responses"]["200"]["content"]
        assert set(content) == {"application/json", "text/csv"}
        assert content["text/csv"]["schema"]["type"] == "string"
        assert "Columns: `id`, " in operation["responses"]["200"]["description"]
        assert set(operation["responses"]["400"]["content"]) == {"application/json"}
        [format_] = [p for p in operation["parameters"] if p["name"] == "format"]
        assert set(format_["schema"]["enum"]) == {"json", "csv"}
        detail = paths[f"{API}/{resource}/{{id}}/"]["get"]
        assert set(detail["responses"]["200"]["content"]) == {"application/json"}
        assert "format" not in {p["name"] for p in detail.get("parameters", [])}


@pytest.mark.parametrize("resource", ["persons", "postings", "claim-links"])
def test_write_csv_writes_what_the_api_exports(client, seeded, resource):
    out = io.BytesIO()
    rows = csv_export.write_csv(resource, out)
    served = body_of(client.get(f"{API}/{resource}/", **CSV))
    assert out.getvalue().decode() == served
    assert rows == len(all_results(client, f"{API}/{resource}/"))


def test_write_csv_refuses_an_unknown_resource():
    with pytest.raises(ValueError, match="persons"):
        csv_export.write_csv("people", io.BytesIO())

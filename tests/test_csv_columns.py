"""How a record's JSON becomes a CSV row (records/api/csv_columns.py): the
columns follow the read spec, so a field added to a spec is a column too."""

from __future__ import annotations

import csv
import io

from records.api.claim_parts import Citations, Links
from records.api.csv_columns import csv_columns
from records.api.csv_export import csv_bytes
from records.api.readspec import Field, Fuzzy, Ref, Spec
from records.api.refs import PERSON_REF
from records.api.resources.places import PLACE
from records.models import Candidacy, Posting

POSTING_PROBE = Spec(
    Posting,
    "CsvPostingProbe",
    [Field("id"), Ref("person", PERSON_REF), Fuzzy("start"), Field("status"), Citations(), Links()],
)

CITATION = {
    "id": 7,
    "source": 2,
    "source_slug": "002_abc",
    "published_on": "2022-01-10",
    "field": "start",
    "quote": 'appointed, in "March 2021",\nto Kanpur',
    "start": 5,
    "end": 40,
    "said": "",
    "locator": "",
}


def written(spec: Spec, records: list[dict]) -> list[dict]:
    text = b"".join(csv_bytes(csv_columns(spec), iter([records]))).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_refs_fuzzy_dates_the_first_citation_and_what_superseded_a_claim_are_flattened():
    assert [c.header for c in csv_columns(POSTING_PROBE)] == [
        "id",
        "person_id",
        "person_slug",
        "person_name",
        "start",
        "start_earliest",
        "start_latest",
        "status",
        "citation_source",
        "citation_published_on",
        "citation_quote",
        "citation_locator",
        "superseded_by_claim_type",
        "superseded_by_claim_id",
        "superseded_by_kind",
        "superseded_by_since",
    ]
    full = {
        "id": 4,
        "person": {"id": 1, "slug": "asim-arun", "name": "Asim Arun"},
        "start": {"value": "2021-03", "earliest": "2021-03-01", "latest": "2021-03-31"},
        "status": "confirmed",
        "citations": [CITATION, {**CITATION, "source_slug": "later", "quote": "not shown"}],
        "links": [{"id": 3, "kind": "supersedes"}],
        "superseded_by": {"kind": "supersedes", "claim": {"type": "posting", "id": 9}, "since": "2022-01-17"},
    }
    empty = {"id": 5, "person": None, "start": None, "status": "expected", "citations": [], "links": []}
    empty["superseded_by"] = None
    first, second = written(POSTING_PROBE, [full, empty])
    assert first["person_slug"] == "asim-arun"
    assert (first["start"], first["start_earliest"], first["start_latest"]) == ("2021-03", "2021-03-01", "2021-03-31")
    assert (first["citation_source"], first["citation_quote"]) == ("002_abc", CITATION["quote"])  # quoted, newline kept
    assert (first["superseded_by_kind"], first["superseded_by_claim_id"]) == ("supersedes", "9")
    assert set(second.values()) == {"5", "expected", ""}  # null refs, dates, citations: empty cells


def test_booleans_are_written_as_json_writes_them():
    spec = Spec(Candidacy, "CsvCandidacyProbe", [Field("id"), Field("won")])
    rows = written(spec, [{"id": 1, "won": True}, {"id": 2, "won": False}, {"id": 3, "won": None}])
    assert [row["won"] for row in rows] == ["true", "false", ""]


def test_lists_of_values_are_joined_and_a_new_field_is_a_new_column():
    [row] = written(PLACE, [{**dict.fromkeys(c.path[0] for c in csv_columns(PLACE)), "other_names": ["UP", "U.P."]}])
    assert row["other_names"] == "UP; U.P."
    grown = Spec(PLACE.model, "CsvPlaceProbe", [*PLACE.parts, Field("created_at")])
    assert [c.header for c in csv_columns(grown)] == [*(c.header for c in csv_columns(PLACE)), "created_at"]

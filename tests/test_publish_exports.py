"""`manage.py publish_exports`: dated, checksummed bulk downloads that the API's root links."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from records.interchange.publishing import Export, PublishFailed, publish
from records.models import Source

pytestmark = pytest.mark.django_db


def publish_into(folder: Path, *args: str) -> None:
    call_command("publish_exports", str(folder), *args, verbosity=0)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def published(results_2017, tmp_path) -> Path:
    publish_into(tmp_path, "--date", "2026-12-05")
    return tmp_path


def test_a_release_is_a_dated_folder_of_checksummed_files_and_becomes_the_latest(published):
    release = published / "2026-12-05"
    names = {p.name for p in release.iterdir()}
    assert {"popolo.json", "persons.csv", "postings.csv", "README.md", "SHA256SUMS", "manifest.json"} <= names
    sums = dict(reversed(line.split("  ")) for line in (release / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == names - {"SHA256SUMS", "manifest.json"}
    for name, digest in sums.items():
        assert sha256(release / name) == digest, name
    assert (published / "latest").resolve() == release.resolve()
    latest = json.loads((published / "latest.json").read_text())
    assert latest == json.loads((release / "manifest.json").read_text())
    assert latest["published_on"] == "2026-12-05"
    described = {f["name"]: f for f in latest["files"]}
    assert described["persons.csv"]["bytes"] == (release / "persons.csv").stat().st_size
    assert described["popolo.json"]["media_type"] == "application/json"
    assert not [p for p in published.iterdir() if p.name.startswith(".")], "no partial or temporary files are left"


def test_the_files_hold_the_records(published):
    release = published / "2026-12-05"
    popolo = json.loads((release / "popolo.json").read_text())
    assert "Asim Arun" in {person["name"] for person in popolo["persons"]}
    rows = (release / "persons.csv").read_text(encoding="utf-8").splitlines()
    manifest = {f["name"]: f for f in json.loads((release / "manifest.json").read_text())["files"]}
    from records.models import Person

    assert len(rows) - 1 == Person.objects.count() == manifest["persons.csv"]["records"]


def test_the_readme_names_every_source_with_its_license(published):
    readme = (published / "2026-12-05" / "README.md").read_text(encoding="utf-8")
    sources = list(Source.objects.all())
    assert sources
    for source in sources:
        row = next(line for line in readme.splitlines() if f"(`{source.slug}`)" in line)
        assert (source.license or "not stated") in row
    assert any(source.license for source in sources), "the 2017 results carry their license"


def test_a_second_release_of_the_same_day_is_refused_unless_replaced(published):
    before = sha256(published / "2026-12-05" / "SHA256SUMS")
    with pytest.raises(CommandError, match="already holds a release"):
        publish_into(published, "--date", "2026-12-05")
    assert sha256(published / "2026-12-05" / "SHA256SUMS") == before
    Source.objects.filter(kind=Source.Kind.DATASET).update(license="CC0-1.0")
    publish_into(published, "--date", "2026-12-05", "--replace")
    assert "CC0-1.0" in (published / "2026-12-05" / "README.md").read_text()
    assert not [p for p in published.iterdir() if p.name.startswith(".")]


def test_a_newer_release_becomes_the_latest_and_the_older_stays(published):
    publish_into(published, "--date", "2026-12-06")
    assert (published / "latest").resolve().name == "2026-12-06"
    assert json.loads((published / "latest.json").read_text())["published_on"] == "2026-12-06"
    assert (published / "2026-12-05" / "popolo.json").exists()


def test_a_folder_that_cannot_take_files_is_refused_before_anything_is_written(seeded, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for folder in (blocker, blocker / "exports"):
        with pytest.raises(CommandError, match=r"not a folder|cannot take"):
            publish_into(folder)
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
    assert blocker.read_text() == "not a folder"


def test_a_release_that_fails_half_way_leaves_the_latest_as_it_was(published):
    def breaks(handle):
        handle.write(b"half a file")
        raise RuntimeError("the database went away")

    before = (published / "latest.json").read_bytes()
    files = [Export("persons.csv", lambda handle: handle.write(b"id\n") and 0, "x"), Export("popolo.json", breaks, "x")]
    with pytest.raises(RuntimeError):
        publish(published, files, on=date(2026, 12, 7))
    assert not (published / "2026-12-07").exists()
    assert (published / "latest.json").read_bytes() == before
    assert (published / "latest").resolve().name == "2026-12-05"
    assert not [p for p in published.iterdir() if p.name.startswith(".")]


def test_a_folder_path_through_a_file_fails_with_publish_failed(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(PublishFailed):
        publish(tmp_path / "f" / "x", [], on=date(2026, 1, 1))


def test_the_api_root_links_the_latest_release(published, client, settings):
    assert "downloads" not in client.get("/api/v1/").json()
    settings.RECORDS_EXPORTS_DIR = published
    settings.RECORDS_EXPORTS_URL = "https://downloads.example.org/records/"
    root = client.get("/api/v1/").json()
    assert root["downloads"] == "https://downloads.example.org/records/latest.json"
    assert root["persons"].endswith("/api/v1/persons/")


def test_without_a_published_release_the_root_links_none(seeded, client, settings, tmp_path):
    settings.RECORDS_EXPORTS_DIR = tmp_path
    assert "downloads" not in client.get("/api/v1/").json()

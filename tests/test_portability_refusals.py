"""manage.py import_all writes nothing from a corrupt or truncated file: the
database is unchanged, compared by content, even with --replace (which would
have deleted everything first). On the seeds and a curator's edits."""

from __future__ import annotations

import gzip
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.conftest import dump_records
from tests.portability import curate, empty_the_database, state


@pytest.fixture
def exported(seeded, tmp_path):
    curate()
    path = tmp_path / "export.jsonl"
    call_command("export_all", str(path), verbosity=0)
    return path


def _break_a_row(lines: list[str], model: str, change) -> list[str]:
    """The file with one row of ``model`` (the middle one) changed."""
    rows = [i for i, line in enumerate(lines) if f'"model": "{model}"' in line]
    index = rows[len(rows) // 2]
    row = json.loads(lines[index])
    change(row["fields"])
    return [*lines[:index], json.dumps(row) + "\n", *lines[index + 1 :]]


def _a_person_row_twice(lines):
    person = next(line for line in lines if '"model": "records.person"' in line)
    return [*lines[:-1], person, lines[-1]]


CORRUPTIONS = {
    "truncated at a line": lambda lines: lines[: len(lines) // 2],
    "truncated mid-line": lambda lines: [*lines[: len(lines) // 2], lines[len(lines) // 2][:20]],
    "no end line": lambda lines: lines[:-1],
    "an empty file": lambda lines: [],
    "a line that is not JSON": lambda lines: [*lines[:5], "{not json\n", *lines[5:]],
    "a row of an unknown table": lambda lines: [*lines[:5], '{"model": "records.nothing", "pk": 1}\n', *lines[5:]],
    "a row with an unknown field": lambda lines: _break_a_row(lines, "records.posting", lambda f: f.update(size=9)),
    "a row with an invalid date": lambda lines: _break_a_row(
        lines, "records.posting", lambda f: f.update(start_earliest="2021-02-30")
    ),
    "a row breaking a constraint": lambda lines: _break_a_row(
        lines, "records.citation", lambda f: f.update(start=10, end=5)
    ),
    "a row pointing at no record": lambda lines: _break_a_row(
        lines, "records.posting", lambda f: f.update(person=10**9)
    ),
    "a user the file does not name": lambda lines: _break_a_row(
        lines, "records.posting", lambda f: f.update(verified_by=["ghost"])
    ),
    "a row twice": _a_person_row_twice,
    "another kind of file": lambda lines: ['{"format": "something-else", "version": 1}\n', *lines[1:]],
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_corrupt_file_writes_nothing(exported, tmp_path, corruption):
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(CORRUPTIONS[corruption](exported.read_text().splitlines(keepends=True))))
    before = state()

    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_all", str(broken), replace=True, verbosity=0)

    assert state() == before


def test_a_truncated_gzip_file_writes_nothing(exported, tmp_path):
    data = gzip.compress(exported.read_bytes())
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(data[: len(data) * 3 // 4])
    empty_the_database()

    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_all", str(broken), verbosity=0)

    assert dump_records() == "[]"
    assert not get_user_model().objects.exists()


def test_the_uncut_file_does_load(exported):
    """The corruptions above are what fails, not the file."""
    before = state()
    empty_the_database()
    call_command("import_all", str(exported), verbosity=0)
    assert state() == before

"""manage.py validate_popolo: Popolo files (or this database's export) against Popolo's JSON Schemas."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.interchange.popolo import write_popolo
from records.interchange.popolo.validation import default_schema_dir, validate_files

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Validate Popolo JSON files against Popolo's own JSON Schemas (draft-03, resolved from local files) "
        "and check that every *_id names an object of the file. Without files, the whole dataset of this "
        "database is exported (as GET /api/v1/popolo/ does) and validated. Prints files, objects and errors; "
        "exits 1 on any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="Popolo JSON files (default: export this database).")
        parser.add_argument(
            "--schemas", type=Path, default=None, help=f"The schemas' folder (default: {default_schema_dir()})."
        )

    def handle(self, *args, files: list[Path], schemas: Path | None, **options):
        schema_dir = schemas or default_schema_dir()
        if not schema_dir.is_dir():
            raise CommandError(f"No Popolo schemas at {schema_dir}: give --schemas.")
        with tempfile.TemporaryDirectory() as scratch:
            if not files:
                exported = Path(scratch) / "popolo.json"
                with exported.open("wb") as fp:
                    write_popolo(fp)
                files = [exported]
            missing = [str(path) for path in files if not path.is_file()]
            if missing:
                raise CommandError(f"No such file: {', '.join(missing)}")
            try:
                report = validate_files(files, schema_dir)
            except FileNotFoundError as exc:
                raise CommandError(str(exc)) from None
        for error in report.errors[:SHOWN_ERRORS]:
            self.stdout.write(error)
        if len(report.errors) > SHOWN_ERRORS:
            self.stdout.write(f"... and {len(report.errors) - SHOWN_ERRORS} more errors")
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(f"{len(report.errors)} errors")

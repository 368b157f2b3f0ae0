"""manage.py import_all INPUT: load an export_all file, all or nothing."""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from records.portability import PortabilityError, import_lines, open_input


class Command(BaseCommand):
    help = (
        "Load a file written by export_all (plain or gzipped) in one transaction: an identical database, or on "
        "any problem (corrupt or truncated file) nothing written and a non-zero exit. Refuses a database that "
        "already holds records unless --replace (which deletes them, in the same transaction)."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="The file export_all wrote; - for stdin (plain JSON lines).")
        parser.add_argument("--replace", action="store_true", help="Delete the records already in the database.")
        parser.add_argument("--database", default="default", help="The database to load into.")

    def handle(self, *args, input: str, replace: bool, database: str, **options):
        try:
            if input == "-":
                rows = import_lines(sys.stdin, replace=replace, using=database)
            else:
                path = Path(input)
                if not path.is_file():
                    raise CommandError(f"No such file: {path}")
                with open_input(path) as lines:
                    rows = import_lines(lines, replace=replace, using=database)
        except PortabilityError as error:
            raise CommandError(f"{input}: {str(error).rstrip('.')}. Nothing was written.") from None
        except (EOFError, OSError, UnicodeDecodeError, zlib.error, DatabaseError) as error:
            # A truncated or damaged gzip stream, bytes that are not UTF-8, a row the database refuses.
            raise CommandError(f"{input}: {type(error).__name__}: {error}. Nothing was written.") from None
        if options["verbosity"]:
            self.stdout.write(f"Imported {sum(rows.values())} rows into {len(rows)} tables.")

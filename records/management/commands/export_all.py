"""manage.py export_all OUTPUT: every records table, history included, as JSON lines."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.portability import export_lines, open_output


class Command(BaseCommand):
    help = (
        "Write every records table (edit history and person merges included; users by username only, never "
        "passwords or API tokens) to OUTPUT as JSON lines, gzipped when OUTPUT ends in .gz. Load with import_all."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="The file to write (.jsonl, or .jsonl.gz for gzip); - for stdout.")
        parser.add_argument("--database", default="default", help="The database to export.")

    def handle(self, *args, output: str, database: str, **options):
        if output == "-":
            for line in export_lines(database):
                self.stdout.write(line, ending="")
            return
        target = Path(output)
        if target.is_dir():
            raise CommandError(f"{target} is a directory.")
        # Written beside the target, then renamed: an interrupted export leaves no half file under its name.
        partial = target.with_name(f".{target.name}.partial")
        lines = 0
        try:
            with open_output(partial, gzipped=target.suffix == ".gz") as handle:
                for line in export_lines(database):
                    handle.write(line)
                    lines += 1
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        if options["verbosity"]:
            self.stdout.write(f"Exported {lines - 2} lines of records and users to {target}.")

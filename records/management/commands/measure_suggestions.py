"""Print the annotation suggestions' precision and recall, per kind, on
annotated documents: by default the seeds and the test material
(tests/material/). What counts as right: records/suggestions/measure.py.

The suggestions are computed against the database as it is (its records
are the gazetteer): say which database the numbers are for."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records.suggestions import suggest
from records.suggestions.measure import Measured, measure, read

DEFAULT_FOLDERS = ("seeds", "tests/material")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "documents",
            nargs="*",
            type=Path,
            help="Document .txt files, each with its .yaml beside it (default: seeds and tests/material).",
        )
        parser.add_argument("--mistakes", action="store_true", help="Also list each wrong suggestion and each miss.")

    def handle(self, *args, documents: list[Path], mistakes: bool, **options):
        if not documents:
            documents = [
                path for folder in DEFAULT_FOLDERS for path in sorted((settings.BASE_DIR / folder).glob("*.txt"))
            ]
        total = Measured()
        for path in documents:
            if not path.is_file() or not path.with_suffix(".yaml").is_file():
                raise CommandError(
                    f"{path}: needs the document and its annotation {path.with_suffix('.yaml').name} beside it"
                )
            try:
                doc = read(path, folder=path.parent.name)
            except ValueError as exc:
                raise CommandError(f"{path}: {exc}") from None
            began = time.perf_counter()
            suggestions = suggest(doc.text, doc.published_on, doc.annotation.get("source", {}).get("language") or "en")
            took = (time.perf_counter() - began) * 1000
            measured = measure(doc, suggestions)
            total.add(measured)
            self.stdout.write(
                f"\n{path.name} ({len(doc.text):,} characters, {len(suggestions)} suggestions in {took:.0f} ms)"
            )
            for line in measured.lines():
                self.stdout.write(f"  {line}")
        self.stdout.write(f"\nAll {len(documents)} documents")
        for line in total.lines():
            self.stdout.write(f"  {line}")
        if mistakes:
            self.stdout.write("\nWrong:")
            for line in total.wrong:
                self.stdout.write(f"  {line}")
            self.stdout.write("\nMissed:")
            for line in total.missed:
                self.stdout.write(f"  {line}")

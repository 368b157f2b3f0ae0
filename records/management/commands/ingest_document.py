"""manage.py ingest_document DOC.txt ANNOTATION.yaml: take a document into the database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.ingest import IngestFailed, ingest


class Command(BaseCommand):
    help = (
        "Record a document and what its annotation (seeds/README.md) says, in a database that may already hold "
        "curated edits, imports and merges. Records are matched by natural keys (sha256, names and aliases, "
        "claim keys); nothing recorded is overwritten. All-or-nothing: every conflict is reported and nothing is "
        "written. A document already recorded is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", type=Path, help="The document: ' date YYYY-MM-DD ' then its verbatim text.")
        parser.add_argument("annotation", type=Path, nargs="?", help="Its annotation (default: DOCUMENT.yaml).")

    def handle(self, *args, document: Path, annotation: Path | None, **options):
        annotation = annotation or document.with_suffix(".yaml")
        try:
            result = ingest([(document, annotation)])
        except IngestFailed as exc:
            raise CommandError(
                f"{len(exc.problems)} problem(s); nothing was written:\n" + "\n".join(str(p) for p in exc.problems)
            ) from None
        if not options["verbosity"]:
            return
        if result.already:
            self.stdout.write(f"Already recorded, unchanged: {', '.join(result.already)}.")
            return
        self.stdout.write(f"Recorded {', '.join(result.ingested)}.")
        for line in result.counts.lines():
            self.stdout.write(f"  {line}")

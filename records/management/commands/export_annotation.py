"""manage.py export_annotation SOURCE: a source's annotation, from the database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from records.models import Source
from records.seedbuilder.export import ExportFailed, export_annotation


class Command(BaseCommand):
    help = (
        "Write the annotation (seeds/README.md) of everything cited to a source: the records it names, its claims "
        "with their keys, statuses, dates and links, every quote with its field. `ingest_document` of the "
        "source's text with it records the same records and citations."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The source's slug, id or sha256.")
        parser.add_argument(
            "--directory",
            type=Path,
            help="Write <slug>.txt (the document, byte for byte) and <slug>.yaml there, ready for ingest_document, "
            "instead of the annotation to standard output.",
        )

    def handle(self, *args, source: str, directory: Path | None, **options):
        match = Q(slug=source) | Q(sha256=source.lower())
        if source.isdigit():
            match |= Q(pk=int(source))
        found = Source.objects.filter(match).first()
        if found is None:
            raise CommandError(f"No source {source!r} (give its slug, id or sha256).")
        try:
            annotation = export_annotation(found)
        except ExportFailed as exc:
            raise CommandError(
                f"{len(exc.problems)} problem(s); nothing was written:\n" + "\n".join(exc.problems)
            ) from None
        if directory is None:
            self.stdout.write(annotation, ending="")
            return
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{found.slug}.txt").write_bytes(found.text.encode("utf-8"))
        (directory / f"{found.slug}.yaml").write_bytes(annotation.encode("utf-8"))
        if options["verbosity"]:
            self.stdout.write(f"Wrote {found.slug}.txt and {found.slug}.yaml to {directory}.")

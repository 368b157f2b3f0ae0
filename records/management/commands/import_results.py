"""manage.py import_results: official constituency results into the database."""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify
from tqdm import tqdm

from records.importers.results import ResultsImporter
from records.importers.rows import READERS, RowError
from records.models import Election, Party, Source


class Command(BaseCommand):
    help = (
        "Import constituency-level results (CSV, or the india60 JSON) for one election. "
        "All or nothing; importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The results file.")
        parser.add_argument("--election", required=True, help="Slug of the election the results belong to.")
        parser.add_argument("--format", choices=sorted(READERS), help="Default: from the file's extension.")
        parser.add_argument(
            "--party-map",
            type=Path,
            help="CSV of 'name,party' lines: a party name in the file -> the slug of an existing party.",
        )
        parser.add_argument("--source-slug", help="Slug of the dataset's Source (default: from the folder name).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, path: Path, election: str, format: str | None, party_map: Path | None, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            target = Election.objects.select_related("jurisdiction").get(slug=election)
        except Election.DoesNotExist:
            raise CommandError(f"No election with slug {election!r}.") from None
        reader = READERS[format or ("csv" if path.suffix.lower() == ".csv" else "india60")]
        source = self._source(path, options["source_slug"])
        parties = self._party_map(party_map) if party_map else {}
        show = not options["no_progress"] and options["verbosity"] > 0 and sys.stderr.isatty()
        importer = ResultsImporter(
            election=target,
            source=source,
            party_map=parties,
            progress=lambda items: tqdm(items, desc="constituencies", unit="", disable=not show),
        )
        try:
            report = importer.run(reader(path))
        except RowError as exc:
            raise CommandError(f"{path.name}: {exc.locator}: {exc.reason}. Nothing was imported.") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name} into {target.name} (source {source.slug})."))

    def _source(self, path: Path, slug: str | None) -> Source:
        """The dataset as a Source: identified by its bytes' sha256; described by a SOURCE.md beside it."""
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        notes = path.parent / "SOURCE.md"
        described = notes.read_text(encoding="utf-8") if notes.exists() else ""
        title = next((line.lstrip("# ").strip() for line in described.splitlines() if line.startswith("# ")), "")
        license_line = re.search(r"^- License: (.+)$", described, re.MULTILINE)
        origin = re.search(r"^- Origin: (.+?)(?:\n\n|\n- )", described, re.MULTILINE | re.DOTALL)
        try:
            relative = str(path.resolve().relative_to(settings.BASE_DIR))
        except ValueError:
            relative = str(path)
        source, _ = Source.objects.get_or_create(
            sha256=digest,
            defaults={
                "slug": slug or slugify(path.parent.name if notes.exists() else path.stem),
                "kind": Source.Kind.DATASET,
                "title": title or path.name,
                "publisher": " ".join(origin.group(1).split())[:200] if origin else "",
                "license": license_line.group(1).strip()[:200] if license_line else "",
                "path": relative,
            },
        )
        return source

    @staticmethod
    def _party_map(path: Path) -> dict[str, Party]:
        mapping = {}
        with path.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    mapping[row["name"]] = Party.objects.get(slug=row["party"])
                except KeyError:
                    raise CommandError(f"{path.name}: the header must be 'name,party'") from None
                except Party.DoesNotExist:
                    raise CommandError(f"{path.name}: row {number}: no party with slug {row['party']!r}") from None
        return mapping

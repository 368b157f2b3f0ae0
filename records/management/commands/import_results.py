"""manage.py import_results: official constituency results into the database."""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import textwrap
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from tqdm import tqdm

from records.importers.results import ResultsImporter
from records.importers.rows import READERS, RowError
from records.models import Election, Party, Source
from records.text import normalise_name


def _year(text: str) -> str:
    if not re.fullmatch(r"(19|20)[0-9]{2}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2008")
    return text


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
        parser.add_argument(
            "--published-on",
            type=date.fromisoformat,
            help="When the results were published, YYYY-MM-DD (what `as_of` compares with; default: the election's "
            "counting day, when it is known to the day).",
        )
        parser.add_argument(
            "--delimitation",
            type=_year,
            help="The delimitation whose constituency numbers the file gives (a year: 2008), recorded as each "
            "constituency's identifier. Default: 2008 for elections polled since 19 February 2008, except in the "
            "states it did not delimit (records/identifiers.py); otherwise the numbers are not recorded.",
        )
        parser.add_argument(
            "--number-scheme",
            choices=["eci-ac", "eci-pc"],
            default="eci-ac",
            help="The scheme of the constituency numbers: eci-ac (assembly, the default) or eci-pc (parliamentary).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, path: Path, election: str, format: str | None, party_map: Path | None, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            target = Election.objects.select_related("jurisdiction").get(slug=election)
        except Election.DoesNotExist:
            raise CommandError(f"No election with slug {election!r}.") from None
        reader = READERS[format or ("csv" if path.suffix.lower() == ".csv" else "india60")]
        parties = self._party_map(party_map) if party_map else {}
        show = not options["no_progress"] and options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            with transaction.atomic():  # the Source too: a refused file leaves no trace
                source = self._source(path, options["source_slug"])
                published_on = options["published_on"] or self._counting_day(target)
                if published_on and source.published_on is None:
                    Source.objects.filter(pk=source.pk).update(published_on=published_on)
                importer = ResultsImporter(
                    election=target,
                    source=source,
                    party_map=parties,
                    progress=lambda items: tqdm(items, desc="constituencies", unit="", disable=not show),
                    delimitation=options["delimitation"],
                    number_scheme=options["number_scheme"],
                )
                report = importer.run(reader(path))
        except RowError as exc:
            raise CommandError(f"{path.name}: {exc.locator}: {exc.reason}. Nothing was imported.") from None
        except OSError as exc:
            raise CommandError(f"{path.name}: cannot be read ({exc.strerror or exc}). Nothing was imported.") from None
        if options["verbosity"] == 0:
            return
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name} into {target.name} (source {source.slug})."))

    @staticmethod
    def _counting_day(election: Election):
        """The day the votes were counted, when the election's record knows it to the day."""
        if election.counting_earliest and election.counting_earliest == election.counting_latest:
            return election.counting_latest
        return None

    def _source(self, path: Path, slug: str | None) -> Source:
        """The dataset as a Source: identified by its bytes' sha256; described by a SOURCE.md beside it."""
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        known = Source.objects.filter(sha256=digest).first()
        if known is not None:
            return known
        notes = path.parent / "SOURCE.md"
        described = notes.read_text(encoding="utf-8", errors="replace") if notes.is_file() else ""
        title = next((line.lstrip("# ").strip() for line in described.splitlines() if line.startswith("# ")), "")
        # "- License: MIT (below). Keep this notice..." -> "MIT"
        license_line = re.search(r"^- License: ([^(.\n]+)", described, re.MULTILINE)
        origin = re.search(r"^- Origin: (.+?)(?:\n\n|\n- )", described, re.MULTILINE | re.DOTALL)
        try:
            relative = str(path.resolve().relative_to(settings.BASE_DIR))
        except ValueError:
            relative = str(path)
        if slug is not None:
            if slug != slugify(slug) or not slug or len(slug) > 120:
                raise CommandError(f"--source-slug {slug!r} is not a slug (lowercase letters, digits, hyphens).")
            if Source.objects.filter(slug=slug).exists():
                raise CommandError(f"{path.name}: source slug {slug!r} is already used by another file.")
        else:  # another version of the same file keeps the name, with a number
            base = slugify(path.parent.name if notes.is_file() else path.stem)[:100] or "dataset"
            slug, n = base, 1
            while Source.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
        return Source.objects.create(
            sha256=digest,
            slug=slug,
            kind=Source.Kind.DATASET,
            title=(title or path.name)[:500],
            publisher=textwrap.shorten(" ".join(origin.group(1).split()), 200, placeholder="...") if origin else "",
            license=license_line.group(1).strip()[:200] if license_line else "",
            path=relative[:300],
        )

    @staticmethod
    def _party_map(path: Path) -> dict[str, Party]:
        if not path.is_file():
            raise CommandError(f"{path.name}: no such file ({path})")
        mapping: dict[str, Party] = {}
        first_row: dict[str, int] = {}
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                reader.fieldnames = [f.strip() for f in reader.fieldnames or []]
                if not {"name", "party"} <= set(reader.fieldnames):
                    raise CommandError(f"{path.name}: the header must be 'name,party'")
                for row in reader:
                    number = reader.line_num
                    name, slug = (row["name"] or "").strip(), (row["party"] or "").strip()
                    if not name and not slug:
                        continue
                    if not name or not slug:
                        raise CommandError(f"{path.name}: row {number}: give both a name and a party slug")
                    try:
                        party = Party.objects.get(slug=slug)
                    except Party.DoesNotExist:
                        raise CommandError(f"{path.name}: row {number}: no party with slug {slug!r}") from None
                    key = normalise_name(name)
                    if key in first_row and mapping[key] != party:
                        raise CommandError(
                            f"{path.name}: row {number}: {name!r} is mapped already (row {first_row[key]})"
                        )
                    first_row.setdefault(key, number)
                    mapping[key] = party
        except UnicodeDecodeError:
            raise CommandError(f"{path.name}: not UTF-8 text") from None
        except csv.Error as exc:
            raise CommandError(f"{path.name}: not readable as CSV ({exc})") from None
        return mapping

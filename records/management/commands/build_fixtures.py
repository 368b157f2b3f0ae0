"""manage.py build_fixtures: seeds/*.txt + *.yaml -> fixtures/*.json."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records.seedbuilder.builder import FixtureBuilder
from records.seedbuilder.documents import BuildFailed
from records.seedbuilder.fixtures import render_fixtures, stale_files, write_fixtures


class Command(BaseCommand):
    help = (
        "Build fixtures/*.json from the seed documents and their annotations. "
        "Nothing is written unless every annotation holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=Path, default=settings.SEEDS_DIR, help="Seed folder (default: seeds/).")
        parser.add_argument(
            "--out", type=Path, default=settings.FIXTURES_DIR, help="Output folder (default: fixtures/)."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit non-zero if the fixtures in --out differ from a fresh build.",
        )

    def handle(self, *args, seeds: Path, out: Path, check: bool, **options):
        try:
            entries = FixtureBuilder(seeds).build()
        except BuildFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(failed.problems)} problem(s) in the annotations; no fixture was written."
            ) from None
        rendered = render_fixtures(entries)
        if check:
            stale = stale_files(rendered, out)
            if stale:
                raise CommandError(
                    f"Fixtures are stale: {', '.join(stale)}. "
                    "Run `python manage.py build_fixtures` and commit the result."
                )
            self.stdout.write("Fixtures are up to date.")
            return
        write_fixtures(rendered, out)
        counts = ", ".join(f"{len(v)} {m._meta.verbose_name_plural}" for m, v in entries.items() if v)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rendered)} fixture files to {out}: {counts}."))

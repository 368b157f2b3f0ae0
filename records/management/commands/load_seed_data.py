"""manage.py load_seed_data: migrate, then take in every seed document not yet recorded."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from records.ingest import IngestFailed, ingest


class Command(BaseCommand):
    help = (
        "Create or update the database schema and record the seed documents (seeds/*.txt with their annotations) "
        "that it does not hold yet, by natural keys, as `ingest_document` does: curated edits, imported results "
        "and merges are kept. All-or-nothing; loading again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-migrate", action="store_true", help="Only record the seed documents.")

    def handle(self, *args, skip_migrate: bool, **options):
        verbosity = options["verbosity"]
        if not skip_migrate:
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        seeds = settings.SEEDS_DIR
        pairs = [(text, text.with_suffix(".yaml")) for text in sorted(seeds.glob("*.txt"))]
        if not pairs:
            raise CommandError(f"No seed documents in {seeds}.")
        try:
            result = ingest(pairs, folder="seeds")
        except IngestFailed as exc:
            raise CommandError(
                f"{len(exc.problems)} problem(s); nothing was loaded:\n" + "\n".join(str(p) for p in exc.problems)
            ) from None
        if verbosity:
            if result.ingested:
                self.stdout.write(f"Recorded {len(result.ingested)} seed document(s): {', '.join(result.ingested)}.")
                for line in result.counts.lines():
                    self.stdout.write(f"  {line}")
            if result.already:
                self.stdout.write(f"Already recorded: {', '.join(result.already)}.")

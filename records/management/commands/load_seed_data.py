"""manage.py load_seed_data: migrate, then load every seed fixture in one transaction."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from records.seedbuilder.fixtures import FIXTURE_FILES


class Command(BaseCommand):
    help = (
        "Create or update the database schema and load fixtures/*.json. All-or-nothing; loading again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-migrate", action="store_true", help="Only load the fixtures.")

    def handle(self, *args, skip_migrate: bool, **options):
        verbosity = options["verbosity"]
        if not skip_migrate:
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        paths = [settings.FIXTURES_DIR / name for name in FIXTURE_FILES]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"Missing fixture files: {', '.join(missing)}. Run `manage.py build_fixtures`.")
        # One loaddata call: one transaction, foreign keys checked once at the end.
        call_command("loaddata", *[str(p) for p in paths], verbosity=verbosity)

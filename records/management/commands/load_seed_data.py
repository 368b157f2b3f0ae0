"""manage.py load_seed_data: migrate, then load every seed fixture in one transaction."""

from __future__ import annotations

import json
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

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
        self._refuse_overwrites(paths)
        # One loaddata call: one transaction, foreign keys checked once at the end.
        call_command("loaddata", *[str(p) for p in paths], verbosity=verbosity)

    def _refuse_overwrites(self, paths) -> None:
        """Seed records carry primary keys. If a key is already taken by a different
        record (one with other owners or another slug, e.g. an imported row), loading
        would overwrite it: stop and say so instead."""
        rows_by_model = defaultdict(dict)
        for path in paths:
            for row in json.loads(path.read_text(encoding="utf-8")):
                rows_by_model[row["model"]][row["pk"]] = row["fields"]
        for label, rows in rows_by_model.items():
            model = apps.get_model(label)
            identity = [f for f in model._meta.concrete_fields if f.is_relation or f.name in ("slug", "object_id")]
            try:
                existing = model._base_manager.in_bulk(list(rows))
            except DatabaseError:
                return  # tables not there yet (--skip-migrate on an empty database): loaddata will say
            for pk, obj in existing.items():
                for f in identity:
                    value = rows[pk].get(f.name)
                    current = getattr(obj, f.attname)
                    if f.related_model is ContentType:  # fixtures name content types by natural key
                        current = list(ContentType.objects.get_for_id(current).natural_key())
                    if value != current:
                        raise CommandError(
                            f"Seed record {label} {pk} would overwrite a different record already in the database "
                            f"({f.name}: {current!r} there, {value!r} in the seeds). Nothing was loaded; load the "
                            "seeds into a fresh database, then import other data."
                        )

"""Create or update the curator group (migrate does it too)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from records.roles import ensure_curator_group


class Command(BaseCommand):
    help = "Create the curator group, or bring its permissions up to date. Safe to run any number of times."

    def handle(self, *args, **options):
        group = ensure_curator_group()
        self.stdout.write(f"Group {group.name!r}: {group.permissions.count()} permissions.")

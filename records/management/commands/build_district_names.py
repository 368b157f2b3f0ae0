"""Derive data/district-names/former-names.csv from the candidates' affidavits (2012 and 2017)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.importers.district_names import FORMER_NAMES, derive_former_names, write_former_names
from records.management.commands.build_party_names import AFFIDAVITS


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--affidavits", type=Path, default=AFFIDAVITS)
        parser.add_argument("--out", type=Path, default=FORMER_NAMES)

    def handle(self, *args, affidavits: Path, out: Path, **options):
        if not affidavits.is_file():
            raise CommandError(f"{affidavits}: no such file")
        entries = derive_former_names(affidavits)
        write_former_names(entries, out)
        self.stdout.write(f"{out}: {len(entries)} former names of districts")

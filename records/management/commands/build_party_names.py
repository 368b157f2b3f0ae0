"""Derive data/party-names/parties.csv from the 2017 results and the candidates' affidavits."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records.importers.party_names import PARTY_NAMES, derive_party_names, write_party_names

RESULTS = settings.BASE_DIR / "data" / "up-assembly-2017-eci" / "uttar-pradesh-2017.json"
AFFIDAVITS = (
    settings.BASE_DIR.parent / "shared" / "data" / "up-affidavits-myneta" / "uttar-pradesh-candidates-2007-2017.csv"
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--results", type=Path, default=RESULTS)
        parser.add_argument("--affidavits", type=Path, default=AFFIDAVITS)
        parser.add_argument("--out", type=Path, default=PARTY_NAMES)

    def handle(self, *args, results: Path, affidavits: Path, out: Path, **options):
        for path in (results, affidavits):
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        entries = derive_party_names(results, affidavits)
        write_party_names(entries, out)
        self.stdout.write(f"{out}: {len(entries)} abbreviations")

"""Print the person matcher's precision and recall on the labelled set built
from the 2017 results and the candidates' affidavits (records/identity/evaluation.py).

Needs the seed data (the 2017 election). Without the 2017 results in the
database, imports them first, inside a transaction that is rolled back at
the end: the database is left as it was."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from records.identity.evaluation import AFFIDAVITS, measure_election
from records.identity.matcher import LINK_AT, PROPOSE_AT
from records.models import Contest, Election

RESULTS_2017 = settings.BASE_DIR / "data" / "up-assembly-2017-eci"


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--election", default="up-2017", help="Slug of the election (default: up-2017).")
        parser.add_argument("--affidavits", type=Path, default=AFFIDAVITS)
        parser.add_argument("--link-at", type=float, default=LINK_AT, help=f"Default: {LINK_AT}.")
        parser.add_argument("--propose-at", type=float, default=PROPOSE_AT, help=f"Default: {PROPOSE_AT}.")
        parser.add_argument("--mistakes", action="store_true", help="Also list every wrong link.")

    def handle(self, *args, election: str, affidavits: Path, link_at: float, propose_at: float, **options):
        if not affidavits.is_file():
            raise CommandError(f"{affidavits}: no such file (the affidavits dataset, ../shared/data/)")
        target = Election.objects.filter(slug=election).first()
        if target is None:
            raise CommandError(f"No election {election!r}: load the seed data first (manage.py load_seed_data).")
        try:
            with transaction.atomic():
                if not Contest.objects.filter(election=target).exists():
                    self.stderr.write("Importing the 2017 results for the measurement (rolled back after it)...")
                    call_command(
                        "import_results",
                        str(RESULTS_2017 / "uttar-pradesh-2017.json"),
                        election=election,
                        party_map=RESULTS_2017 / "party-map.csv",
                        verbosity=0,
                        no_progress=True,
                    )
                measured = measure_election(target, affidavits, link_at=link_at, propose_at=propose_at)
                raise _RollBack
        except _RollBack:
            pass
        for line in measured.lines():
            self.stdout.write(line)
        if options["mistakes"]:
            for line in measured.mistakes:
                self.stdout.write(f"  {line}")

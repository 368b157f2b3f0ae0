"""manage.py publish_exports DIR: the bulk downloads, dated and checksummed."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from records.interchange.publishing import Export, PublishFailed, publish


def exports() -> list[Export]:
    """Every file of a release: the whole dataset as Popolo JSON, and each API list as CSV."""
    from records.api.csv_export import csv_resources, write_csv
    from records.interchange.popolo import write_popolo

    files = [Export("popolo.json", lambda fp: write_popolo(fp).objects, "The whole dataset in the Popolo format.")]
    files += [
        Export(f"{name}.csv", partial(write_csv, name), f"GET /api/v1/{name}/?format=csv, every row.")
        for name in csv_resources()
    ]
    return files


class Command(BaseCommand):
    help = (
        "Write the bulk downloads into DIR/<date>/ (Popolo JSON, one CSV per API list, a README with the license "
        "of each source, SHA256SUMS and manifest.json), then point DIR/latest and DIR/latest.json at them. "
        "Nothing is written into DIR when it cannot take the files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", nargs="?", help="Where to publish (default: DJANGO_EXPORTS_DIR, which the API's root links)."
        )
        parser.add_argument(
            "--date", type=date.fromisoformat, help="The release's date, YYYY-MM-DD (default: today, UTC)."
        )
        parser.add_argument("--replace", action="store_true", help="Publish again over a release of the same date.")

    def handle(self, *args, folder, date, replace, **options):
        folder = folder or settings.RECORDS_EXPORTS_DIR
        if not folder:
            raise CommandError("Name the folder to publish into, or set DJANGO_EXPORTS_DIR.")
        try:
            release = publish(folder, exports(), on=date or timezone.now().date(), replace=replace)
        except PublishFailed as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            for file in release.files:
                counted = f", {file.records} records" if file.records is not None else ""
                self.stdout.write(f"  {file.name}: {file.bytes} bytes{counted}, sha256 {file.sha256[:12]}…")
            self.stdout.write(f"Published {len(release.files)} files into {folder}/{release.folder} (now latest).")

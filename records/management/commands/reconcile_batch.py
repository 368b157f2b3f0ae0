"""Answer a reconciliation batch (the JSON OpenRefine sends as `queries`) as
/api/v1/reconcile/ would, and print each query with its candidates:

    manage.py reconcile_batch tests/material/reconcile_batches.json --batch 0
    echo '{"q0": {"query": "Aseem Arun"}}' | manage.py reconcile_batch -
    manage.py reconcile_batch batch.json --json      # the answers as the API sends them

A file may be a batch, or recorded batches (``{"batches": [{"queries": ...}]}``,
the test material's format: ``--batch N`` picks one, all by default)."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from records.reconcile.batch import BatchError, parse_batch
from records.reconcile.service import reconcile


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file of queries, or - for standard input.")
        parser.add_argument("--batch", type=int, help="Of recorded batches, only this one (from 0).")
        parser.add_argument("--json", action="store_true", help="Print the answers as JSON.")

    def handle(self, *args, file: str, batch: int | None, **options):
        text = sys.stdin.read() if file == "-" else _read(file)
        for queries in _batches(text, batch):
            try:
                answers = reconcile(parse_batch(queries))
            except BatchError as error:
                raise CommandError(f"{file}: {error}") from None
            if options["json"]:
                self.stdout.write(json.dumps(answers, indent=2, ensure_ascii=False))
            else:
                self._print(json.loads(queries), answers)

    def _print(self, queries: dict, answers: dict) -> None:
        for key, query in queries.items():
            asked = ", ".join(f"{p['pid']}={p['v']}" for p in query.get("properties") or [])
            kind = query.get("type", "person")
            self.stdout.write(f"{key}: {query['query']!r} ({kind}{'; ' + asked if asked else ''})")
            result = answers[key]["result"]
            if not result:
                self.stdout.write("    no candidate")
            for candidate in result:
                mark = "MATCH" if candidate["match"] else "     "
                evidence = ", ".join(f"{f['id']} {f['value']:+g}" for f in candidate.get("features", []))
                self.stdout.write(f"    {mark} {candidate['score']:5.1f}  {candidate['id']}  {candidate['name']}")
                if evidence:
                    self.stdout.write(f"                 {evidence}")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None


def _batches(text: str, wanted: int | None) -> list[str]:
    try:
        document = json.loads(text)
    except ValueError:
        return [text]  # parse_batch says what is wrong with it
    if isinstance(document, dict) and isinstance(document.get("batches"), list):
        recorded = [json.dumps(b["queries"]) for b in document["batches"]]
        if wanted is not None:
            if not 0 <= wanted < len(recorded):
                raise CommandError(f"--batch {wanted}: the file has batches 0 to {len(recorded) - 1}.")
            return [recorded[wanted]]
        return recorded
    return [text]

"""manage.py generate_corpus: a synthetic corpus of any size, from a seed."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from records.corpus import CorpusNotEmpty, CorpusSize, generate_corpus


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic corpus: people with aliases, postings with fuzzy dates, "
        "relations, parties, elections with phases and results, sources and citations. Same size and seed, "
        "same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=1_000, help="Number of people (default 1000).")
        parser.add_argument("--postings", type=int, help="Number of postings (default: 10 per person).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, people: int, postings: int | None, seed: int, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        postings = people * 10 if postings is None else postings
        if postings < 0:
            raise CommandError("--postings cannot be negative.")
        show = not options["no_progress"] and options["verbosity"] > 0 and sys.stderr.isatty()
        began = time.monotonic()
        try:
            written = generate_corpus(CorpusSize(people=people, postings=postings), seed=seed, progress=show)
        except CorpusNotEmpty as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] > 0:
            for label, count in sorted(written.items()):
                self.stdout.write(f"{label:28} {count:>10,}")
            self.stdout.write(f"{sum(written.values()):,} rows in {time.monotonic() - began:.1f} s")

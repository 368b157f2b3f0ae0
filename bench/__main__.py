"""python -m bench: the API against THE LIMIT on a synthetic national-size corpus.

Builds (or reuses) the corpus for the size and seed, serves the app under
gunicorn on 127.0.0.1, times a fixed set of representative requests on the
API and on the limit views, interleaved, and prints one table. Exits non-zero
if the API and the limit disagree on any response, or the run fails."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench.corpus import CorpusKey, corpus_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--postings", type=int, help="default: 10 per person")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=200, help="timed requests per request kind and side")
    parser.add_argument("--warmup", type=int, default=10, help="untimed rounds first")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the API's SQL")
    parser.add_argument("--serializers", action="store_true", help="serve reads through the DRF serializers")
    parser.add_argument("--max-seconds", type=int, default=1800, help="give up after this long (corpus excluded)")
    args = parser.parse_args(argv)
    if args.engine == "both":  # one process per engine: Django reads its database once
        rest = _without_engine(argv if argv is not None else sys.argv[1:])
        status = 0
        for engine in ("sqlite", "postgres"):
            status |= subprocess.run([sys.executable, "-m", "bench", "--engine", engine, *rest]).returncode
        return status
    key = CorpusKey(args.people, args.postings if args.postings is not None else args.people * 10, args.seed)
    # Django reads DATABASE_URL once, at set-up: point it at the corpus first.
    os.environ["DATABASE_URL"] = corpus_url(args.engine, key)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    return run(args, key)


def _without_engine(argv: list[str]) -> list[str]:
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--engine":
            skip = True
        elif not arg.startswith("--engine="):
            out.append(arg)
    return out


def run(args, key: CorpusKey) -> int:
    from bench.corpus import ensure_corpus, generation_seconds
    from bench.run import BenchmarkFailed, measure, table
    from bench.scenarios import representative
    from bench.server import gunicorn

    url = ensure_corpus(args.engine, key)
    scenarios = representative()
    path = "serializers" if args.serializers else "fast path"
    print(f"\n{args.engine}: {key.people:,} people, {key.postings:,} postings, seed {key.seed}; API reads: {path}")
    built = generation_seconds(args.engine, key)
    if built is not None:
        print(f"corpus built by generate_corpus in {built:.0f} s")
    if args.explain:
        from bench.explain import report

        print(report(scenarios))
    deadline = time.monotonic() + args.max_seconds
    try:
        with gunicorn(url, fast_reads=not args.serializers) as port:
            results, peak_rss = measure(port, scenarios, rounds=args.rounds, warmup=args.warmup, deadline=deadline)
    except BenchmarkFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 2
    print(table(results))
    by_name = {m.scenario.name: m for m in results}
    first, deep = by_name["persons list (100)"], by_name["persons deep page (90%)"]
    from bench.stats import median

    print(
        f"deep page / first page (median): API {median(deep.api) / median(first.api):.2f}, "
        f"limit {median(deep.limit) / median(first.limit):.2f}"
    )
    print(f"server peak RSS (one gunicorn worker): {peak_rss / 1024:.0f} MB")
    failed = [m for m in results if m.mismatch]
    for m in failed:
        print(f"DIFFERENT DATA: {m.scenario.name}:", *m.mismatch[:10], sep="\n  ", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

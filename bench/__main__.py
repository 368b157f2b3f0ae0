"""python -m bench: every read operation of the API against THE LIMIT, on a
synthetic national-size corpus.

Builds (or reuses) the corpus for the size and seed, serves the API (this
checkout, or --api-checkout DIR) and the limit (bench/limit/) under two
gunicorns on 127.0.0.1, derives the scenarios from the API's OpenAPI schema
and the corpus, checks that the API and the limit return the same data, then
times paired rounds and prints the tables. Exits 1 if any response differs,
2 if the run fails."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import CorpusKey, corpus_url


def _stop(signum, frame):
    raise KeyboardInterrupt  # so that the servers are stopped on the way out


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--postings", type=int, help="default: 10 per person")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=300, help="timed rounds (paired samples per scenario and side)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument(
        "--only", action="append", help="only the scenarios whose name contains this text (repeat: any of them)"
    )
    parser.add_argument(
        "--skip", action="append", help="leave out the scenarios whose name contains this text (repeatable)"
    )
    parser.add_argument("--api-checkout", type=Path, help="serve the API from this checkout (e.g. a git worktree)")
    parser.add_argument("--max-seconds", type=int, default=7200, help="give up after this long (corpus excluded)")
    args = parser.parse_args(argv)
    if args.rounds < 2:  # the p99's run-to-run spread compares two halves of the rounds
        parser.error("--rounds must be at least 2")
    if args.engine == "both":  # one process per engine: Django reads its database once
        rest = _without_engine(argv if argv is not None else sys.argv[1:])
        status = 0
        for engine in ("sqlite", "postgres"):
            status |= subprocess.run([sys.executable, "-m", "bench", "--engine", engine, *rest]).returncode
        return status
    key = CorpusKey(args.people, args.postings if args.postings is not None else args.people * 10, args.seed)
    # Django reads DATABASE_URL once, at set-up: point it at the corpus first. The
    # harness reads the corpus through the limit's minimal settings.
    os.environ["DATABASE_URL"] = corpus_url(args.engine, key)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.limit.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent / "serving"))
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


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() or done == total or done % max(1, total // 10) == 0:
        print(f"\r  round {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def run(args, key: CorpusKey) -> int:
    from django.db import connections

    from bench import coverage, report, scenarios
    from bench.corpus import ensure_corpus, generation_seconds
    from bench.run import BenchmarkFailed, Ports, check_first_responses, measure, resolve_cursors
    from bench.schema import operations
    from bench.servers import ROOT, api_server, fetch, limit_server

    began = time.monotonic()
    url = ensure_corpus(args.engine, key)
    checkout = (args.api_checkout or ROOT).resolve()
    print(f"\n{args.engine}: {key.people:,} people, {key.postings:,} postings, seed {key.seed}; API from {checkout}")
    built = generation_seconds(args.engine, key)
    if built is not None:
        print(f"corpus built by generate_corpus in {built:.0f} s")
    deadline = time.monotonic() + args.max_seconds
    try:
        with api_server(url, checkout) as api_port, limit_server(url) as limit_port:
            ports = Ports(api_port, limit_port)
            status, body, _, _ = fetch(api_port, "/api/schema/?format=json")
            if status != 200:
                raise BenchmarkFailed(f"the API's schema answered {status}")
            ops = operations(json.loads(body))
            found = scenarios.build(ops)
            connections.close_all()  # the harness is done reading the corpus
            missing = coverage.uncovered(ops, found)
            print(f"{len(ops)} read operations in the schema, {len(found)} scenarios")
            print("not covered (no scenario): " + (", ".join(missing) if missing else "none"))
            unserved = [op.id for op in ops if not scenarios.served_by_the_limit(op)]
            if unserved:
                print("of which the limit has no view for: " + ", ".join(unserved))
            if args.only:
                found = [s for s in found if any(text in s.name for text in args.only)]
            if args.skip:
                found = [s for s in found if not any(text in s.name for text in args.skip)]
            resolve_cursors(ports, found)
            results = check_first_responses(ports, found)
            empty = [m.scenario.name for m in results if m.rows == 0]
            if empty:
                print(f"{len(empty)} empty pages (nothing in the corpus for them): " + "; ".join(empty))
            failed = [m for m in results if m.mismatch]
            for m in failed:
                print(f"DIFFERENT DATA: {m.scenario.name}: {m.scenario.api_url}", *m.mismatch[:10], sep="\n  ")
            timed_from = time.monotonic()
            peak_rss = measure(
                ports, results, rounds=args.rounds, warmup=args.warmup, deadline=deadline, progress=_progress
            )
    except BenchmarkFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 2
    print(report.table(results))
    print()
    print(report.deep_pages(results))
    print()
    print(report.summary(results))
    print(f"API server peak RSS (one gunicorn worker): {peak_rss / 1024:.0f} MB")
    print(f"timed rounds {time.monotonic() - timed_from:.0f} s, whole run {time.monotonic() - began:.0f} s")
    print(f"{len(failed)} scenarios with different data" if failed else "same data in every scenario")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

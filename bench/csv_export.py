"""python -m bench.csv_export: the time and peak memory of whole-list CSV
exports (records/api/csv_export.py) on a corpus, e.g. the 100k-people one:

    DATABASE_URL=sqlite:////tmp/csv100k.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/csv100k.sqlite3 .venv/bin/python manage.py generate_corpus --people 100000
    .venv/bin/python -m bench.csv_export --database-url sqlite:////tmp/csv100k.sqlite3 persons postings

Each export runs in a fresh process with the production settings (debug off,
throttling on with the benchmark's raised rates, bench/servers.py, so that
the exports' own charges do not refuse the next run) and goes through the whole Django stack in-process (the WSGI
handler, middleware, the view), its body read and thrown away as it streams.
For each: rows, bytes, seconds to the first byte and to the end, and the
process's resident memory before the request, at its peak (ru_maxrss), and
its growth from the end of the first tenth of the rows to the end: flat when
the export streams in constant memory."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from bench.servers import THROTTLE_RATES

PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE // 1024


def measure(name: str, query: dict, chunk_rows: int | None) -> dict:
    """One export, in this process (the child)."""
    import django

    django.setup()
    from django.test import Client

    from records.api import csv_export

    if chunk_rows:
        csv_export.CHUNK_ROWS = chunk_rows

    client = Client()
    expected = client.get(f"/api/v1/{name}/", {**query, "page_size": 1, "count": "true"}).json()["count"]
    before = resident_kb()
    began = time.perf_counter()
    response = client.get(f"/api/v1/{name}/", query, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200, response.content[:300]
    first_byte = None
    size = lines = 0
    tenth_rss = None
    for piece in response.streaming_content:
        first_byte = first_byte or time.perf_counter() - began
        size += len(piece)
        lines += piece.count(b"\r\n")  # rows end in CRLF; a newline inside a quoted cell is a bare LF
        if tenth_rss is None and lines > expected / 10:
            tenth_rss = resident_kb()
    response.close()
    seconds = time.perf_counter() - began
    return {
        "list": name,
        "chunk_rows": csv_export.CHUNK_ROWS,
        "query": query,
        "rows": lines - 1,
        "expected_rows": expected,
        "bytes": size,
        "first_byte_s": round(first_byte, 3),
        "seconds": round(seconds, 2),
        "rows_per_s": round((lines - 1) / seconds),
        "rss_before_mb": round(before / 1024, 1),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_growth_after_first_tenth_mb": round((resident_kb() - (tenth_rss or before)) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.csv_export", description=__doc__.splitlines()[0])
    parser.add_argument("lists", nargs="*", default=["persons", "postings"], help="lists to export (URL names)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", "sqlite:////tmp/csv100k.sqlite3"))
    parser.add_argument("--query", default="", help="filters for every export, e.g. 'ordering=-start'")
    parser.add_argument("--chunk-rows", type=int, help="records per chunk (default: the API's, CHUNK_ROWS)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    query = dict(part.split("=", 1) for part in args.query.split("&") if part)
    if args.child:
        print(json.dumps(measure(args.lists[0], query, args.chunk_rows)))
        return 0
    environment = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_HTTPS": "0",
        "DJANGO_DEBUG": "0",
        **THROTTLE_RATES,
    }
    print(
        f"{'list':14} {'rows':>9} {'MB':>7} {'1st byte':>9} {'seconds':>8} {'rows/s':>8} "
        f"{'RSS before':>11} {'RSS peak':>9} {'growth':>7}"
    )
    for name in args.lists:
        command = [sys.executable, "-m", "bench.csv_export", "--child", name, "--query", args.query]
        command += ["--chunk-rows", str(args.chunk_rows)] if args.chunk_rows else []
        done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 2
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{name:14} {result['rows']:>9,} {result['bytes'] / 2**20:>7.1f} {result['first_byte_s']:>8.3f}s "
            f"{result['seconds']:>7.1f}s {result['rows_per_s']:>8,} {result['rss_before_mb']:>9.1f}MB "
            f"{result['rss_peak_mb']:>7.1f}MB {result['rss_growth_after_first_tenth_mb']:>5.1f}MB"
        )
        if result["rows"] != result["expected_rows"]:
            print(f"  {name}: {result['rows']} rows, but the list counts {result['expected_rows']}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

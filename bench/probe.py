"""python -m bench.probe: the API alone, in process, on the lists' filters and
orders that used to scan (active_on, -end, deep pages, q), at corpus size.

No server and no limit (that is `python -m bench`): the Django test client
calls the app with throttling off, so the numbers are the query plans' and the
code's, for a before/after of one change. Prints the median of ``--rounds``
requests, the queries and the rows of each.

    python -m bench.probe --engine sqlite --people 100000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.corpus import CorpusKey, ensure_corpus

API = "/api/v1"
DAY = "2015-01-01"


def probe_urls() -> list[str]:
    """The requests, with deep-page cursors taken from the data (90 % in)."""
    from django.db.models import F

    from records.api.pagination import encode_cursor
    from records.models import Organisation, Person, Posting

    def deep(model, column: str, descending: bool) -> str:
        direction = "-" if descending else ""
        order = [F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)]
        order.append(F("id").desc() if descending else F("id").asc())
        row = model.objects.order_by(*order).values(column, "id")[int(model.objects.count() * 0.9)]
        signature = f"{model._meta.label_lower}:{direction}{column},{direction}id"
        return urlencode({"cursor": encode_cursor(signature, [row[column], row["id"]])})

    police = Organisation.objects.filter(kind="police", parent__isnull=True).order_by("pk").first()
    return [
        f"{API}/persons/?page_size=100",
        f"{API}/persons/?active_on={DAY}&page_size=100",
        f"{API}/persons/?q=lodhi&page_size=100",
        f"{API}/persons/?role=inspector&page_size=100",
        f"{API}/persons/?organisation={police.slug}&page_size=100",
        f"{API}/persons/?ordering=birth_date&page_size=100&{deep(Person, 'birth_date_earliest', False)}",
        f"{API}/postings/?page_size=100",
        f"{API}/postings/?active_on={DAY}&page_size=100",
        f"{API}/postings/?active_on={DAY}&ordering=-end&page_size=100",
        f"{API}/postings/?organisation={police.slug}&active_on={DAY}&page_size=100",
        f"{API}/postings/?page_size=100&{deep(Posting, 'start_sort', False)}",
        f"{API}/postings/?ordering=end&page_size=100&{deep(Posting, 'end_sort', False)}",
        f"{API}/postings/?ordering=-end&page_size=100&{deep(Posting, 'end_sort', True)}",
        f"{API}/postings/?ordering=career&page_size=100",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe", description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = ensure_corpus(args.engine, CorpusKey(args.people, args.people * 10, args.seed))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    status = 0
    for url in probe_urls():
        response = client.get(url)
        if response.status_code != 200:
            print(f"HTTP {response.status_code} {url}: {response.content[:200]!r}")
            status = 1
            continue
        seconds = []
        for _ in range(args.rounds):
            began = time.perf_counter()
            client.get(url)
            seconds.append(time.perf_counter() - began)
        with CaptureQueriesContext(connection) as captured:
            rows = len(client.get(url).json()["results"])
        shown = url.split("&cursor=")[0] + ("&cursor=(90 %)" if "cursor=" in url else "")
        print(f"{statistics.median(seconds) * 1000:8.1f} ms  {len(captured):2d} queries  {rows:3d} rows  {shown}")
    return status


if __name__ == "__main__":
    sys.exit(main())

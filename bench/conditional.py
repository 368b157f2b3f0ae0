"""What a 304 costs next to the 200 it stands for (records/api/conditional.py).

For a few reads of a large corpus, paired rounds: the full answer (200), then
the same request with its ETag in If-None-Match (304), through the whole
Django stack (middleware, authentication, throttling with its counters in the
database cache, as in production), in this process (no HTTP parsing, the same
for both). Prints the median and 90th percentile of each and their ratio, and
what the versions query alone costs (the price every 200 pays for it).

    DATABASE_URL=sqlite:////tmp/cond100k.sqlite3 .venv/bin/python -m bench.conditional [--rounds 60]

The database must hold a corpus: `manage.py generate_corpus --people 100000`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")  # production settings
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
# Throttling stays on (its counting is part of every request's cost), at rates this run stays under.
os.environ.setdefault("DJANGO_THROTTLE_ANON_BURST", "100000000/min")
os.environ.setdefault("DJANGO_THROTTLE_ANON_SUSTAINED", "100000000/day")


def picks() -> dict[str, str]:
    """The reads measured: the people list, a filtered postings list, a
    person with many postings, an election with results."""
    from django.db.models import Count

    from records.models import Election, Organisation, Person

    person = Person.objects.annotate(n=Count("postings")).order_by("-n", "pk").first()
    unit = Organisation.objects.annotate(n=Count("postings")).filter(n__gt=0).order_by("n", "pk")[:50]
    organisation = list(unit)[-1]
    election = Election.objects.annotate(n=Count("results")).order_by("-n", "pk").first()
    return {
        "persons list": "/api/v1/persons/",
        "postings list, filtered": f"/api/v1/postings/?organisation={organisation.slug}&status=confirmed",
        "person detail": f"/api/v1/persons/{person.slug}/",
        "election detail": f"/api/v1/elections/{election.slug}/",
    }


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def measure(client, url: str, rounds: int) -> dict:
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code, first.content[:300])
    full, not_modified = [], []
    for _ in range(3):  # warm caches on both paths
        client.get(url)
        client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    for _ in range(rounds):
        ms, answer = timed(lambda: client.get(url))
        assert answer.status_code == 200
        full.append(ms)
        etag = answer["ETag"]
        ms, answer = timed(lambda: client.get(url, HTTP_IF_NONE_MATCH=etag))  # noqa: B023 (called at once)
        assert answer.status_code == 304, (url, answer.status_code)
        not_modified.append(ms)
    return {"bytes": len(first.content), "200": full, "304": not_modified}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from records.api.resources.persons import PersonViewSet
    from records.dataversions import versions
    from records.models import Person

    print(f"database: {connection.vendor}, {Person.objects.count():,} people; {args.rounds} paired rounds")
    client = Client()
    print(f"{'read':26} {'bytes':>9} {'200 median':>11} {'200 p90':>9} {'304 median':>11} {'304 p90':>9} {'ratio':>7}")
    for name, url in picks().items():
        found = measure(client, url, args.rounds)
        full, cheap = statistics.median(found["200"]), statistics.median(found["304"])
        print(
            f"{name:26} {found['bytes']:>9,} {full:>9.2f}ms {p90(found['200']):>7.2f}ms "
            f"{cheap:>9.2f}ms {p90(found['304']):>7.2f}ms {cheap / full:>7.1%}"
        )
    tables = PersonViewSet.answer_tables("retrieve")
    lookups = [timed(lambda: versions(tables))[0] for _ in range(200)]
    print(f"the versions query alone ({len(tables)} tables): median {statistics.median(lookups):.3f} ms")


if __name__ == "__main__":
    main()

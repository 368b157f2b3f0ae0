"""The loopback cluster's bounded load test (`make cluster-load`; scripts/cluster.py).

Through HAProxy, a fixed number of clients, each sending its next request as
soon as the last is answered (keep-alive connections), for a fixed time, on
the mix of `make load` (lists, person and contest details, the 2017 election
with its tallies, filtered lists, name searches). Four configurations: one app
server or two (HAProxy's two ports), each with plain GETs and with
If-None-Match carrying the ETag the client got before (answered 304 when
unchanged). The configurations alternate within each round, so that a drift
of the machine (other processes, caches warming) falls on all of them. Then the
write-then-read check: a curator's write, and at once the curator's read of it
through the proxy (whichever app server gets it), then an anonymous read once
the replica has replayed it.

Prints throughput, p50 and p99 per configuration, and exits non-zero on any
error (a status other than 200 or 304, a dropped connection) or on a
write the writer did not read back at once.

    CLUSTER_LOAD_CLIENTS   concurrent clients (default 8)
    CLUSTER_LOAD_SECONDS   seconds per configuration and round (default 15)
    CLUSTER_LOAD_ROUNDS    rounds (default 2)
    CLUSTER_LOAD_WRITES    writes of the write-then-read check (default 20)

Standard library only; bounded in time; talks to 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

API = "/api/v1"
SEARCHES = ["kumar", "yadav", "singh", "asim arun", "maurya", "devi"]
FILTERS = [
    f"{API}/contests/?election=up-2017&winner_party=bjp",
    f"{API}/contests/?election=up-2017&margin_max=1000",
    f"{API}/persons/?party=bjp",
    f"{API}/postings/?organisation=up-police",
    f"{API}/elections/?year=2017",
    f"{API}/constituencies/?reservation=SC",
]
LISTS = ["persons", "postings", "parties", "elections", "constituencies", "contests", "sources"]
WRITTEN = f"{API}/persons/asim-arun/"


def setting(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Connection:
    """A keep-alive HTTP connection to the proxy; reconnects after an error."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        return response.status, response.headers, data

    def get_json(self, path: str, **headers):
        status, _, data = self.request("GET", path, headers=headers)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {data[:300]!r}")
        return json.loads(data)


def the_mix(base: str) -> list[str]:
    """Paths weighted as in `make load` (scripts/locustfile.py): 3 lists, 4 persons, 2 contests,
    1 election, 3 filtered lists, 3 searches, over 50 persons and 50 contests."""
    conn = Connection(base)
    persons = [row["id"] for row in conn.get_json(f"{API}/persons/?page_size=50")["results"]]
    contests = [row["id"] for row in conn.get_json(f"{API}/contests/?page_size=50")["results"]]
    return (
        [f"{API}/{plural}/" for plural in LISTS] * 3
        + [f"{API}/persons/{pk}/" for pk in persons] * 4
        + [f"{API}/contests/{pk}/" for pk in contests] * 2
        + [f"{API}/elections/up-2017/"]
        + FILTERS * 3
        + [f"{API}/persons/?{urlencode({'q': q})}" for q in SEARCHES] * 3
    )


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    milliseconds: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status not in (200, 304))

    def add(self, other: Result) -> None:
        self.seconds += other.seconds
        self.milliseconds += other.milliseconds
        self.statuses.update(other.statuses)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.milliseconds)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0

    def line(self) -> str:
        rate = len(self.milliseconds) / self.seconds if self.seconds else 0
        return (
            f"{self.name:<24} {len(self.milliseconds):>8} {rate:>8.1f} {self.percentile(0.5):>8.0f} "
            f"{self.percentile(0.99):>8.0f} {self.statuses[304]:>8} {self.errors:>7}"
        )


def warm_etags(base: str, paths: list[str]) -> dict[str, str]:
    conn, etags = Connection(base), {}
    for path in sorted(set(paths)):
        status, headers, _ = conn.request("GET", path)
        if status == 200 and headers.get("ETag"):
            etags[path] = headers["ETag"]
    return etags


def measure(name: str, base: str, paths: list[str], *, clients: int, seconds: float, etags: dict | None) -> Result:
    """`clients` threads, each on its own connection, back to back for `seconds`."""
    result, lock = Result(name), threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        pick, conn = random.Random(number), Connection(base)
        times, statuses = [], Counter()
        while time.monotonic() < deadline:
            path = pick.choice(paths)
            headers = {"If-None-Match": etags[path]} if etags and path in etags else {}
            began = time.perf_counter()
            try:
                status, _, _ = conn.request("GET", path, headers=headers)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
            times.append((time.perf_counter() - began) * 1000)
            statuses[status] += 1
        with lock:
            result.milliseconds += times
            result.statuses.update(statuses)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    return result


def write_then_read(base: str, token: str, writes: int) -> tuple[int, int, float]:
    """(writes read back at once by the writer, writes, ms until an anonymous reader saw the last)."""
    writer, reader = Connection(base), Connection(base)
    auth = {"Authorization": f"Token {token}"}
    seen = 0
    value = ""
    for number in range(writes):
        value = f"load-{os.getpid()}-{number}"
        body = json.dumps({"social_group": value}).encode()
        headers = {**auth, "Content-Type": "application/json", "If-Match": "*"}
        status, _, data = writer.request("PATCH", WRITTEN, body, headers)
        if status != 200:
            raise RuntimeError(f"PATCH {WRITTEN}: {status} {data[:300]!r}")
        seen += writer.get_json(WRITTEN, **auth)["social_group"] == value  # another app server, likely
    began = time.monotonic()
    while reader.get_json(WRITTEN)["social_group"] != value:
        if time.monotonic() - began > 30:
            return seen, writes, float("inf")
        time.sleep(0.005)
    return seen, writes, (time.monotonic() - began) * 1000


def run(cluster) -> int:
    clients = setting("CLUSTER_LOAD_CLIENTS", 8)
    seconds = setting("CLUSTER_LOAD_SECONDS", 15)
    rounds = setting("CLUSTER_LOAD_ROUNDS", 2)
    writes = setting("CLUSTER_LOAD_WRITES", 20)
    paths = the_mix(cluster.url)
    # Per address: list pages link to their next page by absolute URL, so their ETag depends on the port.
    configurations = [
        ("1 app server", cluster.one_server_url, None),
        ("2 app servers", cluster.url, None),
        ("1 app server, 304s", cluster.one_server_url, warm_etags(cluster.one_server_url, paths)),
        ("2 app servers, 304s", cluster.url, warm_etags(cluster.url, paths)),
    ]
    totals = {name: Result(name) for name, _, _ in configurations}
    print(f"== load: {clients} clients back to back, {seconds} s per configuration, {rounds} rounds", flush=True)
    for number in range(rounds):
        order = configurations if number % 2 == 0 else configurations[::-1]
        for name, base, conditional in order:
            result = measure(name, base, paths, clients=clients, seconds=seconds, etags=conditional)
            print(f"   round {number + 1}: {result.line()}", flush=True)
            totals[name].add(result)
    print(f"\n{'configuration':<24} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'304s':>8} {'errors':>7}")
    for result in totals.values():
        print(result.line())
    rate = {name: len(r.milliseconds) / r.seconds for name, r in totals.items()}
    print(
        f"two app servers / one: {rate['2 app servers'] / rate['1 app server']:.2f}x (plain), "
        f"{rate['2 app servers, 304s'] / rate['1 app server, 304s']:.2f}x (304s)"
    )
    seen, total, replicated_ms = write_then_read(cluster.url, cluster.token, writes)
    print(
        f"write-then-read through the proxy: {seen}/{total} writes read back at once by the writer; "
        f"an anonymous reader saw the last one after {replicated_ms:.0f} ms"
    )
    errors = sum(r.errors for r in totals.values())
    print(f"cluster load test: {sum(len(r.milliseconds) for r in totals.values())} requests, {errors} errors")
    return 1 if errors or seen != total or replicated_ms == float("inf") else 0

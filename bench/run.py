"""One run: the first responses compared, then paired rounds. In a round every
scenario asks the API and the limit back to back; which goes first alternates
from round to round, so neither always meets a warmer cache."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from bench import cursors
from bench.compare import differences
from bench.scenarios import Scenario
from bench.servers import fetch

QUERIES, PEAK_RSS_KB = "x-bench-queries", "x-bench-peak-rss-kb"


class BenchmarkFailed(Exception):
    pass


@dataclass
class Measured:
    scenario: Scenario
    api: list[float] = field(default_factory=list)
    limit: list[float] = field(default_factory=list)
    api_queries: list[int] = field(default_factory=list)
    limit_queries: list[int] = field(default_factory=list)
    api_bytes: int = 0
    rows: int | None = None  # a page's results; None for a detail
    mismatch: list[str] = field(default_factory=list)


@dataclass
class Ports:
    api: int
    limit: int


def resolve_cursors(ports: Ports, scenarios: list[Scenario]) -> None:
    """Give each deep page its API cursor (bench/cursors.py)."""
    for s in scenarios:
        if s.deep_after is None:
            continue
        first = Scenario(s.name, s.operation, s.path, {**s.params, "page_size": 1})
        status, body, _, _ = fetch(ports.api, first.api_url)
        if status != 200:
            raise BenchmarkFailed(f"{s.name}: the API's first page answered {status}")
        s.api_cursor = cursors.deep_cursor(json.loads(body), s.deep_after, s.cursor_order)


def check_first_responses(ports: Ports, scenarios: list[Scenario]) -> list[Measured]:
    results = []
    for s in scenarios:
        m = Measured(s)
        api_status, api_body, _, _ = fetch(ports.api, s.api_url)
        limit_status, limit_body, _, _ = fetch(ports.limit, s.limit_url)
        if api_status != s.status or limit_status != s.status:
            m.mismatch = [f"HTTP API {api_status}, limit {limit_status}: {api_body[:200]!r} / {limit_body[:200]!r}"]
        elif s.status == 200:  # a 404 carries no data, only each side's wording
            m.mismatch = differences(api_body, limit_body, ignore=s.ignore)
            if api_body.lstrip()[:1] in (b"{", b"["):  # not a preview card's HTML
                document = json.loads(api_body)
                m.rows = len(document["results"]) if isinstance(document, dict) and "results" in document else None
        m.api_bytes = len(api_body)
        results.append(m)
    return results


def measure(ports: Ports, results: list[Measured], *, rounds: int, warmup: int, deadline: float, progress=None) -> int:
    """Fill in the samples; returns the API worker's peak RSS (KB)."""
    peak_rss = 0
    for number in range(warmup + rounds):
        if time.monotonic() > deadline:
            raise BenchmarkFailed(f"out of time after {number} rounds (--max-seconds)")
        for m in results:
            sides = [("api", ports.api, m.scenario.api_url), ("limit", ports.limit, m.scenario.limit_url)]
            for side, port, url in sides if number % 2 == 0 else sides[::-1]:
                status, _, seconds, headers = fetch(port, url)
                if status != m.scenario.status:
                    raise BenchmarkFailed(f"{m.scenario.name}: {side} answered {status}")
                if number >= warmup:
                    getattr(m, side).append(seconds)
                    getattr(m, f"{side}_queries").append(int(headers[QUERIES]))
                if side == "api":
                    peak_rss = max(peak_rss, int(headers[PEAK_RSS_KB]))
        if progress:
            progress(number + 1, warmup + rounds)
    return peak_rss

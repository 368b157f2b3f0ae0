"""One benchmark run: interleaved API and limit requests, one table."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bench import stats
from bench.compare import differences
from bench.middleware import PEAK_RSS_KB, QUERIES
from bench.scenarios import Scenario
from bench.server import fetch


@dataclass
class Measured:
    scenario: Scenario
    api: list[float] = field(default_factory=list)
    limit: list[float] = field(default_factory=list)
    api_queries: set[int] = field(default_factory=set)
    limit_queries: set[int] = field(default_factory=set)
    api_bytes: int = 0
    mismatch: list[str] = field(default_factory=list)


class BenchmarkFailed(Exception):
    pass


def measure(port: int, scenarios: list[Scenario], *, rounds: int, warmup: int, deadline: float) -> tuple[list, int]:
    """Per scenario, ``rounds`` requests to the API and as many to the limit,
    alternating which goes first; returns the measurements and the worker's peak RSS (KB)."""
    results = [Measured(s) for s in scenarios]
    peak_rss = 0
    for m in results:  # first responses: the data must agree before anything is timed
        api_status, api_body, _, _ = fetch(port, m.scenario.api_url)
        limit_status, limit_body, _, _ = fetch(port, m.scenario.limit_url)
        if api_status != 200 or limit_status != 200:
            raise BenchmarkFailed(f"{m.scenario.name}: API {api_status}, limit {limit_status}")
        m.mismatch = differences(api_body, limit_body)
        m.api_bytes = len(api_body)
    for round_number in range(warmup + rounds):
        if time.monotonic() > deadline:
            raise BenchmarkFailed(f"out of time after {round_number} rounds")
        for m in results:
            order = [("api", m.scenario.api_url), ("limit", m.scenario.limit_url)]
            for side, url in order if round_number % 2 == 0 else order[::-1]:
                status, _, seconds, headers = fetch(port, url)
                if status != 200:
                    raise BenchmarkFailed(f"{m.scenario.name}: {side} answered {status}")
                peak_rss = max(peak_rss, int(headers[PEAK_RSS_KB.lower()]))
                if round_number >= warmup:
                    getattr(m, side).append(seconds)
                    getattr(m, f"{side}_queries").add(int(headers[QUERIES.lower()]))
    return results, peak_rss


def table(results: list[Measured]) -> str:
    header = (
        f"{'request':34} {'API med':>8} {'limit med':>9} {'ratio':>6} {'API p99':>8} {'limit p99':>9} "
        f"{'ratio':>6} {'API r/s':>8} {'lim r/s':>8} {'queries':>8} {'KB':>6} data"
    )
    lines = [header, "-" * len(header)]
    for m in results:
        api_med, lim_med = stats.median(m.api) * 1000, stats.median(m.limit) * 1000
        api_p99, lim_p99 = stats.p99(m.api) * 1000, stats.p99(m.limit) * 1000
        queries = f"{_set(m.api_queries)}/{_set(m.limit_queries)}"
        lines.append(
            f"{m.scenario.name:34} {api_med:8.2f} {lim_med:9.2f} {api_med / lim_med:6.2f} {api_p99:8.2f} "
            f"{lim_p99:9.2f} {api_p99 / lim_p99:6.2f} {stats.throughput(m.api):8.0f} "
            f"{stats.throughput(m.limit):8.0f} {queries:>8} {m.api_bytes / 1024:6.0f} "
            f"{'same' if not m.mismatch else 'DIFFERENT'}"
        )
    return "\n".join(lines)


def _set(values: set[int]) -> str:
    return ",".join(str(v) for v in sorted(values)) if values else "-"

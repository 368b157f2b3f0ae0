"""The tables of a run and the targets (issue 14): each operation's median
within 1.25x of its limit and its p99 within 2x; every page and detail under
50 ms at the median; a deep page within 1.1x of the first page of its order;
the same number of queries in every round."""

from __future__ import annotations

from bench import stats
from bench.run import Measured

MEDIAN_RATIO, P99_RATIO, MEDIAN_MS, DEEP_RATIO = 1.25, 2.0, 50.0, 1.1
FLAGS = {
    "M": f"median ratio > {MEDIAN_RATIO}",
    "P": f"p99 ratio > {P99_RATIO}",
    "S": f"API median >= {MEDIAN_MS:.0f} ms",
    "D": f"deep page > {DEEP_RATIO}x its first page (API)",
    "Q": "query count not constant",
}
NAME = 52


def _ms(seconds: float) -> float:
    return seconds * 1000


def _counts(values: list[int]) -> str:
    return ",".join(str(v) for v in sorted(set(values))) or "-"


def misses(m: Measured, by_name: dict) -> str:
    flags = ""
    if stats.median(m.api) / stats.median(m.limit) > MEDIAN_RATIO:
        flags += "M"
    if stats.p99(m.api) / stats.p99(m.limit) > P99_RATIO:
        flags += "P"
    if _ms(stats.median(m.api)) >= MEDIAN_MS:
        flags += "S"
    first = by_name.get(m.scenario.first_page)
    if first is not None and stats.median(m.api) / stats.median(first.api) > DEEP_RATIO:
        flags += "D"
    if len(set(m.api_queries)) > 1 or len(set(m.limit_queries)) > 1:
        flags += "Q"
    return flags


def table(results: list[Measured]) -> str:
    by_name = {m.scenario.name: m for m in results}
    header = (
        f"{'scenario':{NAME}} {'API med':>8} {'lim med':>8} {'ratio':>6} {'API p99':>8} {'lim p99':>8} {'ratio':>6} "
        f"{'p99 ratio 90%':>13} {'halves':>11} {'queries':>8} {'rows':>4} {'KB':>5} miss"
    )
    lines = [header, "-" * len(header)]
    for m in results:
        api_med, lim_med = _ms(stats.median(m.api)), _ms(stats.median(m.limit))
        api_p99, lim_p99 = _ms(stats.p99(m.api)), _ms(stats.p99(m.limit))
        low, high = stats.p99_ratio_spread(m.api, m.limit)
        first, second = stats.halves_p99_ratio(m.api, m.limit)
        queries = f"{_counts(m.api_queries)}/{_counts(m.limit_queries)}"
        lines.append(
            f"{m.scenario.name[:NAME]:{NAME}} {api_med:8.2f} {lim_med:8.2f} {api_med / lim_med:6.2f} {api_p99:8.2f} "
            f"{lim_p99:8.2f} {api_p99 / lim_p99:6.2f} {f'{low:.2f}-{high:.2f}':>13} "
            f"{f'{first:.2f}/{second:.2f}':>11} {queries:>8} {'' if m.rows is None else m.rows:>4} "
            f"{m.api_bytes / 1024:5.0f} {misses(m, by_name)}"
        )
    return "\n".join(lines)


def deep_pages(results: list[Measured]) -> str:
    by_name = {m.scenario.name: m for m in results}
    lines = [f"{'deep page (90 %) / its first page, medians':{NAME}} {'API':>6} {'limit':>6}"]
    for m in results:
        first = by_name.get(m.scenario.first_page)
        if first is not None:
            api = stats.median(m.api) / stats.median(first.api)
            limit = stats.median(m.limit) / stats.median(first.limit)
            lines.append(f"{m.scenario.name[:NAME]:{NAME}} {api:6.2f} {limit:6.2f}{'  D' if api > DEEP_RATIO else ''}")
    return "\n".join(lines)


def summary(results: list[Measured]) -> str:
    by_name = {m.scenario.name: m for m in results}
    widths, halves = [], []
    for m in results:
        low, high = stats.p99_ratio_spread(m.api, m.limit)
        widths.append(high - low)
        first, second = stats.halves_p99_ratio(m.api, m.limit)
        halves.append(abs(first - second))
    widths.sort()
    halves.sort()
    lines = [
        f"{len(results)} scenarios, {len(results[0].api)} paired samples each per side.",
        "Spread of the p99 ratio (run to run): bootstrap 90 % interval width, median "
        f"{statistics_median(widths):.2f}, largest {widths[-1]:.2f}; first half vs second half of the rounds, "
        f"median difference {statistics_median(halves):.2f}, largest {halves[-1]:.2f}.",
    ]
    missed = {flag: [m.scenario.name for m in results if flag in misses(m, by_name)] for flag in FLAGS}
    for flag, names in missed.items():
        verdict = "none (target met)" if not names else f"{len(names)}: " + "; ".join(names)
        lines.append(f"[{flag}] {FLAGS[flag]}: {verdict}")
    return "\n".join(lines)


def statistics_median(values: list[float]) -> float:
    return stats.median(values) if values else float("nan")

"""Latency statistics of one request kind."""

from __future__ import annotations

import math
import statistics


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    """Nearest-rank 99th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def throughput(samples: list[float]) -> float:
    """Requests per second, one at a time (the inverse of the mean latency)."""
    return len(samples) / sum(samples)

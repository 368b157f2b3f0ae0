"""Latency statistics of paired samples.

The 99th percentile is the Harrell-Davis estimate: a weighted mean of every
order statistic (weights from the Beta distribution around the 99 % rank),
much steadier than the nearest-rank sample (the 3rd largest of 300) that a
single slow request moves. Its spread is bootstrapped over rounds: each
resample draws whole rounds, so an API sample and the limit sample taken next
to it stay together."""

from __future__ import annotations

import math
import random
import statistics
from functools import cache

P99 = 0.99


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def nearest_rank(samples: list[float], p: float = P99) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (Lentz's method)."""
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-12:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


@cache
def _weights(n: int, p: float) -> tuple[float, ...]:
    a, b = p * (n + 1), (1 - p) * (n + 1)
    cdf = [incomplete_beta(a, b, i / n) for i in range(n + 1)]
    return tuple(cdf[i] - cdf[i - 1] for i in range(1, n + 1))


def harrell_davis(samples: list[float], p: float = P99) -> float:
    ordered = sorted(samples)
    return sum(w * x for w, x in zip(_weights(len(ordered), p), ordered, strict=True) if w > 1e-12)


def p99(samples: list[float]) -> float:
    return harrell_davis(samples, P99)


def p99_ratio_spread(api: list[float], limit: list[float], resamples: int = 200, seed: int = 1) -> tuple[float, float]:
    """The 5th and 95th percentiles of p99(API)/p99(limit) over bootstrap
    resamples of whole rounds (pairs)."""
    rng, n = random.Random(seed), len(api)
    ratios = []
    for _ in range(resamples):
        rounds = [rng.randrange(n) for _ in range(n)]
        ratios.append(p99([api[i] for i in rounds]) / p99([limit[i] for i in rounds]))
    ratios.sort()
    return ratios[int(0.05 * resamples)], ratios[int(0.95 * resamples) - 1]


def halves_p99_ratio(api: list[float], limit: list[float]) -> tuple[float, float]:
    """p99(API)/p99(limit) on the first and on the second half of the rounds."""
    half = len(api) // 2
    return (p99(api[:half]) / p99(limit[:half]), p99(api[half:]) / p99(limit[half:]))


def throughput(samples: list[float]) -> float:
    """Requests per second, one at a time (the inverse of the mean latency)."""
    return len(samples) / sum(samples)

"""How the benchmarks summarise latencies: median and 99th percentile, printed as a table."""

from __future__ import annotations

import statistics


def p50_p99(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def print_table(heading: str, rows: list[tuple[str, float, float]]) -> None:
    print(f"{heading:58} {'p50 ms':>8} {'p99 ms':>8}")
    for name, p50, p99 in rows:
        print(f"{name:58} {p50:8.2f} {p99:8.2f}")

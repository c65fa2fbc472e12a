"""Timing helpers: medians of repeated runs, and the ratio line every benchmark prints."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, measured: float, baseline: float, target: float | None = None) -> str:
    ratio = measured / baseline if baseline else float("inf")
    verdict = (
        ""
        if target is None
        else f"  (target {target:.1f}x: {'met' if ratio <= target else 'MISSED'})"
    )
    line = (
        f"{name:<48} {measured * 1000:8.1f} ms vs bare {baseline * 1000:8.1f} ms "
        f"= {ratio:4.2f}x{verdict}"
    )
    print(line, flush=True)
    return line

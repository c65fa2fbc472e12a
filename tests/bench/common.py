"""Timing helpers: medians of repeated runs, and the ratio line every benchmark prints;
plus what several benchmarks need: the app on the bench instance, a bench account, a free
port and latency percentiles."""

from __future__ import annotations

import socket
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_PASSWORD = "bench-password-1"


def median_time(fn: Callable[[], object], repeat: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass
class Paired:
    """Medians of an app run and a bare run: wall-clock seconds, and CPU seconds of this
    process (steadier than wall time when other work shares the machine)."""

    app: float
    bare: float
    app_cpu: float
    bare_cpu: float


def paired_times(
    app: Callable[[], object],
    bare: Callable[[], object],
    repeat: int = 10,
    warmup: int = 2,
    setup: Callable[[], object] | None = None,
) -> Paired:
    """`app` and `bare` timed alternately, so that a busy machine slows both alike;
    `setup` runs before each `app` run, untimed (emptying a cache for a first view)."""
    for _ in range(warmup):
        if setup:
            setup()
        app()
        bare()
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for n, fn in enumerate((app, bare)):
            if n == 0 and setup:
                setup()
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[n].append(time.perf_counter() - start)
            cpu[n].append(time.process_time() - start_cpu)
    med = statistics.median
    return Paired(med(wall[0]), med(wall[1]), med(cpu[0]), med(cpu[1]))


def report(
    name: str,
    measured: float,
    baseline: float,
    target: float | None = None,
    cpu: tuple[float, float] | None = None,
) -> str:
    """One figure: app time, bare time, their ratio and the target; with `cpu` (app, bare
    CPU seconds) the CPU-time ratio as well."""
    ratio = measured / baseline if baseline else float("inf")
    verdict = (
        ""
        if target is None
        else f"  (target {target:.1f}x: {'met' if ratio <= target else 'MISSED'})"
    )
    cpu_text = ""
    if cpu:
        cpu_ratio = cpu[0] / cpu[1] if cpu[1] else float("inf")
        cpu_text = f"  [cpu {_ms(cpu[0])}/{_ms(cpu[1])} ms = {cpu_ratio:.2f}x]"
    line = (
        f"{name:<48} {measured * 1000:8.1f} ms vs bare {baseline * 1000:8.1f} ms "
        f"= {ratio:4.2f}x{verdict}{cpu_text}"
    )
    print(line, flush=True)
    return line


def _ms(seconds: float) -> str:
    """Milliseconds, with decimals where whole ones would hide the figure (per-mail times)."""
    ms = seconds * 1000
    return f"{ms:.0f}" if ms >= 10 else f"{ms:.2f}"


def report_pair(name: str, pair: Paired, target: float | None = None) -> str:
    return report(name, pair.app, pair.bare, target, cpu=(pair.app_cpu, pair.bare_cpu))


def report_value(
    name: str, measured: float, baseline: float, unit: str, target: str | None = None
) -> str:
    """A figure that is not a time in seconds (requests/s, ms already scaled, rows/s)."""
    ratio = measured / baseline if baseline else float("inf")
    verdict = f"  ({target})" if target else ""
    line = (
        f"{name:<48} {measured:8.1f} {unit} vs bare {baseline:8.1f} {unit} = {ratio:4.2f}x{verdict}"
    )
    print(line, flush=True)
    return line


def percentile(values: Sequence[float], pct: float) -> float:
    """The `pct` percentile (0-100) by the nearest-rank method; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_app(instance: Path, **config):
    """The kit on the bench instance for the test client: rate limits and CSRF off."""
    from kit import create_app

    return create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


def bench_user(db, username: str, roles: set[str], name: str = "Bench") -> int:
    """The id of a bench account with password BENCH_PASSWORD, made the first time."""
    from kit.auth import store as accounts

    row = accounts.find_by_username(db, username)
    if row:
        return row["id"]
    return accounts.create_user(
        db, username=username, name=name, password=BENCH_PASSWORD, roles=roles
    )


def bench_user_object(db, username: str, roles: set[str]):
    """The logged-in `User` for a bench account, for code that takes `g.user`."""
    from kit.auth import store as accounts

    bench_user(db, username, roles)
    return accounts.load_user(db, accounts.find_by_username(db, username))

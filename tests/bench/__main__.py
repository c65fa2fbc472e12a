"""Run every benchmark on one generated school and print the ratios.

python -m tests.bench [--calls 100000] [--articles 10000] [--instance DIR] [--only NAME]

Every tests/bench/bench_*.py module is a benchmark (run in name order); each has
`run(instance)`. `--only printing` (or `bench_printing`) runs one of them; repeat it for more.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import tempfile
import time
from pathlib import Path

from tests.bench.generate import generate

HERE = Path(__file__).parent


def discover() -> list[str]:
    """The benchmark modules' names, sorted: every bench_*.py beside this file."""
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def select(names: list[str], only: list[str] | None) -> list[str]:
    if not only:
        return names
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in only]
    unknown = [n for n in wanted if n not in names]
    if unknown:
        raise SystemExit(f"No benchmark {', '.join(unknown)}; there are: {', '.join(names)}")
    return [n for n in names if n in wanted]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--instance", type=Path)
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)"
    )
    args = parser.parse_args()
    names = select(discover(), args.only)
    instance = args.instance or Path(tempfile.mkdtemp(prefix="kit-bench-"))
    if not (instance / "kit.sqlite3").exists():
        print(f"Generating {args.calls} calls and {args.articles} articles in {instance} ...")
        start = time.perf_counter()
        generate(instance, args.calls, args.articles)
        print(f"Generated in {time.perf_counter() - start:.0f} s")
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; instance {instance}"
    )
    for name in names:
        print(f"\n== {name}", flush=True)
        importlib.import_module(f"tests.bench.{name}").run(instance)


if __name__ == "__main__":
    main()

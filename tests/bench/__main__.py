"""Run every benchmark on one generated school and print the ratios.

python -m tests.bench [--calls 100000] [--articles 10000] [--instance DIR]
"""

from __future__ import annotations

import argparse
import importlib
import platform
import tempfile
from pathlib import Path

from tests.bench.generate import generate

BENCHES = ("bench_call_log",)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--instance", type=Path)
    args = parser.parse_args()
    instance = args.instance or Path(tempfile.mkdtemp(prefix="kit-bench-"))
    if not (instance / "kit.sqlite3").exists():
        print(f"Generating {args.calls} calls and {args.articles} articles in {instance} ...")
        generate(instance, args.calls, args.articles)
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}")
    for name in BENCHES:
        importlib.import_module(f"tests.bench.{name}").run(instance)


if __name__ == "__main__":
    main()

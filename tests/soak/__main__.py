"""`make soak`: a school day on `kit serve` with faults; SOAK_MINUTES long (default 30).

Prints the figures, then its last line:
    soak: M minutes, C clients, W writes acknowledged, L lost, D duplicated, F failed
    (R refused while full), K kills, p50/p99 X/Y ms, peak memory Z MB
and exits 1 when L, D or F is not 0. SOAK_DIR keeps the day's files (server and daily job
logs) somewhere of your choosing; by default a temporary folder, removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.soak.day import run_day


def main() -> int:
    minutes = float(os.environ.get("SOAK_MINUTES", "30"))
    keep = os.environ.get("SOAK_DIR")
    workdir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="kit-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"soak: {minutes:g} minutes in {workdir}; load average {load[0]:.1f}", flush=True)
    started = time.monotonic()
    try:
        result = run_day(minutes, workdir)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    load = os.getloadavg()
    print(result.report())
    print(
        f"  took {time.monotonic() - started:.0f} s; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)"
    )
    print(result.last_line(), flush=True)
    return 0 if result.ok() else 1


if __name__ == "__main__":
    sys.exit(main())

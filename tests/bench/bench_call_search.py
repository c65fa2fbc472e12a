"""The call log's text search at 100,000 calls: one- and two-word queries, a reference and
an asset tag through `search_calls` as the call log page runs it for a search (latest
matches first, the first page of 50 and the count up to 1,000), each against the 20 ms median the issue sets. Also how long the search table
takes to build for every call (the migration's backfill, and `kit reindex`).

The generated calls draw their words from a vocabulary of 34, so a one-word query matches
about two thirds of them: the worst case for the count.
"""

from __future__ import annotations

import time
from pathlib import Path

from kit import create_app
from kit.calls import log_store, search_store
from kit.db import connect
from tests.bench.common import median_time

TARGET_MS = 20.0


def run(instance: Path) -> list[str]:
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"})
    db = connect(app.config["DATABASE"])
    count = db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    lines = []
    pending = db.execute("SELECT COUNT(*) FROM call_search_pending").fetchone()[0]
    if pending:
        start = time.perf_counter()
        search_store.bring_up_to_date(db, limit=None)
        took = time.perf_counter() - start
        lines.append(_line(f"search table: {pending} calls brought up to date", took, None))
    ref = db.execute("SELECT ref FROM calls ORDER BY id DESC LIMIT 1 OFFSET 500").fetchone()[0]
    tag = db.execute("SELECT asset_tag FROM equipment ORDER BY id LIMIT 1 OFFSET 7").fetchone()[0]
    for label, text in (
        ("one word", "printer"),
        ("one word, rare", "microphone"),
        ("two words", "projector cable"),
        ("two words, synonym and hyphen", "beamer wi-fi"),
        ("reference", ref),
        ("asset tag", tag),
    ):
        f = log_store.CallFilter(text=text)
        if label == "asset tag":  # the page sends a typed tag to the asset's calls
            item = db.execute("SELECT id FROM equipment WHERE asset_tag = ?", [tag]).fetchone()
            f = log_store.CallFilter(equipment_id=item[0])
        rows, total = log_store.search_calls(db, f, sort="recent", page_size=50)
        took = median_time(
            lambda f=f: log_store.search_calls(db, f, sort="recent", page_size=50), repeat=21
        )
        lines.append(_line(f"{count} calls, {label} {text!r} ({total} found)", took, TARGET_MS))
    db.conn.close()
    return lines


def _line(name: str, seconds: float, target_ms: float | None) -> str:
    verdict = ""
    if target_ms is not None:
        verdict = (
            f"  (target {target_ms:.0f} ms: {'met' if seconds * 1000 <= target_ms else 'MISSED'})"
        )
    line = f"{name:<64} {seconds * 1000:9.1f} ms{verdict}"
    print(line, flush=True)
    return line

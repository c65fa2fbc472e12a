"""A large CSV import runs beside the page, which shows how far it got.

A staff list of a few hundred rows is checked while the admin waits. A large file (a
whole trust's asset register) takes seconds to minutes, so the preview's dry run and the
confirmed import run in a thread, and the page refreshes itself (a meta refresh: no
script needed) showing rows done out of rows in the file until the result is ready.

How far a run got is kept in a small JSON file in the instance folder beside the stashed
upload, not in the database: the import holds the database's write lock until it commits,
and with `kit serve --processes N` the page that polls may be served by another process.
A run whose file has not changed for `STALE_SECONDS` died with its process; an import is
all rows or none, so nothing was kept, and the page says so.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask

from kit.db import get_db
from kit.directory.importer import ImportReport, import_csv

SYNC_ROWS = 1000  # files up to this many lines are checked while the admin waits
STALE_SECONDS = 120
_STEPS = 100  # progress is written at most this many times per run


def needs_background(text: str) -> bool:
    return text.count("\n") > SYNC_ROWS


def _path(folder: Path, run_id: str) -> Path:
    return folder / f"{run_id}.run.json"


def _write(folder: Path, run_id: str, state: dict[str, Any]) -> None:
    """Replace the run's file in one step, so a reader never sees half of it."""
    part = folder / f"{run_id}.run.part"
    part.write_text(json.dumps(state), encoding="utf-8")
    os.replace(part, _path(folder, run_id))


def start(
    app: Flask, folder: Path, *, kind: str, text: str, dry_run: bool, user_id: int, token: str
) -> str:
    """Start checking (dry run) or importing `text` in a thread; the run's id for the page."""
    folder.mkdir(exist_ok=True)
    run_id = secrets.token_hex(16)
    state = {
        "kind": kind,
        "dry_run": dry_run,
        "user_id": user_id,
        "token": token,
        "total": 0,
        "done": 0,
        "finished": False,
        "report": None,
        "updated_at": time.time(),
    }
    _write(folder, run_id, state)
    worker = threading.Thread(
        target=_run, args=(app, folder, run_id, state, text), name=f"import-{run_id[:8]}"
    )
    worker.daemon = True
    worker.start()
    return run_id


def _run(app: Flask, folder: Path, run_id: str, state: dict[str, Any], text: str) -> None:
    def progress(rows: list) -> Iterable:
        state["total"] = len(rows)
        every = max(1, len(rows) // _STEPS)
        for done, row in enumerate(rows):
            if done % every == 0:
                _write(folder, run_id, {**state, "done": done, "updated_at": time.time()})
            yield row

    with app.app_context():
        try:
            report = import_csv(
                get_db(), state["kind"], text, dry_run=state["dry_run"], progress=progress
            )
        except Exception:  # noqa: BLE001 - the page must learn the run ended, then re-raise
            _write(folder, run_id, {**state, "finished": True, "failed": True})
            raise
    _write(
        folder,
        run_id,
        {
            **state,
            "done": state["total"],
            "finished": True,
            "report": dataclasses.asdict(report),
            "updated_at": time.time(),
        },
    )


def load(folder: Path, run_id: str, user_id: int) -> dict[str, Any] | None:
    """The run as the page shows it, or None when there is no such run of this admin's."""
    if not (len(run_id) == 32 and all(c in "0123456789abcdef" for c in run_id)):
        return None
    try:
        state = json.loads(_path(folder, run_id).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if state.get("user_id") != user_id:
        return None
    state["stale"] = (
        not state["finished"] and time.time() - state.get("updated_at", 0) > STALE_SECONDS
    )
    state["percent"] = int(100 * state["done"] / state["total"]) if state["total"] else 0
    return state


def report_of(state: dict[str, Any]) -> ImportReport:
    return ImportReport(**state["report"])


def forget(folder: Path, run_id: str) -> None:
    _path(folder, run_id).unlink(missing_ok=True)

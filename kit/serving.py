"""How `kit serve` serves: waitress in one process (any system, Windows included), or on
Linux several gunicorn worker processes, for a trust running many schools on one machine.

Whatever the number of processes, the background jobs (reading the desk's mailbox every
IMAP_POLL_SECONDS, and the daily job at DAILY_AT when that is set) run in exactly one of
them: the one holding an OS lock on `instance/background.lock`. The others try again every
TAKE_OVER_SECONDS, so when the holder dies (the lock goes with it) another takes over.
Everything else a process keeps is shared through the database: the login limits and the
rate limits are counted there, and cached settings and reference data carry a version the
database moves on every change (kit.refcache).

Threads: one process's threads share the GIL, and SQLite readers in WAL mode do not block
one another. `DEFAULT_THREADS` (8) measured best of 2, 4 and 8 with 16 clients on the
shared 2-CPU bench machine (tests/bench/RESULTS.md, 2026-12-05).
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask

log = logging.getLogger(__name__)

DEFAULT_THREADS = 8
TAKE_OVER_SECONDS = 30.0
CHECK_SECONDS = 30.0  # how often the holder looks at the clock for the daily job


class JobLock:
    """An exclusive, non-blocking OS lock on a file, held until the process ends or
    `release()`. Where the system has no `fcntl` (Windows: one waitress process), it is
    always granted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: Any = None

    def take(self) -> bool:
        if self.handle is not None:
            return True
        try:
            import fcntl
        except ImportError:  # Windows: one process, nobody to share with
            self.handle = True
            return True
        handle = open(self.path, "a+")  # noqa: SIM115 (held open: the lock lives with it)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle not in (None, True):
            self.handle.close()  # closing the file drops the lock
        self.handle = None


class BackgroundJobs:
    """The mail poll and the daily job, run by whichever process holds the job lock."""

    def __init__(self, app: Flask, say: Any = click.echo) -> None:
        self.app = app
        self.say = say
        self.lock = JobLock(Path(app.instance_path) / "background.lock")
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="kit-background", daemon=True)
        self.poller: Any = None
        self.daily_done_on: str | None = None

    def start(self) -> BackgroundJobs:
        self.thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        if self.poller is not None:
            self.poller.stop(timeout)
        self.thread.join(timeout)
        self.lock.release()

    def _run(self) -> None:
        wait = float(self.app.config.get("JOBS_TAKE_OVER_SECONDS", TAKE_OVER_SECONDS))
        while not self.lock.take():
            if self.stopping.wait(wait):
                return
        self.say(f"Process {os.getpid()} runs the background jobs (mail in, daily job).")
        from kit.mailin.poller import Poller

        self.poller = Poller(self.app, say=self.say).start()
        while not self.stopping.is_set():
            try:
                self.daily_if_due(datetime.now())
            except Exception:  # the schedule must outlive one failure; tomorrow retries
                log.exception("The daily job failed")
            self.stopping.wait(CHECK_SECONDS)

    def daily_if_due(self, at: datetime) -> bool:
        """Run the daily job once a day, at or after DAILY_AT ("07:00"; empty: never here,
        cron runs `kit daily`). The job itself sends nothing twice on one day."""
        when = (self.app.config.get("DAILY_AT") or "").strip()
        today = at.date().isoformat()
        if not when or self.daily_done_on == today or at.strftime("%H:%M") < when:
            return False
        from kit.daily import daily_for_app

        self.daily_done_on = today
        report = daily_for_app(self.app)
        self.say(f"{at:%H:%M} Daily job: {report}")
        return True


def serve_waitress(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve

    jobs = BackgroundJobs(app).start()
    try:
        serve(app, host=host, port=port, threads=threads, ident="kit")
    finally:
        jobs.stop()


def serve_processes(app: Flask, host: str, port: int, processes: int, threads: int) -> None:
    """gunicorn with `processes` workers of `threads` threads each, the app built once in
    the master (migrations run once) and inherited by the workers."""
    from gunicorn.app.base import BaseApplication

    def post_worker_init(worker: Any) -> None:
        worker.kit_jobs = BackgroundJobs(app).start()

    class KitServer(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": processes,
                "threads": threads,
                "worker_class": "gthread" if threads > 1 else "sync",
                "preload_app": True,
                "post_worker_init": post_worker_init,
                "accesslog": None,
                "graceful_timeout": 10,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    KitServer().run()

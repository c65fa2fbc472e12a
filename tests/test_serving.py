"""`kit serve` with one process or several: the background jobs run in exactly one, and
what limits logins and the web form is counted once for all (kit.serving, kit.ratelimits)."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from kit.ratelimits import SQLiteStorage
from kit.serving import BackgroundJobs, JobLock
from tests.conftest import PASSWORD
from tests.customer_support import web_answers
from tests.serve_support import Server

linux_only = pytest.mark.skipif(os.name != "posix", reason="several processes need Linux")


def _workers(master: int) -> set[int]:
    found = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    )
    return {int(pid) for pid in found.stdout.split()}


def _holder(instance: Path, deadline: float = 30) -> int:
    """The pid written in the job lock's file by the process that holds it."""
    path = instance / "background.lock"
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        text = path.read_text().strip() if path.exists() else ""
        if text:
            return int(text)
        time.sleep(0.2)
    raise AssertionError("no process took the background jobs")


def test_only_one_holder_takes_the_job_lock_until_it_lets_go(tmp_path):
    first, second = JobLock(tmp_path / "background.lock"), JobLock(tmp_path / "background.lock")
    assert first.take()
    assert not second.take()
    first.release()
    assert second.take()
    second.release()


def test_the_daily_job_runs_once_a_day_at_daily_at(app):
    app.config["DAILY_AT"] = "07:00"
    jobs = BackgroundJobs(app, say=lambda _text: None)
    assert not jobs.daily_if_due(datetime(2026, 11, 23, 6, 59))
    assert jobs.daily_if_due(datetime(2026, 11, 23, 7, 0))
    assert not jobs.daily_if_due(datetime(2026, 11, 23, 15, 0))
    assert jobs.daily_if_due(datetime(2026, 11, 24, 7, 30))


def test_without_daily_at_the_server_leaves_the_daily_job_to_cron(app):
    jobs = BackgroundJobs(app, say=lambda _text: None)
    assert not jobs.daily_if_due(datetime(2026, 11, 23, 12, 0))


def test_two_processes_count_against_one_rate_limit(app):
    path = app.config["DATABASE"]
    first, second = SQLiteStorage(f"kit-sqlite://{path}"), SQLiteStorage(f"kit-sqlite://{path}")
    assert first.incr("web-form/10.0.0.1", 3600) == 1
    assert second.incr("web-form/10.0.0.1", 3600) == 2
    assert first.get("web-form/10.0.0.1") == 2
    assert second.get_expiry("web-form/10.0.0.1") > time.time() + 3500


def test_a_count_whose_window_has_ended_starts_again(app):
    storage = SQLiteStorage(f"kit-sqlite://{app.config['DATABASE']}")
    storage.incr("k", 3600)
    storage.incr("k", 3600)
    storage._conn().execute("UPDATE rate_limits SET expires_at = ?", [time.time() - 1])
    assert storage.get("k") == 0
    assert storage.incr("k", 3600) == 1


@linux_only
def test_two_server_processes_share_the_web_forms_hourly_limit(app, users):
    users["admin"]  # past the set-up wizard
    first, second = Server(app.instance_path), Server(app.instance_path)
    try:
        codes = []
        for n in range(6):
            browser = (first if n % 2 == 0 else second).client()
            status, _ = browser.post(
                "/my-call/new", web_answers(submission_key=f"{n:032x}"), "/my-call/new"
            )
            codes.append(status)
        assert codes == [302] * 5 + [429]  # in memory, each process would have allowed 5
    finally:
        first.stop()
        second.stop()


@linux_only
def test_a_login_lock_reached_through_two_processes_holds_in_both(app, users):
    users["desk"]
    env = {"KIT_LOGIN_ATTEMPTS": "3"}
    first, second = Server(app.instance_path, env=env), Server(app.instance_path, env=env)
    try:
        for server in (first, second, first):
            assert server.client().login("desk", "wrong password") == 400
        assert second.client().login("desk", PASSWORD) == 429
        assert first.client().login("desk", PASSWORD) == 429
    finally:
        first.stop()
        second.stop()


@linux_only
def test_several_processes_serve_and_one_runs_the_background_jobs(app, users):
    users["desk"]
    instance = Path(app.instance_path)
    server = Server(instance, "--processes", "2", env={"KIT_JOBS_TAKE_OVER_SECONDS": "1"})
    try:
        browser = server.client()
        assert browser.login("desk", PASSWORD) == 302
        assert "Call log" in browser.get("/calls/")
        workers = _workers(server.process.pid)
        assert len(workers) == 2
        holder = _holder(instance)
        assert holder in workers
        time.sleep(2)  # the other worker has tried again meanwhile
        assert server.output().count("runs the background jobs") == 1
        os.kill(holder, signal.SIGKILL)  # the holder dies: its lock goes with it
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.output().count("runs the background") < 2:
            time.sleep(0.2)
        taken = re.findall(r"Process (\d+) runs the background jobs", server.output())
        assert len(taken) == 2 and int(taken[1]) != holder
        assert "Call log" in browser.get("/calls/")
    finally:
        server.stop()


def test_a_count_the_full_disk_refuses_is_reported_as_a_full_disk(app):
    """SQLite rolls back by itself when COMMIT fails for a full disk; the count must then
    raise that error (which the pages turn into a plain 503), not "cannot rollback"."""
    storage = SQLiteStorage(f"kit-sqlite://{app.config['DATABASE']}")
    real = storage._conn()

    class FullAtCommit:
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *args):
            if sql == "COMMIT":
                real.execute("ROLLBACK")  # what SQLite does when the commit cannot be written
                raise sqlite3.OperationalError("database or disk is full")
            return real.execute(sql, *args)

    storage.local.conn = FullAtCommit()
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        storage.incr("web-form", 60)
    storage.local.conn = real
    assert storage.incr("web-form", 60) == 1  # nothing of the refused count was kept

"""A whole school day on `kit serve`, with its faults, then the count of what was kept.

`run_day` sets up the school on a small disk of its own, starts Dovecot (the desk's
mailbox), an SMTP server (aiosmtpd, where the outbox goes) and `kit serve` with mail in
polling that mailbox; then sixteen people work through the web pages and the mailroom
delivers mail, while the schedule (`faults.Schedule`) kills the server, stops IMAP, fills
the disk and runs the daily job. At the end it waits for the last mail to be read, runs
the daily job once more to empty the outbox, stops the server and checks everything
(`checks.check`).
"""

from __future__ import annotations

import random
import subprocess
import threading
import time
import traceback
from contextlib import ExitStack
from pathlib import Path

from tests import smtp_support
from tests.imap_support import Dovecot
from tests.proof_support import KIT, KitServer
from tests.soak import checks, people, school
from tests.soak.faults import Schedule, SmallDisk, peak_rss_mb
from tests.soak.ledger import Ledger
from tests.soak.mailroom import DESK, Mailroom, imap_outage
from tests.soak.web import Browser, Failed

DISK_MB = 256
ROLES = {
    "desk": people.desk,
    "technician": people.technician,
    "coordinator": people.coordinator,
    "leader": people.leader,
}


def _kit_env(mailbox, smtp_port: int) -> dict[str, str]:
    return {
        "KIT_IMAP_HOST": "127.0.0.1",
        "KIT_IMAP_PORT": str(mailbox.server.port),
        "KIT_IMAP_SECURITY": "none",
        "KIT_IMAP_USERNAME": mailbox.user,
        "KIT_IMAP_PASSWORD": mailbox.password,
        "KIT_IMAP_POLL_SECONDS": "10",
        "KIT_IMAP_TIMEOUT": "10",
        "KIT_SMTP_HOST": "127.0.0.1",
        "KIT_SMTP_PORT": str(smtp_port),
        "KIT_MAIL_FROM": DESK,
    }


class Person(threading.Thread):
    """One of the sixteen: their role's loop, again after anything goes wrong."""

    def __init__(self, role: str, username: str, day: people.Day, seed: int, web_every: float):
        super().__init__(name=f"soak-{username}", daemon=True)
        self.role, self.username, self.day = role, username, day
        self.rnd = random.Random(seed)
        self.web_every = web_every

    def run(self) -> None:
        while not self.day.stop.is_set():
            browser = Browser(self.day.port, self.username, self.day.ledger)
            try:
                if self.role == "customer":
                    people.customer(browser, self.day, self.rnd, self.web_every)
                else:
                    ROLES[self.role](browser, self.day, self.rnd)
            except Failed:
                pass  # in the ledger already; the person starts again
            except Exception as exc:
                self.day.ledger.fail(
                    f"{self.username}: {exc!r} at {traceback.format_exc(limit=-2).strip()[-300:]}"
                )
            finally:
                browser.close()
            self.day.stop.wait(1.0)


class Clock:
    """The day's schedule run on the main thread; the long faults in threads of their own."""

    def __init__(self, schedule: Schedule, server: KitServer, ledger: Ledger, run_daily, say):
        self.schedule, self.server, self.ledger = schedule, server, ledger
        self.run_daily, self.say = run_daily, say
        self.peak_mb = 0.0
        self.threads: list[threading.Thread] = []

    def sample(self) -> None:
        if self.server.proc is not None:
            self.peak_mb = max(self.peak_mb, peak_rss_mb(self.server.proc.pid))

    def progress(self) -> str:
        led = self.ledger
        return (
            f"{led.writes()} writes, {len(led.mails)} mails, {len(led.failures)} failures, "
            f"{len(led.refused_full)} refused while full, {led.unanswered} unanswered"
        )

    def run(self, started: float, stop: threading.Event, imap, full) -> None:
        s = self.schedule
        events = [(t, "kill") for t in s.kills]
        events += [(s.imap_down_at, "imap"), (s.full_at, "full")]
        events += [
            (s.daily_every * k, "daily") for k in range(1, int(s.seconds // s.daily_every) + 1)
        ]
        events = sorted(e for e in events if e[0] < s.seconds)
        for at, what in events + [(s.seconds, "end")]:
            while time.monotonic() - started < at:
                self.sample()
                stop.wait(min(1.0, max(0.0, at - (time.monotonic() - started))))
            self.say(f"  {time.strftime('%H:%M:%S')} {what}: {self.progress()}")
            if what == "kill":
                self.sample()
                self.server.kill()
                self.ledger.count("kills")
                self.server.start(timeout=120)
            elif what in ("imap", "full", "daily"):
                job = {"imap": imap, "full": full, "daily": self.run_daily}[what]
                thread = threading.Thread(target=job, name=f"soak-{what}", daemon=True)
                thread.start()
                self.threads.append(thread)
        for thread in self.threads:
            thread.join(300)


def run_day(minutes: float, workdir: Path, think: float = 1.0, say=print) -> checks.Result:
    schedule = Schedule.for_minutes(minutes)
    ledger = Ledger()
    stop = threading.Event()
    with ExitStack() as stack:
        disk = SmallDisk(workdir / "instance", DISK_MB)
        stack.callback(disk.close)
        instance = disk.folder
        dovecot = Dovecot()
        stack.callback(dovecot.close)
        mailbox = dovecot.mailbox()
        outbox = stack.enter_context(smtp_support.running())
        env = _kit_env(mailbox, outbox.port)
        school.make_school(instance, KIT, env)
        server = KitServer(instance, threads=8, env=env)
        stack.callback(server.stop)
        server.start(timeout=120)
        daily_log = workdir / "daily.log"

        def run_daily() -> None:
            begun = time.monotonic()
            with open(daily_log, "ab") as log:
                done = subprocess.run(
                    [KIT, "daily"],
                    env={**server_env(server), "KIT_INSTANCE": str(instance)},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    timeout=600,
                )
            if done.returncode == 0:
                ledger.read("daily jobs")
            elif ledger.was_full_between(begun, time.monotonic()):
                ledger.read("daily jobs stopped by the full disk, in plain words")
            else:
                ledger.fail(f"kit daily exited {done.returncode} (see {daily_log})")

        day = people.Day(
            port=server.port,
            ledger=ledger,
            stop=stop,
            think=think,
            mailed_links=lambda: people.links_in([e.content for e in list(outbox.envelopes)]),
        )
        mailroom = Mailroom(mailbox, ledger, day.refs, schedule.mail_every).start()
        stack.callback(mailroom.close)
        web_every = max(schedule.seconds / 2, 60.0 * 12)
        crowd = [
            Person(role, username, day, seed, web_every)
            for seed, (role, username) in enumerate(school.people())
        ]
        for person in crowd:
            person.start()

        def full() -> None:
            ledger.full_window[:] = [time.monotonic(), None]
            try:
                until = time.monotonic() + schedule.full_for
                while time.monotonic() < until:
                    disk.fill()
                    time.sleep(0.5)
            finally:
                disk.make_room()
                ledger.full_window[1] = time.monotonic()

        started = time.monotonic()
        clock = Clock(schedule, server, ledger, run_daily, say)
        clock.run(
            started,
            stop,
            imap=lambda: imap_outage(dovecot, mailroom, schedule.imap_down_for, threading.Event()),
            full=full,
        )
        stop.set()
        mailroom.close()
        for person in crowd:
            person.join(300)
            if person.is_alive():
                ledger.fail(f"{person.username} was still busy 300 s after the day ended")
        checks.wait_for_mail(instance / "kit.sqlite3", ledger, timeout=90)
        run_daily()
        checks.catch_up_search(server.port, ledger)
        clock.sample()
        server.stop()
        say(f"soak: checking {instance}")
        result = checks.check(instance, ledger, outbox, mailbox)
        result.minutes = minutes
        result.clients = len(crowd)
        result.peak_mb = clock.peak_mb
        return result


def server_env(server: KitServer) -> dict[str, str]:
    import os

    return {**os.environ, **server.env}

"""Mail in: 1,000 mails from staff fetched from a real Dovecot and logged as calls by the
kit's fetch (parse, loop guards, directory look-up, call, status link, acknowledgement,
record, one commit per batch, \\Seen flag), per mail, against a bare imapclient fetch of
the same 1,000 mails (search, BODY.PEEK[] in the same batches, nothing else).

The mails are appended once; each round marks them unread again and times the bare fetch,
then the kit's fetch on a fresh copy of the bench database (SQLite's backup API, outside
the timing), so the bench school stays as generated and a load spike slows both alike.
Prints the medians of ROUNDS rounds, and the kit's CPU time per mail (the bare fetch's
work is mostly Dovecot's, in another process, so a CPU ratio would mean nothing)."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from imapclient import IMAPClient

from kit.db import connect, now, write_lock
from kit.directory import store as directory
from kit.mailin import config
from kit.mailin.fetch import BATCH, fetch
from tests.bench.common import bench_app, percentile, report
from tests.imap_support import Dovecot

MAILS = 1_000
STAFF = 40
TARGET = 3.0
ROUNDS = 3


def _mail(n: int) -> bytes:
    return (
        f"From: Teacher {n % STAFF} <teacher{n % STAFF}@bench.school.example>\r\n"
        f"To: servicedesk@school.example\r\nSubject: Projector in room {n} shows no picture\r\n"
        f"Message-ID: <bench-{n}@bench.school.example>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"The projector in room {n} says No signal when the laptop is connected.\r\n\r\n"
        "Thanks,\r\nA teacher\r\n"
    ).encode()


def _bare(mailbox) -> float:
    start = time.perf_counter()
    client = IMAPClient("127.0.0.1", port=mailbox.server.port, ssl=False, timeout=30)
    client.login(mailbox.user, mailbox.password)
    client.select_folder("INBOX")
    uids = sorted(client.search(["UNSEEN"]))
    got = 0
    for at in range(0, len(uids), BATCH):
        got += len(client.fetch(uids[at : at + BATCH], ["BODY.PEEK[]"]))
    client.logout()
    assert got == MAILS, got
    return time.perf_counter() - start


def _school(instance: Path, scratch: Path) -> None:
    source = connect(str(instance / "kit.sqlite3"))
    target = connect(str(scratch / "kit.sqlite3"))
    source.conn.backup(target.conn)
    source.conn.close()
    for n in range(STAFF):
        directory.add_person(target, name=f"Teacher {n}", email=f"teacher{n}@bench.school.example")
    target.conn.close()


class DeskWrites:
    """A desk writing a note on a call every 50 ms, on its own connection, while the fetch
    runs: how long each write waited for the lock the fetch's batches take."""

    def __init__(self, path: str) -> None:
        self.path, self.waits, self.stop = path, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from datetime import datetime

        from kit.calls.store import add_event

        db = connect(self.path)
        while not self.stop.wait(0.05):
            start = time.perf_counter()
            with write_lock(db):
                add_event(db, 1, user_id=None, at=datetime.now(), kind="note", text="desk note")
            self.waits.append(time.perf_counter() - start)
        db.conn.close()


def _kit(scratch: Path, mailbox, desk: list[float] | None = None) -> tuple[float, float]:
    """One fetch by the kit on a fresh copy of the school: wall and CPU seconds; with
    `desk`, a desk writing meanwhile, its waits added to that list."""
    fresh = Path(tempfile.mkdtemp(prefix="kit-bench-mail-"))
    source = connect(str(scratch / "kit.sqlite3"))
    target = connect(str(fresh / "kit.sqlite3"))
    source.conn.backup(target.conn)
    source.conn.close()
    target.conn.close()
    app = bench_app(fresh)
    values = config.effective({**mailbox.config(), "MAIL_FROM": "servicedesk@school.example"})
    db = connect(app.config["DATABASE"])
    writer = DeskWrites(app.config["DATABASE"]) if desk is not None else None
    with app.app_context():
        if writer:
            writer.thread.start()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fetch(db, values, now, instance_path=app.instance_path)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if writer:
        writer.stop.set()
        writer.thread.join()
        desk.extend(writer.waits)
    db.conn.close()
    shutil.rmtree(fresh)
    assert result.ok and len(result.calls) == MAILS, result.summary
    return wall, cpu


def run(instance: Path) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="kit-bench-mail-"))
    _school(instance, scratch)
    bench_app(scratch)  # migrations and the first import of the app, outside the timing
    server = Dovecot()
    bare, kit, cpu, desk = [], [], [], []
    try:
        mailbox = server.mailbox()
        with mailbox.client() as client:
            for n in range(MAILS):
                client.append("INBOX", _mail(n))
        for _ in range(ROUNDS):
            mailbox.mark_all_unseen()
            bare.append(_bare(mailbox))
            mailbox.mark_all_unseen()
            wall, used = _kit(scratch, mailbox)
            kit.append(wall)
            cpu.append(used)
        mailbox.mark_all_unseen()  # once more, with a desk writing meanwhile (not timed)
        _kit(scratch, mailbox, desk)
    finally:
        server.close()
        shutil.rmtree(scratch)
    med = statistics.median
    report(
        f"mail in: {MAILS} mails fetched and logged, per mail",
        med(kit) / MAILS,
        med(bare) / MAILS,
        TARGET,
    )
    label = "  the kit's CPU time per mail"
    print(f"{label:<48} {med(cpu) / MAILS * 1000:8.1f} ms", flush=True)
    label = f"  a desk note every 50 ms meanwhile ({len(desk)} notes)"
    print(
        f"{label:<48} median {med(desk) * 1000:.1f} ms, "
        f"95th {percentile(desk, 95) * 1000:.1f} ms, longest {max(desk) * 1000:.1f} ms",
        flush=True,
    )

"""Mail in: 1,000 mails from staff fetched from a real Dovecot and logged as calls by the
kit's fetch (parse, loop guards, directory look-up, call, status link, acknowledgement,
record, one commit per batch, \\Seen flag), per mail, against a bare imapclient fetch of
the same 1,000 mails (search, BODY.PEEK[] in the same batches, nothing else).

The floor: the same bare fetch followed by what the issue mandates for each mail and the
kit cannot do without, the standard library's parse with the modern policy
(`email.policy.default`), the body read (`get_body`, `get_content`) and the attachments
read (`iter_attachments`). No code of the kit runs in it: what the kit spends beyond it is
ours to cut. Beside it, the bare fetch with the kit's own parse of the same mails (the
same reads, cheaper: see kit.mailin.parse), so what the database work costs shows too.

The mails are appended once; each round marks them unread again and times the bare fetch,
the floor, then the kit's fetch on a fresh copy of the bench database (SQLite's backup API,
outside the timing), so the bench school stays as generated and a load spike slows all
four alike. Prints the medians of ROUNDS rounds, wall and CPU time of this process (the
bare fetch's work is partly Dovecot's, in another process, so its CPU time here is
smaller than its wall time)."""

from __future__ import annotations

import cProfile
import email
import email.policy
import pstats
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
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


def _bare(mailbox, parse=None) -> tuple[float, float]:
    """The bare fetch (search, BODY.PEEK[] in batches, nothing else): wall and CPU seconds;
    with `parse`, each mail handed to it as it arrives (the floor)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    client = IMAPClient("127.0.0.1", port=mailbox.server.port, ssl=False, timeout=30)
    client.login(mailbox.user, mailbox.password)
    client.select_folder("INBOX")
    uids = sorted(client.search(["UNSEEN"]))
    got = 0
    for at in range(0, len(uids), BATCH):
        found = client.fetch(uids[at : at + BATCH], ["BODY.PEEK[]"])
        got += len(found)
        if parse:
            for data in found.values():
                parse(data[b"BODY[]"])
    client.logout()
    assert got == MAILS, got
    return time.perf_counter() - start, time.process_time() - start_cpu


def mandated_parse(raw: bytes) -> tuple[str, int]:
    """What the issue mandates for every mail, with the standard library alone: the parse
    with the modern policy, the text body and the attachments read."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    files = sum(len(part.get_content()) for part in message.iter_attachments())
    return text, files


def _kit_parse(raw: bytes) -> None:
    """The kit's own parse (kit.mailin.parse): the same reads as `mandated_parse`, with the
    header objects the modern policy makes kept and plain ASCII threading headers and
    subjects read as they arrived."""
    from kit.mailin.parse import parse

    parse(raw)


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


def _kit(
    scratch: Path, mailbox, desk: list[float] | None = None, profile: cProfile.Profile | None = None
) -> tuple[float, float]:
    """One fetch by the kit on a fresh copy of the school: wall and CPU seconds; with
    `desk`, a desk writing meanwhile, its waits added to that list; with `profile`, the
    fetch runs under it, and the statements it runs are counted (those of triggers apart)."""
    fresh = Path(tempfile.mkdtemp(prefix="kit-bench-mail-"))
    source = connect(str(scratch / "kit.sqlite3"))
    target = connect(str(fresh / "kit.sqlite3"))
    source.conn.backup(target.conn)
    source.conn.close()
    target.conn.close()
    app = bench_app(fresh)
    values = config.effective({**mailbox.config(), "MAIL_FROM": "servicedesk@school.example"})
    db = connect(app.config["DATABASE"])
    if profile:
        db.conn.set_trace_callback(_count_statement)
    writer = DeskWrites(app.config["DATABASE"]) if desk is not None else None
    with app.app_context():
        if writer:
            writer.thread.start()
        start, start_cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        result = fetch(db, values, now, instance_path=app.instance_path)
        if profile:
            profile.disable()
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if writer:
        writer.stop.set()
        writer.thread.join()
        desk.extend(writer.waits)
    db.conn.close()
    shutil.rmtree(fresh)
    assert result.ok and len(result.calls) == MAILS, result.summary
    return wall, cpu


STATEMENTS: Counter[str] = Counter()  # of the profiled fetch
_LAST: list[str] = [""]


def _count_statement(sql: str) -> None:
    """SQLite's trace names a statement again as each of its triggers starts (counted once
    here), and the statements of triggers and the full-text index as comments."""
    if sql.startswith("--"):
        STATEMENTS["trigger"] += 1
    elif sql != _LAST[0]:
        STATEMENTS["statement"] += 1
    _LAST[0] = sql


# The parts of a fetch, as functions whose cumulative time cProfile reports:
# (label, module file ending, function name).
PARTS = (
    ("IMAP: connect, log in, search", "kit/mailin/imap.py", "connect"),
    ("IMAP: fetch the mails (BODY.PEEK[])", "kit/mailin/imap.py", "read"),
    ("parse (stdlib email, modern policy)", "kit/mailin/parse.py", "parse"),
    ("  of which HTML to text", "kit/mailin/parse.py", "_html_to_text"),
    ("quotes and signature cut", "kit/rules/mail.py", "own_words"),
    ("database and rules (the batch's transaction)", "kit/mailin/fetch.py", "_batch"),
    ("  of which logging the call (shared path)", "kit/customer/intake.py", "log_outside_call"),
    ("  of which SQLite executing statements", "~", "<method 'execute' of 'sqlite3.Connection"),
    ("flag \\Seen", "kit/mailin/imap.py", "done"),
    ("the whole fetch", "kit/mailin/fetch.py", "fetch"),
)


def breakdown(profile: cProfile.Profile) -> dict[str, float]:
    """Cumulative seconds of each part of PARTS in a profiled fetch (the batch's figure
    still includes the parse and the quote cut; `run` prints it without them)."""
    found = dict.fromkeys((label for label, _, _ in PARTS), 0.0)
    for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in (
        pstats.Stats(profile).stats.items()  # type: ignore[attr-defined]
    ):
        for label, ending, function in PARTS:
            if path.endswith(ending) and (
                name == function or (ending == "~" and name.startswith(function))
            ):
                found[label] = max(found[label], cumulative)
    return found


def _print_breakdown(scratch: Path, mailbox) -> None:
    mailbox.mark_all_unseen()
    profile = cProfile.Profile()
    wall, _cpu = _kit(scratch, mailbox, profile=profile)
    parts = breakdown(profile)
    # The batch's figure holds the parse and the quote cut: shown apart, so taken out.
    batch = "database and rules (the batch's transaction)"
    parts[batch] -= parts["parse (stdlib email, modern policy)"] + parts["quotes and signature cut"]
    print(f"  where a fetch's time goes, by cProfile ({wall:.2f} s profiled):", flush=True)
    for label, seconds in parts.items():
        print(f"    {label:<46} {seconds / MAILS * 1000:8.3f} ms a mail", flush=True)
    print(
        f"    SQL statements a mail: {STATEMENTS['statement'] / MAILS:.1f}, and "
        f"{STATEMENTS['trigger'] / MAILS:.1f} run by triggers and the search index",
        flush=True,
    )


def run(instance: Path) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="kit-bench-mail-"))
    _school(instance, scratch)
    bench_app(scratch)  # migrations and the first import of the app, outside the timing
    server = Dovecot()
    times: dict[str, list[tuple[float, float]]] = {"bare": [], "floor": [], "parse": [], "kit": []}
    desk: list[float] = []
    try:
        mailbox = server.mailbox()
        with mailbox.client() as client:
            for n in range(MAILS):
                client.append("INBOX", _mail(n))
        for _ in range(ROUNDS):
            mailbox.mark_all_unseen()
            times["bare"].append(_bare(mailbox))
            mailbox.mark_all_unseen()
            times["floor"].append(_bare(mailbox, mandated_parse))
            mailbox.mark_all_unseen()
            times["parse"].append(_bare(mailbox, _kit_parse))
            mailbox.mark_all_unseen()
            times["kit"].append(_kit(scratch, mailbox))
        mailbox.mark_all_unseen()  # once more, with a desk writing meanwhile (not timed)
        _kit(scratch, mailbox, desk)
        _print_breakdown(scratch, mailbox)  # and once under cProfile (not timed)
    finally:
        server.close()
        shutil.rmtree(scratch)
    med = statistics.median
    wall = {k: med(w for w, _ in v) / MAILS for k, v in times.items()}
    cpu = {k: med(c for _, c in v) / MAILS for k, v in times.items()}
    report(
        f"mail in: {MAILS} mails fetched and logged, per mail",
        wall["kit"],
        wall["bare"],
        TARGET,
        cpu=(cpu["kit"], cpu["bare"]),
    )
    report(
        "  floor: bare fetch + stdlib parse, per mail",
        wall["floor"],
        wall["bare"],
        cpu=(cpu["floor"], cpu["bare"]),
    )
    report(
        "  bare fetch + the kit's own parse, per mail",
        wall["parse"],
        wall["bare"],
        cpu=(cpu["parse"], cpu["bare"]),
    )
    report("  the kit against the floor, per mail", wall["kit"], wall["floor"])
    label = "  the kit's first fetch in this process (imports)"
    first = times["kit"][0][0] / MAILS * 1000
    print(f"{label:<48} {first:8.2f} ms a mail", flush=True)
    label = f"  a desk note every 50 ms meanwhile ({len(desk)} notes)"
    print(
        f"{label:<48} median {med(desk) * 1000:.1f} ms, "
        f"95th {percentile(desk, 95) * 1000:.1f} ms, longest {max(desk) * 1000:.1f} ms",
        flush=True,
    )

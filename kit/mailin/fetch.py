"""One fetch: read the desk's new mail, act on each, then mark it seen (never delete it).

Promises:
- One fetch at a time, by a lease in the database (`kit mail fetch`, the poll of
  `kit serve` and a second server all share it); a fetch that dies leaves a lease that
  runs out. Even past that, a mail's Message-ID is unique in `mail_in`, and calls and
  notes from mail carry it as their submission key, so a mail is acted on once.
- Mail is read with BODY.PEEK in batches of `BATCH`. A batch is parsed first, outside any
  lock; then what each mail becomes (call, note, acknowledgement, record) is written in
  one short `BEGIN IMMEDIATE` transaction for the whole batch, each mail in its own
  savepoint (one mail the kit fails on is undone alone and held). Only after that commit
  are the batch's files kept and its mails flagged \\Seen (or moved to IMAP_DONE_FOLDER).
  A crash before the commit leaves the batch unread in the mailbox, to be read again; a
  crash between the commit and the flag leaves mails whose Message-IDs are recorded, so
  the next fetch only flags them. Nothing is lost and nothing is logged twice; one durable
  commit per batch instead of one per mail is what makes a full mailbox quick to read.
  A crash between the commit and the files loses them from the call, never from the mailbox.
- A mail that cannot be read, or that the kit fails on, is held with its reason and raw
  form, and the fetch goes on to the next.
- A server that is down, refuses the login or times out ends the fetch with one line; so
  does a database that will not take the mail (locked past the busy timeout by a long
  import, a full disk): the batch is rolled back and stays unread for the next fetch.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlite_utils import Database

from kit import refcache
from kit.db import write_lock
from kit.errors import unsaved_message
from kit.mailin import attachments, imap, intake, store
from kit.mailin.known import Known
from kit.mailin.parse import Mail, Unreadable, parse

log = logging.getLogger(__name__)
BATCH = 50  # mails fetched per IMAP command
LEASE_SECONDS = 300
RAW_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^<>\s]{1,500}>)", re.I | re.M)
RAW_HEADER = re.compile(rb"^(From|Subject):[ \t]*([^\r\n]{0,300})", re.I | re.M)


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def step(self, count: int = 1) -> None: ...


@dataclass
class FetchReport:
    calls: list[str] = field(default_factory=list)  # references of new calls
    replies: list[str] = field(default_factory=list)  # references of calls noted
    held: int = 0
    ignored: int = 0
    failed: int = 0
    already: int = 0  # read before (marked unread again): only flagged
    error: str = ""  # the one line when the mailbox could not be read
    busy: bool = False  # another fetch held the lease

    @property
    def ok(self) -> bool:
        return not self.error and not self.busy

    @property
    def summary(self) -> str:
        if self.busy:
            return "Another fetch is reading the mailbox just now; nothing was done."
        counts = (
            f"{len(self.calls)} new call(s), {len(self.replies)} reply(ies) added to calls, "
            f"{self.held} held for the desk, {self.ignored} ignored (automatic mail), "
            f"{self.failed} could not be read"
        )
        if self.error:
            return f"{self.error} ({counts} before it stopped)"
        return counts + "."

    def lines(self) -> list[str]:
        out = [self.summary]
        if self.calls:
            out.append("  New calls: " + ", ".join(self.calls))
        if self.replies:
            out.append("  Replies on: " + ", ".join(self.replies))
        return out


def fetch(
    db: Database,
    values: Mapping[str, Any],
    clock: Callable[[], datetime],
    *,
    instance_path: str = "",
    progress: Progress | None = None,
) -> FetchReport:
    """Read the mailbox once (see the module docstring)."""
    report = FetchReport()
    token = None
    try:
        token = store.take_lease(db, clock(), LEASE_SECONDS, LEFT_BEHIND)
        LEFT_BEHIND.clear()  # taken over, or the row is gone
        run_id = store.start_run(db, clock()) if token else None
    except sqlite3.OperationalError as exc:  # locked past the busy timeout, disk full
        report.error = database_trouble(exc)
        _give_back(db, token)
        return report
    if token is None:
        report.busy = True
        return report
    try:
        own = [values.get("MAIL_FROM") or "", values.get("IMAP_USERNAME") or ""]
        desk = intake.desk_for(db, own, instance_path)
        done_folder = values.get("IMAP_DONE_FOLDER") or ""
        with imap.connect(values) as client:
            uids = imap.unseen(client)
            if progress:
                progress.start(len(uids))
            for start in range(0, len(uids), BATCH):
                chunk = uids[start : start + BATCH]
                raws = imap.read(client, chunk)
                present = [uid for uid in chunk if uid in raws]  # a person may delete one
                _batch(db, present, raws, desk, clock, report)
                # Every mail of the batch is committed: now, and only now, mark them read.
                imap.done(client, present, done_folder)
                if progress:
                    progress.step(len(chunk))
                if not store.renew_lease(db, token, clock(), LEASE_SECONDS):
                    report.error = "The fetch took too long and another one took over."
                    break
    except imap.MailboxError as exc:
        report.error = str(exc)
    except sqlite3.OperationalError as exc:  # the batch was rolled back: it stays unread
        report.error = database_trouble(exc)
    except Exception as exc:  # a bug: recorded as a failed fetch, then raised for the log
        report.error = f"The fetch stopped on an error in the kit ({type(exc).__name__})."
        raise
    except BaseException:  # Ctrl-C, the server stopping
        report.error = "The fetch was stopped before it finished."
        raise
    finally:
        try:
            store.finish_run(db, run_id, clock(), report.ok, report.summary)
        except sqlite3.OperationalError:
            log.exception("The end of a fetch could not be recorded")
        _give_back(db, token)
    return report


# Leases this process took and could not release (a full disk): its next fetch takes them
# again at once; another process waits for them to run out (LEASE_SECONDS).
LEFT_BEHIND: set[str] = set()


def _give_back(db: Database, token: str | None) -> None:
    if token is None:
        return
    try:
        store.release_lease(db, token)
    except sqlite3.OperationalError:
        LEFT_BEHIND.add(token)


def database_trouble(exc: sqlite3.OperationalError) -> str:
    """One line for a database that would not take the mail just now."""
    return (
        f"The kit could not save mail just now (the database said: {exc}); "
        "the mail stays unread for the next fetch."
    )


def _batch(
    db, chunk: list[int], raws: Mapping[int, bytes], desk, clock, report: FetchReport
) -> None:
    """A batch of mails parsed, then acted on and recorded in one transaction; then the
    files of those that became calls or notes, once that is committed."""
    mails = [(uid, raws[uid]) for uid in chunk]
    parsed = [_parse(uid, raw) for uid, raw in mails]  # outside the lock: other writers wait less
    ids = [
        m.message_id if isinstance(m, Mail) else raw_message_id(r)
        for (_, r), m in zip(mails, parsed, strict=True)
    ]
    senders = [m.sender for m in parsed if isinstance(m, Mail)]
    # One transaction; the school's settings and reference data read once for the batch
    # (the mail writes none of them: refcache checks that at the end).
    with write_lock(db), refcache.pinned(db):
        known = Known.read(db, ids, senders, clock() - intake.ACK_WINDOW)
        outcomes = [
            _one(db, uid, raw, mail, desk, clock(), known)
            for (uid, raw), mail in zip(mails, parsed, strict=True)
        ]
    for mail, outcome in zip(parsed, outcomes, strict=True):
        if outcome.keep_files and isinstance(mail, Mail):
            _keep_files(db, desk, outcome.call_id, mail, clock())
        _count(outcome, report)


def _keep_files(db, desk, call_id: int, mail: Mail, at: datetime) -> None:
    """The mail's files with its call; a file the kit fails on must not stop the mailbox
    (the call is saved already): the call's history says the files were not kept."""
    try:
        attachments.keep(db, desk.instance_path, call_id, mail.attachments, at)
    except sqlite3.OperationalError:
        raise  # the database is not taking writes: the fetch stops with one line
    except Exception as exc:
        log.exception("The files of mail %s could not be kept", mail.message_id)
        attachments.failed(db, call_id, len(mail.attachments), exc, at)


def _parse(uid: int, raw: bytes) -> Mail | str:
    """The parsed mail, or why it cannot be read."""
    try:
        return parse(raw)
    except Unreadable as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must not stop the mailbox: keep it for a person
        log.exception("Mail %s could not be parsed", uid)
        return f"the kit failed on it ({type(exc).__name__})"


def _one(
    db, uid: int, raw: bytes, mail: Mail | str, desk, at: datetime, known: Known
) -> intake.Outcome:
    """What one mail becomes, inside the batch's transaction, in a savepoint of its own."""
    if isinstance(mail, Mail):
        try:
            with write_lock(db):
                outcome = intake.handle(db, mail, desk, at, raw, known=known)
            known.recorded(mail.message_id)
            return outcome
        except Exception as exc:  # one mail must never stop the mailbox: keep it for a person
            if not db.conn.in_transaction:
                raise  # the batch's transaction is gone: nothing of it is flagged
            if isinstance(exc, sqlite3.OperationalError) and unsaved_message(exc):
                raise  # a full disk or a long lock is not the mail's fault: unread, read again
            log.exception("Mail %s could not be handled", uid)
            mail = f"the kit failed on it ({type(exc).__name__})"
    message_id = raw_message_id(raw)
    outcome = intake.hold_unreadable(db, message_id, mail, raw, at, *_raw_headers(raw), known=known)
    known.recorded(message_id)
    return outcome


def _count(outcome: intake.Outcome, report: FetchReport) -> None:
    if outcome.kind == "call":
        report.calls.append(outcome.ref)
    elif outcome.kind == "reply":
        report.replies.append(outcome.ref)
    elif outcome.kind == "held":
        report.held += 1
    elif outcome.kind == "ignored":
        report.ignored += 1
    elif outcome.kind == "failed":
        report.failed += 1
    else:
        report.already += 1


def raw_message_id(raw: bytes) -> str:
    """The Message-ID of a mail too broken to parse, else one made from its bytes."""
    head = raw[:65536]
    match = RAW_MESSAGE_ID.search(head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0])
    if match:
        return match.group(1).decode("ascii", "replace")
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>"


def _raw_headers(raw: bytes) -> tuple[str, str]:
    found = {k.lower(): v for k, v in RAW_HEADER.findall(raw[:65536])}
    return (
        found.get(b"from", b"").decode("utf-8", "replace"),
        found.get(b"subject", b"").decode("utf-8", "replace"),
    )

"""A fetch killed at the worst moments (a real process ended with os._exit, on a real
Dovecot and a real SQLite file) loses no mail and logs none twice: a batch is committed
in one transaction, and its mails are flagged only after that."""

from __future__ import annotations

import multiprocessing
import os
from datetime import timedelta

import pytest
from mailin_support import add_staff, plain, run_fetch

from kit.db import connect
from kit.mailin.fetch import BATCH

MAILS = BATCH + 10  # two batches: the first whole, the second partly


@pytest.fixture
def staff(db, users):
    users["admin"]
    return add_staff(db)


def _deliver(mailbox) -> None:
    with mailbox.client() as client:
        for n in range(MAILS):
            client.append(
                "INBOX",
                plain(
                    sender=f"teacher{n}@school.example",
                    subject=f"Fault {n}",
                    message_id=f"<crash{n}@school.example>",
                ),
            )


def _fetch_and_die(app, mailbox, where: str) -> int:
    """Run a fetch in a child process that dies (exit code 9) at `where`."""

    def child() -> None:
        from kit.mailin import imap, intake

        if where == "before the flag":
            imap.done = lambda *args, **kwargs: os._exit(9)
        else:  # in the middle of the first batch, before its commit
            handle, seen = intake.handle, []

            def dying(*args, **kwargs):
                seen.append(1)
                if len(seen) == BATCH // 2:
                    os._exit(9)
                return handle(*args, **kwargs)

            intake.handle = dying
        own = connect(app.config["DATABASE"])
        run_fetch(app, own, mailbox)
        os._exit(0)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(120)
    return process.exitcode


def _keys(app) -> list[str]:
    check = connect(app.config["DATABASE"])
    try:
        return [r[0] for r in check.execute("SELECT submission_key FROM calls").fetchall()]
    finally:
        check.conn.close()


def _seen(mailbox) -> int:
    return sum(b"\\Seen" in flags for flags in mailbox.flags().values())


def _after_the_lease_runs_out(app, db, mailbox, clock):
    clock.set(clock() + timedelta(seconds=301))  # the dead fetch's lease runs out
    return run_fetch(app, db, mailbox)


def test_a_crash_between_the_commit_and_the_flag_loses_nothing_and_logs_nothing_twice(
    app, db, mailbox, staff, clock
):
    _deliver(mailbox)
    assert _fetch_and_die(app, mailbox, "before the flag") == 9
    assert len(_keys(app)) == BATCH and _seen(mailbox) == 0  # committed, never flagged
    report = _after_the_lease_runs_out(app, db, mailbox, clock)
    keys = _keys(app)
    assert sorted(keys) == sorted(f"mail:<crash{n}@school.example>" for n in range(MAILS))
    assert report.already == BATCH and len(report.calls) == MAILS - BATCH
    assert db["outbox"].count_where("kind = 'logged'") == MAILS  # one acknowledgement each
    assert _seen(mailbox) == MAILS


def test_a_crash_inside_a_batch_keeps_none_of_it_and_the_next_fetch_logs_it_once(
    app, db, mailbox, staff, clock
):
    _deliver(mailbox)
    assert _fetch_and_die(app, mailbox, "inside the batch") == 9
    assert _keys(app) == [] and _seen(mailbox) == 0  # the batch's transaction never committed
    report = _after_the_lease_runs_out(app, db, mailbox, clock)
    assert sorted(_keys(app)) == sorted(f"mail:<crash{n}@school.example>" for n in range(MAILS))
    assert len(report.calls) == MAILS and report.already == 0
    assert db["mail_in"].count == MAILS and _seen(mailbox) == MAILS


def test_one_mail_the_kit_fails_on_is_held_alone_and_its_batch_is_kept(
    app, db, mailbox, staff, monkeypatch
):
    from kit.mailin import intake

    _deliver(mailbox)
    handle = intake.handle

    def failing(db, mail, *args, **kwargs):
        if mail.message_id == "<crash7@school.example>":
            db.execute("INSERT INTO mail_in_acks (sender, at) VALUES ('half', 'written')")
            raise RuntimeError("a bug")
        return handle(db, mail, *args, **kwargs)

    monkeypatch.setattr(intake, "handle", failing)
    report = run_fetch(app, db, mailbox)
    assert len(report.calls) == MAILS - 1 and report.failed == 1
    [held] = list(db["mail_in"].rows_where("outcome = 'failed'"))
    assert held["message_id"] == "<crash7@school.example>" and "RuntimeError" in held["reason"]
    assert db["mail_in_acks"].count_where("sender = 'half'") == 0  # its savepoint was undone
    assert _seen(mailbox) == MAILS


@pytest.fixture
def other_writer(app):
    """Another connection that can hold the write lock (a long import, say)."""
    other = connect(app.config["DATABASE"])
    yield other
    if other.conn.in_transaction:
        other.execute("ROLLBACK")
    other.conn.close()


def test_a_database_held_by_another_writer_is_one_line_and_the_mail_stays_unread(
    app, db, mailbox, staff, other_writer
):
    mailbox.deliver(plain())
    other_writer.execute("BEGIN IMMEDIATE")
    db.execute("PRAGMA busy_timeout = 100")
    report = run_fetch(app, db, mailbox)
    assert not report.ok and report.error.startswith(
        "The kit could not save mail just now (the database said: database is locked)"
    )
    assert _seen(mailbox) == 0
    other_writer.execute("ROLLBACK")
    assert len(run_fetch(app, db, mailbox).calls) == 1 and _seen(mailbox) == 1


def test_a_lock_taken_while_the_mail_is_being_read_leaves_it_unread_for_the_next_fetch(
    app, db, mailbox, staff, other_writer, clock, monkeypatch
):
    from kit.mailin import imap

    _deliver(mailbox)
    read = imap.read

    def read_then_lock(client, uids):
        found = read(client, uids)
        if not other_writer.conn.in_transaction:
            other_writer.execute("BEGIN IMMEDIATE")  # an import starts just now
        return found

    monkeypatch.setattr(imap, "read", read_then_lock)
    db.execute("PRAGMA busy_timeout = 100")
    report = run_fetch(app, db, mailbox)
    assert "database is locked" in report.error and report.calls == []
    assert _seen(mailbox) == 0
    other_writer.execute("ROLLBACK")
    monkeypatch.setattr(imap, "read", read)
    report = _after_the_lease_runs_out(app, db, mailbox, clock)
    assert len(report.calls) == MAILS and _seen(mailbox) == MAILS


def test_a_fetch_that_stops_on_a_bug_is_not_recorded_as_a_success(
    app, db, mailbox, staff, monkeypatch
):
    from kit.mailin import imap, store

    mailbox.deliver(plain())
    monkeypatch.setattr(imap, "done", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run_fetch(app, db, mailbox)
    assert store.last_success(db) is None
    assert store.last_run(db)["summary"].startswith(
        "The fetch stopped on an error in the kit (ZeroDivisionError)."
    )

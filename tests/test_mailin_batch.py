"""A batch of mail asks the database little per mail: whether each mail was recorded
before, whether its sender is in the directory and their acknowledgements this hour are
read for the whole batch at once (kit.mailin.known), and the school's settings and
reference data once per batch (kit.refcache.pinned), with the same answers as asking mail
by mail."""

from __future__ import annotations

import pytest
from mailin_support import add_staff, plain, run_fetch

from kit.calls import store as calls

MAILS = 12
# Measured 2026-12-05 with 12 new mails, each acknowledged: 211 statements, 14 a mail (31
# before): the mail's savepoint and the call's, the submission key, the next reference,
# the call, its history, the held-mail hook's look-up, the status link, the call read back
# for the acknowledgement, the acknowledgement and its count, the record, two releases.
# Per fetch 43: the lease, the run's record, the school's domains, and per batch the
# three look-ups for all its mails, the version of the reference data, and the commit.
PER_MAIL, PER_FETCH = 14, 45


@pytest.fixture
def staff(db, users):
    users["admin"]
    return add_staff(db)


def _statements(db, run) -> list[str]:
    """The statements `run` makes the connection run. SQLite's trace names a statement
    again as each of its triggers starts, and their own statements as comments: those are
    the statement's own work, so they are left out."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        run()
    finally:
        db.conn.set_trace_callback(None)
    own = [s for s in seen if not s.startswith("--")]
    return [s for n, s in enumerate(own) if n == 0 or s != own[n - 1]]


def test_a_batch_of_new_mail_runs_a_bounded_number_of_statements_a_mail(app, db, mailbox, staff):
    senders = ["ann.teacher", "bob.head", "carl.caretaker", "dana.new"]  # dana: by domain
    for n in range(MAILS):
        sender = f"{senders[n % len(senders)]}@school.example"
        mailbox.deliver(plain(sender=sender, subject=f"Fault {n}", message_id=f"<b{n}@x>"))
    reports = []
    statements = _statements(db, lambda: reports.append(run_fetch(app, db, mailbox)))
    assert len(reports[0].calls) == MAILS
    assert len(statements) <= PER_FETCH + PER_MAIL * MAILS, len(statements)


def test_a_sender_written_in_other_capitals_than_the_directory_is_found(app, db, mailbox, staff):
    mailbox.deliver(plain(sender="ANN.teacher@School.Example", message_id="<caps@x>"))
    mailbox.deliver(plain(sender="bob.head@school.example", message_id="<bob@x>"))
    run_fetch(app, db, mailbox)
    callers = {c["caller_email"]: c["caller_id"] for c in db["calls"].rows}
    assert callers == {
        "ann.teacher@school.example": staff["ann"],
        "bob.head@school.example": staff["bob"],
    }


def test_a_mail_repeated_in_one_batch_after_a_mail_read_before_is_logged_once(
    app, db, mailbox, staff
):
    mailbox.deliver(plain(message_id="<first@x>"))
    run_fetch(app, db, mailbox)
    mailbox.mark_all_unseen()
    mailbox.deliver(plain(message_id="<second@x>", subject="Screen flickers"))
    mailbox.deliver(plain(message_id="<second@x>", subject="Screen flickers"))
    report = run_fetch(app, db, mailbox)
    assert report.already == 2 and len(report.calls) == 1
    assert sorted(c["submission_key"] for c in db["calls"].rows) == [
        "mail:<first@x>",
        "mail:<second@x>",
    ]


def test_acknowledgements_sent_by_an_earlier_fetch_count_in_the_next_batch(app, db, mailbox, staff):
    for n in range(2):
        mailbox.deliver(plain(subject=f"Fault {n}", message_id=f"<early{n}@x>"))
    run_fetch(app, db, mailbox)
    for n in range(3):
        mailbox.deliver(plain(subject=f"Later {n}", message_id=f"<late{n}@x>"))
    report = run_fetch(app, db, mailbox)
    assert len(report.calls) == 3
    assert db["outbox"].count_where("kind = 'logged'") == 3  # two, then only one more


def test_a_call_logged_from_a_batch_reads_as_one_logged_alone(app, db, mailbox, staff):
    mailbox.deliver(plain(message_id="<alone@x>"))
    run_fetch(app, db, mailbox)
    for n in range(3):
        mailbox.deliver(plain(subject="Printer jams", message_id=f"<many{n}@x>"))
    run_fetch(app, db, mailbox)
    alone, *batch = [calls.get_call(db, c["id"]) for c in db["calls"].rows]
    ignore = {"id", "ref", "ref_seq", "submission_key"}
    for call in batch:
        assert {k: v for k, v in call.items() if k not in ignore} == {
            k: v for k, v in alone.items() if k not in ignore
        }

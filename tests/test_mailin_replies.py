"""Replies by mail land on their calls as notes, against a real IMAP server (Dovecot)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from mailin_support import add_staff, plain, run_fetch, sample

from kit.auth import store as accounts
from kit.auth.roles import User
from kit.calls import history_store
from kit.calls import store as calls
from kit.calls import workflow as wf


@pytest.fixture
def staff(db, users):
    users["admin"]
    return add_staff(db)


@pytest.fixture
def mailed_call(app, db, mailbox, staff):
    """A call logged from Ann's mail, as the fetch logs it."""
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    return calls.get_call(db, 1)


def _user(db, user_id: int) -> User:
    return accounts.load_user(db, accounts.get_user_row(db, user_id))


def _with_customer(db, call, users, clock) -> str:
    """Assign the call to the technician, ask the caller by mail; the mail's Message-ID."""
    tech = _user(db, users["technician"])
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()
    wf.desk_check(db, call["id"], summary=call["summary"], understood=True, user=None, at=clock())
    wf.assign(db, call["id"], group_id=group[0], assignee_id=tech.id, user=None, at=clock())
    wf.set_with_customer(
        db,
        call["id"],
        information_needed="Which projector is it?",
        notify_customer=True,
        user=tech,
        at=clock(),
    )
    row = next(db["outbox"].rows_where("kind = 'with_customer'"))
    return row["message_id"]


def _desk_owner(db) -> User:
    """The desk person who checks a mailed call and so owns it until it is passed on."""
    row = db.execute("SELECT id FROM users WHERE username = 'olive'").fetchone()
    user_id = (
        row[0]
        if row
        else accounts.create_user(
            db, username="olive", name="Olive", password="x" * 12, roles={"desk"}
        )
    )
    return _user(db, user_id)


def _resolve(db, call, clock):
    if not calls.get_call(db, call["id"])["desk_checked_at"]:
        wf.desk_check(
            db,
            call["id"],
            summary=call["summary"],
            understood=True,
            user=_desk_owner(db),
            at=clock(),
        )
    wf.resolve(
        db,
        call["id"],
        summary="Replaced the cable",
        details="HDMI cable was cut",
        closure_category="Projector or interactive display",
        customer_confirmed=True,
        confirmation_exception=None,
        user=None,
        at=clock(),
    )


def _notes(db, call_id):
    return [
        e for e in history_store.history(db, call_id) if e["kind"] in ("note", "back_from_customer")
    ]


def test_a_reply_naming_the_call_in_its_subject_is_a_note_not_a_new_call(
    app, db, mailbox, mailed_call
):
    mailbox.deliver(plain(subject=f"Re: more [Call {mailed_call['ref']}]", body="It is PJ-0412."))
    report = run_fetch(app, db, mailbox)
    assert report.replies == [mailed_call["ref"]] and report.calls == []
    assert db["calls"].count == 1
    [note] = _notes(db, mailed_call["id"])
    assert "It is PJ-0412." in note["text"] and "ann.teacher@school.example" in note["text"]


def test_a_reply_found_by_in_reply_to_a_message_the_kit_sent(
    app, db, mailbox, staff, make_call, clock
):
    call_id = make_call(caller_name="Bob Head", caller_email="bob.head@school.example")
    _resolve(db, calls.get_call(db, call_id), clock)
    [sent] = list(db["outbox"].rows_where("kind = 'resolved'"))
    mailbox.deliver(sample("gmail_reply.eml", inreplyto=sent["message_id"]))
    report = run_fetch(app, db, mailbox)
    assert len(report.replies) == 1 and db["calls"].count == 1
    [note] = _notes(db, call_id)
    assert "the printer jams on every page" in note["text"]
    assert "wrote:" not in note["text"] and "The printer was cleaned" not in note["text"]


def test_the_callers_reply_brings_a_call_back_from_customer_and_tells_the_owner(
    app, db, mailbox, mailed_call, users, clock
):
    message_id = _with_customer(db, mailed_call, users, clock)
    mailbox.deliver(sample("outlook_reply.eml", callref=mailed_call["ref"], inreplyto=message_id))
    run_fetch(app, db, mailbox)
    call = calls.get_call(db, mailed_call["id"])
    assert call["status"] == "Back from Customer"
    [told] = list(db["outbox"].rows_where("kind = 'back_from_customer'"))
    assert told["to_addr"] == "technician@school.example"
    assert "asset tag PJ-0412" in told["body"]
    assert "From: ICT Service Desk" not in told["body"] and "Sent:" not in told["body"]


def test_someone_elses_reply_to_a_call_with_customer_is_only_a_note(
    app, db, mailbox, mailed_call, users, clock
):
    _with_customer(db, mailed_call, users, clock)
    mailbox.deliver(
        plain(sender="bob.head@school.example", subject=f"Re: [Call {mailed_call['ref']}]")
    )
    run_fetch(app, db, mailbox)
    assert calls.get_call(db, mailed_call["id"])["status"] == "With Customer"
    assert len(_notes(db, mailed_call["id"])) == 1


def test_a_reply_to_a_resolved_call_within_the_window_offers_a_reopen(
    app, db, mailbox, mailed_call, clock
):
    _resolve(db, mailed_call, clock)
    clock.set(clock() + timedelta(days=3))
    mailbox.deliver(plain(subject=f"Re: [Call {mailed_call['ref']}]", body="Still broken."))
    run_fetch(app, db, mailbox)
    assert db["calls"].count == 1
    assert calls.get_call(db, mailed_call["id"])["status"] == "Resolved"
    [row] = list(db["mail_in"].rows_where("outcome = 'note'"))
    assert row["reopen_offered"] == 1 and row["call_id"] == mailed_call["id"]


def test_a_reply_after_the_reopen_window_is_a_new_call_linked_to_the_old(
    app, db, mailbox, mailed_call, clock
):
    _resolve(db, mailed_call, clock)
    clock.set(clock() + timedelta(days=11))
    mailbox.deliver(
        plain(subject=f"Re: Projector [Call {mailed_call['ref']}]", body="Broken again.")
    )
    report = run_fetch(app, db, mailbox)
    assert len(report.calls) == 1
    new = calls.get_call(db, 2)
    assert new["linked_call_id"] == mailed_call["id"] and new["summary"] == "Projector"


def test_a_stranger_naming_a_call_in_the_subject_is_held(app, db, mailbox, mailed_call):
    mailbox.deliver(
        plain(sender="someone@elsewhere.example", subject=f"Re: [Call {mailed_call['ref']}]")
    )
    report = run_fetch(app, db, mailbox)
    assert report.held == 1 and _notes(db, mailed_call["id"]) == []


def test_a_reply_read_twice_is_one_note(app, db, mailbox, mailed_call):
    mailbox.deliver(plain(subject=f"Re: [Call {mailed_call['ref']}]", message_id="<r1@x>"))
    run_fetch(app, db, mailbox)
    db.execute("DELETE FROM mail_in WHERE message_id = '<r1@x>'")
    mailbox.mark_all_unseen()
    run_fetch(app, db, mailbox)
    assert len(_notes(db, mailed_call["id"])) == 1

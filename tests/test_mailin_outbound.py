"""What the kit sends carries what mail in needs: `[Call ref]` in every subject about a
call, the Message-ID it is stored with, and the RFC 3834 headers that stop loops. Checked
on what a real SMTP server (aiosmtpd) receives."""

from __future__ import annotations

import pytest
from mailin_support import add_staff, run_fetch, sample
from smtp_support import running

from kit.mail.smtp import send_pending


@pytest.fixture
def smtp_server():
    with running() as handler:
        yield handler


def _send(db, port, clock):
    config = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "MAIL_FROM": "desk@school.example"}
    return send_pending(db, config, clock())


def test_every_message_about_a_call_carries_its_reference_in_the_subject(
    db, make_call, clock, smtp_server, users
):
    from kit.calls import workflow as wf

    call_id = make_call(caller_email="ann@school.example")
    wf.add_note(db, call_id, text="Lamp ordered", user=None, at=clock())
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()
    wf.assign(
        db, call_id, group_id=group[0], assignee_id=users["technician"], user=None, at=clock()
    )
    _send(db, smtp_server.port, clock)
    ref = db["calls"].get(call_id)["ref"]
    subjects = [m["Subject"] for m in smtp_server.messages()]
    assert subjects and all(s.endswith(f"[Call {ref}]") for s in subjects)


def test_a_sent_message_has_the_message_id_the_outbox_stored(
    db, make_call, clock, smtp_server, users
):
    from kit.calls import workflow as wf

    call_id = make_call()
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()
    wf.assign(
        db, call_id, group_id=group[0], assignee_id=users["technician"], user=None, at=clock()
    )
    _send(db, smtp_server.port, clock)
    [received] = smtp_server.messages()
    [row] = list(db["outbox"].rows)
    assert received["Message-ID"] == row["message_id"] and row["message_id"].startswith("<")


def test_notices_are_auto_generated_and_suppress_autoreplies(
    db, make_call, clock, smtp_server, users
):
    from kit.calls import workflow as wf

    call_id = make_call()
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()
    wf.assign(
        db, call_id, group_id=group[0], assignee_id=users["technician"], user=None, at=clock()
    )
    _send(db, smtp_server.port, clock)
    [received] = smtp_server.messages()
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["X-Auto-Response-Suppress"] == "All"
    assert received["In-Reply-To"] is None


def test_the_acknowledgement_of_a_mail_is_an_auto_reply_in_its_thread(
    app, db, mailbox, smtp_server, clock, users
):
    users["admin"]
    add_staff(db)
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    _send(db, smtp_server.port, clock)
    [ack] = smtp_server.messages()
    original = (
        "<AM7PR01MB6547C1E2D3F4A5B6C7D8E9F0A1B2C3D4@AM7PR01MB6547.eurprd01.prod.exchangelabs.com>"
    )
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["X-Auto-Response-Suppress"] == "All"
    assert ack["In-Reply-To"] == original and ack["References"] == original
    assert "[Call 26-0001]" in ack["Subject"]
    assert ack["To"] == "ann.teacher@school.example"

"""Sending the outbox by SMTP, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

from datetime import datetime

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from smtp_support import Collector, free_port, running

from kit.mail import outbox
from kit.mail.smtp import send_pending

AT = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def smtp_server():
    with running() as handler:
        yield handler


def queue_note(db, to="tech@school.example", text="The projector lamp is dead", **kw):
    return outbox.queue(
        db,
        "note",
        to=[to],
        context={
            "call": {"ref": "26-0001", "summary": "Projector"},
            "author": "Desk",
            "text": text,
            "link": "http://desk/calls/1",
        },
        at=AT,
        **kw,
    )


def config_for(port: int, **extra) -> dict:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "MAIL_FROM": "desk@school.example",
        "SMTP_TIMEOUT": 5,
        **extra,
    }


def test_pending_message_arrives_at_the_smtp_server_and_is_marked_sent(db, smtp_server):
    message_id = queue_note(db, cc=["leader@school.example"])
    report = send_pending(db, config_for(smtp_server.port), AT)
    assert report.sent == [message_id]
    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "desk@school.example"
    assert sorted(envelope.rcpt_tos) == ["leader@school.example", "tech@school.example"]
    [received] = smtp_server.messages()
    assert received["Subject"] == "Call 26-0001: new note"
    assert received["To"] == "tech@school.example"
    assert received["Cc"] == "leader@school.example"
    assert "The projector lamp is dead" in received.get_content()
    row = db["outbox"].get(message_id)
    assert (row["status"], row["sent_at"], row["attempts"]) == ("sent", "2026-11-23 09:30:00", 1)


def test_non_ascii_text_arrives_intact(db, smtp_server):
    queue_note(db, text="Zoë’s café laptop – écran noir")
    send_pending(db, config_for(smtp_server.port), AT)
    assert "Zoë’s café laptop – écran noir" in smtp_server.messages()[0].get_content()


def test_a_sent_message_is_not_sent_again(db, smtp_server):
    queue_note(db)
    send_pending(db, config_for(smtp_server.port), AT)
    second = send_pending(db, config_for(smtp_server.port), AT)
    assert second.sent == []
    assert len(smtp_server.envelopes) == 1


def test_without_smtp_host_nothing_is_sent_and_everything_stays_pending(db, smtp_server):
    message_id = queue_note(db)
    report = send_pending(db, {"SMTP_HOST": None, "SMTP_PORT": smtp_server.port}, AT)
    assert not report.configured
    assert report.pending == 1
    assert "No mail server" in report.summary
    row = db["outbox"].get(message_id)
    assert (row["status"], row["attempts"]) == ("pending", 0)
    assert smtp_server.envelopes == []


def test_unreachable_server_is_retried_then_marked_failed(db):
    message_id = queue_note(db)
    config = config_for(free_port())
    for attempt in range(1, 3):
        report = send_pending(db, config, AT, max_attempts=3)
        assert report.retrying == [message_id]
        row = db["outbox"].get(message_id)
        assert (row["status"], row["attempts"]) == ("pending", attempt)
        assert "Connection" in row["last_error"] or "refused" in row["last_error"].lower()
    report = send_pending(db, config, AT, max_attempts=3)
    assert report.failed == [message_id]
    assert db["outbox"].get(message_id)["status"] == "failed"
    assert send_pending(db, config, AT, max_attempts=3).failed == []  # not tried again


def test_a_failed_attempt_is_sent_on_the_next_run_once_the_server_is_up(db, smtp_server):
    message_id = queue_note(db)
    send_pending(db, config_for(free_port()), AT)
    assert db["outbox"].get(message_id)["last_error"]
    report = send_pending(db, config_for(smtp_server.port), AT)
    assert report.sent == [message_id]
    row = db["outbox"].get(message_id)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, "")


def test_one_refused_recipient_does_not_stop_the_others(db):
    class Picky(Collector):
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            if address.startswith("nobody"):
                return "550 No such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    with running(Picky()) as server:
        bad = queue_note(db, to="nobody@school.example")
        good = queue_note(db, to="tech@school.example")
        report = send_pending(db, config_for(server.port), AT)
    assert report.sent == [good]
    assert report.retrying == [bad]
    assert "550" in db["outbox"].get(bad)["last_error"]


def test_a_header_with_a_line_break_is_refused_not_injected(db, smtp_server):
    message_id = queue_note(db)
    db["outbox"].update(message_id, {"to_addr": "a@school.example\nBcc: evil@example.com"})
    report = send_pending(db, config_for(smtp_server.port), AT)
    assert report.retrying == [message_id]
    assert smtp_server.envelopes == []


def test_logs_in_when_a_user_name_is_configured(db):
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((mechanism, auth_data))
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)

    with running(authenticator=authenticator, auth_require_tls=False) as server:
        queue_note(db)
        report = send_pending(
            db, config_for(server.port, SMTP_USERNAME="desk", SMTP_PASSWORD="s3cret"), AT
        )
    assert len(report.sent) == 1
    assert seen and seen[0][1].login == b"desk"


def test_wrong_password_is_recorded_as_the_error(db):
    refuse = lambda *a: AuthResult(success=False, handled=False)  # noqa: E731
    with running(authenticator=refuse, auth_require_tls=False) as server:
        message_id = queue_note(db)
        send_pending(db, config_for(server.port, SMTP_USERNAME="desk", SMTP_PASSWORD="wrong"), AT)
    row = db["outbox"].get(message_id)
    assert row["status"] == "pending" and "Authentication" in row["last_error"]
    assert server.envelopes == []


def test_a_run_that_dies_after_the_server_took_a_message_never_sends_it_again(
    db, smtp_server, monkeypatch
):
    """kill -9 or a full disk between the server taking a message and the kit noting it sent:
    the message must not go twice (the soak saw it do so); a person is told it may have gone."""
    import sqlite3

    from kit.mail import smtp
    from kit.mail import store as mail_store

    message_id = queue_note(db)
    real_send = smtp._send_one

    def send_then_die(*args, **kwargs):
        real_send(*args, **kwargs)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(smtp, "_send_one", send_then_die)
    with pytest.raises(sqlite3.OperationalError):
        send_pending(db, config_for(smtp_server.port), AT)
    monkeypatch.setattr(smtp, "_send_one", real_send)
    assert db["outbox"].get(message_id)["status"] == "sending"

    assert send_pending(db, config_for(smtp_server.port), AT).sent == []
    later = AT + smtp.STALE_SENDING + smtp.STALE_SENDING
    assert send_pending(db, config_for(smtp_server.port), later).sent == []
    assert len(smtp_server.envelopes) == 1
    row = db["outbox"].get(message_id)
    assert (row["status"], row["last_error"]) == ("failed", smtp.MAYBE_SENT)

    assert mail_store.retry(db, message_id)  # the admin checked: it had not arrived
    assert send_pending(db, config_for(smtp_server.port), later).sent == [message_id]
    assert len(smtp_server.envelopes) == 2

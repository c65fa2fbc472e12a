"""A write that fails for a reason that is not the person's: the database locked past the
busy timeout (another connection holds `BEGIN IMMEDIATE`), or a full disk. Logging a call
then answers 503 with a message in plain words and the form filled in as typed, with its
one-time submission key, so sending it again logs the call exactly once. Any other form
gets a page listing what was typed and a "Send again" button."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from html import unescape

import pytest

import kit.db
from kit.calls import store as calls
from kit.errors import BUSY, DISK_FULL
from tests.proof_support import hidden, option

TYPED = {
    "caller_name": "Ann O'Teacher",
    "caller_email": "ann@school.example",
    "caller_phone": "x214",
    "channel": "Email",
    "summary": "Projector in S4 shows <No signal>",
    "details": "Cable re-seated; still nothing.",
}


@contextmanager
def locked(path: str):
    """Another connection holding the write lock (as a long import or backup would)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Connections opened from now on give up on a lock after 0.2 s instead of 5 s."""
    monkeypatch.setattr(kit.db, "BUSY_TIMEOUT_MS", 200)


def call_form(client) -> dict[str, str]:
    page = client.get("/calls/new").get_data(as_text=True)
    return {
        **TYPED,
        "csrf_token": hidden(page, "csrf_token"),
        "submission_key": hidden(page, "submission_key"),
        "category_id": option(page, "category_id", "Printer or copier"),
        "location_id": "0",
    }


def assert_form_as_typed(page: str, sent: dict[str, str]) -> None:
    assert hidden(page, "submission_key") == sent["submission_key"]
    for name in ("caller_name", "caller_email", "caller_phone", "summary"):
        assert hidden(page, name) == sent[name], name
    assert sent["details"] in unescape(page)
    assert 'value="Email" selected' in page or 'selected value="Email"' in page


def count_calls(db) -> int:
    return db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]


def test_locked_database_gives_the_form_back_as_typed(app, db, client, login, short_busy_timeout):
    login("desk")
    sent = call_form(client)
    with locked(app.config["DATABASE"]):
        response = client.post("/calls/new", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert unescape(page).count(BUSY) == 1
    assert 'id="log-call"' in page  # the log-a-call form itself, not an error page
    assert_form_as_typed(page, sent)
    assert count_calls(db) == 0

    again = client.post("/calls/new", data=sent)  # the same form, sent again: logged once
    assert again.status_code == 302
    twice = client.post("/calls/new", data=sent)
    assert twice.headers["Location"] == again.headers["Location"]
    assert count_calls(db) == 1


def test_full_disk_gives_the_form_back_with_a_clear_message(db, client, login, monkeypatch):
    login("desk")
    sent = call_form(client)

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(calls, "log_call", disk_full)
    response = client.post("/calls/new", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert DISK_FULL in unescape(page)
    assert_form_as_typed(page, sent)
    assert count_calls(db) == 0


def test_any_other_form_keeps_what_was_typed(app, db, client, login, make_call, short_busy_timeout):
    """The generic answer: the note action has no handling of its own."""
    login("desk")
    call_id = make_call()
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    sent = {"csrf_token": hidden(page, "csrf_token"), "note_text": "Rang <Ann> back at 10:05"}
    with locked(app.config["DATABASE"]):
        response = client.post(f"/calls/{call_id}/note", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert BUSY in unescape(page)
    assert "Rang &lt;Ann&gt; back at 10:05" in page  # shown, and escaped
    assert hidden(page, "note_text") == sent["note_text"]
    resend = {"csrf_token": hidden(page, "csrf_token"), "note_text": hidden(page, "note_text")}
    assert f'action="/calls/{call_id}/note"' in page

    assert client.post(f"/calls/{call_id}/note", data=resend).status_code == 302
    notes = db.execute(
        "SELECT text FROM call_events WHERE call_id = ? AND kind = 'note'", [call_id]
    ).fetchall()
    assert [n[0] for n in notes] == [sent["note_text"]]


def test_passwords_are_never_written_back(app, client, login, short_busy_timeout):
    login("desk")
    page = client.get("/auth/password").get_data(as_text=True)
    sent = {
        "csrf_token": hidden(page, "csrf_token"),
        "current": "correct horse battery",
        "new": "a new long password",
        "confirm": "a new long password",
    }
    with locked(app.config["DATABASE"]):
        response = client.post("/auth/password", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "correct horse battery" not in page
    assert "a new long password" not in page

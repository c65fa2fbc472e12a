"""A write that fails for a reason that is not the person's: the database locked past the
busy timeout (another connection holds `BEGIN IMMEDIATE`), or a full disk. Logging a call
then answers 503 with a message in plain words and the form filled in as typed, with its
one-time submission key, so sending it again logs the call exactly once. Any other form
gets a page listing what was typed and a "Send again" button."""

from __future__ import annotations

import io
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


def test_a_full_disk_while_resolving_leaves_the_call_as_it_was(
    db, client, login, make_call, users, clock, monkeypatch
):
    """Resolving writes the resolution and the time taken: both, or neither (a page that
    says nothing was saved must not leave the call resolved behind it)."""
    from kit.auth import store as accounts
    from kit.calls import workflow as wf

    call_id = make_call(caller_email="ann@school.example")
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()
    desk = accounts.load_user(db, accounts.get_user_row(db, users["desk"]))
    wf.assign(
        db, call_id, group_id=group[0], assignee_id=users["technician"], user=desk, at=clock()
    )
    login("technician")
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    sent = {
        "csrf_token": hidden(page, "csrf_token"),
        "resolution_summary": "Swapped the toner",
        "closure_category": "Printer or copier",
        "customer_confirmed": "y",
        "resolve_minutes": "20",
    }

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(wf, "add_time", disk_full)
    response = client.post(f"/calls/{call_id}/resolve", data=sent)
    assert response.status_code == 503
    assert DISK_FULL in unescape(response.get_data(as_text=True))
    assert db["calls"].get(call_id)["status"] == "Assigned"
    assert db["time_entries"].count == 0

    monkeypatch.undo()
    assert client.post(f"/calls/{call_id}/resolve", data=sent).status_code == 302
    assert db["calls"].get(call_id)["status"] == "Resolved"


def test_a_photo_refused_by_a_full_disk_is_kept_when_the_form_is_sent_again(
    db, client, login, monkeypatch
):
    """The call is committed before its files; a disk that fills in between answers 503 in
    plain words, and the same form sent again keeps the photo, once, with the one call."""
    import errno

    from kit.attachments import files
    from tests.attachments_support import jpeg

    login("desk")
    sent = call_form(client)
    upload = lambda: {**sent, "file": (io.BytesIO(jpeg()), "printer.jpg")}  # noqa: E731
    written = files.write

    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write", no_room)
    response = client.post("/calls/new", data=upload(), content_type="multipart/form-data")
    assert response.status_code == 503
    assert DISK_FULL in unescape(response.get_data(as_text=True))

    monkeypatch.setattr(files, "write", written)
    again = client.post("/calls/new", data=upload(), content_type="multipart/form-data")
    twice = client.post("/calls/new", data=upload(), content_type="multipart/form-data")
    assert again.status_code == twice.status_code == 302
    assert count_calls(db) == 1
    assert db.execute("SELECT COUNT(*) FROM attachments").fetchone()[0] == 1

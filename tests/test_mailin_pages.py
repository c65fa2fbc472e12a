"""The desk's held mail page and the one-click reopen a reply by mail offers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from mailin_support import add_staff, plain, run_fetch, sample

from kit.auth import store as accounts
from kit.calls import store as calls
from kit.calls import workflow as wf
from kit.mailin.routes import held_key


@pytest.fixture
def held(app, db, mailbox, users):
    """One stranger's mail, held by a fetch; its row id."""
    users["admin"]
    add_staff(db)
    mailbox.deliver(sample("stranger.eml"))
    run_fetch(app, db, mailbox)
    return next(db["mail_in"].rows_where("state = 'held'"))["id"]


def test_the_desk_sees_held_mail_with_its_sender_subject_and_text(login, held):
    client = login("desk")
    listing = client.get("/mail/held").get_data(as_text=True)
    assert "offers@elsewhere.example" in listing and "Cheap toner for schools" in listing
    page = client.get(f"/mail/held/{held}").get_data(as_text=True)
    assert "Buy our toner." in page and "not in the staff directory" in page


def test_log_it_as_a_call_opens_the_form_filled_from_the_mail(login, held):
    page = login("desk").get(f"/calls/new?mail={held}").get_data(as_text=True)
    assert 'value="Great Offers"' in page and 'value="offers@elsewhere.example"' in page
    assert 'value="Cheap toner for schools"' in page and "Buy our toner." in page
    assert f'value="{held_key("<offer-0001@elsewhere.example>")}"' in page
    assert '<option selected value="Email">' in page or 'value="Email" selected' in page


def test_logging_held_mail_takes_it_off_the_list_and_twice_is_one_call(login, post, held, db):
    client = login("desk")
    category = db.execute("SELECT id FROM categories WHERE name = 'Printer or copier'").fetchone()
    form = {
        "caller_name": "Great Offers",
        "caller_email": "offers@elsewhere.example",
        "channel": "Email",
        "category_id": str(category[0]),
        "location_id": "0",
        "summary": "Cheap toner for schools",
        "details": "Buy our toner.",
        "submission_key": held_key("<offer-0001@elsewhere.example>"),
    }
    first = post("/calls/new", form, token_from="/calls/new")
    post("/calls/new", form, token_from="/calls/new")
    assert first.status_code == 302 and db["calls"].count == 1
    row = db["mail_in"].get(held)
    assert row["state"] == "logged" and row["call_id"] == 1
    assert "Cheap toner" not in client.get("/mail/held").get_data(as_text=True)


def test_discarding_needs_the_box_ticked(login, post, held, db):
    login("desk")
    response = post(f"/mail/held/{held}/discard", {}, token_from=f"/mail/held/{held}")
    assert response.status_code == 400
    assert "Tick the box" in response.get_data(as_text=True)
    assert db["mail_in"].get(held)["state"] == "held"


def test_discarded_mail_leaves_the_list_and_nothing_is_sent(login, post, held, db):
    client = login("desk")
    response = post(f"/mail/held/{held}/discard", {"confirm": "y"}, token_from=f"/mail/held/{held}")
    assert response.status_code == 302
    assert db["mail_in"].get(held)["state"] == "discarded" and db["outbox"].count == 0
    assert "Cheap toner" not in client.get("/mail/held").get_data(as_text=True)


def test_the_admin_can_download_unreadable_mail_as_it_arrived(app, db, mailbox, login, users):
    raw = sample("broken_mime.eml")
    mailbox.deliver(raw)
    run_fetch(app, db, mailbox)
    held_id = next(db["mail_in"].rows_where("outcome = 'failed'"))["id"]
    response = login("admin").get(f"/mail/held/{held_id}/raw")
    assert response.status_code == 200 and response.data.replace(b"\r\n", b"\n") == raw.replace(
        b"\r\n", b"\n"
    )
    assert "attachment" in response.headers["Content-Disposition"]


def test_held_mail_shows_scripts_as_text(app, db, mailbox, login, users):
    mailbox.deliver(
        plain(sender="x@elsewhere.example", subject="<script>alert(1)</script>", body="<b>hi</b>")
    )
    run_fetch(app, db, mailbox)
    held_id = next(db["mail_in"].rows_where("state = 'held'"))["id"]
    page = login("desk").get(f"/mail/held/{held_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_reply_to_a_resolved_call_offers_a_one_click_reopen(
    app, db, mailbox, login, post, users, clock
):
    users["admin"]
    add_staff(db)
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    admin = accounts.load_user(db, accounts.get_user_row(db, users["admin"]))
    wf.desk_check(db, 1, summary="Projector", understood=True, user=admin, at=clock())
    wf.resolve(
        db,
        1,
        summary="Replaced the cable",
        details="",
        closure_category="Projector or interactive display",
        customer_confirmed=True,
        confirmation_exception=None,
        user=None,
        at=clock(),
    )
    clock.set(clock() + timedelta(days=2))
    mailbox.deliver(plain(subject="Re: [Call 26-0001]", body="No signal again."))
    run_fetch(app, db, mailbox)
    client = login("desk")
    page = client.get("/calls/1").get_data(as_text=True)
    assert "The caller replied by mail" in page and "No signal again." in page
    response = post("/mail/reopen/1", {}, token_from="/calls/1")
    assert response.status_code == 302
    call = calls.get_call(db, 1)
    assert call["status"] == "Reopened"
    assert "mail-reopen-h" not in client.get("/calls/1").get_data(as_text=True)


def test_a_call_by_mail_shows_the_callers_department_from_the_directory(
    app, db, mailbox, users, login
):
    add_staff(db)
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    [call] = list(db["calls"].rows)
    page = login("desk").get(f"/calls/{call['id']}").get_data(as_text=True)
    assert "Ann Teacher (Science) · 214 · ann.teacher@school.example" in page

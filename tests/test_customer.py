"""Customers' status links: what they open, what they show, what they let a customer do."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from customer_support import form_token, limited_app

from kit import settings
from kit.auth.roles import ROLES
from kit.calls import store as calls
from kit.calls import workflow
from kit.customer import links
from kit.db import connect


@pytest.fixture(autouse=True)
def staffed(users):
    """The kit has an account (an empty kit sends every page to the set-up wizard)."""
    users["admin"]


def group_id(db, name="Service Delivery"):
    return db.execute("SELECT id FROM support_groups WHERE name = ?", [name]).fetchone()[0]


@pytest.fixture
def call_id(db, make_call, users, clock):
    """A call owned by the technician (so it is routed to them), with the caller's email."""
    users.make("tom", {"technician"}, name="Tom Technician", groups=("Service Delivery",))
    new_id = make_call(
        summary="Projector in room 12 is dark",
        caller_email="ann@school.example",
        details="Internal: cable stolen again, check CCTV",
    )
    workflow.assign(
        db, new_id, group_id=group_id(db), assignee_id=users.ids["tom"], user=None, at=clock()
    )
    return new_id


@pytest.fixture
def path(db, call_id, clock):
    return links.issue_link(db, call_id, clock())


def page(client, path):
    response = client.get(path)
    return response, response.get_data(as_text=True)


def status_of(db, call_id):
    return db["calls"].get(call_id)["status"]


def resolve(db, call_id, at, details="Replaced the HDMI cable"):
    workflow.resolve(
        db,
        call_id,
        summary="New cable fitted",
        details=details,
        closure_category="Fixed",
        customer_confirmed=False,
        confirmation_exception="known service disruption",
        user=None,
        at=at,
    )


# --- the link itself ------------------------------------------------------------------


def test_link_token_is_long_random_and_url_safe(db, call_id, clock):
    first = links.issue_link(db, call_id, clock())
    second = links.issue_link(db, call_id, clock())
    token = first.removeprefix("/my-call/")
    assert first.startswith("/my-call/") and len(token) >= 32  # 24 bytes: 192 bits
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert first != second


def test_link_is_stored_only_as_its_hash(db, path):
    token = path.removeprefix("/my-call/")
    [row] = db["customer_links"].rows
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    dump = "\n".join(db.conn.iterdump())
    assert token not in dump


def test_status_page_opens_without_login(client, path):
    response, html = page(client, path)
    assert response.status_code == 200
    assert "26-0001" in html and "Projector in room 12 is dark" in html
    assert "Assigned" in html


def test_status_page_does_not_leak_its_address(client, path):
    response, _ = page(client, path)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_token_is_the_same_404_as_any_missing_page(client, path):
    wrong, wrong_html = page(client, "/my-call/" + "A" * 32)
    missing, missing_html = page(client, "/no-such-page")
    assert wrong.status_code == missing.status_code == 404
    assert wrong_html == missing_html


@pytest.mark.parametrize("bad", ["short", "A" * 200, "a" * 31 + "!"])
def test_malformed_tokens_are_not_found(client, path, bad):
    assert client.get("/my-call/" + bad).status_code == 404


def test_revoked_link_is_not_found(db, client, path, call_id, clock):
    assert links.revoke(db, call_id, clock()) == 1
    assert client.get(path).status_code == 404


def test_link_to_a_voided_call_is_not_found(db, client, path, call_id, clock):
    workflow.void(db, call_id, reason="Logged twice", user=None, at=clock())
    assert client.get(path).status_code == 404


# --- what the page shows --------------------------------------------------------------


def test_internal_notes_details_and_technician_names_are_not_shown(
    db, client, path, call_id, clock
):
    workflow.add_note(
        db, call_id, text="SECRET: the room key is under the mat", user=None, at=clock()
    )
    workflow.add_note(
        db, call_id, text="We will visit at 2pm today", user=None, at=clock(), customer_visible=True
    )
    _, html = page(client, path)
    assert "We will visit at 2pm today" in html
    assert "SECRET" not in html
    assert "Tom Technician" not in html
    assert "cable stolen" not in html
    assert "Service Delivery" not in html


def test_customer_text_is_escaped(db, client, path, call_id, clock):
    workflow.add_note(
        db, call_id, text="<script>alert(1)</script>", user=None, at=clock(), customer_visible=True
    )
    _, html = page(client, path)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_resolution_summary_and_details_are_shown(db, client, path, call_id, clock):
    resolve(db, call_id, clock())
    _, html = page(client, path)
    assert "New cable fitted" in html and "Replaced the HDMI cable" in html
    assert "Yes, it is fixed" in html and "It is not fixed" in html


# --- what the customer can do ---------------------------------------------------------


def test_reply_to_a_call_with_customer_brings_it_back_from_customer(
    db, client, post, path, call_id, clock
):
    workflow.set_with_customer(
        db, call_id, information_needed="Which room?", notify_customer=False, user=None, at=clock()
    )
    _, html = page(client, path)
    assert "Which room?" in html and "Send us the information we asked for" in html
    response = post(path + "/reply", {"text": "Room 12, upstairs"})
    assert response.status_code == 302
    assert status_of(db, call_id) == "Back from Customer"
    [told] = db["outbox"].rows_where("kind = 'back_from_customer'")
    assert "Room 12, upstairs" in told["body"]
    _, html = page(client, path)
    assert "Room 12, upstairs" in html and "You" in html


def test_reply_to_an_open_call_is_a_note_for_the_owner(db, post, path, call_id):
    post(path + "/reply", {"text": "It is flickering now"})
    assert status_of(db, call_id) == "Assigned"
    [note] = db["call_events"].rows_where("call_id = ? AND kind = 'note'", [call_id])
    assert note["text"].endswith("It is flickering now") and note["user_id"] is None
    assert "From the customer" in note["text"]
    [told] = db["outbox"].rows_where("kind = 'note'")
    assert told["to_addr"] == "tom@school.example"


def test_empty_reply_is_refused_with_a_message(db, post, path, call_id):
    response = post(path + "/reply", {"text": "  "})
    assert response.status_code == 400
    assert "Write your reply." in response.get_data(as_text=True)


def test_too_long_reply_is_refused_and_keeps_the_text(post, path):
    response = post(path + "/reply", {"text": "x" * 5001})
    assert response.status_code == 400
    assert "x" * 5001 in response.get_data(as_text=True)


def test_it_is_fixed_records_the_customers_confirmation(db, post, path, call_id, clock):
    resolve(db, call_id, clock())
    post(path + "/confirm")
    assert db["calls"].get(call_id)["customer_confirmed"] == 1
    post(path + "/confirm")
    confirmations = db["call_events"].rows_where("kind = 'customer_confirmed'")
    assert len(list(confirmations)) == 1


def test_after_confirming_the_page_thanks_instead_of_asking(db, client, post, path, call_id, clock):
    resolve(db, call_id, clock())
    assert "Please tell us below" in client.get(path).get_data(as_text=True)
    post(path + "/confirm")
    page = client.get(path).get_data(as_text=True)
    assert "You confirmed on this page that it is fixed, on Mon 23 Nov 2026" in page
    assert "Please tell us below" not in page and "Yes, it is fixed" not in page


def test_it_is_fixed_on_an_open_call_changes_nothing(db, post, path, call_id):
    post(path + "/confirm")
    assert not db["calls"].get(call_id)["customer_confirmed"]


def test_not_fixed_within_the_window_reopens_the_call(db, post, path, call_id, clock):
    resolve(db, call_id, clock())
    clock.set(clock() + timedelta(days=9))
    response = post(path + "/not-fixed", {"reason": "Dark again this morning"})
    assert response.status_code == 302
    assert status_of(db, call_id) == "Reopened"
    [told] = db["outbox"].rows_where("kind = 'reopened'")
    assert "Dark again this morning" in told["body"]


def test_not_fixed_after_the_window_asks_them_to_contact_the_desk(
    db, client, post, path, call_id, clock
):
    settings.put(db, "desk_phone", "extension 200", user_id=None, at="")
    resolve(db, call_id, clock())
    clock.set(clock() + timedelta(days=11))
    _, html = page(client, path)
    assert "It is not fixed" not in html and "extension 200" in html
    response = post(path + "/not-fixed", {"reason": "Still dark"}, follow_redirects=True)
    assert "contact the service desk" in response.get_data(as_text=True)
    assert status_of(db, call_id) == "Resolved"


def test_not_fixed_needs_a_reason(db, post, path, call_id, clock):
    resolve(db, call_id, clock())
    response = post(path + "/not-fixed", {"reason": ""})
    assert response.status_code == 400
    assert status_of(db, call_id) == "Resolved"


def test_it_fixed_itself_closes_an_open_call(db, client, post, path, call_id):
    response = post(path + "/fixed-itself", {"note": "Works after a restart"})
    assert response.status_code == 302
    call = db["calls"].get(call_id)
    assert call["status"] == "Closed" and call["resolution_summary"] == "Fixed itself"
    _, html = page(client, path)
    assert "Works after a restart" in html
    assert "From the customer" not in html


def test_a_stale_page_is_told_the_call_changed(db, post, path, call_id, clock):
    resolve(db, call_id, clock())
    response = post(path + "/fixed-itself", {"note": ""}, follow_redirects=True)
    assert "changed while you were looking" in response.get_data(as_text=True)


def test_steps_need_the_csrf_token(client, path):
    for step in ("reply", "confirm", "not-fixed", "fixed-itself"):
        assert client.post(f"{path}/{step}", data={"text": "x"}).status_code == 400


# --- rate limits ----------------------------------------------------------------------


@pytest.fixture
def limited(tmp_path, clock):
    return limited_app(tmp_path / "limited", clock)


def test_status_page_steps_are_rate_limited_per_link(limited, clock):
    db = connect(limited.config["DATABASE"])
    category = db.execute("SELECT id FROM categories LIMIT 1").fetchone()[0]
    ids = [
        calls.log_call(
            db,
            calls.NewCall(
                caller_name="Ann", channel="Phone", category_id=category, summary=f"Call {n}"
            ),
            user_id=None,
            at=clock(),
            cal=settings.calendar(db),
        )
        for n in (1, 2)
    ]
    first, second = (links.issue_link(db, i, clock()) for i in ids)
    db.conn.close()
    client = limited.test_client()
    token = form_token(client)
    codes = [
        client.post(first + "/reply", data={"text": "", "csrf_token": token}).status_code
        for _ in range(21)
    ]
    assert codes[:20] == [400] * 20 and codes[20] == 429
    assert client.post(second + "/reply", data={"text": "", "csrf_token": token}).status_code == 400


# --- the desk's link ------------------------------------------------------------------


def test_desk_makes_a_link_sees_it_once_and_it_is_mailed(db, client, login, post, call_id):
    login("desk")
    call_page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "no status link yet" in call_page
    response = post(f"/my-call/issue/{call_id}", token_from=f"/calls/{call_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    url = re.search(r">(http://localhost/my-call/[^<]+)</textarea>", html).group(1)
    assert client.get(url.removeprefix("http://localhost")).status_code == 200
    [message] = db["outbox"].rows_where("kind = 'logged'")
    assert url in message["body"] and message["to_addr"] == "ann@school.example"
    call_page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "1 live link" in call_page and url not in call_page
    assert db["call_events"].count_where("kind = 'customer_link'") == 1


def test_desk_revokes_the_links(db, client, login, post, call_id, path):
    login("desk")
    post(f"/my-call/revoke/{call_id}", token_from=f"/calls/{call_id}")
    assert client.get(path).status_code == 404


def test_technician_cannot_make_a_link_for_a_call_not_routed_to_them(db, login, post, make_call):
    other = make_call(summary="Not routed")
    login("technician")
    assert post(f"/my-call/issue/{other}").status_code == 404
    assert db["customer_links"].count == 0


# --- every route x role ---------------------------------------------------------------

TOKEN_STEPS = (
    "customer.status",
    "customer.reply",
    "customer.confirm",
    "customer.not_fixed",
    "customer.fixed_itself",
)
# Who may use the desk's link buttons (call.note); the customer's own pages are open to all.
DESK_LINK = {  # making a link is working the call (call.work): coordinators only read and note
    "desk": 200,
    "technician": 200,
    "coordinator": 403,
    "admin": 200,
    "leader": 403,
    None: 302,
}
MATRIX = {
    "customer.new": ("GET", "/my-call/new", {}),
    "customer.status": ("GET", "{path}", {}),
    "customer.reply": ("POST", "{path}/reply", {"text": "Hello"}),
    "customer.confirm": ("POST", "{path}/confirm", {}),
    "customer.not_fixed": ("POST", "{path}/not-fixed", {"reason": "Still broken"}),
    "customer.fixed_itself": ("POST", "{path}/fixed-itself", {}),
    "customer.issue": ("POST", "/my-call/issue/{call_id}", {}),
    "customer.revoke": ("POST", "/my-call/revoke/{call_id}", {}),
}


# The customer's file pages need a file: tests/test_attachments_customer.py and the one
# permission table (tests/permission_table.py) cover them.
FILE_PAGES = {"customer.add_attachments", "customer.attachment", "customer.attachment_thumbnail"}


def test_the_matrix_names_every_customer_route(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("customer.")}
    assert endpoints - FILE_PAGES == set(MATRIX)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("role", [None, *ROLES])
def test_route_by_role(endpoint, role, db, client, login, post, path, call_id, users):
    users["technician"]
    db["calls"].update(call_id, {"assignee_id": users["technician"]})  # routed to "technician"
    if role:
        login(role)
    method, pattern, data = MATRIX[endpoint]
    url = pattern.format(path=path, call_id=call_id)
    response = client.get(url) if method == "GET" else post(url, data)
    if endpoint in ("customer.issue", "customer.revoke"):
        expected = DESK_LINK[role]
        if endpoint == "customer.revoke" and expected == 200:
            expected = 302  # back to the call's page
        assert response.status_code == expected
        if role is None:
            assert "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/auth/login" not in response.headers["Location"]


def _resolve_confirmed_by(db, call_id, at, user):
    workflow.resolve(
        db,
        call_id,
        summary="New cable fitted",
        details="",
        closure_category="Fixed",
        customer_confirmed=True,
        confirmation_exception=None,
        user=user,
        at=at,
    )


def test_a_fix_the_technician_ticked_as_confirmed_says_the_desk_recorded_it(
    db, client, path, call_id, clock
):
    _resolve_confirmed_by(db, call_id, clock(), None)
    _, html = page(client, path)
    assert "The service desk recorded that you confirmed it is fixed" in html
    assert "Mon 23 Nov 2026, 09:30" in html
    assert "You confirmed on this page" not in html and "Yes, it is fixed" not in html


def test_a_confirmed_fix_still_offers_it_is_not_fixed_within_the_window(
    db, client, post, path, call_id, clock
):
    _resolve_confirmed_by(db, call_id, clock(), None)
    _, html = page(client, path)
    assert "It is not fixed" in html
    response = post(path + "/not-fixed", {"reason": "Dark again"})
    assert response.status_code == 302 and status_of(db, call_id) == "Reopened"


def test_a_closed_call_not_confirmed_asks_is_it_fixed(db, client, path, call_id, clock):
    resolve(db, call_id, clock())
    workflow.close(db, call_id, user=None, at=clock())
    _, html = page(client, path)
    assert "Is it fixed?" in html and "It is not fixed" in html


@pytest.mark.parametrize("with_customer", [False, True])
def test_a_reply_sent_again_with_its_key_is_passed_on_once(
    db, client, post, path, call_id, clock, with_customer
):
    """A reply whose answer was lost is sent again as it was (its one-time key with it):
    one note, one message to the owner, as for the desk's own notes."""
    if with_customer:
        workflow.set_with_customer(
            db,
            call_id,
            information_needed="Which room?",
            notify_customer=False,
            user=None,
            at=clock(),
        )
    _, html = page(client, path)
    key = re.search(r'name="submission_key"[^>]*value="([0-9a-f]{32})"', html)[1]
    sent = {"text": "Room 12, upstairs", "submission_key": key}
    assert post(path + "/reply", sent).status_code == 302
    told = db["outbox"].count
    assert post(path + "/reply", sent).status_code == 302
    replies = list(
        db["call_events"].rows_where("call_id = ? AND text LIKE ?", [call_id, "%Room 12%"])
    )
    assert len(replies) == 1
    assert db["outbox"].count == told

"""The framework's procedure, end to end through HTTP, as each role does it: one test per
practice ("The procedure holds, not just its buttons", issue 16).

Every step is taken by a person signed in with their own role in their own browser session
(desk, technician, leader) or by a caller on the public web form; what the kit kept is read
back from the database, the outbox and the PDFs it prints.
"""

from __future__ import annotations

import io
import re

import pytest
from conftest import PASSWORD, csrf_token
from pypdf import PdfReader

from kit import demo, settings
from kit.kb import store as kb
from tests.customer_support import web_answers
from tests.kb_support import add_article


@pytest.fixture
def person(app, users):
    """person("desk") is a browser signed in with that role (made on demand)."""

    def sign_in(role: str):
        users[role]
        browser = app.test_client()
        token = csrf_token(browser)
        answer = browser.post(
            "/auth/login", data={"username": role, "password": PASSWORD, "csrf_token": token}
        )
        assert answer.status_code == 302
        return browser

    return sign_in


def send(browser, path: str, data: dict, token_from: str = "/calls/"):
    return browser.post(path, data={**data, "csrf_token": csrf_token(browser, token_from)})


def _id(db, name: str, table: str = "support_groups") -> int:
    return db.execute(f"SELECT id FROM {table} WHERE name = ?", [name]).fetchone()[0]


def _call(db, call_id: int) -> dict:
    return db["calls"].get(call_id)


def _page(browser, call_id: int) -> str:
    return browser.get(f"/calls/{call_id}").get_data(as_text=True)


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(page.extract_text() for page in reader.pages)


def _log_at_desk(desk, db, **changes) -> int:
    answers = {
        "caller_name": "Ann Teacher",
        "caller_email": "ann@school.example",
        "caller_phone": "",
        "channel": "Phone",
        "location_id": "0",
        "asset_tag": "",
        "category_id": str(_id(db, "Printer or copier", "categories")),
        "summary": "Staff room printer jams",
        "details": "Jams on every page; error J-0511.",
        "desk_checked": "y",
        "submission_key": "",
    } | changes
    answer = send(desk, "/calls/new", {k: v for k, v in answers.items() if v is not None})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    return int(answer.headers["Location"].rsplit("/", 1)[1])


def _web_call(app, db, **changes) -> int:
    """A caller reports on the public web form (the school is set up: it has accounts)."""
    if not db["users"].count:
        db["users"].insert(
            {"username": "someone", "name": "Someone", "password_hash": "x", "roles": "desk"}
        )
    caller = app.test_client()
    answer = send(caller, "/my-call/new", web_answers(**changes), token_from="/auth/login")
    assert answer.status_code == 302
    return db.execute("SELECT MAX(id) FROM calls").fetchone()[0]


def _pass_on(desk, call_id: int, tech_id: int, **extra):
    return send(
        desk,
        f"/visits/calls/{call_id}/handoff",
        {"technician_id": str(tech_id), "method": "phone", "handoff_note": "Coming at 2"} | extra,
        token_from=f"/calls/{call_id}",
    )


def _resolve(browser, call_id: int, **extra):
    return send(
        browser,
        f"/calls/{call_id}/resolve",
        {
            "resolution_summary": "Cleared the jam and replaced the pick-up roller.",
            "closure_category": "Printer or copier",
            "customer_confirmed": "y",
            "resolve_minutes": "20",
        }
        | extra,
        token_from=f"/calls/{call_id}",
    )


def _outbox(db, kind: str) -> list[dict]:
    return list(db["outbox"].rows_where("kind = ?", [kind], order_by="id"))


def test_receipt_every_call_logged_at_the_desk_is_acknowledged(person, db, app):
    desk = person("desk")
    with_email = _log_at_desk(desk, db)
    ref = _call(db, with_email)["ref"]
    receipts = _outbox(db, "logged")
    assert [(m["call_id"], m["to_addr"]) for m in receipts] == [(with_email, "ann@school.example")]
    assert ref in receipts[0]["subject"]
    assert "receipt was emailed to ann@school.example" in _page(desk, with_email)

    without = _log_at_desk(desk, db, caller_email="", submission_key="b" * 32)
    assert len(_outbox(db, "logged")) == 1  # no address, no message
    page = _page(desk, without)
    assert "Not emailed (no email address)" in page and "Print a receipt slip" in page
    slip = _pdf_text(desk.get(f"/calls/{without}/receipt.pdf"))
    assert _call(db, without)["ref"] in slip and "Staff room printer jams" in slip


def test_desk_check_comes_before_a_call_is_passed_on(person, app, db, users):
    call_id = _web_call(app, db)
    desk = person("desk")
    tech = users["technician"]
    refused = _pass_on(desk, call_id, tech)
    assert refused.status_code == 400
    assert "tick that the details are understood" in refused.get_data(as_text=True)
    assert _call(db, call_id)["status"] == "Logged" and _call(db, call_id)["routed_at"] is None

    typed = "Staff room printer jams on every page (tray 2)"
    unticked = send(desk, f"/calls/{call_id}/desk-check", {"dc_summary": typed})
    html = unticked.get_data(as_text=True)
    assert unticked.status_code == 400 and "Tick that the details are understood" in html
    assert f'value="{typed}"' in html  # what was typed is kept

    ticked = send(desk, f"/calls/{call_id}/desk-check", {"dc_summary": typed, "dc_understood": "y"})
    assert ticked.status_code == 302
    checked = _call(db, call_id)
    assert (checked["summary"], checked["assignee_id"]) == (typed, users["desk"])
    assert _pass_on(desk, call_id, tech).status_code == 302
    assert (_call(db, call_id)["status"], _call(db, call_id)["assignee_id"]) == ("Assigned", tech)


def test_only_the_desk_passes_work_to_technicians(person, db, users):
    desk, tech = person("desk"), person("technician")
    call_id = _log_at_desk(desk, db)
    page = _page(desk, call_id)
    assert page.count("<summary>Pass on to a technician</summary>") == 1
    assert "/assign" not in page and "/reassign" not in page
    assert _pass_on(desk, call_id, users["technician"]).status_code == 302

    other = users.make("tina", {"technician"}, groups=("Technology Integration",))
    assert _pass_on(tech, call_id, other).status_code == 403
    sideways = send(
        tech,
        f"/calls/{call_id}/category",
        {"new_category_id": str(_id(db, "Network or Wi-Fi", "categories"))},
    )
    assert sideways.status_code == 400
    assert _call(db, call_id)["group_id"] == _id(db, "Service Delivery")

    assert "Return to the desk" in _page(tech, call_id)
    back = send(tech, f"/calls/{call_id}/return-to-desk", {"return_reason": "Needs a network port"})
    assert back.status_code == 302
    call = _call(db, call_id)
    assert (call["group_id"], call["assignee_id"]) == (_id(db, "Service Desk"), users["desk"])
    assert "Needs a network port" in call["details"]
    assert tech.get(f"/calls/{call_id}").status_code == 404  # no longer theirs
    assert _pass_on(desk, call_id, other).status_code == 302  # the desk routes it on


def test_kb_fix_policy_decides_what_the_desk_may_do(person, db, users, clock):
    desk = person("desk")
    call_id = _log_at_desk(desk, db, summary="Print queue stuck")
    article = add_article(db, "Clear a stuck print queue")
    kb.link_call(db, call_id, article, user_id=users["desk"], at=clock(), solved=True)
    assert settings.get(db, "kb_fix_policy") == "apply_in_school"
    assert "The knowledge base fixes this call" in _page(desk, call_id)

    refused = _pass_on(desk, call_id, users["technician"])
    assert refused.status_code == 400
    assert "resolve it at the desk, or write why" in refused.get_data(as_text=True)
    assert _call(db, call_id)["routed_at"] is None
    passed = _pass_on(
        desk, call_id, users["technician"], kb_reason="The queue clears but fills again."
    )
    assert passed.status_code == 302
    history = db["call_events"].rows_where("call_id = ? AND kind = 'handoff'", [call_id])
    assert "The queue clears but fills again." in next(history)["text"]

    settings.put(db, "kb_fix_policy", "give_to_technician", user_id=None, at="2026-11-23")
    second = _log_at_desk(desk, db, summary="Print queue stuck again", submission_key="c" * 32)
    kb.link_call(db, second, article, user_id=users["desk"], at=clock(), solved=True)
    assert _pass_on(desk, second, users["technician"]).status_code == 302


def test_owner_at_all_times(person, app, db, users, clock):
    desk = person("desk")
    unchecked = _web_call(app, db)
    refused = _resolve(desk, unchecked)
    assert refused.status_code == 400 and "has no owner" in refused.get_data(as_text=True)
    assert _call(db, unchecked)["status"] == "Logged"

    orphan = _log_at_desk(desk, db, summary="Projector flickers")
    db["calls"].update(orphan, {"assignee_id": None})  # an owner who left, say
    chased = _log_at_desk(desk, db, summary="Laptop trolley", submission_key="d" * 32)
    db["followups"].insert(
        {
            "call_id": chased,
            "due_on": "2026-11-20",
            "comment": "Ring the supplier",
            "created_by": users["desk"],
            "created_at": "2026-11-19 10:00:00",
        }
    )
    head = person("leader")
    report = head.get("/calls/exceptions").get_data(as_text=True)
    rows = [r for r in re.findall(r"<tr>.*?</tr>", report, re.S) if "<td>" in r]
    assert len(rows) == 2
    assert "Projector flickers" in rows[0] and "No owner" in rows[0]
    assert "Laptop trolley" in rows[1] and "Follow-up overdue since Fri 20 Nov 2026" in rows[1]
    assert _call(db, unchecked)["ref"] not in report  # waiting for its desk check, not lost
    assert person("technician").get("/calls/exceptions").status_code == 403


def test_owner_at_all_times_holds_on_the_demo_school(app, db, clock):
    demo.load(db, at=clock())
    head = app.test_client()
    head.post(
        "/auth/login",
        data={"username": "head", "password": demo.DEMO_PASSWORD, "csrf_token": csrf_token(head)},
    )
    report = head.get("/calls/exceptions")
    assert report.status_code == 200
    assert "No exceptions" in report.get_data(as_text=True)
    open_calls = db.execute(
        "SELECT ref, desk_checked_at, assignee_id FROM calls "
        "WHERE status NOT IN ('Resolved', 'Closed')"
    ).fetchall()
    assert open_calls and all(r["desk_checked_at"] and r["assignee_id"] for r in open_calls)
    closed = db.execute("SELECT user_informed_how FROM calls WHERE status = 'Closed'").fetchall()
    assert closed and all(r[0] for r in closed)


def test_user_told_before_a_call_closes(person, db, users):
    desk = person("desk")
    call_id = _log_at_desk(desk, db, caller_email="")
    resolved = _resolve(desk, call_id, informed_how="")
    assert resolved.status_code == 302
    page = desk.get(resolved.headers["Location"]).get_data(as_text=True)
    assert "No message was sent" in page and "sent the summary" not in page
    assert _outbox(db, "resolved") == []

    closing = send(desk, f"/calls/{call_id}/close", {}, token_from=f"/calls/{call_id}")
    assert closing.status_code == 400
    assert "Record how the user was told" in closing.get_data(as_text=True)
    assert _call(db, call_id)["status"] == "Resolved"

    by_email = send(desk, f"/calls/{call_id}/informed", {"informed_how": "email"})
    assert by_email.status_code == 400 and "no email address" in by_email.get_data(as_text=True)
    notice = _pdf_text(desk.get(f"/calls/{call_id}/notice.pdf"))
    assert "replaced the pick-up roller" in notice and _call(db, call_id)["ref"] in notice
    told = send(desk, f"/calls/{call_id}/informed", {"informed_how": "printed notice"})
    assert told.status_code == 302
    assert (
        send(desk, f"/calls/{call_id}/close", {}, token_from=f"/calls/{call_id}").status_code == 302
    )
    call = _call(db, call_id)
    assert (call["status"], call["user_informed_how"]) == ("Closed", "printed notice")


def test_user_told_by_email_is_said_only_when_the_summary_was_queued(person, db):
    desk = person("desk")
    call_id = _log_at_desk(desk, db)
    resolved = _resolve(desk, call_id, informed_how="email")
    page = desk.get(resolved.headers["Location"]).get_data(as_text=True)
    assert "the summary was emailed to ann@school.example" in page
    assert [m["call_id"] for m in _outbox(db, "resolved")] == [call_id]
    assert _call(db, call_id)["user_informed_how"] == "email"


def test_with_3rd_party_records_the_supplier_reference_and_the_owner_keeps_the_call(
    person, db, users
):
    desk, tech = person("desk"), person("technician")
    call_id = _log_at_desk(desk, db)
    _pass_on(desk, call_id, users["technician"])
    answers = {
        "tp_kind": "vendor",
        "tp_name": "Copier Co",
        "tp_contact": "01632 960 777",
        "tp_what": "Replace the fuser unit",
        "tp_expected_by": "2026-11-27",
    }
    missing = send(tech, f"/calls/{call_id}/with-third-party", answers)
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "own reference for the job" in html
    assert 'value="Copier Co"' in html  # what was typed is kept
    done = send(tech, f"/calls/{call_id}/with-third-party", answers | {"tp_reference": "CC-7781"})
    assert done.status_code == 302
    call = _call(db, call_id)
    assert call["status"] == "With 3rd Party"
    assert (call["group_id"], call["assignee_id"]) == (
        _id(db, "Service Delivery"),
        users["technician"],
    )
    page = _page(desk, call_id)
    assert "their reference <strong>CC-7781</strong>" in page
    assert "the call stays with Technician (Service Delivery)" in page


def test_web_form_triage_a_fault_is_an_incident(app, db):
    said = _call(db, _web_call(app, db, call_type="Something is not working (incident)"))
    assert said["call_type"] == "Incident"
    fault = _call(db, _web_call(app, db, submission_key="f" * 32))  # not said: still a fault
    assert fault["call_type"] == "Incident"
    category = db["categories"].get(fault["category_id"])["name"]
    assert category == "Fault reported on the web form"
    request = _call(
        db,
        _web_call(
            app,
            db,
            call_type="I need something (request)",
            submission_key="e" * 32,
            summary="New login",
        ),
    )
    assert request["call_type"] == "Request"


def test_channels_show_how_each_call_came_in(person, db):
    desk = person("desk")
    channels = ("Paper sheet in the tray", "Log book", "Answerphone", "Email", "In person")
    for n, channel in enumerate(channels):
        _log_at_desk(desk, db, channel=channel, submission_key=f"{n:032x}")
    log = desk.get("/calls/").get_data(as_text=True)
    for channel in channels:
        assert f'<span class="sub">{channel}</span>' in log
    form = desk.get("/calls/new").get_data(as_text=True)
    assert all(f'value="{c}"' in form for c in ("Phone", "Web form", *channels))

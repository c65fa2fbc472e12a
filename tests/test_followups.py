"""Follow-up dates: any number on an open call, each with why; due ones on the desk's first
screen and in the daily job's reminders (once a working day); the fault-occurred date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kit import settings
from kit.calls.workflow_base import WorkflowError
from kit.daily import run_daily
from kit.followups import store as followups
from tests.practice_support import outbox as outbox_rows
from tests.practice_support import route, technician

TODAY = date(2026, 11, 23)


@pytest.fixture
def cal(db):
    return settings.calendar(db, years=range(2025, 2028))


def _add(db, call_id, due_on=TODAY, comment="Ring Ann to check", at=datetime(2026, 11, 23, 9)):
    return followups.add(db, call_id, due_on=due_on, comment=comment, user_id=None, at=at)


def test_a_call_may_have_any_number_of_follow_ups_each_saying_why(db, make_call):
    call_id = make_call()
    _add(db, call_id, date(2026, 11, 25), "Check the new toner")
    _add(db, call_id, date(2026, 11, 24), "Ring the supplier")
    rows = followups.for_call(db, call_id)
    assert [(r["due_on"], r["comment"]) for r in rows] == [
        ("2026-11-24", "Ring the supplier"),
        ("2026-11-25", "Check the new toner"),
    ]
    kinds = [e["kind"] for e in db["call_events"].rows_where("call_id = ?", [call_id])]
    assert kinds.count("followup") == 2


def test_a_follow_up_needs_a_comment(db, make_call):
    with pytest.raises(WorkflowError, match="Say why"):
        _add(db, make_call(), comment="   ")


def test_a_follow_up_cannot_be_in_the_past(db, make_call):
    with pytest.raises(WorkflowError, match="past"):
        _add(db, make_call(), due_on=date(2026, 11, 20))


def test_a_closed_call_takes_no_follow_up(db, make_call):
    call_id = make_call()
    db.execute("UPDATE calls SET status = 'Closed' WHERE id = ?", [call_id])
    with pytest.raises(WorkflowError, match="open calls"):
        _add(db, call_id)


def test_done_is_recorded_once(db, make_call):
    call_id = make_call()
    followup = _add(db, call_id)
    assert followups.mark_done(db, followup, user_id=None, at=datetime(2026, 11, 23, 10))
    assert not followups.mark_done(db, followup, user_id=None, at=datetime(2026, 11, 23, 11))
    assert followups.due(db, TODAY) == []


def test_due_lists_today_and_missed_follow_ups_of_open_calls_only(db, make_call):
    today = _add(db, make_call("Due today"), TODAY)
    later = make_call("Later")
    _add(db, later, date(2026, 11, 30))
    closed = make_call("Closed one")
    _add(db, closed, TODAY)
    db.execute("UPDATE calls SET status = 'Resolved' WHERE id = ?", [closed])
    assert [r["followup_id"] for r in followups.due(db, TODAY)] == [today]
    assert len(followups.due(db, date(2026, 12, 1))) == 2


def test_desk_adds_a_follow_up_from_the_call_page(login, post, db, make_call, client):
    call_id = make_call()
    login("desk")
    response = post(
        f"/follow-ups/calls/{call_id}",
        {"due_on": "2026-11-24", "followup_comment": "Check after lunch"},
        token_from=f"/calls/{call_id}",
    )
    assert response.status_code == 302
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "2026-11-24" in html and "Check after lunch" in html


def test_a_follow_up_without_a_comment_shows_the_reason(login, post, make_call):
    call_id = make_call()
    login("desk")
    response = post(
        f"/follow-ups/calls/{call_id}", {"due_on": "2026-11-24"}, token_from=f"/calls/{call_id}"
    )
    assert response.status_code == 400
    assert "Say why the call needs following up." in response.get_data(as_text=True)


def test_technician_adds_a_follow_up_on_a_routed_call(login, post, db, users, make_call):
    tech = technician(users, db, "technician")
    call_id = make_call()
    route(db, call_id, tech)
    login("technician")
    response = post(
        f"/follow-ups/calls/{call_id}",
        {"due_on": "2026-11-24", "followup_comment": "Parts arrive"},
        token_from=f"/calls/{call_id}",
    )
    assert response.status_code == 302
    assert followups.for_call(db, call_id)[0]["comment"] == "Parts arrive"


def test_follow_ups_due_today_are_on_the_desks_first_screen(login, db, make_call, client, post):
    call_id = make_call("Projector flickers")
    followup = _add(db, call_id, comment="Ring Ann to check the lamp")
    html = login("desk").get("/").get_data(as_text=True)
    assert "Follow-ups due today (1)" in html and "Ring Ann to check the lamp" in html
    post(f"/follow-ups/{followup}/done", token_from="/")
    assert "Follow-ups due today" not in client.get("/").get_data(as_text=True)


def test_technicians_first_screen_has_no_follow_up_list(login, db, make_call):
    _add(db, make_call())
    assert "Follow-ups due" not in login("technician").get("/").get_data(as_text=True)


def test_daily_job_reminds_the_owner_once_a_day(db, app, make_call, users, cal):
    tech = technician(users, db, "technician")
    call_id = make_call()
    route(db, call_id, tech)
    followup = _add(db, call_id, comment="Check the lamp")
    with app.app_context():
        report = run_daily(db, app.config, datetime(2026, 11, 23, 7), cal)
        again = run_daily(db, app.config, datetime(2026, 11, 23, 8), cal)
        tomorrow = run_daily(db, app.config, datetime(2026, 11, 24, 7), cal)
    assert report.followups == [followup] and again.followups == []
    assert tomorrow.followups == [followup]  # still not done: reminded again
    rows = outbox_rows(db, "followup_reminder")
    assert [r["dedupe_key"] for r in rows] == [
        f"followup:{followup}:2026-11-23",
        f"followup:{followup}:2026-11-24",
    ]
    assert rows[0]["to_addr"] == "technician@school.example"
    assert "Check the lamp" in rows[0]["body"]
    assert "  Follow-up reminders queued: 1" in report.lines()


def test_daily_job_reminds_the_desk_while_no_one_owns_the_call(db, app, make_call, cal):
    settings.put(db, "desk_email", "desk@school.example", user_id=None, at="x")
    _add(db, make_call())
    with app.app_context():
        run_daily(db, app.config, datetime(2026, 11, 23, 7), cal)
    assert outbox_rows(db, "followup_reminder")[0]["to_addr"] == "desk@school.example"


def test_no_follow_up_reminder_on_a_weekend(db, app, make_call, cal):
    settings.put(db, "desk_email", "desk@school.example", user_id=None, at="x")
    _add(db, make_call())
    with app.app_context():
        report = run_daily(db, app.config, datetime(2026, 11, 28, 7), cal)
    assert report.followups == []


def test_call_page_shows_when_the_fault_occurred_beside_when_it_was_logged(login, make_call):
    call_id = make_call(occurred_at="2026-11-20 14:00:00")
    html = login("desk").get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Fault occurred" in html and "2026-11-20 14:00" in html

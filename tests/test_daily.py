"""The daily job: With Customer reminders and closing, overdue flags, sending the outbox.

Time is moved with the `clock` fixture: Monday 23 November 2026 is the first day, so five
working days later is Monday 30 November and the first reminder is due on Tuesday 1 December.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from smtp_support import running

from kit import settings
from kit.calls import workflow
from kit.daily import daily_for_app, run_daily
from kit.rules.calendar import build_calendar

MON_23 = datetime(2026, 11, 23, 9, 30)


def day(d: int, month: int = 11, hour: int = 7) -> datetime:
    return datetime(2026, month, d, hour, 0)


@pytest.fixture
def cal(db):
    return settings.calendar(db, years=range(2025, 2028))


@pytest.fixture
def waiting_call(db, make_call, users, clock):
    """A call assigned to the technician and set With Customer on Monday 23 November."""
    call_id = make_call(caller_email="ann@school.example")
    group_id = db["calls"].get(call_id)["group_id"]
    workflow.assign(
        db, call_id, group_id=group_id, assignee_id=users["technician"], user=None, at=clock()
    )
    workflow.set_with_customer(
        db,
        call_id,
        information_needed="Which room is it in?",
        notify_customer=False,
        user=None,
        at=clock(),
    )
    db.execute("DELETE FROM outbox")  # only the job's own messages from here on
    return call_id


def run(db, app, when, cal):
    return run_daily(db, app.config, when, cal)


def reminders(db):
    return list(db["outbox"].rows_where("kind = 'with_customer_reminder'", order_by="id"))


def test_no_reminder_until_more_than_five_working_days(db, app, waiting_call, cal):
    for d in (24, 25, 26, 27, 30):  # working days 1 to 5
        assert run(db, app, day(d), cal).reminded == []
    assert reminders(db) == []
    assert run(db, app, day(1, 12), cal).reminded == [waiting_call]


def test_reminder_goes_to_the_owner_and_says_how_long(db, app, waiting_call, cal):
    run(db, app, day(1, 12), cal)
    [message] = reminders(db)
    assert message["to_addr"] == "technician@school.example"
    assert "6 working days" in message["subject"]
    assert message["call_id"] == waiting_call


def test_running_twice_on_the_same_day_reminds_once(db, app, waiting_call, cal):
    run(db, app, day(1, 12, hour=7), cal)
    again = run(db, app, day(1, 12, hour=18), cal)
    assert again.reminded == []
    assert len(reminders(db)) == 1


def test_a_reminder_every_working_day(db, app, waiting_call, cal):
    for d in (1, 2, 3):
        run(db, app, day(d, 12), cal)
    assert [m["dedupe_key"] for m in reminders(db)] == [
        f"reminder:{waiting_call}:2026-12-0{d}" for d in (1, 2, 3)
    ]


def test_no_reminder_on_a_weekend(db, app, waiting_call, cal):
    for d in (5, 6):  # Saturday and Sunday 5-6 December
        assert run(db, app, day(d, 12), cal).reminded == []


def test_weekends_are_not_counted(db, app, make_call, users, clock, cal):
    clock.set(datetime(2026, 11, 25, 10, 0))  # Wednesday: 5 working days end Wednesday 2nd
    call_id = make_call()
    group_id = db["calls"].get(call_id)["group_id"]
    workflow.assign(
        db, call_id, group_id=group_id, assignee_id=users["technician"], user=None, at=clock()
    )
    workflow.set_with_customer(
        db, call_id, information_needed="x", notify_customer=False, user=None, at=clock()
    )
    assert run(db, app, day(2, 12), cal).reminded == []
    assert run(db, app, day(3, 12), cal).reminded == [call_id]


def test_school_holidays_are_not_counted(db, app, waiting_call):
    holiday = build_calendar(
        years=range(2025, 2028), school_holidays=[(day(27).date(), day(27).date())]
    )  # INSET day
    assert run(db, app, day(1, 12), holiday).reminded == []
    assert run(db, app, day(2, 12), holiday).reminded == [waiting_call]


def test_school_holiday_setting_is_used_by_the_app_calendar(db, app, waiting_call, clock):
    settings.put(db, "school_holidays", [["2026-11-27", "2026-11-27"]], user_id=None, at="")
    clock.set(day(1, 12))
    assert daily_for_app(app).reminded == []
    clock.set(day(2, 12))
    assert daily_for_app(app).reminded == [waiting_call]


def test_the_reminder_limit_is_a_setting(db, app, waiting_call, cal):
    settings.put(db, "with_customer_reminder_days", 2, user_id=None, at="")
    assert run(db, app, day(25), cal).reminded == []
    assert run(db, app, day(26), cal).reminded == [waiting_call]


def test_auto_close_closes_with_the_procedures_summary_and_message(db, app, waiting_call, cal):
    settings.put(db, "with_customer_auto_close", True, user_id=None, at="")
    assert run(db, app, day(30), cal).closed == []
    report = run(db, app, day(1, 12), cal)
    assert report.closed == [waiting_call] and report.reminded == []
    call = db["calls"].get(waiting_call)
    assert call["status"] == "Closed"
    assert call["resolution_summary"] == "No further contact received from customer"
    [closing] = db["outbox"].rows_where("kind = 'no_contact_close'")
    assert closing["to_addr"] == "ann@school.example"
    assert reminders(db) == []


def test_auto_close_twice_on_the_same_day_closes_and_mails_once(db, app, waiting_call, cal):
    settings.put(db, "with_customer_auto_close", True, user_id=None, at="")
    run(db, app, day(1, 12), cal)
    again = run(db, app, day(1, 12, hour=18), cal)
    assert again.closed == [] and again.problems == []
    assert db["outbox"].count_where("kind = 'no_contact_close'") == 1


def test_a_call_back_from_the_customer_gets_no_reminder(db, app, waiting_call, cal, clock):
    workflow.back_from_customer(
        db, waiting_call, note="Room 12", user=None, at=day(30, hour=9), cal=cal
    )
    assert run(db, app, day(1, 12), cal).reminded == []


def test_a_call_with_no_one_to_remind_is_reported(db, app, make_call, clock, cal):
    call_id = make_call(desk_checked=False)  # no owner (from before owners), no leader
    db["calls"].update(call_id, {"status": "Assigned", "routed_at": "2026-11-23 09:30:00"})
    workflow.set_with_customer(
        db, call_id, information_needed="x", notify_customer=False, user=None, at=clock()
    )
    report = run(db, app, day(1, 12), cal)
    assert report.reminded == []
    assert "no one to remind" in report.problems[0]


def overdue_events(db, call_id):
    return list(db["call_events"].rows_where("call_id = ? AND kind = 'overdue'", [call_id]))


def test_overdue_calls_are_reported_and_flagged_once_per_due_time(db, app, make_call, cal):
    call_id = make_call()  # Normal level: respond within 9 working hours
    first = run(db, app, day(25, hour=12), cal)
    assert {(o["call_id"], o["due"]) for o in first.overdue} == {(call_id, "respond_by")}
    assert len(first.flagged) == 1
    again = run(db, app, day(25, hour=13), cal)
    assert len(again.overdue) == 1 and again.flagged == []
    assert len(overdue_events(db, call_id)) == 1


def test_resolution_overdue_is_flagged_separately(db, app, make_call, cal):
    call_id = make_call()
    report = run(db, app, day(10, 12), cal)
    assert {o["due"] for o in report.overdue} == {"respond_by", "resolve_by"}
    assert len(overdue_events(db, call_id)) == 2
    run(db, app, day(11, 12), cal)
    assert len(overdue_events(db, call_id)) == 2


def test_a_responded_call_is_not_overdue_for_response(db, app, make_call, users, clock, cal):
    call_id = make_call()
    group_id = db["calls"].get(call_id)["group_id"]
    workflow.assign(
        db, call_id, group_id=group_id, assignee_id=users["technician"], user=None, at=clock()
    )
    workflow.start(db, call_id, user=None, at=clock())
    report = run(db, app, day(25, hour=12), cal)
    assert report.overdue == []


def test_calls_with_customer_are_not_flagged_overdue(db, app, waiting_call, cal):
    report = run(db, app, day(10, 12), cal)
    assert [o for o in report.overdue if o["call_id"] == waiting_call] == []


def test_resolved_calls_are_not_flagged(db, app, make_call, clock, cal):
    call_id = make_call()
    workflow.resolve(
        db,
        call_id,
        summary="Fixed",
        details="",
        closure_category="Fixed",
        customer_confirmed=True,
        confirmation_exception=None,
        user=None,
        at=clock(),
    )
    assert run(db, app, day(10, 12), cal).overdue == []


def test_without_a_mail_server_messages_wait_in_the_outbox(db, app, waiting_call, cal):
    report = run(db, app, day(1, 12), cal)
    assert not report.mail.configured
    assert reminders(db)[0]["status"] == "pending"


def test_reminders_reach_the_smtp_server_once_however_often_it_runs(db, app, waiting_call, cal):
    with running() as server:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TIMEOUT=5)
        for hour in (7, 12, 18):
            run(db, app, day(1, 12, hour=hour), cal)
    [received] = server.messages()
    assert received["To"] == "technician@school.example"
    assert "With Customer" in received["Subject"]


def test_daily_for_app_uses_the_apps_clock(app, waiting_call, clock):
    clock.set(day(30))
    assert daily_for_app(app).reminded == []
    clock.set(day(1, 12))
    report = daily_for_app(app)
    assert report.reminded == [waiting_call]
    assert report.day == day(1, 12).date()
    assert any("reminders queued: 1" in line for line in report.lines())


def test_the_report_prints_as_plain_lines(db, app, waiting_call, cal):
    text = str(run(db, app, day(1, 12), cal))
    assert text.startswith("Daily job for Tuesday 01 December 2026:")
    assert "With Customer reminders queued: 1" in text


def test_kit_daily_on_a_full_disk_says_so_in_plain_words(app, monkeypatch):
    """Cron mails the job's output to someone: a full disk is one sentence saying what to
    do, and a failing exit code, not a traceback."""
    import sqlite3

    import kit.daily
    from kit.cli import daily

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(kit.daily, "daily_for_app", disk_full)
    result = app.test_cli_runner().invoke(daily, [])
    assert result.exit_code == 1
    assert "Make room on the disk" in result.output and "Traceback" not in result.output

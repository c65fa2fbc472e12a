"""The daily job (`kit daily`, from cron or Windows Task Scheduler): the procedure's chores.

1. Every call With Customer for more than `with_customer_reminder_days` working days
   (default 5) reminds its owner, once per working day; or, when the school turns on
   `with_customer_auto_close`, is closed with "No further contact received from customer"
   and the procedure's closing message to the customer.
2. Open calls past their response, resolution or third-party due time are listed and get
   one "overdue" entry in their history per due time (calls With Customer are skipped: their
   clock is stopped, so their stored due times are not final yet).
3. Follow-up dates due today (or missed) remind the call's owner, or the desk while no one
   owns it, once per working day.
4. Files of calls closed more than `attachment_retention_months` ago (default 24; 0 keeps
   them) are deleted; the calls' records keep their names and say when they went.
5. Then whatever waits in the outbox is sent, if a mail server is configured.
6. The copies of held mail (kept so that logging it brings its files) are deleted once the
   desk has logged or discarded it, or after `mail_held_days` (default 60).

Running it again the same day sends nothing twice: each reminder has a dedupe key per call
and date, closed calls are no longer With Customer, a due time is flagged once, and sent
mail is never sent again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlite_utils import Database

from kit import settings
from kit.attachments import removal
from kit.calls import history_store, notify, store, workflow
from kit.calls import lifecycle_store as lstore
from kit.calls.workflow_base import owner_addresses
from kit.db import connect, now, stamp, write_lock
from kit.followups import store as followups
from kit.mail import outbox, smtp
from kit.mailin import config as mail_config
from kit.mailin import store as mail_in_store
from kit.mailin.store import mail_in_status
from kit.rules import lifecycle as lc
from kit.rules.clock import WorkingCalendar, working_days_between

# The due times the job watches: field, the words in history, and which calls it applies to.
DUE_KINDS = (
    (
        "respond_by",
        "No response was recorded by the response due time",
        "calls.respond_by < ? AND calls.responded_at IS NULL",
    ),
    ("resolve_by", "The call was not resolved by the resolution due time", "calls.resolve_by < ?"),
    (
        "third_party_due",
        "The third party has not finished by the date they gave",
        "calls.third_party_due < ? AND calls.status = 'With 3rd Party'",
    ),
)
NO_LIMIT = 1_000_000


@dataclass
class DailyReport:
    """What one run did, for the command's output and the tests."""

    day: date
    reminded: list[int] = field(default_factory=list)  # calls whose owner got a reminder
    closed: list[int] = field(default_factory=list)  # closed for no contact
    overdue: list[dict[str, Any]] = field(default_factory=list)  # every overdue due time
    flagged: list[dict[str, Any]] = field(default_factory=list)  # newly written to history
    problems: list[str] = field(default_factory=list)  # what needs a person
    followups: list[int] = field(default_factory=list)  # follow-ups whose reminder was queued
    files_deleted: int = 0  # attachments past the school's retention
    mail: smtp.SendReport | None = None
    mail_in: str = ""  # when the desk's mailbox was last read, when mail in is set up
    mail_copies_deleted: int = 0  # copies of held mail no longer needed

    def __str__(self) -> str:  # what `kit daily` prints
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        out = [
            f"Daily job for {self.day:%A %d %B %Y}:",
            f"  With Customer reminders queued: {len(self.reminded)}",
            f"  Closed for no contact from the customer: {len(self.closed)}",
            f"  Overdue: {len(self.overdue)} (newly flagged: {len(self.flagged)})",
            f"  Follow-up reminders queued: {len(self.followups)}",
            f"  Attachments deleted under the retention rule: {self.files_deleted}",
        ]
        out += [f"  Needs attention: {p}" for p in self.problems]
        if self.mail is not None:
            out.append(f"  Mail: {self.mail.summary}")
        if self.mail_in:
            out.append(f"  Mail in: {self.mail_in}")
        if self.mail_copies_deleted:
            out.append(f"  Copies of held mail deleted: {self.mail_copies_deleted}")
        return out


def run_daily(
    db: Database,
    config: Mapping[str, Any],
    at: datetime,
    cal: WorkingCalendar,
    instance: str | None = None,
) -> DailyReport:
    """Do the day's chores at time `at` on the school's working-day calendar `cal`
    (`instance`, the instance folder, for the attachments' retention rule)."""
    report = DailyReport(day=at.date())
    _with_customer(db, at, cal, report)
    _flag_overdue(db, at, report)
    report.followups = followups.queue_reminders(db, at, cal)
    if instance is not None:
        cutoff = removal.retention_cutoff(at, int(settings.get(db, "attachment_retention_months")))
        if cutoff is not None:
            report.files_deleted = removal.purge_closed(db, instance, cutoff, at=at)
    report.mail = smtp.send_pending(db, config, at)
    held_days = int(settings.get(db, "mail_held_days"))
    report.mail_copies_deleted = mail_in_store.purge_raw(db, at - timedelta(days=held_days))
    if config.get("IMAP_HOST"):
        report.mail_in = mail_in_status(db)
    return report


def daily_for_app(app: Flask) -> DailyReport:
    """Run the job for an app's database, with its configuration and its clock."""
    with app.app_context():
        db = connect(app.config["DATABASE"])
        try:
            at = now()
            cal = settings.calendar(db, years=range(at.year - 2, at.year + 2))
            config = {**app.config, **mail_config.for_app(app)}
            return run_daily(db, config, at, cal, app.instance_path)
        finally:
            db.conn.close()


def _with_customer(db: Database, at: datetime, cal: WorkingCalendar, report: DailyReport) -> None:
    """Remind the owners of calls waiting too long on the customer, or close those calls."""
    limit = int(settings.get(db, "with_customer_reminder_days"))
    auto_close = bool(settings.get(db, "with_customer_auto_close"))
    waiting = lstore.open_calls_where(
        db,
        [("calls.status = ? AND calls.with_customer_since IS NOT NULL", [lc.WITH_CUSTOMER])],
        limit=NO_LIMIT,
    )
    for call in waiting:
        days = working_days_between(
            cal, datetime.fromisoformat(call["with_customer_since"]), at.date()
        )
        if days <= limit:
            continue
        if auto_close:
            _close(db, call, at, cal, limit, report)
        elif cal.is_working_day(at.date()):
            _remind(db, call, days, at, report)


def _close(
    db: Database,
    call: dict[str, Any],
    at: datetime,
    cal: WorkingCalendar,
    limit: int,
    report: DailyReport,
) -> None:
    try:
        workflow.close_no_contact(db, call["id"], user=None, at=at, cal=cal, wait_days=limit)
    except ValueError as exc:  # moved meanwhile (TransitionError) or refused (WorkflowError)
        report.problems.append(f"Call {call['ref']} could not be closed: {exc}")
        return
    report.closed.append(call["id"])


def _remind(
    db: Database, call: dict[str, Any], days: int, at: datetime, report: DailyReport
) -> None:
    """Queue today's reminder for the call's owner (their group's leader if no owner)."""
    to = owner_addresses(db, call)
    if not any(to):
        report.problems.append(
            f"Call {call['ref']} has been With Customer for {days} working "
            "days and has no one to remind: assign it to someone."
        )
        return
    context = {
        "call": call,
        "days": days,
        "link": notify.staff_link(call["id"]),
        "location": notify.location_label(call),
        "assignee": call.get("assignee") or "",
        "group": call.get("group_name") or "",
        "text": "",
        "customer_link": "",
    }
    try:
        queued = outbox.queue(
            db,
            "with_customer_reminder",
            to=to,
            context=context,
            at=at,
            call_id=call["id"],
            dedupe_key=f"reminder:{call['id']}:{at.date().isoformat()}",
        )
    except sqlite3.IntegrityError:  # another run queued the same reminder a moment ago
        queued = None
    if queued is not None:
        report.reminded.append(call["id"])


def _flag_overdue(db: Database, at: datetime, report: DailyReport) -> None:
    """List every overdue due time; write each one to the call's history the first time."""
    moment = stamp(at)
    for column, words, condition in DUE_KINDS:
        calls = lstore.open_calls_where(
            db,
            [(f"{condition} AND calls.status != ?", [moment, lc.WITH_CUSTOMER])],
            limit=NO_LIMIT,
        )
        for call in calls:
            item = {
                "call_id": call["id"],
                "ref": call["ref"],
                "due": column,
                "due_at": call[column],
            }
            report.overdue.append(item)
            if _flag_once(db, call["id"], column, call[column], words, at):
                report.flagged.append(item)


def _flag_once(
    db: Database, call_id: int, column: str, due_at: str, words: str, at: datetime
) -> bool:
    """Write the overdue entry unless this due time of this call was flagged before."""
    with write_lock(db):
        seen = any(
            event["kind"] == "overdue" and event["changes"].get(column, [None, None])[1] == due_at
            for event in history_store.history(db, call_id)
        )
        if seen:
            return False
        store.add_event(
            db,
            call_id,
            user_id=None,
            at=at,
            kind="overdue",
            changes={column: [None, due_at]},
            text=f"{words} ({due_at[:16]}).",
        )
    return True

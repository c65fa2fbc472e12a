"""What becomes of one mail: a new call, a note on its call, held for the desk, or ignored.

The rules, in order:
1. A Message-ID already recorded is skipped (a mail marked unread again, a crash between
   the commit and the \\Seen flag): nothing is logged twice.
2. Automatic mail (kit.rules.mail.automatic_reason) is ignored: never logged, never answered.
3. A reply (a `[Call ref]` in the subject, or In-Reply-To/References naming a message the
   kit sent) from a known sender is a note on its call. The caller's reply to a call With
   Customer brings it Back from Customer and tells the owner; a reply to a resolved call
   within the reopen window offers the desk a one-click reopen; after it, a new call is
   logged, linked to the old one.
4. New mail from staff (in the directory, or at one of the school's domains) is logged
   through the web form's own path (`kit.customer.intake`), channel Email, typed by the
   web form's rule (a fault is an Incident, `kit.rules.procedure.reported_type`), and
   acknowledged unless the sender has had `ACK_LIMIT` acknowledgements this hour.
5. Anything else is held at /mail/held: nothing is sent to a stranger.

`handle` is called inside one `write_lock` per mail (kit.mailin.fetch), so what a mail
becomes is committed at once or not at all; its files are kept after that commit. What it
asks the database about each mail (recorded already? a sender in the directory? their
acknowledgements this hour?) comes from the batch's `Known`, read once for all its mails.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from kit import settings
from kit.calls import store as calls
from kit.calls import workflow
from kit.customer import intake as outside
from kit.mailin import store
from kit.mailin.known import Known
from kit.mailin.parse import Mail
from kit.rules import lifecycle as lc
from kit.rules import mail as rules
from kit.rules.clock import WorkingCalendar

ACK_LIMIT = 3  # acknowledgements per sender per hour
HELD_RAW_BUDGET = 200 * 1024 * 1024  # raw held mail kept at most; past it, the mailbox has it
ACK_WINDOW = timedelta(hours=1)
MAX_DETAILS = 20_000


@dataclass
class Outcome:
    kind: str  # call, reply, held, ignored, seen
    call_id: int | None = None
    reason: str = ""
    ref: str = ""
    keep_files: bool = False  # the mail's files go with call_id once this is committed


@dataclass
class Desk:
    """What the rules need to know about the school, read once per fetch."""

    own_addresses: tuple[str, ...]
    domains: tuple[str, ...]
    reopen_window_days: float
    instance_path: str = ""
    cal: WorkingCalendar | None = None

    def calendar(self, db: Database) -> WorkingCalendar:
        """The school's calendar, built when the fetch first logs a call (a fetch that
        finds no new mail needs none)."""
        if self.cal is None:
            self.cal = settings.calendar(db)
        return self.cal


def desk_for(db: Database, own_addresses: Iterable[str], instance_path: str = "") -> Desk:
    """The desk's own addresses and the school's mail domains (the setting, else the
    desk addresses' domains and the directory's)."""
    values = settings.get_all(db)
    own = tuple(
        sorted(
            {a.strip().lower() for a in [*own_addresses, values["desk_email"]] if a and "@" in a}
        )
    )
    domains = [d.strip().lower().lstrip("@") for d in values.get("mail_school_domains") or []]
    if not any(domains):
        domains = [rules.domain_of(a) for a in own] + store.directory_domains(db)
    return Desk(
        own,
        tuple(sorted({d for d in domains if d})),
        values["reopen_window_days"],
        instance_path,
    )


def handle(
    db: Database,
    mail: Mail,
    desk: Desk,
    at: datetime,
    raw: bytes = b"",
    known: Known | None = None,
) -> Outcome:
    """Act on one parsed mail and record it; see the module docstring for the rules.
    `raw`, the mail as it arrived, is kept only if the mail is held (for its files);
    `known`, the batch's answers (without it, each question goes to the database)."""
    known = known or Known()
    if known.seen(db, mail.message_id):
        return Outcome("seen")
    words = rules.own_words(mail.text)
    base = {
        "message_id": mail.message_id,
        "read_at": at.isoformat(sep=" ", timespec="seconds"),
        "sender": mail.sender,
        "sender_name": mail.sender_name,
        "subject": mail.subject,
        "text": words,
        "files": len(mail.attachments),
    }
    reason = rules.automatic_reason(mail.headers, mail.sender, desk.own_addresses)
    if reason:
        store.record(db, {**base, "outcome": "ignored", "reason": reason})
        return Outcome("ignored", reason=reason)
    person = known.person(db, mail.sender)
    staff = person is not None or rules.is_school_address(mail.sender, desk.domains)
    call = _replied_call(db, mail)
    if call is not None and (staff or _is_caller(call, mail.sender)):
        return _reply(db, mail, call, person, words, desk, at, base, known)
    if not staff:
        reason = "The sender is not in the staff directory or at one of the school's domains."
        return _hold(db, base, reason, raw)
    return _new_call(db, mail, person, words, desk, at, base, known)


def _replied_call(db: Database, mail: Mail) -> dict[str, Any] | None:
    ref = rules.call_ref_in(mail.subject)
    call = calls.get_call_by_ref(db, ref) if ref else None
    if call is None:
        call_id = store.call_for_message_ids(db, [*mail.in_reply_to, *mail.references])
        call = calls.get_call(db, call_id) if call_id else None
    return None if call is None or call["voided"] else call


def _is_caller(call: dict[str, Any], sender: str) -> bool:
    return bool(call["caller_email"]) and call["caller_email"].strip().lower() == sender


def _hold(db: Database, base: dict[str, Any], reason: str, raw: bytes) -> Outcome:
    row = {**base, "outcome": "held", "state": "held", "reason": reason}
    store.record(db, _with_raw(db, row, raw))
    return Outcome("held", reason=reason)


def _with_raw(db: Database, row: dict[str, Any], raw: bytes) -> dict[str, Any]:
    """Held mail's row with the mail as it arrived (its files come with it when the desk
    logs it), within HELD_RAW_BUDGET for all held mail; past that, the reason says so."""
    if not raw:
        return row
    if store.held_raw_bytes(db) + len(raw) <= HELD_RAW_BUDGET:
        return {**row, "raw": raw}
    note = (
        " No copy of it was kept (held mail already fills the space set aside for it); "
        "it is in the desk's mailbox."
    )
    return {**row, "reason": row["reason"].rstrip(".") + "." + note}


def _caller_fields(mail: Mail, person: dict[str, Any] | None) -> dict[str, Any]:
    if person is None:
        return {"caller_name": mail.sender_name or mail.sender, "caller_email": mail.sender}
    return {
        "caller_name": person["name"],
        "caller_id": person["id"],
        "caller_email": mail.sender,
        "caller_phone": person["phone"] or "",
    }


def _new_call(
    db: Database,
    mail: Mail,
    person: dict[str, Any] | None,
    words: str,
    desk: Desk,
    at: datetime,
    base: dict[str, Any],
    known: Known,
    linked: dict[str, Any] | None = None,
) -> Outcome:
    details = words
    new = calls.NewCall(
        channel="Email",
        category_id=0,
        summary=rules.summary_from(mail.subject, words),
        details=details[:MAX_DETAILS],
        submission_key="mail:" + mail.message_id,
        **_caller_fields(mail, person),
    )
    acknowledge = rules.may_acknowledge(
        known.acks_since(db, mail.sender, at - ACK_WINDOW), at, ACK_LIMIT, ACK_WINDOW
    )
    logged = outside.log_outside_call(
        db,
        new,
        at=at,
        acknowledge=acknowledge,
        in_reply_to=mail.message_id,
        cal=desk.calendar(db),
    )
    if logged.told:
        store.add_ack(db, mail.sender, at)
        known.acknowledged(mail.sender, at)
    if linked is not None and not logged.repeated:
        calls.update_call(
            db,
            logged.call_id,
            {"linked_call_id": linked["id"]},
            user_id=None,
            at=at,
            text=f"Logged about earlier call {linked['ref']} (a reply by mail after it closed).",
        )
    store.record(db, {**base, "outcome": "call", "call_id": logged.call_id})
    fresh = not logged.repeated and bool(mail.attachments)
    return Outcome("call", call_id=logged.call_id, ref=logged.ref, keep_files=fresh)


def _reply(
    db: Database,
    mail: Mail,
    call: dict[str, Any],
    person: dict[str, Any] | None,
    words: str,
    desk: Desk,
    at: datetime,
    base: dict[str, Any],
    known: Known,
) -> Outcome:
    status = call["status"]
    since = call["resolved_at"] or call["closed_at"]
    if not lc.is_open(status) and not lc.can_reopen(status, since, at, desk.reopen_window_days):
        return _new_call(db, mail, person, words, desk, at, base, known, linked=call)
    who = f"{mail.sender_name} <{mail.sender}>" if mail.sender_name else mail.sender
    text = f"Reply by mail from {who}:\n\n{words}"
    fresh = not store.already_noted(db, call["id"], text)
    if fresh:
        _note(db, call, mail, text, at)
    offered = int(not lc.is_open(status))
    store.record(db, {**base, "outcome": "note", "call_id": call["id"], "reopen_offered": offered})
    keep = fresh and bool(mail.attachments)
    return Outcome("reply", call_id=call["id"], ref=call["ref"], keep_files=keep)


def _note(db: Database, call: dict[str, Any], mail: Mail, text: str, at: datetime) -> None:
    """The caller's reply to a call With Customer brings it back; any other is a note."""
    if call["status"] == lc.WITH_CUSTOMER and _is_caller(call, mail.sender):
        workflow.back_from_customer(db, call["id"], note=text, user=None, at=at)
    else:
        key = "mail:" + mail.message_id
        workflow.add_note(db, call["id"], text=text, user=None, at=at, submission_key=key)


def hold_unreadable(
    db: Database,
    message_id: str,
    reason: str,
    raw: bytes,
    at: datetime,
    sender: str = "",
    subject: str = "",
    known: Known | None = None,
) -> Outcome:
    """Keep a mail that cannot be read, with why and its raw form, for a person to see."""
    if (known or Known()).seen(db, message_id):
        return Outcome("seen")
    row = {
        "message_id": message_id,
        "read_at": at.isoformat(sep=" ", timespec="seconds"),
        "sender": sender[:200],
        "subject": subject[:300],
        "outcome": "failed",
        "state": "held",
        "reason": f"It could not be read: {reason}.",
    }
    store.record(db, _with_raw(db, row, raw))
    return Outcome("failed", reason=reason)

"""The SQL of mail in: mails read, held mail, the fetch lease, fetch records, acknowledgements,
and the look-ups a mail needs (a sender in the directory, the call a reply names)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from kit.db import insert, stamp, write_lock

LEASE = "fetch"
HELD_STATES = ("held",)


def seen(db: Database, message_id: str) -> bool:
    return (
        db.execute("SELECT 1 FROM mail_in WHERE message_id = ?", [message_id]).fetchone()
        is not None
    )


def seen_of(db: Database, message_ids: Collection[str]) -> set[str]:
    """Which of these Message-IDs are recorded already (one statement for a batch)."""
    if not message_ids:
        return set()
    marks = ", ".join("?" * len(message_ids))
    sql = f"SELECT message_id FROM mail_in WHERE message_id IN ({marks})"
    return {r[0] for r in db.execute(sql, list(message_ids)).fetchall()}


def record(db: Database, row: dict[str, Any]) -> int:
    """Write what became of one mail (inside the caller's transaction)."""
    return insert(db, "mail_in", {"state": "done", **row})


def get(db: Database, mail_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT m.*, c.ref, c.status AS call_status FROM mail_in m "
        "LEFT JOIN calls c ON c.id = m.call_id WHERE m.id = ?",
        [mail_id],
    ).fetchone()
    return dict(row) if row else None


def held(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    """Held mail waiting for the desk, newest first (without the raw bytes)."""
    rows = db.execute(
        "SELECT id, message_id, read_at, sender, sender_name, subject, outcome, reason, files "
        "FROM mail_in WHERE state = 'held' ORDER BY id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [dict(r) for r in rows]


def held_raw_bytes(db: Database) -> int:
    """Bytes of raw mail kept for held mail (the bound on what strangers can make us keep)."""
    return db.execute(
        "SELECT COALESCE(SUM(length(raw)), 0) FROM mail_in WHERE state = 'held'"
    ).fetchone()[0]


def raw_of(db: Database, mail_id: int) -> bytes:
    row = db.execute("SELECT raw FROM mail_in WHERE id = ?", [mail_id]).fetchone()
    return bytes(row[0]) if row and row[0] else b""


def forget_raw(db: Database, mail_id: int) -> None:
    db.execute("UPDATE mail_in SET raw = NULL WHERE id = ?", [mail_id])


def purge_raw(db: Database, held_before: datetime) -> int:
    """Drop the kept copies of mail the desk has dealt with, and of mail held since before
    `held_before`; the mail itself stays in the desk's mailbox. How many were dropped."""
    cursor = db.execute(
        "UPDATE mail_in SET raw = NULL WHERE raw IS NOT NULL AND (state != 'held' OR read_at < ?)",
        [stamp(held_before)],
    )
    return cursor.rowcount


def held_count(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM mail_in WHERE state = 'held'").fetchone()[0]


def settle(
    db: Database,
    mail_id: int,
    state: str,
    *,
    user_id: int,
    at: datetime,
    call_id: int | None = None,
) -> bool:
    """Mark held mail logged or discarded; False when someone else settled it first."""
    cursor = db.execute(
        "UPDATE mail_in SET state = ?, handled_by = ?, handled_at = ?, "
        "call_id = COALESCE(?, call_id) WHERE id = ? AND state = 'held'",
        [state, user_id, stamp(at), call_id, mail_id],
    )
    return cursor.rowcount == 1


def submission_of(db: Database, call_id: int) -> tuple[str | None, int | None]:
    """A call's submission key and who logged it (None for the web form and mail)."""
    row = db.execute("SELECT submission_key, logged_by FROM calls WHERE id = ?", [call_id])
    found = row.fetchone()
    return (found[0], found[1]) if found else (None, None)


def already_noted(db: Database, call_id: int, text: str) -> bool:
    """The same reply already on the call (a crash before the mail was recorded)."""
    row = db.execute(
        "SELECT 1 FROM call_events WHERE call_id = ? AND text = ? "
        "AND kind IN ('note', 'back_from_customer')",
        [call_id, text],
    ).fetchone()
    return row is not None


def reopen_offers(db: Database, call_id: int) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT id, read_at, sender, subject, text FROM mail_in "
        "WHERE call_id = ? AND reopen_offered = 1 ORDER BY id",
        [call_id],
    ).fetchall()
    return [dict(r) for r in rows]


def close_reopen_offers(db: Database, call_id: int) -> None:
    db.execute("UPDATE mail_in SET reopen_offered = 0 WHERE call_id = ?", [call_id])


def person_by_email(db: Database, address: str) -> dict[str, Any] | None:
    """The directory entry with this address (the first, if two people share one)."""
    row = db.execute(
        "SELECT * FROM people WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1", [address]
    ).fetchone()
    return dict(row) if row else None


def people_by_email(db: Database, addresses: Collection[str]) -> list[dict[str, Any]]:
    """The directory entries with any of these addresses (compared as `person_by_email`
    does, without case in ASCII), oldest first: one statement for a batch of mail."""
    if not addresses:
        return []
    marks = ", ".join("?" * len(addresses))
    rows = db.execute(
        f"SELECT * FROM people WHERE email COLLATE NOCASE IN ({marks}) ORDER BY id",
        list(addresses),
    ).fetchall()
    return [dict(r) for r in rows]


def directory_domains(db: Database) -> list[str]:
    rows = db.execute(
        "SELECT DISTINCT lower(substr(email, instr(email, '@') + 1)) FROM people "
        "WHERE instr(email, '@') > 0"
    ).fetchall()
    return [r[0] for r in rows if r[0]]


def call_for_message_ids(db: Database, message_ids: list[str]) -> int | None:
    """The call of the newest outbox message sent with one of these Message-IDs."""
    if not message_ids:
        return None
    marks = ", ".join("?" for _ in message_ids)
    row = db.execute(
        f"SELECT call_id FROM outbox WHERE message_id IN ({marks}) AND call_id IS NOT NULL "
        "ORDER BY id DESC LIMIT 1",
        message_ids,
    ).fetchone()
    if row:
        return row[0]
    row = db.execute(  # a reply to the caller's own first mail, copied to the desk
        f"SELECT call_id FROM mail_in WHERE message_id IN ({marks}) AND call_id IS NOT NULL "
        "ORDER BY id DESC LIMIT 1",
        message_ids,
    ).fetchone()
    return row[0] if row else None


def acks_since(db: Database, sender: str, since: datetime) -> list[datetime]:
    rows = db.execute(
        "SELECT at FROM mail_in_acks WHERE sender = ? AND at >= ?", [sender, stamp(since)]
    ).fetchall()
    return [datetime.fromisoformat(r[0]) for r in rows]


def acks_of(db: Database, senders: Collection[str], since: datetime) -> list[tuple[str, datetime]]:
    """(sender, when) of the acknowledgements to any of these senders since `since`."""
    if not senders:
        return []
    marks = ", ".join("?" * len(senders))
    rows = db.execute(
        f"SELECT sender, at FROM mail_in_acks WHERE sender IN ({marks}) AND at >= ?",
        [*senders, stamp(since)],
    ).fetchall()
    return [(r[0], datetime.fromisoformat(r[1])) for r in rows]


def add_ack(db: Database, sender: str, at: datetime) -> None:
    insert(db, "mail_in_acks", {"sender": sender, "at": stamp(at)})


# The lease: one fetch at a time. A holder that dies leaves a lease that runs out.


def take_lease(
    db: Database, at: datetime, seconds: int, left_behind: Collection[str] = ()
) -> str | None:
    """A token for the fetch lease, or None while another fetch holds it. A lease this
    process took and could not give back (`left_behind`: a full disk refused the release)
    is taken again at once instead of blocking mail until it runs out, and so is one whose
    process has ended (killed in the middle of a fetch: nothing of it was flagged read)."""
    token = f"{os.getpid()}-{uuid.uuid4().hex}"
    with write_lock(db):
        row = db.execute(
            "SELECT expires_at, holder FROM mail_in_lease WHERE name = ?", [LEASE]
        ).fetchone()
        if row and row[0] > stamp(at) and row[1] not in left_behind and _alive(row[1]):
            return None
        db["mail_in_lease"].upsert(
            {"name": LEASE, "holder": token, "expires_at": stamp(at + timedelta(seconds=seconds))},
            pk="name",
        )
    return token


def _alive(holder: str) -> bool:
    """Whether the process that took this lease still runs (the kit is one server)."""
    pid = holder.partition("-")[0]
    if not pid.isdigit():
        return True  # a lease from before holders named their process: wait for it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's process
        return True
    return True


def renew_lease(db: Database, token: str, at: datetime, seconds: int) -> bool:
    cursor = db.execute(
        "UPDATE mail_in_lease SET expires_at = ? WHERE name = ? AND holder = ?",
        [stamp(at + timedelta(seconds=seconds)), LEASE, token],
    )
    return cursor.rowcount == 1


def holds_lease(db: Database, token: str) -> bool:
    row = db.execute("SELECT holder FROM mail_in_lease WHERE name = ?", [LEASE]).fetchone()
    return bool(row) and row[0] == token


def release_lease(db: Database, token: str) -> None:
    db.execute("DELETE FROM mail_in_lease WHERE name = ? AND holder = ?", [LEASE, token])


def start_run(db: Database, at: datetime) -> int:
    return db["mail_in_runs"].insert({"started_at": stamp(at)}).last_pk


def finish_run(db: Database, run_id: int, at: datetime, ok: bool, summary: str) -> None:
    db["mail_in_runs"].update(run_id, {"finished_at": stamp(at), "ok": int(ok), "summary": summary})


def last_success(db: Database) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT * FROM mail_in_runs WHERE ok = 1 ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    return dict(row) if row else None


def last_run(db: Database) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT * FROM mail_in_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return dict(row) if row else None


def mail_in_status(db: Database) -> str:
    """One line for the daily job and the admin: when mail was last read successfully."""
    last_ok = last_success(db)
    latest = last_run(db)
    said = (
        f"last read successfully at {last_ok['finished_at'][:16]}"
        if last_ok
        else ("never read successfully yet")
    )
    if latest and not latest["ok"]:
        return f"{said}; the latest try failed: {latest['summary']}"
    return said

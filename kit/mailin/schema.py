"""Mail in: every mail the kit has read, the fetch lease and the record of each fetch.

Append a new `@migrations()` function for every change.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-mailin")


@migrations()
def m001_mail_in(db: Database) -> None:
    # One row per mail read, whatever became of it. The unique Message-ID is what makes a
    # mail marked unread again, or read by two fetches at once, count only once.
    db["mail_in"].create(
        {
            "id": int,
            "message_id": str,
            "read_at": str,
            "sender": str,
            "sender_name": str,
            "subject": str,
            "text": str,  # the writer's own words (quotes and signature cut)
            "outcome": str,  # call, note, held, ignored, failed
            "reason": str,  # why held, ignored or failed, in plain words
            "call_id": int,  # the call logged or noted
            "state": str,  # held mail: held, logged, discarded; else done
            "handled_by": int,
            "handled_at": str,
            "files": int,  # how many files the mail carried
            "reopen_offered": int,  # a reply to a resolved call, within the reopen window
            "raw": bytes,  # kept for held and failed mail only
        },
        pk="id",
        not_null={"message_id", "read_at", "outcome", "state"},
        defaults={
            "sender": "",
            "sender_name": "",
            "subject": "",
            "text": "",
            "reason": "",
            "files": 0,
            "reopen_offered": 0,
        },
        foreign_keys=[("call_id", "calls", "id"), ("handled_by", "users", "id")],
    )
    db["mail_in"].create_index(["message_id"], unique=True)
    db["mail_in"].create_index(["state", "id"])
    db["mail_in"].create_index(["call_id"])
    db["mail_in"].create_index(["sender", "read_at"])
    db["mail_in_runs"].create(
        {"id": int, "started_at": str, "finished_at": str, "ok": int, "summary": str},
        pk="id",
        not_null={"started_at"},
        defaults={"ok": 0, "summary": ""},
    )
    db["mail_in_runs"].create_index(["ok", "finished_at"])
    # One row: who holds the fetch and until when (a crashed holder's lease runs out).
    db["mail_in_lease"].create(
        {"name": str, "holder": str, "expires_at": str}, pk="name", not_null={"holder"}
    )
    # Acknowledgements sent per sender, for the hourly limit.
    db["mail_in_acks"].create(
        {"id": int, "sender": str, "at": str}, pk="id", not_null={"sender", "at"}
    )
    db["mail_in_acks"].create_index(["sender", "at"])
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_people_email_nocase ON people (email COLLATE NOCASE)"
    )

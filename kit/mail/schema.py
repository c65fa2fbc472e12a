"""The outbox and the editable message templates."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-mail")


@migrations()
def m001_outbox_and_templates(db: Database) -> None:
    db["outbox"].create(
        {
            "id": int,
            "created_at": str,
            "kind": str,  # the template key: note, reassigned, with_customer, ...
            "call_id": int,
            "to_addr": str,
            "cc": str,
            "subject": str,
            "body": str,
            "status": str,  # pending, sending (m003), sent, failed (after the last retry)
            "attempts": int,
            "last_error": str,
            "sent_at": str,
            "dedupe_key": str,  # e.g. "reminder:<call>:<date>": the daily job sends once
        },
        pk="id",
        not_null={"created_at", "kind", "to_addr", "subject", "body", "status"},
        foreign_keys=[("call_id", "calls", "id")],
        defaults={"cc": "", "status": "pending", "attempts": 0, "last_error": ""},
    )
    db["outbox"].create_index(["status", "id"])
    db["outbox"].create_index(["call_id"])
    db["outbox"].create_index(["dedupe_key"], unique=True)
    db["mail_templates"].create(
        {"key": str, "subject": str, "body": str, "updated_at": str, "updated_by": int},
        pk="key",
    )


@migrations()
def m002_outbox_message_ids(db: Database) -> None:
    # The Message-ID each message is sent with, chosen when it is queued, so a reply that
    # names it in In-Reply-To or References finds its call; and the mail it answers.
    db["outbox"].add_column("message_id", str)
    db["outbox"].add_column("in_reply_to", str)
    db["outbox"].create_index(["message_id"])


@migrations()
def m003_outbox_claims(db: Database) -> None:
    # When a run took a message to send it (status "sending"): a message still "sending"
    # long after, its run died between the server taking it and the kit noting it sent.
    db["outbox"].add_column("claimed_at", str)

"""The attachments table. Append a new `@migrations()` function for every change."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-attachments")


@migrations()
def m001_attachments(db: Database) -> None:
    # `n` numbers a call's files 1, 2, 3... for its addresses (/calls/<id>/attachments/<n>).
    # `stored_name` and `thumb_name` are random names in instance/attachments, never the
    # uploaded name. A removed file stays on disk until the retention rule purges it.
    db["attachments"].create(
        {
            "id": int,
            "call_id": int,
            "n": int,
            "name": str,  # the safe download name, with the extension of what is stored
            "uploaded_name": str,  # as it came, for the record
            "kind": str,  # jpeg, png, gif, webp, heic, pdf, text, office
            "mime": str,  # what it is served as
            "size": int,
            "width": int,
            "height": int,
            "stored_name": str,
            "thumb_name": str,
            "source": str,  # call page, log a call, web form, reply, mail
            "customer_visible": int,
            "added_by": int,
            "added_at": str,
            "removed_at": str,
            "removed_by": int,
            "removed_reason": str,
            "purged_at": str,
        },
        pk="id",
        not_null={"call_id", "n", "name", "kind", "mime", "size", "stored_name", "added_at"},
        foreign_keys=[
            ("call_id", "calls", "id"),
            ("added_by", "users", "id"),
            ("removed_by", "users", "id"),
        ],
        defaults={"uploaded_name": "", "thumb_name": "", "source": "", "customer_visible": 0},
    )
    db["attachments"].create_index(["call_id", "n"], unique=True)
    db["attachments"].create_index(["stored_name"], unique=True)

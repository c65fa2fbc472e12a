"""Helpers for the tests of the framework's practices (visits, follow-ups, problems,
priority): data built through the same store functions the app uses."""

from __future__ import annotations

import io

from pypdf import PdfReader

from kit.auth import store as accounts
from kit.visits import store as visits


def group_id(db, name: str = "Service Delivery") -> int:
    return db.execute("SELECT id FROM support_groups WHERE name = ?", [name]).fetchone()[0]


def route(db, call_id: int, user_id: int | None = None) -> None:
    """Pass the call to Service Delivery (and a person in it), as the desk's assign does;
    with no person, the owner it had (the desk, from its check) keeps it."""
    db.execute(
        "UPDATE calls SET routed_at = '2026-11-23 09:31:00', group_id = ?, "
        "assignee_id = COALESCE(?, assignee_id), "
        "status = 'Assigned' WHERE id = ?",
        [group_id(db), user_id, call_id],
    )


def technician(users, db, name: str = "tess", pattern: str = "Tuesday") -> int:
    """A technician in Service Delivery with visit days (the default one: user "technician")."""
    user_id = (
        users["technician"]
        if name == "technician"
        else users.make(name, {"technician"}, groups=("Service Delivery",))
    )
    if pattern:
        visits.save_pattern(db, user_id, pattern, by=user_id, at=_at())
    return user_id


def _at():
    from datetime import datetime

    return datetime(2026, 11, 23, 9, 0)


def user(db, user_id: int):
    return accounts.load_user(db, accounts.get_user_row(db, user_id))


def pdf_text(data: bytes) -> tuple[int, str]:
    """(pages, all the text) of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def outbox(db, kind: str | None = None) -> list[dict]:
    where, args = ("kind = ?", [kind]) if kind else (None, None)
    return list(db["outbox"].rows_where(where, args, order_by="id"))

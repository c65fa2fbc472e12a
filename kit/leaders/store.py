"""The SQL for what leaders keep: survey answers, letter and charter versions, reviews.

Document versions and reviews are only ever added: a school can always show what its
letter said on a given date, and what its last review found.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.db import stamp, write_lock

# Survey answers -------------------------------------------------------------------------


def get_answer(db: Database, call_id: int) -> dict[str, Any] | None:
    return next(db["surveys"].rows_where("call_id = ?", [call_id]), None)


def save_answer(
    db: Database,
    call_id: int,
    *,
    satisfaction: int,
    fixed: bool,
    time_ok: bool,
    comment: str,
    at: datetime,
) -> bool:
    """Store the customer's answer; False if the call already has one (one answer per call).

    The unique call_id decides, so two tabs submitting at once still leave one answer.
    """
    try:
        db["surveys"].insert(
            {
                "call_id": call_id,
                "satisfaction": int(satisfaction),
                "fixed": int(bool(fixed)),
                "time_ok": int(bool(time_ok)),
                "comment": (comment or "").strip(),
                "submitted_at": stamp(at),
            }
        )
    except sqlite3.IntegrityError:
        if get_answer(db, call_id) is not None:
            return False
        raise
    return True


# Letter to users and service desk charter ------------------------------------------------

DOCUMENT_SELECT = (
    "SELECT d.*, u.name AS created_by_name FROM documents d "
    "LEFT JOIN users u ON u.id = d.created_by "
)


def versions(db: Database, kind: str) -> list[dict[str, Any]]:
    """Every saved version of the letter or charter, newest first."""
    return [
        dict(r)
        for r in db.execute(
            DOCUMENT_SELECT + "WHERE d.kind = ? ORDER BY d.version DESC", [kind]
        ).fetchall()
    ]


def get_version(db: Database, kind: str, version: int) -> dict[str, Any] | None:
    row = db.execute(
        DOCUMENT_SELECT + "WHERE d.kind = ? AND d.version = ?", [kind, version]
    ).fetchone()
    return dict(row) if row else None


def current(db: Database, kind: str) -> dict[str, Any] | None:
    """The version in use: the newest one saved for use (drafts are kept but not printed)."""
    row = db.execute(
        DOCUMENT_SELECT + "WHERE d.kind = ? AND d.published = 1 ORDER BY d.version DESC LIMIT 1",
        [kind],
    ).fetchone()
    return dict(row) if row else None


def add_version(
    db: Database,
    kind: str,
    *,
    title: str,
    body: str,
    published: bool,
    user_id: int | None,
    at: datetime,
) -> int:
    """Save the wording as the next version (numbered 1, 2, ... per document); returns it."""
    with write_lock(db):
        version = db.execute(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM documents WHERE kind = ?", [kind]
        ).fetchone()[0]
        db["documents"].insert(
            {
                "kind": kind,
                "version": version,
                "title": title.strip(),
                "body": body,
                "created_at": stamp(at),
                "created_by": user_id,
                "published": int(published),
            }
        )
    return version


# Post implementation reviews -------------------------------------------------------------


def add_review(
    db: Database,
    *,
    period_from: str,
    period_to: str,
    answers: dict[str, str],
    figures: dict[str, Any],
    user_id: int | None,
    at: datetime,
) -> int:
    """Keep the leader's answers with the figures they saw, so a review reads the same later."""
    return (
        db["reviews"]
        .insert(
            {
                "created_at": stamp(at),
                "created_by": user_id,
                "period_from": period_from,
                "period_to": period_to,
                "answers": json.dumps(answers),
                "figures": json.dumps(figures, default=str),
            }
        )
        .last_pk
    )


def get_review(db: Database, review_id: int) -> dict[str, Any] | None:
    row = db.execute(
        "SELECT r.*, u.name AS created_by_name FROM reviews r "
        "LEFT JOIN users u ON u.id = r.created_by WHERE r.id = ?",
        [review_id],
    ).fetchone()
    if row is None:
        return None
    return dict(row) | {
        "answers": json.loads(row["answers"]),
        "figures": json.loads(row["figures"]),
    }


def list_reviews(db: Database) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.execute(
            "SELECT r.id, r.created_at, r.period_from, r.period_to, u.name AS created_by_name "
            "FROM reviews r LEFT JOIN users u ON u.id = r.created_by ORDER BY r.id DESC"
        ).fetchall()
    ]

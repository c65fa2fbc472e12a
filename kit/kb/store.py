"""The SQL that changes articles: writing, editing, publishing, linking them to calls.

SQLite is the source of truth: the search index is rebuilt from here. Every change to an
article writes a revision in the same transaction, so an article's history is complete.
Reading is in `kit.kb.queries`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.calls.store import add_event
from kit.db import stamp, write_lock

AUDIENCES = ("staff", "technicians")
STATUSES = ("draft", "published", "retired")
EDITABLE = (
    "title",
    "symptoms",
    "cause",
    "fix",
    "error_messages",
    "tags",
    "equipment_types",
    "audience",
    "owner_id",
    "last_reviewed",
)
SNAPSHOT = EDITABLE + ("category_ids", "location_ids", "status")


class StaleEdit(Exception):
    """Someone saved the article after this editor opened it: their work would be lost."""


@dataclass
class ArticleInput:
    """What an author writes; lists are kept as lists here and as text in the table."""

    title: str
    symptoms: str = ""
    cause: str = ""
    fix: str = ""
    error_messages: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    equipment_types: list[str] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)
    location_ids: list[int] = field(default_factory=list)
    audience: str = "technicians"
    owner_id: int | None = None
    last_reviewed: str | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "title": self.title.strip(),
            "symptoms": self.symptoms.strip(),
            "cause": self.cause.strip(),
            "fix": self.fix.strip(),
            "error_messages": "\n".join(m.strip() for m in self.error_messages if m.strip()),
            "tags": ", ".join(t.strip() for t in self.tags if t.strip()),
            "equipment_types": "\n".join(t.strip() for t in self.equipment_types if t.strip()),
            "category_ids": json.dumps(sorted(set(self.category_ids))),
            "location_ids": json.dumps(sorted(set(self.location_ids))),
            "audience": self.audience if self.audience in AUDIENCES else "technicians",
            "owner_id": self.owner_id,
            "last_reviewed": self.last_reviewed,
        }


def slugify(text: str) -> str:
    """A readable, stable name for an article (starter files are matched on it)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "article"


def _free_slug(db: Database, base: str) -> str:
    slug, n = base, 1
    while db.execute("SELECT 1 FROM articles WHERE slug = ?", [slug]).fetchone():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _set_links(db: Database, article_id: int, cols: dict[str, Any]) -> None:
    """Mirror the JSON id lists into the link tables the filters and reports join on."""
    for table, column, key in (
        ("article_categories", "category_id", "category_ids"),
        ("article_locations", "location_id", "location_ids"),
    ):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
        db[table].insert_all(
            [{"article_id": article_id, column: v} for v in json.loads(cols[key])],
            ignore=True,
        )


def _snapshot(
    db: Database, article_id: int, *, user_id: int | None, at: datetime, note: str
) -> None:
    row = db["articles"].get(article_id)
    db["article_revisions"].insert(
        {
            "article_id": article_id,
            "revision": row["revision"],
            "at": stamp(at),
            "user_id": user_id,
            "note": note,
            **{k: row[k] for k in SNAPSHOT},
        }
    )


def create_article(
    db: Database,
    data: ArticleInput,
    *,
    user_id: int | None,
    at: datetime,
    status: str = "draft",
    slug: str | None = None,
    source_call_id: int | None = None,
    note: str = "Written",
) -> int:
    """Save a new article and its first revision; returns its id."""
    cols = data.columns()
    with write_lock(db):
        row = {
            **cols,
            "slug": _free_slug(db, slug or slugify(cols["title"])),
            "status": status if status in STATUSES else "draft",
            "owner_id": cols["owner_id"] or user_id,
            "revision": 1,
            "created_at": stamp(at),
            "created_by": user_id,
            "updated_at": stamp(at),
            "updated_by": user_id,
            "published_at": stamp(at) if status == "published" else None,
            "source_call_id": source_call_id,
        }
        article_id = db["articles"].insert(row).last_pk
        _set_links(db, article_id, cols)
        _snapshot(db, article_id, user_id=user_id, at=at, note=note)
    return article_id


def update_article(
    db: Database,
    article_id: int,
    data: ArticleInput,
    *,
    user_id: int | None,
    at: datetime,
    base_revision: int | None = None,
    note: str = "Edited",
) -> int:
    """Save an edit as the next revision; refuses an edit made on an older revision."""
    cols = data.columns()
    with write_lock(db):
        current = db["articles"].get(article_id)
        if base_revision is not None and base_revision != current["revision"]:
            raise StaleEdit(current["updated_by"])
        revision = current["revision"] + 1
        db["articles"].update(
            article_id,
            {
                **cols,
                "owner_id": cols["owner_id"] or current["owner_id"],
                "revision": revision,
                "updated_at": stamp(at),
                "updated_by": user_id,
            },
        )
        _set_links(db, article_id, cols)
        _snapshot(db, article_id, user_id=user_id, at=at, note=note)
    return revision


def set_status(
    db: Database, article_id: int, status: str, *, user_id: int | None, at: datetime
) -> None:
    """Publish, retire or return to draft; recorded as a revision like any edit."""
    if status not in STATUSES:
        raise ValueError(f"unknown article status {status!r}")
    with write_lock(db):
        current = db["articles"].get(article_id)
        values = {
            "status": status,
            "revision": current["revision"] + 1,
            "updated_at": stamp(at),
            "updated_by": user_id,
        }
        if status == "published":
            values["published_at"] = stamp(at)
        db["articles"].update(article_id, values)
        _snapshot(db, article_id, user_id=user_id, at=at, note=status.capitalize())


def link_call(
    db: Database,
    call_id: int,
    article_id: int,
    *,
    user_id: int | None,
    at: datetime,
    solved: bool = False,
    kind: str | None = None,
) -> None:
    """Link an article to a call (optionally as the fix), noted in the call's history.

    Linking twice, or marking solved twice, changes nothing and adds no history entry.
    """
    with write_lock(db):
        key = [call_id, article_id]
        row = next(db["call_articles"].rows_where("call_id = ? AND article_id = ?", key), None)
        if row is not None and (row["solved"] or not solved):
            return
        if row is None:
            db["call_articles"].insert(
                {
                    "call_id": call_id,
                    "article_id": article_id,
                    "linked_by": user_id,
                    "linked_at": stamp(at),
                }
            )
        if solved:
            db["call_articles"].update(
                tuple(key), {"solved": 1, "solved_by": user_id, "solved_at": stamp(at)}
            )
        title = db["articles"].get(article_id)["title"]
        kind = kind or ("solved_by_article" if solved else "article_linked")
        add_event(db, call_id, user_id=user_id, at=at, kind=kind, text=title)

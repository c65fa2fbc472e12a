"""The knowledge base's tables: articles, their revisions, and their links to calls.

Append a new `@migrations()` function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-kb")

# Columns an article and each of its revisions share (what an author edits).
ARTICLE_TEXT = {
    "title": str,
    "symptoms": str,
    "cause": str,
    "fix": str,  # Markdown steps
    "error_messages": str,  # verbatim, one per line
    "tags": str,  # comma-separated
    "equipment_types": str,  # one per line, as in equipment.type
    "category_ids": str,  # JSON list, a copy of article_categories for the revision
    "location_ids": str,  # JSON list, a copy of article_locations for the revision
    "audience": str,  # staff | technicians
    "status": str,  # draft | published | retired
    "owner_id": int,
    "last_reviewed": str,  # ISO date
}
TEXT_DEFAULTS = {
    "symptoms": "",
    "cause": "",
    "fix": "",
    "error_messages": "",
    "tags": "",
    "equipment_types": "",
    "category_ids": "[]",
    "location_ids": "[]",
}


@migrations()
def m001_articles_revisions_and_call_links(db: Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "slug": str,
            **ARTICLE_TEXT,
            "revision": int,
            "created_at": str,
            "created_by": int,
            "updated_at": str,
            "updated_by": int,
            "published_at": str,
            "source_call_id": int,  # the call whose resolution it was drafted from
        },
        pk="id",
        not_null={"slug", "title", "audience", "status", "revision", "created_at", "updated_at"},
        foreign_keys=[
            ("owner_id", "users", "id"),
            ("created_by", "users", "id"),
            ("updated_by", "users", "id"),
            ("source_call_id", "calls", "id"),
        ],
        defaults={**TEXT_DEFAULTS, "audience": "technicians", "status": "draft", "revision": 1},
    )
    articles = db["articles"]
    articles.create_index(["slug"], unique=True)
    articles.create_index(["status", "audience"])
    articles.create_index(["source_call_id"])
    db["article_categories"].create(
        {"article_id": int, "category_id": int},
        pk=("article_id", "category_id"),
        foreign_keys=[("article_id", "articles", "id"), ("category_id", "categories", "id")],
    )
    db["article_categories"].create_index(["category_id"])
    db["article_locations"].create(
        {"article_id": int, "location_id": int},
        pk=("article_id", "location_id"),
        foreign_keys=[("article_id", "articles", "id"), ("location_id", "locations", "id")],
    )
    db["article_revisions"].create(
        {
            "id": int,
            "article_id": int,
            "revision": int,
            "at": str,
            "user_id": int,
            "note": str,
            **ARTICLE_TEXT,
        },
        pk="id",
        not_null={"article_id", "revision", "at", "title"},
        foreign_keys=[("article_id", "articles", "id"), ("user_id", "users", "id")],
        defaults={**TEXT_DEFAULTS, "note": ""},
    )
    db["article_revisions"].create_index(["article_id", "revision"], unique=True)
    # Like a call's history, an article's history is added to, never rewritten.
    db.execute(
        "CREATE TRIGGER article_revisions_no_update BEFORE UPDATE ON article_revisions "
        "BEGIN SELECT RAISE(ABORT, 'article history is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER article_revisions_no_delete BEFORE DELETE ON article_revisions "
        "BEGIN SELECT RAISE(ABORT, 'article history is append-only'); END"
    )
    db["call_articles"].create(
        {
            "call_id": int,
            "article_id": int,
            "linked_by": int,
            "linked_at": str,
            "solved": int,  # 1: "solved by this article"
            "solved_by": int,
            "solved_at": str,
        },
        pk=("call_id", "article_id"),
        foreign_keys=[
            ("call_id", "calls", "id"),
            ("article_id", "articles", "id"),
            ("linked_by", "users", "id"),
            ("solved_by", "users", "id"),
        ],
        not_null={"linked_at"},
        defaults={"solved": 0},
    )
    db["call_articles"].create_index(["article_id", "solved"])


@migrations()
def m002_call_suggestions(db: Database) -> None:
    """A call's suggested articles, kept for its version and the knowledge base's
    (`kit.kb.context`): the call's first view in any process, and after a restart, reads
    them instead of searching again."""
    db["call_suggestions"].create(
        {"call_id": int, "version": str, "article_ids": str},
        pk="call_id",
        not_null={"version", "article_ids"},
        foreign_keys=[("call_id", "calls", "id")],
    )

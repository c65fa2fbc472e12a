"""Reading articles: one or a page of them, revisions, lists, links, the plain SQL search.

Writes are in `kit.kb.store`. The SQL search serves browsing without a query and stands in
for the index while it is rebuilt; the index itself lives in `kit.kb.index`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlite_utils import Database

ARTICLE_SELECT = """
SELECT a.*, o.name AS owner_name, u.name AS updated_by_name,
       (SELECT COUNT(*) FROM call_articles ca WHERE ca.article_id = a.id AND ca.solved = 1)
         AS solved_count,
       (SELECT COUNT(*) FROM call_articles ca WHERE ca.article_id = a.id) AS linked_count
FROM articles a
LEFT JOIN users o ON o.id = a.owner_id
LEFT JOIN users u ON u.id = a.updated_by
"""


def decoded(row: Any) -> dict[str, Any]:
    article = dict(row)
    article["category_ids"] = json.loads(article["category_ids"] or "[]")
    article["location_ids"] = json.loads(article["location_ids"] or "[]")
    article["error_list"] = [m for m in article["error_messages"].splitlines() if m.strip()]
    article["tag_list"] = [t.strip() for t in article["tags"].split(",") if t.strip()]
    article["equipment_list"] = [t for t in article["equipment_types"].splitlines() if t]
    return article


def get_article(db: Database, article_id: int) -> dict[str, Any] | None:
    """An article with its owner, solved count and the names of what it applies to."""
    row = db.execute(ARTICLE_SELECT + " WHERE a.id = ?", [article_id]).fetchone()
    if row is None:
        return None
    article = decoded(row)
    article["categories"] = [
        dict(r)
        for r in db.execute(
            "SELECT c.id, c.name FROM categories c JOIN article_categories ac "
            "ON ac.category_id = c.id WHERE ac.article_id = ? ORDER BY c.name",
            [article_id],
        )
    ]
    article["locations"] = [
        dict(r)
        for r in db.execute(
            "SELECT l.id, l.site || ' – ' || l.building || ' – ' || l.room AS name FROM locations l "
            "JOIN article_locations al ON al.location_id = l.id WHERE al.article_id = ? "
            "ORDER BY name",
            [article_id],
        )
    ]
    return article


def get_articles(db: Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Several articles by id (one page of search results), keyed by id."""
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    rows = db.execute(ARTICLE_SELECT + f" WHERE a.id IN ({marks})", ids).fetchall()
    return {r["id"]: decoded(r) for r in rows}


def article_id_for_slug(db: Database, slug: str) -> int | None:
    row = db.execute("SELECT id FROM articles WHERE slug = ?", [slug]).fetchone()
    return row[0] if row else None


def revisions(db: Database, article_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.execute(
            "SELECT r.*, u.name AS user_name FROM article_revisions r "
            "LEFT JOIN users u ON u.id = r.user_id WHERE r.article_id = ? ORDER BY r.revision DESC",
            [article_id],
        )
    ]


def draft_for_call(db: Database, call_id: int) -> int | None:
    """The draft already made from this call, so a second press does not make another."""
    row = db.execute(
        "SELECT id FROM articles WHERE source_call_id = ? AND status = 'draft' ORDER BY id LIMIT 1",
        [call_id],
    ).fetchone()
    return row[0] if row else None


def faq_articles(db: Database) -> list[dict[str, Any]]:
    """The staff FAQ: published articles written for staff, most helpful first."""
    rows = db.execute(
        ARTICLE_SELECT + " WHERE a.status = 'published' AND a.audience = 'staff' "
        "ORDER BY solved_count DESC, a.title COLLATE NOCASE"
    ).fetchall()
    return [decoded(r) for r in rows]


def index_rows(db: Database, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Articles as the search index needs them, with category and location names."""
    where, args = "", []
    if ids is not None:
        where = f"WHERE a.id IN ({','.join('?' for _ in ids)})"
        args = list(ids)
    rows = db.execute(
        "SELECT a.*, (SELECT group_concat(c.name, ', ') FROM article_categories ac "
        "JOIN categories c ON c.id = ac.category_id WHERE ac.article_id = a.id) AS category_names "
        f"FROM articles a {where} ORDER BY a.id",
        args,
    ).fetchall()
    return [decoded(r) for r in rows]


def article_count(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def equipment_types(db: Database) -> list[str]:
    """Equipment types known from the directory and from articles, for the search filter."""
    names = {r[0] for r in db.execute("SELECT DISTINCT type FROM equipment") if r[0]}
    for (text,) in db.execute("SELECT equipment_types FROM articles WHERE equipment_types != ''"):
        names.update(t for t in text.splitlines() if t.strip())
    return sorted(names, key=str.lower)


def call_links(db: Database, call_id: int) -> list[dict[str, Any]]:
    """The articles linked to a call, with who linked them and whether they solved it."""
    return [
        dict(r)
        for r in db.execute(
            "SELECT ca.*, a.title, a.status, a.audience, u.name AS linked_by_name FROM call_articles ca "
            "JOIN articles a ON a.id = ca.article_id LEFT JOIN users u ON u.id = ca.linked_by "
            "WHERE ca.call_id = ? ORDER BY ca.linked_at, a.id",
            [call_id],
        )
    ]


def solved_counts(db: Database, ids: list[int]) -> dict[int, int]:
    """How many calls each of these articles solved (ids with none are left out)."""
    marks = ",".join("?" for _ in ids)
    rows = db.execute(
        "SELECT article_id, COUNT(*) FROM call_articles WHERE solved = 1 "
        f"AND article_id IN ({marks}) GROUP BY article_id",
        ids,
    )
    return {r[0]: r[1] for r in rows}


def _escape_like(text: str) -> str:
    return re.sub(r"([%_\\])", r"\\\1", text)


def search_sql(
    db: Database,
    words: list[str],
    *,
    statuses: tuple[str, ...] = ("published",),
    audience: str = "",
    category_id: int | None = None,
    equipment_type: str = "",
    limit: int = 50,
) -> list[int]:
    """Article ids holding every word, most often solving first.

    Used to browse without a query, and as the slow fallback while the index is rebuilt.
    """
    clauses = [f"a.status IN ({','.join('?' for _ in statuses)})"]
    args: list[Any] = list(statuses)
    for word in words:
        clauses.append(
            "(a.title || ' ' || a.symptoms || ' ' || a.cause || ' ' || a.fix || ' ' "
            "|| a.error_messages || ' ' || a.tags) LIKE ? ESCAPE '\\'"
        )
        args.append(f"%{_escape_like(word)}%")
    if audience:
        clauses.append("a.audience = ?")
        args.append(audience)
    if category_id:
        clauses.append("a.id IN (SELECT article_id FROM article_categories WHERE category_id = ?)")
        args.append(category_id)
    if equipment_type:
        clauses.append("(char(10) || lower(a.equipment_types) || char(10)) LIKE ? ESCAPE '\\'")
        args.append(f"%\n{_escape_like(equipment_type.lower())}\n%")
    rows = db.execute(
        "SELECT a.id FROM articles a LEFT JOIN (SELECT article_id, COUNT(*) AS n FROM "
        "call_articles WHERE solved = 1 GROUP BY article_id) s ON s.article_id = a.id "
        f"WHERE {' AND '.join(clauses)} ORDER BY COALESCE(s.n, 0) DESC, "
        "a.title COLLATE NOCASE LIMIT ?",
        [*args, limit],
    )
    return [r[0] for r in rows]

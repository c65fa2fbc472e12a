"""Helpers for the knowledge base tests: articles built through the store, as the app does."""

from __future__ import annotations

from datetime import datetime

from kit.kb import index, search, store

AT = datetime(2026, 11, 23, 9, 0)


def add_article(
    db,
    title: str,
    *,
    status: str = "published",
    audience: str = "staff",
    categories: tuple[str, ...] = (),
    user_id: int | None = None,
    **fields,
) -> int:
    """Save an article (published for staff unless told) without touching the index."""
    category_ids = [
        db.execute("SELECT id FROM categories WHERE name = ?", [name]).fetchone()[0]
        for name in categories
    ]
    data = store.ArticleInput(title=title, audience=audience, category_ids=category_ids, **fields)
    return store.create_article(db, data, user_id=user_id, at=AT, status=status)


def reindex(app) -> None:
    index.rebuild_index(app, timeout=5)


def titles(app, db, text: str, **filters) -> list[str]:
    """Titles found for `text`, best first (the index rebuilt from the database first)."""
    return [hit["title"] for hit in results(app, db, text, **filters).hits]


def results(app, db, text: str, **filters) -> search.Results:
    ix = index.open_index(index.index_dir(app), db)
    with ix.searcher() as searcher:
        return search.search(searcher, db, text, search.Filters(**filters))


def route_to_service_delivery(db, call_id: int) -> None:
    """Pass the call to Service Delivery, as the desk's assign action will."""
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()[
        0
    ]
    db.execute(
        "UPDATE calls SET routed_at = '2026-11-23 09:31:00', group_id = ?, assignee_id = NULL "
        "WHERE id = ?",
        [group, call_id],
    )

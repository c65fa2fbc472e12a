"""The knowledge base on a call's page: linked articles, suggestions, "solved by this".

A link records that an article was checked or applied for the call (the framework's
"knowledge base article checked or applied"); "solved by this article" counts towards the
article's solved total, which search results and reports show. Both are written to the
call's history. Who may see the call is decided by `kit.calls.access`, as everywhere.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, url_for
from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import access
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.db import get_db, now
from kit.kb import drafts, queries, store
from kit.kb.blueprint import bp
from kit.kb.context import suggestions_for
from kit.kb.forms import LinkArticleForm
from kit.security import requires

SUGGESTIONS = 5


def panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """Template context for `kb/_call_articles.html` (templates never query)."""
    if not user.can("kb.read"):
        return {}
    links = queries.call_links(db, call["id"])
    linked = {link["article_id"] for link in links}
    found = suggestions_for(db, call, limit=SUGGESTIONS + len(linked))
    suggestions = [a for a in found if a["id"] not in linked][:SUGGESTIONS]
    return {
        "kb_panel": {
            "links": links,
            "suggestions": suggestions,
            "errors": drafts.error_messages_in(call.get("details") or ""),
            "can_link": user.can("call.note"),
            "can_solve": user.can("call.work"),
            "can_draft": user.can("kb.draft"),
        }
    }


CALL_PAGE_EXTRAS.append(panel)


def _linkable_article(db: Database) -> int:
    """The posted article id, if it names a published article (else 400/404)."""
    form = LinkArticleForm()
    if not form.validate_on_submit():
        abort(400)
    article = queries.get_article(db, form.article_id.data)
    if article is None or article["status"] != "published":
        abort(404)
    return article["id"]


def _back_to_call(call_id: int):
    return redirect(url_for("calls.view", call_id=call_id) + "#kb-articles")


@bp.post("/calls/<id:call_id>/link")
@requires("call.note")
def link(call_id: int):
    """Record that an article was checked or applied for this call."""
    db = get_db()
    access.get_call_or_404(db, call_id, g.user)
    article_id = _linkable_article(db)
    store.link_call(db, call_id, article_id, user_id=g.user.id, at=now())
    flash("Article linked to the call.")
    return _back_to_call(call_id)


@bp.post("/calls/<id:call_id>/solved")
@requires("call.work")
def solved(call_id: int):
    """The article's fix worked for this call (linking it first if needed)."""
    db = get_db()
    access.get_call_or_404(db, call_id, g.user)
    article_id = _linkable_article(db)
    store.link_call(db, call_id, article_id, user_id=g.user.id, at=now(), solved=True)
    flash("Marked as solved by the article. Resolve the call when the caller confirms.")
    return _back_to_call(call_id)

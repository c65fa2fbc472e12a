"""The knowledge base's pages: search, reading an article, the staff FAQ, suggestions.

Writing and publishing live in `kit.kb.authoring`, the panel on a call's page in
`kit.kb.call_panel`, the `kit kb` commands in `kit.kb.cli`; they add their routes to
the blueprint in `kit.kb.blueprint`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from flask import abort, g, jsonify, redirect, render_template, request, url_for

from kit import settings
from kit.calls import access
from kit.calls import store as calls
from kit.db import get_db
from kit.directory import store as directory
from kit.kb import authoring, call_panel, cli, queries, search, suggestions
from kit.kb.blueprint import SEARCH_EXTRAS, bp
from kit.kb.context import call_context
from kit.kb.forms import SearchForm
from kit.kb.markdown import to_html
from kit.security import requires

# The modules whose views and commands join this blueprint (each imports kit.kb.blueprint).
JOINED = (authoring, call_panel, cli)

# Opened in the reader's own browser: the kit itself never calls out to the internet.
WEB_SEARCH_URL = "https://duckduckgo.com/?q={}"


@bp.app_template_filter("web_search_url")
def web_search_url(message: str) -> str:
    return WEB_SEARCH_URL.format(quote_plus(f'"{message}"'))


@bp.app_template_filter("markdown")
def markdown_filter(text: str) -> Any:
    return to_html(text)


def readable(article: dict[str, Any] | None, user: Any) -> bool:
    """Published articles are for everyone logged in; drafts and retired ones for authors."""
    if article is None:
        return False
    if article["status"] == "published":
        return True
    return user.can("kb.write") or article["owner_id"] == user.id


def get_article_or_404(db: Any, article_id: int) -> dict[str, Any]:
    article = queries.get_article(db, article_id)
    if not readable(article, g.user):
        abort(404)
    return article


def call_from_args(db: Any) -> dict[str, Any] | None:
    """The call the reader came from (`?call=`), if they may see it: offers "link" buttons."""
    value = request.args.get("call", "")
    if not value.isdigit() or len(value) > 18:
        return None
    call = calls.get_call(db, int(value))
    return call if call is not None and access.may_see(g.user, call) else None


def _search_form(db: Any) -> SearchForm:
    form = SearchForm(request.args)
    form.category_id.choices = [(0, "Any category")] + [
        (c["id"], c["name"]) for c in directory.list_categories(db, active_only=False)
    ]
    form.equipment_type.choices = [("", "Any equipment")] + [
        (t, t) for t in queries.equipment_types(db)
    ]
    return form


@bp.get("/", endpoint="index")
@requires("kb.read")
def index_page():
    """Search the knowledge base (with no words: the articles that solved most calls)."""
    db = get_db()
    form = _search_form(db)
    call = call_from_args(db)
    if request.args and not form.validate():
        return render_template("kb/search.html", form=form, results=None, call=call), 400
    statuses = (form.status.data or "published",) if g.user.can("kb.write") else ("published",)
    filters = search.Filters(
        category_id=form.category_id.data,
        equipment_type=form.equipment_type.data or "",
        audience=form.audience.data or "",
        statuses=statuses,
    )
    results = search.find(db, form.q.data or "", filters, page=form.page.data or 1)
    extras: dict = {}
    for extra in SEARCH_EXTRAS:
        extras.update(extra(db, form.q.data or "", g.user))
    return render_template("kb/search.html", form=form, results=results, call=call, **extras)


@bp.get("/<id:article_id>")
@requires("kb.read")
def article(article_id: int):
    db = get_db()
    found = get_article_or_404(db, article_id)
    source = calls.get_call(db, found["source_call_id"]) if found["source_call_id"] else None
    if source is not None and not access.may_see(g.user, source):
        source = None
    return render_template(
        "kb/article.html", article=found, source_call=source, call=call_from_args(db)
    )


def _id_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.get("/suggest.json")
@requires("call.log")
def suggest_json():
    """Articles for the call being logged: its summary so far, nudged by its category,
    equipment and (for a teaching space) the room's equipment."""
    db = get_db()
    category_id = _id_arg("category_id")
    context = call_context(
        db,
        category_id=category_id,
        location_id=_id_arg("location_id"),
        asset_tag=request.args.get("asset_tag", "")[:40],
    )
    articles = suggestions.suggest(
        db, request.args.get("q", "")[:200], category_id, context=context
    )
    return jsonify(
        [
            {
                "id": a["id"],
                "title": a["title"],
                "url": url_for("kb.article", article_id=a["id"]),
                "solved": a["solved_count"],
                "audience": a["audience"],
            }
            for a in articles
        ]
    )


def _faq_allowed() -> bool:
    return g.user is not None or bool(settings.get(get_db(), "faq_public"))


@bp.get("/faq")
def faq():
    """The staff FAQ: readable without logging in when the school allows it."""
    if not _faq_allowed():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    db = get_db()
    text = request.args.get("q", "")[:300].strip()
    if text:  # staff find their answer by words too; only staff articles are searched
        results = search.find(db, text, search.Filters(audience="staff"))
        return render_template("kb/faq.html", articles=results.hits, results=results, q=text)
    return render_template("kb/faq.html", articles=queries.faq_articles(db), results=None, q="")


@bp.get("/faq/<id:article_id>")
def faq_article(article_id: int):
    if not _faq_allowed():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    found = queries.get_article(get_db(), article_id)
    if found is None or found["status"] != "published" or found["audience"] != "staff":
        abort(404)
    return render_template("kb/faq_article.html", article=found)

"""Writing articles: the editor, publishing and retiring, history, drafts from calls.

Coordinators and admins write and publish (`kb.write`). Anyone who resolves calls may turn
a resolution into a draft (`kb.draft`) for a coordinator to review. Every save keeps a
revision, and the index is brought up to date after the database has the change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for

from kit.auth import store as accounts
from kit.calls import access, history_store
from kit.db import get_db, now
from kit.directory import store as directory
from kit.kb import drafts, index, queries, store
from kit.kb.blueprint import bp
from kit.kb.forms import ActionForm, ArticleForm, DraftForm, split_list
from kit.security import requires


def _fill_choices(form: ArticleForm, db: Any) -> None:
    form.category_ids.choices = [
        (c["id"], c["name"]) for c in directory.list_categories(db, active_only=False)
    ]
    form.location_ids.choices = [
        (loc["id"], directory.location_label(loc)) for loc in directory.list_locations(db)
    ]
    form.owner_id.choices = [(0, "— Me —")] + [
        (u["id"], u["name"]) for u in accounts.list_users(db) if u["active"]
    ]


def _input_from(form: ArticleForm) -> store.ArticleInput:
    return store.ArticleInput(
        title=form.title.data,
        symptoms=form.symptoms.data or "",
        cause=form.cause.data or "",
        fix=form.fix.data or "",
        error_messages=(form.error_messages.data or "").splitlines(),
        tags=split_list(form.tags.data),
        equipment_types=split_list(form.equipment_types.data),
        category_ids=form.category_ids.data or [],
        location_ids=form.location_ids.data or [],
        audience=form.audience.data,
        owner_id=form.owner_id.data,
        last_reviewed=form.last_reviewed.data.isoformat() if form.last_reviewed.data else None,
    )


def _fill_from(form: ArticleForm, article: dict[str, Any]) -> None:
    """Put a saved article in the editor (on GET only, so typed text is never replaced)."""
    for name in ("title", "symptoms", "cause", "fix", "audience", "owner_id"):
        getattr(form, name).data = article[name]
    form.error_messages.data = article["error_messages"]
    form.tags.data = article["tags"]
    form.equipment_types.data = ", ".join(article["equipment_list"])
    form.category_ids.data = article["category_ids"]
    form.location_ids.data = article["location_ids"]
    form.base_revision.data = str(article["revision"])
    if article["last_reviewed"]:
        form.last_reviewed.data = date.fromisoformat(article["last_reviewed"])


def _editor(db: Any, form: ArticleForm, article: dict[str, Any] | None, status: int):
    return render_template(
        "kb/edit.html", form=form, article=article, equipment_types=queries.equipment_types(db)
    ), status


@bp.route("/new", methods=["GET", "POST"])
@requires("kb.write")
def new():
    db = get_db()
    form = ArticleForm()
    _fill_choices(form, db)
    if form.validate_on_submit():
        article_id = store.create_article(db, _input_from(form), user_id=g.user.id, at=now())
        index.reindex_articles([article_id])
        flash("Draft saved. Publish it when it is ready for others to use.")
        return redirect(url_for("kb.article", article_id=article_id))
    return _editor(db, form, None, 400 if form.is_submitted() else 200)


@bp.route("/<id:article_id>/edit", methods=["GET", "POST"])
@requires("kb.write")
def edit(article_id: int):
    db = get_db()
    article = queries.get_article(db, article_id) or abort(404)
    form = ArticleForm()
    _fill_choices(form, db)
    if request.method == "GET":
        _fill_from(form, article)
    elif form.validate_on_submit():
        base = int(form.base_revision.data) if (form.base_revision.data or "").isdigit() else None
        try:
            store.update_article(
                db, article_id, _input_from(form), user_id=g.user.id, at=now(), base_revision=base
            )
        except store.StaleEdit:
            form.base_revision.errors = [
                "Someone else saved this article while you were "
                "editing it. Copy your changes, reload the page and "
                "apply them again."
            ]
            return _editor(db, form, article, 409)
        index.reindex_articles([article_id])
        flash("Article saved.")
        return redirect(url_for("kb.article", article_id=article_id))
    return _editor(db, form, article, 400 if form.is_submitted() else 200)


def _change_status(article_id: int, status: str, message: str):
    db = get_db()
    if queries.get_article(db, article_id) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    store.set_status(db, article_id, status, user_id=g.user.id, at=now())
    index.reindex_articles([article_id])
    flash(message)
    return redirect(url_for("kb.article", article_id=article_id))


@bp.post("/<id:article_id>/publish")
@requires("kb.write")
def publish(article_id: int):
    return _change_status(article_id, "published", "Published: it now appears in searches.")


@bp.post("/<id:article_id>/retire")
@requires("kb.write")
def retire(article_id: int):
    return _change_status(
        article_id, "retired", "Retired: it no longer appears in searches or the FAQ."
    )


@bp.get("/<id:article_id>/history")
@requires("kb.write")
def history(article_id: int):
    db = get_db()
    article = queries.get_article(db, article_id) or abort(404)
    return render_template(
        "kb/history.html", article=article, revisions=queries.revisions(db, article_id)
    )


@bp.post("/draft-from-call/<id:call_id>")
@requires("kb.draft")
def draft_from_call(call_id: int):
    """One press from a resolved call to a draft article (the same draft if pressed again)."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = DraftForm()
    if not form.validate_on_submit():
        abort(400)
    resolution = form.resolution.data or drafts.resolution_in(
        call, history_store.history(db, call_id)
    )
    article_id = drafts.draft_from_call(db, call, resolution, g.user.id, now())
    index.reindex_articles([article_id])
    if g.user.can("kb.write"):
        flash("Draft made from the call. Check it, then publish it.")
        return redirect(url_for("kb.edit", article_id=article_id))
    flash("Draft saved. An ICT coordinator will review it before it is published.")
    return redirect(url_for("kb.article", article_id=article_id))

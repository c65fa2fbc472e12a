"""The survey of all users, answered by each person from the link in their message.

No login: the link is the permission (random, stored hashed, one per person), and a wrong
link is the ordinary 404. One set of answers per link; after the closing day the page says
the survey has closed (410). Answers are kept apart from the link, so results name no one.
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_limiter.util import get_remote_address

from kit.db import get_db, now
from kit.rules import surveys as rules
from kit.security import limiter
from kit.surveys import store
from kit.surveys.blueprint import bp, private_headers
from kit.surveys.forms import answer_form_class, answers_of

TOKEN = "<string(minlength=20,maxlength=100):token>"


def _invite_or_404(token: str) -> dict[str, Any]:
    invite = store.invite_for(get_db(), token)
    if invite is None or invite["round"] is None:
        abort(404)
    return invite


def _closed(survey: dict[str, Any], reason: str, status: int):
    return render_template("surveys/answer_closed.html", survey=survey, reason=reason), status


@bp.route(f"/answer/{TOKEN}", methods=["GET", "POST"])
@limiter.limit(
    "20 per hour",
    methods=["POST"],
    key_func=get_remote_address,
    error_message="Too many answers from this address. Please try again later.",
)
def answer(token: str):
    invite = _invite_or_404(token)
    survey = invite["round"]
    if invite["answered_at"]:
        return _closed(survey, "answered", 200)
    if not rules.takes_answers(survey["closes_on"], now().date()):
        return _closed(survey, "closed", 410)
    form = answer_form_class(survey["questions"])()
    if form.validate_on_submit():
        saved = store.save_response(
            get_db(),
            survey["id"],
            answers_of(form, survey["questions"]),
            at=now(),
            invite_id=invite["id"],
        )
        if not saved:
            return _closed(survey, "answered", 409)
        return redirect(url_for("surveys.thanks", token=token))
    status = 400 if form.is_submitted() else 200
    return render_template("surveys/answer.html", survey=survey, form=form, paper=False), status


@bp.get(f"/answer/{TOKEN}/thanks")
def thanks(token: str):
    return _closed(_invite_or_404(token)["round"], "thanks", 200)


@bp.after_request
def _private(response: Any) -> Any:
    return private_headers(response)

"""The customer's short survey, reached from their call's status link once it is resolved.

No login: the link is the permission, as on the status page, and a wrong or revoked link
is the ordinary 404. One answer per call; rate limited per link and address. The offer on
the status page comes from `survey_offer`, a context value given to the customer's status
page only, so the customer area needs no change beyond one include line.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from kit import settings
from kit.customer import links
from kit.customer.blueprint import private_headers, token_and_address
from kit.db import get_db, now, write_lock
from kit.leaders import store as leaders
from kit.leaders.forms import SurveyForm
from kit.leaders.surveys import SURVEY_STATUSES, is_offered
from kit.security import limiter
from kit.surveys import store as school_questions
from kit.surveys.forms import answer_form_class, answers_of

bp = Blueprint("survey", __name__)
bp.after_request(private_headers)  # the address carries the link's secret: no Referer, no cache

TOKEN = "<string(minlength=20,maxlength=100):token>"
STATUS_ENDPOINT = "customer.status"


def _call_or_404(token: str) -> dict[str, Any]:
    call = links.find_call(get_db(), token)
    if call is None:
        abort(404)
    return call


def _desk() -> dict[str, Any]:
    values = settings.get_all(get_db())
    return {"desk_phone": values["desk_phone"], "desk_email": values["desk_email"]}


@bp.route(f"/my-call/{TOKEN}/survey", methods=["GET", "POST"])
@limiter.limit(
    "10 per hour",
    methods=["POST"],
    key_func=token_and_address,
    error_message="Too many answers from this link. Please try again later.",
)
def survey(token: str):
    db = get_db()
    call = _call_or_404(token)
    back = url_for(STATUS_ENDPOINT, token=token)
    if call["status"] not in SURVEY_STATUSES:
        return render_template(
            "leaders/survey_closed.html", call=call, back=back, reason="not_resolved", **_desk()
        ), 409
    if not is_offered(db, call):
        abort(404)
    if leaders.get_answer(db, call["id"]) is not None:
        status = 409 if request.method == "POST" else 200
        return render_template(
            "leaders/survey_closed.html", call=call, back=back, reason="answered", **_desk()
        ), status
    asked = school_questions.asked_after_a_call(db)
    form = answer_form_class(asked, base=SurveyForm, need_one=False)()
    if form.validate_on_submit():
        at = now()
        with write_lock(db):  # the kit's answers and the school's, together or not at all
            saved = leaders.save_answer(
                db,
                call["id"],
                satisfaction=int(form.satisfaction.data),
                fixed=form.fixed.data == "1",
                time_ok=form.time_ok.data == "1",
                comment=form.comment.data or "",
                at=at,
            )
            if saved:
                given = answers_of(form, asked)
                school_questions.save_call_answers(
                    db, call["id"], {q["id"]: given[q["key"]] for q in asked}, at=at
                )
        if saved:
            return redirect(url_for("survey.thanks", token=token))
        return render_template(
            "leaders/survey_closed.html", call=call, back=back, reason="answered", **_desk()
        ), 409
    status = 400 if form.is_submitted() else 200
    return render_template(
        "leaders/survey.html", call=call, form=form, back=back, asked=asked
    ), status


@bp.get(f"/my-call/{TOKEN}/survey/thanks")
def thanks(token: str):
    call = _call_or_404(token)
    return render_template(
        "leaders/survey_closed.html",
        call=call,
        reason="thanks",
        back=url_for(STATUS_ENDPOINT, token=token),
        **_desk(),
    )


@bp.app_context_processor
def survey_offer() -> dict[str, Any]:
    """On the customer's status page only: whether to offer the survey, and whether it was
    answered. Other pages get nothing, and pay no query."""
    if request.endpoint != STATUS_ENDPOINT:
        return {}
    token = (request.view_args or {}).get("token", "")
    db = get_db()
    call = links.find_call(db, token)
    if call is None or not is_offered(db, call):
        return {}
    answered = leaders.get_answer(db, call["id"]) is not None
    return {"survey_offer": {"url": url_for("survey.survey", token=token), "answered": answered}}

"""The leaders' survey pages: the questions the school asks, sending a survey of all users
(termly or annual), its results on screen, and its paper copy with the answers typed in.

Leaders and admins only (`reports.view`, as for the reports the results belong with).
Sending queues one message per person in the staff directory with an email address, each
with its own link (kit.surveys.answer_routes); people without one get the paper copy.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for

from kit.customer import links
from kit.db import get_db, now
from kit.mail import outbox
from kit.printing.pdfs import sheet_pdf
from kit.rules import surveys as rules
from kit.security import requires
from kit.surveys import answer_routes, store
from kit.surveys.blueprint import bp
from kit.surveys.forms import QuestionForm, RoundForm, answer_form_class, answers_of

JOINED = (answer_routes,)  # the public answer pages join this blueprint


def _index(status: int = 200, **forms: Any):
    db = get_db()
    people, without = store.recipients(db)
    return render_template(
        "surveys/index.html",
        questions=store.questions(db),
        call_questions=store.questions(db, "call"),
        surveys=rules.SURVEYS,
        rounds=store.rounds(db),
        recipients=len(people),
        without_email=without,
        kinds=rules.KINDS,
        question_form=forms.get("question_form") or QuestionForm(formdata=None),
        round_form=forms.get("round_form") or RoundForm(formdata=None),
        rate=rules.response_rate,
    ), status


@bp.get("/")
@requires("reports.view")
def index():
    return _index()


@bp.post("/questions")
@requires("reports.view")
def add_question():
    form = QuestionForm()
    if form.validate_on_submit():
        survey = form.question_survey.data or "staff"
        try:
            store.add_question(
                get_db(),
                survey,
                kind=form.question_kind.data,
                text=form.question_text.data,
                at=now(),
            )
        except ValueError as problem:
            form.question_text.errors = [*form.question_text.errors, str(problem)]
            return _index(400, question_form=form)
        flash(
            "Question added: the next survey you send asks it."
            if survey == "staff"
            else "Question added: callers are asked it once their call is resolved."
        )
        return redirect(url_for("surveys.index") + "#questions")
    return _index(400, question_form=form)


@bp.post("/questions/<id:question_id>/retire")
@requires("reports.view")
def retire_question(question_id: int):
    if not store.retire_question(get_db(), question_id):
        abort(404)
    flash("Question retired: surveys already sent keep it.")
    return redirect(url_for("surveys.index") + "#questions")


@bp.post("/send")
@requires("reports.view")
def send():
    db = get_db()
    form = RoundForm()
    at = now()
    if form.validate_on_submit() and form.closes_on.data < at.date():
        form.closes_on.errors = ["The last day for answers cannot be in the past."]
    elif form.validate_on_submit():
        try:
            round_id, invites = store.start_round(
                db,
                title=form.title.data,
                closes_on=form.closes_on.data,
                user_id=g.user.id,
                at=at,
            )
        except ValueError as problem:
            form.title.errors = [str(problem)]
            return _index(400, round_form=form)
        _queue_invitations(db, round_id, invites, at)
        flash(f"Survey sent to {len(invites)} people with an email address.")
        return redirect(url_for("surveys.results", round_id=round_id))
    return _index(400, round_form=form)


def _queue_invitations(db, round_id: int, invites: list, at) -> None:
    survey = store.get_round(db, round_id)
    for person, token, invite_id in invites:
        path = url_for("surveys.answer", token=token)
        outbox_id = outbox.queue(
            db,
            "staff_survey",
            to=[person["email"]],
            context={
                "name": person["name"],
                "title": survey["title"],
                "questions": len(survey["questions"]),
                "closes_on": survey["closes_on"],
                "link": links.absolute(path),
            },
            at=at,
            dedupe_key=f"staff_survey:{invite_id}",
        )
        store.set_invite_message(db, invite_id, outbox_id)


def _survey_or_404(round_id: int) -> dict[str, Any]:
    survey = store.get_round(get_db(), round_id)
    if survey is None:
        abort(404)
    return survey


@bp.get("/<id:round_id>")
@requires("reports.view")
def results(round_id: int):
    db = get_db()
    survey = _survey_or_404(round_id)
    counts = store.counts(db, round_id)
    return render_template(
        "surveys/results.html",
        survey=survey,
        results=rules.results(survey["questions"], store.responses(db, round_id)),
        headline=rules.headline,
        scale=rules.SCALE,
        yes_no=rules.YES_NO,
        counts=counts,
        rate=rules.response_rate(counts["invited"], counts["by_link"]),
        taking=rules.takes_answers(survey["closes_on"], now().date()),
    )


@bp.get("/<id:round_id>/paper.pdf")
@requires("reports.view")
def paper(round_id: int):
    """The survey on paper, for staff without email: filled by hand, typed in after."""
    survey = _survey_or_404(round_id)
    return sheet_pdf(
        "surveys/paper.html",
        f"survey-{round_id}.pdf",
        survey=survey,
        scale=rules.SCALE,
        yes_no=rules.YES_NO,
    )


@bp.route("/<id:round_id>/paper-answers", methods=["GET", "POST"])
@requires("reports.view")
def paper_answers(round_id: int):
    """Type in one paper questionnaire's answers (they count as answers on paper)."""
    survey = _survey_or_404(round_id)
    form = answer_form_class(survey["questions"])()
    if form.validate_on_submit():
        store.save_response(get_db(), round_id, answers_of(form, survey["questions"]), at=now())
        flash("Paper answers added. Type in the next one, or go back to the results.")
        return redirect(url_for("surveys.paper_answers", round_id=round_id))
    status = 400 if form.is_submitted() else 200
    return render_template("surveys/answer.html", survey=survey, form=form, paper=True), status

"""The leaders' pages: the letter to users, the service desk charter and the post
implementation review, each on screen and as a PDF.

Only leaders and admins (`letter.view`) reach them. The letter and charter are filled from
the school's settings at the moment they are shown or printed, so a changed phone number
needs no new version; a new version is made only when a leader changes the wording.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.routing import BuildError

from kit import public_address
from kit.db import get_db, now
from kit.leaders import documents, placeholders, queries
from kit.leaders import store as leaders
from kit.leaders.forms import DocumentForm, PeriodForm, review_form_class
from kit.leaders.review import QUESTIONS, REPORTS, default_period
from kit.leaders.sandbox import TemplateProblem
from kit.printing.pdfs import sheet_pdf
from kit.security import requires

bp = Blueprint("leaders", __name__, url_prefix="/leaders")

KIND = "<any(letter, charter):kind>"


def _web_form_address() -> str:
    """The web form at the school's public address, for the letter ("" if there is none)."""
    try:
        return public_address.printed(url_for("customer.new"))
    except BuildError:
        return ""


def _values(document: dict[str, Any]) -> dict[str, Any]:
    """The school's values for a document, dated by the version (today for new wording)."""
    created = document.get("created_at")
    updated = date.fromisoformat(created[:10]) if created else now().date()
    return documents.context(get_db(), web_form=_web_form_address(), updated=updated)


def _filled(document: dict[str, Any]) -> tuple[Any, str | None]:
    """(HTML, None), or (None, the reason) for wording that no longer renders."""
    try:
        return documents.render_html(document["body"], _values(document)), None
    except TemplateProblem as exc:
        return None, str(exc)


def _version_or_404(kind: str, version: int) -> dict[str, Any]:
    found = leaders.get_version(get_db(), kind, version)
    if found is None:
        abort(404)
    return found


@bp.get("/")
@requires("letter.view")
def index():
    db = get_db()
    in_use = {kind: documents.in_use(db, kind) for kind in documents.KINDS}
    return render_template(
        "leaders/index.html", kinds=documents.KINDS, in_use=in_use, reviews=leaders.list_reviews(db)
    )


@bp.get(f"/{KIND}")
@requires("letter.view")
def document(kind: str):
    return _document_page(kind, documents.in_use(get_db(), kind))


@bp.get(f"/{KIND}/versions/<id:version>")
@requires("letter.view")
def version(kind: str, version: int):
    return _document_page(kind, _version_or_404(kind, version), old=True)


def _document_page(kind: str, shown: dict[str, Any], old: bool = False) -> str:
    """The letter or charter `shown` (the one in use, or an older version) with its versions."""
    html, problem = _filled(shown)
    return render_template(
        "leaders/document.html",
        kind=kind,
        label=documents.KINDS[kind],
        document=shown,
        html=html,
        problem=problem,
        versions=leaders.versions(get_db(), kind),
        old=old,
    )


def _document_pdf(kind: str, shown: dict[str, Any]):
    html, problem = _filled(shown)
    if problem:
        flash(f"The PDF could not be made. {problem}")
        return redirect(url_for("leaders.edit", kind=kind))
    suffix = f"-v{shown['version']}" if shown["version"] else ""
    return sheet_pdf(
        "leaders/print_document.html",
        f"{kind}{suffix}.pdf",
        document=shown,
        html=html,
        label=documents.KINDS[kind],
    )


@bp.get(f"/{KIND}/pdf")
@requires("letter.view")
def document_pdf(kind: str):
    return _document_pdf(kind, documents.in_use(get_db(), kind))


@bp.get(f"/{KIND}/versions/<id:version>/pdf")
@requires("letter.view")
def version_pdf(kind: str, version: int):
    return _document_pdf(kind, _version_or_404(kind, version))


@bp.route(f"/{KIND}/edit", methods=["GET", "POST"])
@requires("letter.view")
def edit(kind: str):
    """Change the wording: "Preview" shows it filled in, "Save" keeps it as a new version."""
    db = get_db()
    form = DocumentForm()
    if request.method == "GET":
        shown = documents.in_use(db, kind)
        form.title.data, form.body.data = shown["title"], shown["body"]
    preview = None
    if form.validate_on_submit():
        values = _values({"created_at": None})  # dated today, as the new version will be
        try:
            documents.check(form.body.data, values)
            preview = documents.render_html(form.body.data, values)
        except TemplateProblem as exc:
            form.body.errors.append(str(exc))
        else:
            if request.form.get("action") == "save":
                number = leaders.add_version(
                    db,
                    kind,
                    title=form.title.data,
                    body=form.body.data,
                    published=form.published.data,
                    user_id=g.user.id,
                    at=now(),
                )
                flash(f"Saved as version {number} of the {documents.KINDS[kind].lower()}.")
                return redirect(url_for("leaders.document", kind=kind))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template(
        "leaders/edit.html",
        kind=kind,
        label=documents.KINDS[kind],
        form=form,
        preview=preview,
        names=placeholders.PLACEHOLDERS,
        default_text=documents.default_text(kind),
    ), status


def _period() -> tuple[date, date]:
    form = PeriodForm(request.args)
    if not form.validate():
        abort(400)
    start, end = default_period(now().date())
    return form.date_from.data or start, form.date_to.data or end


@bp.route("/reviews/new", methods=["GET", "POST"])
@requires("letter.view")
def new_review():
    """The guided review: each question beside the figures for the chosen period."""
    db = get_db()
    form = review_form_class()()
    if form.validate_on_submit() and form.date_from.data <= form.date_to.data:
        start, end = form.date_from.data.isoformat(), form.date_to.data.isoformat()
        answers = {q.key: (form[q.key].data or "").strip() for q in QUESTIONS}
        review_id = leaders.add_review(
            db,
            period_from=start,
            period_to=end,
            answers=answers,
            figures=queries.review_figures(db, start, end, now=now()),
            user_id=g.user.id,
            at=now(),
        )
        flash("The review is saved.")
        return redirect(url_for("leaders.review", review_id=review_id))
    if form.is_submitted():
        start, end = form.date_from.data, form.date_to.data
        if not (start and end) or start > end:
            abort(400)
    else:
        start, end = _period()
        form.date_from.data, form.date_to.data = start, end
    figures = queries.review_figures(db, start.isoformat(), end.isoformat(), now=now())
    status = 400 if form.is_submitted() else 200
    return render_template(
        "leaders/review_new.html",
        form=form,
        questions=QUESTIONS,
        figures=figures,
        reports=_report_links(start.isoformat(), end.isoformat()),
    ), status


def _report_links(start: str, end: str) -> dict[str, str]:
    """Question key -> the reports area's page for the same period, where installed."""
    found = {}
    for key, name in REPORTS.items():
        try:
            found[key] = url_for("reports.show", name=name, date_from=start, date_to=end)
        except BuildError:
            continue
    return found


def _review_or_404(review_id: int) -> dict[str, Any]:
    found = leaders.get_review(get_db(), review_id)
    if found is None:
        abort(404)
    return found


@bp.get("/reviews/<id:review_id>")
@requires("letter.view")
def review(review_id: int):
    found = _review_or_404(review_id)
    return render_template(
        "leaders/review.html",
        review=found,
        questions=QUESTIONS,
        reports=_report_links(found["period_from"], found["period_to"]),
    )


@bp.get("/reviews/<id:review_id>/pdf")
@requires("letter.view")
def review_pdf(review_id: int):
    found = _review_or_404(review_id)
    return sheet_pdf(
        "leaders/print_review.html",
        f"review-{found['created_at'][:10]}.pdf",
        review=found,
        questions=QUESTIONS,
    )

"""Problems: the list by number of linked calls, a problem's page, editing and resolving it,
and linking a call to one from the call's page.

Reading problems is for everyone who may add notes to calls (desk, technicians, the ICT
coordinator, admins); creating, editing, linking and resolving for those who work calls.
A technician links only calls routed to them (`access.get_call_or_404`) and sees only those
calls on a problem's page and in its counts.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlite_utils import Database

from kit.auth import store as accounts
from kit.auth.roles import User, parse_roles
from kit.calls import access
from kit.calls.action_panel import customer_link
from kit.calls.blueprint import CALL_PAGE_EXTRAS
from kit.calls.refusals import call_page_again
from kit.calls.workflow_base import WorkflowError
from kit.db import get_db, now
from kit.kb.blueprint import SEARCH_EXTRAS
from kit.problems import resolve, store
from kit.problems.forms import LinkProblemForm, ProblemForm, ResolveProblemForm
from kit.rules import lifecycle as lc
from kit.security import requires

bp = Blueprint("problems", __name__, url_prefix="/problems")

STATUS_FILTERS = {
    "": "Any status",
    "open": "Open",
    "known error": "Known error",
    "resolved": "Resolved",
}


def _owner_choices(db: Database) -> list[tuple[int, str]]:
    workers = [
        u
        for u in accounts.list_users(db)
        if u["active"]
        and User(u["id"], u["username"], u["name"], roles=parse_roles(u["roles"])).can("call.work")
    ]
    return [(0, "— No owner yet —")] + [(u["id"], u["name"]) for u in workers]


def _problem_or_404(db: Database, problem_id: int) -> dict[str, Any]:
    problem = store.get(db, problem_id)
    if problem is None:
        abort(404)
    return problem


@bp.get("/")
@requires("call.note")
def index():
    """Problems with the most linked calls first (what recurs most is worth fixing first)."""
    status = request.args.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    rows = store.by_linked_calls(get_db(), access.visibility(g.user), status=status)
    return render_template(
        "problems/index.html", problems=rows, status=status, filters=STATUS_FILTERS
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("call.work")
def new():
    db = get_db()
    form = ProblemForm()
    form.owner_id.choices = _owner_choices(db)
    if form.validate_on_submit():
        problem_id = store.create(
            db,
            title=form.title.data,
            cause=form.cause.data or "",
            workaround=form.workaround.data or "",
            owner_id=form.owner_id.data,
            at=now(),
        )
        if form.status.data == "known error":
            store.update(db, problem_id, {"status": form.status.data}, at=now())
        flash("Problem recorded. Link its calls from each call's page.")
        return redirect(url_for("problems.view", problem_id=problem_id))
    if request.method == "GET":
        form.owner_id.data = g.user.id
    return render_template("problems/new.html", form=form), 400 if form.errors else 200


def _page(db: Database, problem: dict[str, Any], form=None, resolve_form=None, status=200):
    if form is None:
        form = ProblemForm(formdata=None, data=problem)
    form.owner_id.choices = _owner_choices(db)
    if resolve_form is None:
        resolve_form = ResolveProblemForm(formdata=None)
        resolve_form.permanent_fix.data = problem["permanent_fix"]
    linked = store.linked_calls(db, problem["id"], access.visibility(g.user))
    return render_template(
        "problems/view.html",
        problem=problem,
        calls=linked,
        open_calls=[c for c in linked if lc.is_open(c["status"])],
        form=form,
        resolve_form=resolve_form,
        can_edit=g.user.can("call.work"),
    ), status


@bp.get("/<id:problem_id>")
@requires("call.note")
def view(problem_id: int):
    db = get_db()
    return _page(db, _problem_or_404(db, problem_id))


@bp.post("/<id:problem_id>")
@requires("call.work")
def edit(problem_id: int):
    db = get_db()
    problem = _problem_or_404(db, problem_id)
    form = ProblemForm()
    form.owner_id.choices = _owner_choices(db)
    if not form.validate_on_submit():
        return _page(db, problem, form=form, status=400)
    values = {
        k: form[k].data or ("" if k != "owner_id" else None)
        for k in ("title", "cause", "workaround", "owner_id")
    }
    # Only resolving (with its fix) makes a problem resolved, and a resolved one stays so.
    if problem["status"] != "resolved" and form.status.data in ("open", "known error"):
        values["status"] = form.status.data
    store.update(db, problem_id, values, at=now())
    flash("Problem saved.")
    return redirect(url_for("problems.view", problem_id=problem_id))


@bp.post("/<id:problem_id>/resolve")
@requires("call.work")
def resolve_problem(problem_id: int):
    """Record the permanent fix; resolve the open calls and tell their callers when asked."""
    db = get_db()
    problem = _problem_or_404(db, problem_id)
    form = ResolveProblemForm()
    if not form.validate_on_submit():
        return _page(db, problem, resolve_form=form, status=400)
    outcome = resolve.resolve_problem(
        db,
        problem_id,
        permanent_fix=form.permanent_fix.data,
        resolve_calls=form.resolve_calls.data,
        message=form.callers_message.data or "",
        user=g.user,
        at=now(),
        customer_link=customer_link,
    )
    words = "Problem resolved."
    if outcome.resolved:
        words += (
            f" {len(outcome.resolved)} call{'' if len(outcome.resolved) == 1 else 's'} "
            f"resolved and their callers told: {', '.join(outcome.resolved)}."
        )
    if outcome.refused:
        words += " Not resolved: " + "; ".join(outcome.refused)
    flash(words)
    return redirect(url_for("problems.view", problem_id=problem_id))


# On a call's page ---------------------------------------------------------------------


def call_panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """The call's problem and its workaround for everyone who sees the call; the link form
    for those who work it."""
    if not user.can("call.note"):
        return {}
    can_link = user.can("call.work") and not call["voided"]
    form = g.get("problem_form")
    if form is None and can_link:
        form = LinkProblemForm(formdata=None)
    if form is not None:
        form.problem_id.choices = [(0, "— A new problem —")] + [
            (p["id"], f"{p['id']}: {p['title']} ({p['status']})") for p in store.choices(db)
        ]
    return {
        "problem_panel": {
            "problem": store.problem_for_call(db, call["id"]),
            "form": form if can_link else None,
            "failed": "problem_form" in g,
        }
    }


CALL_PAGE_EXTRAS.append(call_panel)


def known_errors(db: Database, text: str, user: User) -> dict[str, Any]:
    """Known errors beside the knowledge base's articles, matching the search words."""
    if not user.can("call.note"):
        return {}
    return {"known_errors": store.known_errors(db, text)}


SEARCH_EXTRAS.append(known_errors)


@bp.post("/calls/<id:call_id>/link")
@requires("call.work")
def link(call_id: int):
    """Link the call to a chosen problem, or to a new one titled on the spot."""
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    form = LinkProblemForm()
    form.problem_id.choices = [(0, "")] + [(p["id"], p["title"]) for p in store.choices(db)]
    try:
        if not form.validate_on_submit():
            raise WorkflowError("Choose a problem.", field="problem_id")
        problem_id = form.problem_id.data
        if problem_id is None:
            title = (form.new_problem_title.data or "").strip() or call["summary"]
            problem_id = store.create(db, title=title, owner_id=g.user.id, at=now())
        store.link(db, problem_id, call_id, user_id=g.user.id, at=now())
    except WorkflowError as exc:
        form.problem_id.errors = [*form.problem_id.errors, str(exc)]  # the panel shows it there
        return call_page_again(call_id, "problem_form", form)
    flash(f"Call {call['ref']} linked to problem {problem_id}.")
    return redirect(url_for("calls.view", call_id=call_id) + "#problem")


@bp.post("/calls/<id:call_id>/unlink")
@requires("call.work")
def unlink(call_id: int):
    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    if store.unlink(db, call_id, user_id=g.user.id, at=now()):
        flash(f"Call {call['ref']} is no longer linked to a problem.")
    return redirect(url_for("calls.view", call_id=call_id) + "#problem")

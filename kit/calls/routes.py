"""Logging a call, the call log, and finding a call by its reference.

The views of other parts of the calls area (a call's page, its actions, My jobs, the
exceptions report, receipts) join the same blueprint from their own modules, imported here.
"""

from __future__ import annotations

import math
import sqlite3
import uuid
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for

from kit import settings
from kit.attachments import intake as attached
from kit.attachments import limits
from kit.calls import (
    access,
    actions,
    caller_match,
    choices,
    exceptions,
    intake,
    jobs,
    log_store,
    receipts,
    store,
)
from kit.calls import page as call_page
from kit.calls.blueprint import NEW_CALL_PREFILLS, bp
from kit.calls.forms import LogCallForm, valid_submission_key
from kit.db import get_db, now
from kit.directory import store as directory
from kit.errors import unsaved_message
from kit.printing import questions
from kit.rules.refs import normalise_ref
from kit.security import requires

# The modules whose views join this blueprint (each imports `bp` from kit.calls.blueprint).
JOINED = (actions, call_page, exceptions, jobs, receipts)


def _fill_log_form(form: LogCallForm, db) -> list[dict]:
    categories = directory.list_categories(db)
    form.category_id.choices = [(0, "— Choose a category —")] + [
        (c["id"], c["name"]) for c in categories
    ]
    form.location_id.choices = choices.location_choices(db)
    return categories


@bp.route("/new", methods=["GET", "POST"])
@requires("call.log")
def new():
    if request.method == "POST" and not valid_submission_key(request.form.get("submission_key")):
        abort(400)  # a key the kit never made: refused, never stored
    db = get_db()
    form = LogCallForm()
    categories = _fill_log_form(form, db)
    earlier = intake.earlier_call(db, request.args, g.user)
    if request.method == "GET":
        form.submission_key.data = uuid.uuid4().hex
        intake.preselect_location(form, db, request.args)
        for prefill in NEW_CALL_PREFILLS:
            prefill(form, db, request.args)
    intake.apply_teaching_space_defaults(form, db)
    unsaved = None
    suggestions: list = []
    if form.validate_on_submit():
        new_call = _new_call_from(form, db)
        if new_call is not None:  # a caller typed by hand: who in the directory could it be?
            new_call, suggestions = caller_match.settle_caller(db, new_call, request.form)
            if suggestions:
                new_call = None
        prepared = attached.checked(form.file, limits.for_staff(db)) if new_call else None
        if new_call is not None and prepared is not None:
            seen = store.call_for_submission(db, new_call.submission_key)
            try:
                call_id = store.log_call(
                    db, new_call, user_id=g.user.id, at=now(), cal=settings.calendar(db)
                )
            except sqlite3.OperationalError as exc:
                # Locked past the busy timeout, or a full disk: the form comes back as typed,
                # with its submission key, so sending it again can never log the call twice.
                unsaved = unsaved_message(exc)
                if unsaved is None:
                    raise
                flash(unsaved)
            else:
                intake.link_to_earlier(db, call_id, earlier, user=g.user, at=now())
                kept = attached.keep(
                    db,
                    call_id,
                    # a form sent again keeps its files once
                    [] if seen and attached.already_kept(db, call_id, "log a call") else prepared,
                    added_by=g.user.id,
                    source="log a call",
                    limits=limits.for_staff(db),
                )
                for refusal in kept:
                    flash(refusal)
                call = store.get_call(db, call_id)
                sent = receipts.send_receipt(db, call, g.user, now())
                flash(
                    f"Call {call['ref']} logged. Read the reference to the caller"
                    + (
                        f"; the receipt was emailed to {call['caller_email']}."
                        if sent
                        else ", or print them a receipt slip."
                    )
                )
                return redirect(url_for("calls.view", call_id=call_id))
    status = 503 if unsaved else 200 if suggestions else 400 if form.is_submitted() else 200
    locations = {loc["id"]: loc for loc in directory.list_locations(db)}
    return render_template(
        "calls/new.html",
        form=form,
        suggestions=suggestions,
        files_chosen=bool(suggestions) and any(f and f.filename for f in form.file.data or []),
        categories=categories,
        locations=locations,
        earlier=earlier,
        open_calls=intake.open_calls_for(db, form.location_id.data, g.user),
    ), status


def _new_call_from(form: LogCallForm, db) -> store.NewCall | None:
    """The checked call, or None after putting the reason next to the field at fault."""
    equipment_id = None
    if (form.asset_tag.data or "").strip():
        item = directory.equipment_by_tag(db, form.asset_tag.data)
        if item is None:
            form.asset_tag.errors.append(
                "No equipment has that asset tag. Check the label, or leave it empty."
            )
            return None
        equipment_id = item["id"]
    if directory.get_category(db, form.category_id.data) is None:
        form.category_id.errors.append("Choose a category.")
        return None
    caller_id = None
    if intake.parse_id(form.caller_id.data):
        person = directory.get_person(db, intake.parse_id(form.caller_id.data))
        if person and person["name"] == form.caller_name.data.strip():
            caller_id = person["id"]
    return store.NewCall(
        caller_name=form.caller_name.data.strip(),
        caller_id=caller_id,
        caller_email=(form.caller_email.data or "").strip(),
        caller_phone=(form.caller_phone.data or "").strip(),
        channel=form.channel.data,
        location_id=form.location_id.data,
        equipment_id=equipment_id,
        category_id=form.category_id.data,
        summary=form.summary.data.strip(),
        details=(form.details.data or "").strip(),
        occurred_at=form.occurred_at.data.isoformat(sep=" ") if form.occurred_at.data else None,
        submission_key=form.submission_key.data or None,
        answers=questions.answers_from(form),
        desk_checked=bool(form.desk_checked.data),
    )


@bp.get("/")
@requires("queue.view")
def log():
    db = get_db()
    form = choices.filter_form(db)
    if request.args and not form.validate():
        return render_template(
            "calls/log.html",
            filters=choices.filters_html(db, form),
            calls=[],
            total=0,
            page=1,
            pages=1,
            now=now(),
        ), 400
    jump = _jump_to(db, (form.q.data or "").strip(), form.equipment.data)
    if jump is not None:
        return jump
    f = choices.call_filter(db, form, g.user, form.date_from.data, form.date_to.data)
    page = max(form.page.data or 1, 1)
    size = g.get("page_size") or 50
    sort = form.sort.data or "queue"
    if f.text.strip() and "sort" not in request.args:
        sort = "recent"  # a search shows the latest matching calls first
    calls, total = log_store.search_calls(
        db,
        f,
        sort=sort,
        descending=form.direction.data == "desc",
        page=page,
        page_size=size,
    )
    pages = max(math.ceil(total / size), 1)
    return render_template(
        "calls/log.html",
        filters=choices.filters_html(db, form),
        calls=calls,
        total=total,
        page=page,
        pages=pages,
        now=now(),
        count_cap=log_store.COUNT_CAP,
    )


def _jump_to(db: Any, text: str, equipment: str | None):
    """A typed reference opens that call; a typed asset tag lists that asset's calls."""
    if not text or len(text) > 40 or " " in text.strip() and not normalise_ref(text):
        return None
    if normalise_ref(text):
        call = store.get_call_by_ref(db, text)
        if call is not None and access.may_see(g.user, call):
            return redirect(url_for("calls.view", call_id=call["id"]))
        return None
    item = directory.equipment_by_tag(db, text) if not equipment else None
    if item is None:
        return None
    args = {k: v for k, v in request.args.items() if k not in ("q", "page")}
    return redirect(url_for("calls.log", **args, equipment=item["asset_tag"]))


@bp.get("/find")
@requires("call.open")
def find():
    """Jump to a call by the reference a caller reads out ("26-0042" or "26 42")."""
    db = get_db()
    call = store.get_call_by_ref(db, request.args.get("ref", ""))
    if call is None or not access.may_see(g.user, call):
        flash("No call has that reference.")
        return redirect(url_for("calls.log"))
    return redirect(url_for("calls.view", call_id=call["id"]))

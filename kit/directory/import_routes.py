"""Importing a directory list from a CSV file: upload, a preview (a dry run) the admin
confirms, a large file run beside the page with its progress, and the template to start
from. Nothing is written before the confirm.

The previewed file waits in the instance folder until it is confirmed
(`kit.import_previews`).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)

from kit.db import get_db
from kit.directory import headers, import_runs, import_store, importer
from kit.directory.blueprint import back_link, bp, kind_or_404, setup_args
from kit.directory.columns import COLUMNS, MATCHED_BY
from kit.directory.forms import ImportForm
from kit.directory.kinds import Kind
from kit.import_previews import Previews
from kit.security import requires

# An unconfirmed preview's file (and a large run's progress) is removed after a day.
PREVIEWS = Previews(prefix="", hours=24, sweep=("*.run.json",))


@bp.route("/<kind>/import", methods=["GET", "POST"])
@requires("admin")
def import_rows(kind: str):
    """Upload, preview (a dry run), then confirm: nothing is written before the confirm."""
    spec = kind_or_404(kind)
    form = ImportForm()
    submitted = form.validate_on_submit()
    if submitted and form.token.data:
        return _confirm_import(spec, form.token.data)
    text = form.read_upload() if submitted else None
    if text is None:
        status = 400 if form.is_submitted() else 200
        return _import_page(
            "import",
            spec,
            status,
            form=form,
            columns=COLUMNS[kind],
            matched_by=MATCHED_BY[kind],
            also=headers.also_read_as(kind),
        )
    if import_runs.needs_background(text):  # a large file: the page shows how far it got
        return _start_run(spec, text, PREVIEWS.keep(text), dry_run=True)
    report = importer.import_csv(get_db(), kind, text, dry_run=True)
    token = PREVIEWS.keep(text) if report.ok else ""
    return _import_page("preview", spec, 200 if report.ok else 400, report=report, token=token)


def _start_run(spec: Kind, text: str, token: str, *, dry_run: bool):
    run_id = import_runs.start(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        PREVIEWS.folder,
        kind=spec.slug,
        text=text,
        dry_run=dry_run,
        user_id=g.user.id,
        token=token,
    )
    return redirect(url_for(".import_run", kind=spec.slug, run_id=run_id, **setup_args()))


@bp.get("/<kind>/import/runs/<run_id>")
@requires("admin")
def import_run(kind: str, run_id: str):
    """How far a large import got (the page refreshes itself), then its preview or result."""
    spec = kind_or_404(kind)
    folder = PREVIEWS.folder
    state = import_runs.load(folder, run_id, g.user.id)
    if state is None or state["kind"] != spec.slug:
        abort(404)
    if state["stale"] and not state["dry_run"]:
        import_store.undo_unfinished(get_db())  # the page says nothing was saved: make it so
    if not state["finished"] or state.get("failed") or state["stale"]:
        return _import_page("import_run", spec, 200, run=state)
    report = import_runs.report_of(state)
    if state["dry_run"] or not report.ok:
        token = state["token"] if state["dry_run"] and report.ok else ""
        return _import_page("preview", spec, 200 if report.ok else 400, report=report, token=token)
    import_runs.forget(folder, run_id)
    PREVIEWS.drop(state["token"])
    flash(f"Imported {spec.title.lower()}: {report.created} created, {report.updated} updated.")
    return redirect(back_link(spec)[0])


def _import_page(name: str, spec: Kind, status: int, **context: Any):
    """The upload or preview page, with the way back (to the list, or to the set-up)."""
    page = render_template(
        f"directory/{name}.html",
        kind=spec,
        back=back_link(spec),
        setup_args=setup_args(),
        **context,
    )
    return page, status


def _confirm_import(spec: Kind, token: str):
    text = PREVIEWS.take(token)
    if text is None:
        flash("That preview has expired. Upload the file again.")
        return redirect(url_for(".import_rows", kind=spec.slug, **setup_args()))
    if import_runs.needs_background(text):
        return _start_run(spec, text, token, dry_run=False)
    report = importer.import_csv(get_db(), spec.slug, text, dry_run=False)
    if not report.ok:  # the data changed since the preview
        return _import_page("preview", spec, 400, report=report, token="")
    PREVIEWS.drop(token)
    flash(f"Imported {spec.title.lower()}: {report.created} created, {report.updated} updated.")
    return redirect(back_link(spec)[0])


@bp.get("/<kind>/template.csv")
@requires("admin")
def csv_template(kind: str):
    """The header row and an example row; the BOM makes Excel read it as UTF-8."""
    kind_or_404(kind)
    return Response(
        "\ufeff" + importer.template_csv(kind),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'},
    )

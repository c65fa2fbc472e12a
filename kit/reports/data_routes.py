"""CSV exports of the kit's records (leaders and admins) and the import of past calls from
a spreadsheet call log (admins only), registered under /reports by `kit.reports.routes`.

An export streams: rows go to the browser as they are read. The import is upload, preview
(a dry run that saves nothing), then confirm; the previewed file waits in the instance
folder under a random name until it is confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from kit.db import connect, get_db, now
from kit.directory.forms import ImportForm
from kit.import_previews import Previews
from kit.reports import call_import, call_import_file, export_queries
from kit.reports.call_import_rows import COLUMNS
from kit.reports.catalogue import calendar_for
from kit.reports.csv_safe import stream_rows
from kit.reports.forms import parse_date
from kit.security import requires

bp = Blueprint("data", __name__)

PREVIEWS = Previews(prefix="calls-", hours=6)  # an unconfirmed preview's file goes
IMPORT_YEARS = 10  # public holidays are loaded this far back for past calls


@bp.get("/export")
@requires("reports.view")
def export():
    articles = get_db()["articles"].exists()
    kinds = {k: v for k, v in export_queries.EXPORTS.items() if k != "articles" or articles}
    return render_template("reports/export.html", kinds=kinds, error=None, values={}), 200


def _calls_range() -> tuple[str, str] | str:
    """(start, end) ISO bounds from the optional dates, or the message for a bad one."""
    bounds = []
    for name in ("date_from", "date_to"):
        text = (request.args.get(name) or "").strip()[:30]
        try:
            bounds.append(parse_date(text) if text else None)
        except ValueError as exc:
            return str(exc)
    start, end = bounds
    if start and end and start > end:
        return "The end date is before the start date."
    return (
        start.isoformat() if start else "",
        (end + timedelta(days=1)).isoformat() if end else "",
    )


@bp.get("/export/<any(calls, people, locations, equipment, articles):kind>.csv")
@requires("reports.view")
def export_csv(kind: str):
    bounds: tuple[str, ...] = ()
    if kind == "calls":
        checked = _calls_range()
        if isinstance(checked, str):
            kinds = dict(export_queries.EXPORTS)
            return render_template(
                "reports/export.html", kinds=kinds, error=checked, values=request.args
            ), 400
        bounds = checked
    elif kind == "articles" and not get_db()["articles"].exists():
        abort(404)
    response = Response(
        _export_lines(current_app.config["DATABASE"], kind, bounds),
        mimetype="text/csv; charset=utf-8",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{kind}-{now():%Y-%m-%d}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _export_lines(path: str, kind: str, bounds: tuple[str, ...]) -> Iterator[str]:
    """The CSV lines, read through a connection of their own: the request's connection is
    closed when the view returns, while a large export is still being sent."""
    db = connect(path)
    try:
        header, rows = getattr(export_queries, kind)(db, *bounds)
        yield from stream_rows(header, rows)
    finally:
        db.conn.close()


@bp.route("/import", methods=["GET", "POST"])
@requires("admin")
def import_calls():
    """Upload, preview (a dry run), then confirm: nothing is written before the confirm."""
    form = ImportForm()
    submitted = form.validate_on_submit()
    if submitted and form.token.data:
        return _confirm(form.token.data)
    text = form.read_upload() if submitted else None
    if text is None:
        status = 400 if form.is_submitted() else 200
        return render_template("reports/import.html", form=form, columns=COLUMNS), status
    report = _run(text, dry_run=True)
    token = PREVIEWS.keep(text) if report.ok else ""
    return render_template(
        "reports/import_preview.html", report=report, token=token
    ), 200 if report.ok else 400


def _run(text: str, *, dry_run: bool):
    db = get_db()
    at = now()
    cal = calendar_for(db, date(at.year - IMPORT_YEARS, 1, 1), at.date(), at)
    return call_import.import_calls(db, text, dry_run=dry_run, user_id=g.user.id, at=at, cal=cal)


def _confirm(token: str):
    text = PREVIEWS.take(token)
    if text is None:
        flash("That preview has expired. Upload the file again.")
        return redirect(url_for(".import_calls"))
    report = _run(text, dry_run=False)
    if not report.ok:  # the calls changed since the preview
        return render_template("reports/import_preview.html", report=report, token=""), 400
    PREVIEWS.drop(token)
    flash(f"Imported {report.created} past calls.")
    return redirect(url_for("calls.log", sort="logged", direction="desc"))


@bp.get("/import/template.csv")
@requires("admin")
def import_template():
    return Response(
        "\ufeff" + call_import_file.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="past-calls.csv"'},
    )

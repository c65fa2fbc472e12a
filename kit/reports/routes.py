"""Reports for leaders: each report as a page with charts and tables, a PDF and a CSV;
the governors' incident report; and (in `data_routes`) CSV exports and the call import.

Every route needs "reports.view" (leaders and admins, who see every call); the call import
needs "admin". A bad filter is a 400 page saying what to fix, never a 500.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, make_response, render_template, request

from kit import settings
from kit.db import get_db, now
from kit.printing.pdfs import sheet_pdf
from kit.reports import charts, data_routes, equipment, forms, governors, monthly
from kit.reports.catalogue import REPORTS, calendar_for
from kit.reports.csv_safe import stream_rows
from kit.reports.model import Report
from kit.security import CSP, requires

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.register_blueprint(data_routes.bp)


def _entry(name: str):
    entry = REPORTS.get(name)
    if entry is None:
        abort(404)
    return entry


def page(template: str, report: Report | None, status: int = 200, **context) -> Response:
    """A report page whose charts' inline styles the CSP allows by hash."""
    response = make_response(render_template(template, report=report, **context), status)
    hashes = report.style_hashes() if report else []
    response.headers["Content-Security-Policy"] = charts.csp_allowing(CSP, hashes)
    return response


def pdf(report: Report, filename: str, *, landscape: bool = True) -> Response:
    """The report as a PDF made like every printed sheet (`kit.printing.pdfs`)."""
    return sheet_pdf("reports/report_pdf.html", filename, report=report, landscape=landscape)


def csv_download(header: list[str], rows, filename: str) -> Response:
    """A CSV attachment of a report's tables (already built), every cell made safe."""
    response = Response(stream_rows(header, rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _period(form: forms.FilterForm) -> str:
    f = form.filter
    return f"{f.start:%d %b %Y} to {f.end:%d %b %Y}"


def _build(name: str) -> tuple[forms.FilterForm, Report | None]:
    db = get_db()
    form = forms.read(request.args, db, now().date())
    if not form.ok:
        return form, None
    entry = _entry(name)
    report = entry.build(db, form, now())
    if entry.uses_dates:
        report.period = _period(form)
    return form, report


@bp.get("/")
@requires("reports.view")
def index():
    return render_template("reports/index.html", reports=REPORTS)


@bp.get("/<name>")
@requires("reports.view")
def show(name: str):
    entry = _entry(name)
    form, report = _build(name)
    return page(
        "reports/report.html", report, 200 if form.ok else 400, form=form, name=name, entry=entry
    )


@bp.get("/<name>.pdf")
@requires("reports.view")
def show_pdf(name: str):
    entry = _entry(name)
    form, report = _build(name)
    if report is None:
        return page("reports/report.html", None, 400, form=form, name=name, entry=entry)
    return pdf(report, f"{name}-{form.values['date_to']}.pdf")


@bp.get("/<name>.csv")
@requires("reports.view")
def show_csv(name: str):
    entry = _entry(name)
    form, report = _build(name)
    if report is None:
        return page("reports/report.html", None, 400, form=form, name=name, entry=entry)
    return csv_download(
        [report.title, report.period],
        list(report.csv_rows())[1:],
        f"{name}-{form.values['date_to']}.csv",
    )


@bp.get("/assets/<id:equipment_id>")
@requires("reports.view")
def asset(equipment_id: int):
    report = equipment.asset_history(get_db(), equipment_id) or abort(404)
    return page("reports/asset.html", report, equipment_id=equipment_id)


@bp.get("/assets/<id:equipment_id>.pdf")
@requires("reports.view")
def asset_pdf(equipment_id: int):
    report = equipment.asset_history(get_db(), equipment_id) or abort(404)
    return pdf(report, f"asset-{equipment_id}.pdf")


@bp.get("/governors")
@requires("reports.view")
def governors_page():
    terms = equipment.terms_between(settings.get(get_db(), "terms") or [], *_all_time())
    return render_template(
        "reports/governors.html", terms=terms, month=f"{now():%Y-%m}", error=None
    )


def _all_time() -> tuple[date, date]:
    return date.min, date.max


@bp.get("/governors.pdf")
@requires("reports.view")
def governors_pdf():
    """The month's (?month=2026-11) or the term's (?term=Autumn 2026) incident report."""
    db = get_db()
    terms = settings.get(db, "terms") or []
    try:
        if request.args.get("term"):
            period = governors.term_period(request.args["term"][:100], terms)
        else:
            period = governors.month_period(request.args.get("month", ""))
    except governors.PeriodError as exc:
        listed = equipment.terms_between(terms, *_all_time())
        return render_template(
            "reports/governors.html",
            terms=listed,
            error=str(exc),
            month=request.args.get("month", "")[:20],
        ), 400
    at = now()
    report = governors.incident_report(
        db, period, calendar_for(db, period.start, period.end, at), at
    )
    return pdf(report, f"incident-report-{period.start:%Y-%m-%d}.pdf", landscape=False)


def _month() -> governors.Period:
    return governors.month_period(request.args.get("month") or f"{now():%Y-%m}")


def _monthly():
    """The month's report and period, or the page refusing a month it cannot read (400)."""
    db = get_db()
    try:
        period = _month()
    except governors.PeriodError as exc:
        month = request.args.get("month", "")[:20]
        return None, page("reports/monthly.html", None, 400, error=str(exc), month=month)
    at = now()
    report = monthly.monthly(db, period, calendar_for(db, period.start, period.end, at), at)
    return (report, period), None


@bp.get("/monthly")
@requires("reports.view")
def monthly_page():
    """The monthly report for ?month=2026-11 (this month when none is given)."""
    built, refusal = _monthly()
    if refusal is not None:
        return refusal
    report, period = built
    return page("reports/monthly.html", report, month=f"{period.start:%Y-%m}", error=None)


@bp.get("/monthly.pdf")
@requires("reports.view")
def monthly_pdf():
    built, refusal = _monthly()
    if refusal is not None:
        return refusal
    report, period = built
    return pdf(report, f"monthly-report-{period.start:%Y-%m}.pdf")

"""Job sheets as PDF: one call's sheet (warm), and a batch of 50 in one PDF, made by the
printing area's own `pdf_bytes` exactly as the job-sheet and batch routes call it, against
a bare WeasyPrint render of a one-page HTML table (and 50 such pages) in the same run."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

from flask import g

from kit.calls import log_store
from kit.calls import store as calls
from kit.db import connect
from tests.bench.common import bench_app, bench_user_object, paired_times, report_pair

TARGET = 1.3
BATCH = 50
FIELDS = ("ref", "logged_at", "caller_name", "category", "summary", "status", "location")


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _bare_html(rows: list[dict], per_page: int = 1) -> str:
    """One page per call: a heading and a two-column table of its values, plain CSS."""
    pages = []
    for row in rows:
        cells = "".join(
            f"<tr><th>{escape(k)}</th><td>{escape(str(row.get(k) or ''))}</td></tr>" for k in FIELDS
        )
        details = escape(str(row.get("details") or ""))
        pages.append(
            f'<section style="break-after: page"><h1>Job sheet {escape(row["ref"])}</h1>'
            f"<table>{cells}<tr><th>details</th><td>{details}</td></tr></table></section>"
        )
    style = (
        "@page { size: A4; margin: 15mm } body { font-family: DejaVu Sans; font-size: 10pt }"
        " table { border-collapse: collapse; width: 100% }"
        " th, td { border: 1px solid #000; padding: 4px; text-align: left }"
    )
    return f"<!doctype html><html><head><style>{style}</style></head><body>{''.join(pages)}"


def _bare_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def run(instance: Path) -> None:
    app = bench_app(instance)
    from kit.printing import forms, sheets
    from kit.printing.pdfs import pdf_bytes

    db = connect(app.config["DATABASE"])
    user = bench_user_object(db, "benchprint", {"desk"})
    found, _ = log_store.search_calls(
        db, log_store.CallFilter(status="open"), sort="queue", page_size=BATCH
    )
    ids = [c["id"] for c in found]

    def kit_sheets(call_ids: list[int]) -> bytes:
        # What the job-sheet route and the batch route do, request context and all.
        with app.test_request_context("/"):
            g.user = user
            sheet_list = [sheets.call_sheet(db, calls.get_call(db, i), user) for i in call_ids]
            return pdf_bytes(
                "print/job_sheet.html",
                sheet_list=sheet_list,
                form=forms.load("incident_request"),
                forms=forms,
            )

    one_html, batch_html = _bare_html(found[:1]), _bare_html(found)
    kit_one, kit_batch = kit_sheets(ids[:1]), kit_sheets(ids)
    bare_one, bare_batch = _bare_pdf(one_html), _bare_pdf(batch_html)
    print(
        f"pages: kit one sheet {_pages(kit_one)}, batch of {len(ids)} {_pages(kit_batch)}; "
        f"bare one {_pages(bare_one)}, bare batch {_pages(bare_batch)}",
        flush=True,
    )
    pair = paired_times(lambda: kit_sheets(ids[:1]), lambda: _bare_pdf(one_html), repeat=10)
    report_pair("job sheet PDF, one call (warm)", pair, TARGET)
    pair = paired_times(lambda: kit_sheets(ids), lambda: _bare_pdf(batch_html), 3, warmup=1)
    report_pair(f"job sheets PDF, batch of {len(ids)}", pair, TARGET)
    # Where the difference lies: the kit's own sheet HTML (stylesheet inlined) through bare
    # WeasyPrint, against the whole kit path. Near 1x means the cost is the sheet's content
    # and layout, not the kit's fetcher, data or templates.
    sheet_html = _inline_css(_kit_html(app, db, user, ids[:1]))
    pair = paired_times(lambda: kit_sheets(ids[:1]), lambda: _bare_pdf(sheet_html), repeat=10)
    report_pair("  (kit path vs the same sheet HTML, bare)", pair)
    db.conn.close()


def _kit_html(app, db, user, call_ids: list[int]) -> str:
    from flask import render_template

    from kit.db import now
    from kit.printing import forms, sheets

    with app.test_request_context("/"):
        g.user = user
        sheet_list = [sheets.call_sheet(db, calls.get_call(db, i), user) for i in call_ids]
        return render_template(
            "print/job_sheet.html",
            logo=False,
            printed_at=now(),
            sheet_list=sheet_list,
            form=forms.load("incident_request"),
            forms=forms,
        )


def _inline_css(html: str) -> str:
    from kit import assets

    css = (assets.find("static") / "css" / "print.css").read_text()
    return html.replace(
        '<link rel="stylesheet" href="kit-static:css/print.css">', f"<style>{css}</style>"
    )

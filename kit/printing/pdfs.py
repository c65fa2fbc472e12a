"""Every printed sheet's PDF, made one way: the sheet's template with the school's logo and
the time it was printed, through the kit's own safe renderer (`kit.printing.render`).

Other areas (receipts, the visit list's batch) print through `pdf_bytes` too, so no sheet
is made differently from the rest.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template

from kit.db import now
from kit.printing.render import pdf_response, render_pdf


def logo_path() -> Path | None:
    """The logo the admin put in the instance folder, if there is one."""
    path = Path(current_app.instance_path) / "logo.png"
    return path if path.is_file() else None


def pdf_bytes(template: str, attachments: dict | None = None, **context) -> bytes:
    """A sheet template as PDF bytes, with the school logo: for attachments and other areas'
    batches (the visit list), so every printed sheet is made the same way."""
    logo = logo_path()
    html = render_template(template, logo=logo is not None, printed_at=now(), **context)
    return render_pdf(html, logo=logo, attachments=attachments)


def sheet_pdf(template: str, filename: str, attachments: dict | None = None, **context):
    """The sheet as an inline PDF response named `filename`."""
    return pdf_response(pdf_bytes(template, attachments, **context), filename)

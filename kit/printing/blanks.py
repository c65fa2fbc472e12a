"""The blank sheets a school leaves in a tray (incident/request, diagnostics, call log):
rendered once per version of what they are made from, then served from the instance folder.

A blank sheet holds no caller's details and changes only when the school's settings, its
logo or the kit's own form definitions, print templates and print CSS do. Rendering one
takes over a second; reading the stored PDF, milliseconds. The version is a hash of all of
those, so changing any of them (or upgrading the kit) gives a new PDF on the next request
without anyone having to clear anything. Older versions of a sheet are deleted when a new
one is stored. The footer says when this version was made, not when it is printed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlite_utils import Database

from kit import assets, settings
from kit.db import now
from kit.printing import forms
from kit.printing.pdfs import logo_path, pdf_bytes

TEMPLATES = {
    "incident_request": "print/blank_incident_request.html",
    "diagnostics": "print/blank_diagnostics.html",
    "call_log": "print/blank_call_log.html",
}
FOLDER = "blank-sheets"  # inside the instance folder


def _kit_files() -> list[Path]:
    """The kit's own files a blank sheet is made from."""
    return sorted(
        [
            *(assets.find("templates") / "print").glob("*.html"),
            *(assets.find("static") / "css").glob("print*.css"),
            *assets.find("forms").glob("*.toml"),
        ]
    )


def version(db: Database) -> str:
    """A short hash of everything a blank sheet is made from: the same until one changes."""
    digest = hashlib.sha256()
    digest.update(json.dumps(settings.get_all(db), sort_keys=True, default=str).encode())
    logo = logo_path()
    digest.update(logo.read_bytes() if logo else b"no logo")
    for path in _kit_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def stored_path(name: str, db: Database) -> Path:
    """Where this version of the blank sheet `name` is kept."""
    return Path(current_app.instance_path) / FOLDER / f"{name}-{version(db)}.pdf"


def blank_pdf(db: Database, name: str) -> bytes:
    """The blank sheet `name` (a key of TEMPLATES) as PDF: the stored one for the current
    version, else rendered now, stored, and the older versions removed."""
    path = stored_path(name, db)
    if path.is_file():
        return path.read_bytes()
    pdf = pdf_bytes(
        TEMPLATES[name],
        form=forms.load(name),
        generic_checks=forms.default_check_set("")["checks"],
        forms=forms,
        printed_note=f"Blank form, this version made {now():%d/%m/%Y}",
    )
    _store(path, pdf)
    return pdf


def _store(path: Path, pdf: bytes) -> None:
    """Write atomically (two first requests at once each write a whole file), then drop
    the sheet's older versions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    name = path.name.rsplit("-", 1)[0]  # sheet names have no "-"; versions are hex
    for older in path.parent.glob(f"{name}-*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)

"""A call's files on its printed job sheet: their names, and its photos on following pages.

Photos reach WeasyPrint only through the kit's safe URL fetcher (`kit.printing.render`):
each has an address `kit-attachment:<call>/<n>`, and the fetcher serves exactly the
addresses `photo_files` lists for the calls being printed, nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kit.attachments import files
from kit.attachments import store as astore
from kit.attachments.limits import size_text

SCHEME = "kit-attachment:"
PHOTO_MIMES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
PER_PAGE = 4
MAX_PHOTOS = 24  # six pages: a sheet stays a sheet


def sheet_files(db: Database, call_id: int) -> dict[str, Any]:
    """What a job sheet prints: kept files by name (oldest first), and photo pages."""
    kept = [
        r
        for r in reversed(astore.for_call(db, call_id))
        if not r["removed_at"] and not r["purged_at"]
    ]
    photos = [
        {"name": r["name"], "url": f"{SCHEME}{call_id}/{r['n']}", "stored_name": r["stored_name"]}
        for r in kept
        if r["mime"] in PHOTO_MIMES
    ][:MAX_PHOTOS]
    return {
        "names": [(r["name"], size_text(r["size"])) for r in kept],
        "photo_pages": [photos[i : i + PER_PAGE] for i in range(0, len(photos), PER_PAGE)],
    }


def photo_files(instance: Path | str, sheets: list[dict[str, Any]]) -> dict[str, Path]:
    """The only attachment addresses the PDF may fetch: the photos of these sheets."""
    allowed: dict[str, Path] = {}
    for sheet in sheets:
        for page in sheet.get("files", {}).get("photo_pages", []):
            for photo in page:
                allowed[photo["url"]] = files.path_of(instance, photo["stored_name"])
    return allowed

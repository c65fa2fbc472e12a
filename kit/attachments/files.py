"""Where attachment files live: `instance/attachments/`, under random names.

The uploaded name never reaches the disk (no path tricks, no clashes, nothing guessable),
and the folder is outside `static/`, so the only way to a file is the route that checks
who may see its call. A file is written whole to a `.part` name and renamed, so a reader
never sees half of one.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

FOLDER = "attachments"
_NAME = re.compile(r"[0-9a-f]{32}")


def folder(instance: Path | str) -> Path:
    return Path(instance) / FOLDER


def path_of(instance: Path | str, stored_name: str) -> Path:
    """The file for a stored name; ValueError for anything that is not one of ours."""
    if not _NAME.fullmatch(stored_name or ""):
        raise ValueError(f"not an attachment name: {stored_name!r}")
    return folder(instance) / stored_name


def write(instance: Path | str, data: bytes) -> str:
    """Keep `data` under a new random name and return the name."""
    target_dir = folder(instance)
    target_dir.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    target = target_dir / name
    partial = target_dir / f"{name}.part"
    try:
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except OSError:  # a full disk: no half-written file is left behind
        partial.unlink(missing_ok=True)
        raise
    return name


def delete(instance: Path | str, stored_name: str | None) -> None:
    if stored_name:
        path_of(instance, stored_name).unlink(missing_ok=True)

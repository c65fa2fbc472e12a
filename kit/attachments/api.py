"""Attachments: the one code path by which a file is kept with a call.

Every channel uses it: the call page, log a call, the customer's web form and reply page,
and mail in. Call it with plain bytes; it needs no request.

    from kit.attachments import api, limits

    added = api.add_files(
        db,                      # the connection (not inside a write_lock: this takes it)
        instance_path,           # app.instance_path: files go to <instance>/attachments/
        call_id,
        [("photo.jpg", data), ...],
        added_by=None,           # a user id, or None for the customer / mail in
        source=api.MAIL,         # CALL_PAGE, LOG_CALL, WEB_FORM, REPLY or MAIL
        limits=limits.for_public(db),   # or limits.for_staff(db)
        at=now,                  # a datetime (tests move the clock)
    )
    added.saved      # list of dicts: the rows kept (n, name, kind, mime, size...)
    added.refusals   # list of str: one plain-words reason per file not kept

What it promises:
- A file's kind comes from its bytes (`kit.attachments.detect`); a file that is no kind the
  school allows, or whose name says one kind and bytes another, is refused and not stored.
- Pictures are redrawn (`kit.attachments.images`): upright, at most 2,000 px, no EXIF/GPS or
  comments, HEIC kept as JPEG, with a thumbnail; decompression bombs are refused.
- Limits: per file, per request and per call (`Limits`). With `all_or_nothing=True` (the
  web pages) one refusal keeps nothing, so the person fixes the form and sends it again;
  otherwise (mail in) the good files are kept and each refusal is listed.
- Files get random names under the instance folder; rows and one "attachments added"
  history entry are written in the write lock (`BEGIN IMMEDIATE`), the refusals included
  in its text when some files were kept. Decoding happens before the lock, so a large
  photo never holds up other writers.
- `kit.attachments.removal.remove` (desk/coordinator, with a reason) hides a file and
  records it in history; the file stays on disk until `removal.purge_closed` (the daily
  job's retention rule) deletes it.
The caller decides who may add (routes check the role and the call's access first).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kit.attachments import files, images
from kit.attachments import store as astore
from kit.attachments.detect import IMAGE_KINDS, Detected, Refused, detect, label
from kit.attachments.limits import Limits, size_text
from kit.calls import store as calls
from kit.db import stamp, write_lock

CALL_PAGE, LOG_CALL, WEB_FORM, REPLY, MAIL = "call page", "log a call", "web form", "reply", "mail"
PUBLIC_SOURCES = frozenset({WEB_FORM, REPLY, MAIL})  # the customer sees what they sent
MAX_NAME = 120


@dataclass
class Added:
    saved: list[dict[str, Any]] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Prepared:
    """One file checked and ready to keep: its bytes as stored, and its thumbnail."""

    name: str
    uploaded_name: str
    kind: str
    mime: str
    data: bytes
    thumbnail: bytes = b""
    width: int | None = None
    height: int | None = None


def add_files(
    db: Database,
    instance_path: Path | str,
    call_id: int,
    uploads: list[tuple[str, bytes]],
    *,
    added_by: int | None,
    source: str,
    limits: Limits,
    at: datetime,
    all_or_nothing: bool = False,
) -> Added:
    """Check, redraw and keep `uploads` with the call (see the module docstring)."""
    prepared, refusals = prepare(uploads, limits)
    if all_or_nothing and refusals:
        return Added([], refusals)
    if not prepared:
        return Added([], refusals)
    saved, late = save(
        db,
        instance_path,
        call_id,
        prepared,
        added_by=added_by,
        source=source,
        limits=limits,
        at=at,
        all_or_nothing=all_or_nothing,
        earlier_refusals=refusals,
    )
    return Added(saved, refusals + late)


def prepare(uploads: list[tuple[str, bytes]], limits: Limits) -> tuple[list[Prepared], list[str]]:
    """Each file checked and redrawn, outside any transaction; refusals in plain words."""
    prepared: list[Prepared] = []
    refusals: list[str] = []
    uploads = [(n, d) for n, d in uploads if n or d]  # an empty file input sends ("", b"")
    if len(uploads) > limits.per_request:
        refusals.append(
            f"{len(uploads)} files were sent at once; the limit is {limits.per_request}. "
            "Nothing was kept: send them in smaller groups."
        )
        return [], refusals
    for uploaded_name, data in uploads:
        try:
            prepared.append(prepare_one(uploaded_name, data, limits))
        except Refused as exc:
            refusals.append(str(exc))
    return prepared, refusals


def prepare_one(uploaded_name: str, data: bytes, limits: Limits) -> Prepared:
    shown = f"“{safe_name(uploaded_name)}”"
    if len(data) > limits.file_bytes:
        raise Refused(
            f"{shown} is larger than the limit of {size_text(limits.file_bytes)} a file. "
            "Nothing was kept: send a smaller copy."
        )
    found: Detected = detect(data, uploaded_name)
    if found.kind not in limits.kinds:
        allowed = ", ".join(label(k) for k in sorted(limits.kinds)) or "none"
        raise Refused(
            f"{shown} is a {label(found.kind)}, which this school does not keep here. "
            f"Allowed: {allowed}."
        )
    stem = os.path.splitext(safe_name(uploaded_name))[0] or "attachment"
    if found.kind not in IMAGE_KINDS:
        return Prepared(stem + found.extension, uploaded_name, found.kind, found.mime, data)
    picture = images.reencode(data, found.kind, shown)
    return Prepared(
        stem + picture.extension,
        uploaded_name,
        found.kind,
        picture.mime,
        picture.data,
        picture.thumbnail,
        picture.width,
        picture.height,
    )


def save(
    db: Database,
    instance_path: Path | str,
    call_id: int,
    prepared: list[Prepared],
    *,
    added_by: int | None,
    source: str,
    limits: Limits,
    at: datetime,
    all_or_nothing: bool = False,
    earlier_refusals: list[str] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Keep prepared files within the call's limits, in the write lock, with one history
    entry. A file written to disk whose row is not committed is deleted again."""
    written: list[str] = []
    try:
        with write_lock(db):
            call = calls.get_call(db, call_id)
            if call is None or call["voided"]:
                raise Refused("That call cannot take files: it does not exist or was voided.")
            keep, refusals = _within_call_limits(db, call_id, prepared, limits, all_or_nothing)
            saved = []
            number = astore.next_number(db, call_id)
            for item in keep:
                row = _row(call_id, number, item, added_by, source, at)
                row["stored_name"] = files.write(instance_path, item.data)
                written.append(row["stored_name"])
                if item.thumbnail:
                    row["thumb_name"] = files.write(instance_path, item.thumbnail)
                    written.append(row["thumb_name"])
                row["id"] = astore.insert(db, row)
                saved.append(row)
                number += 1
            if saved:
                _record(db, call_id, saved, (earlier_refusals or []) + refusals, added_by, at)
    except BaseException:
        for name in written:
            files.delete(instance_path, name)
        raise
    return saved, refusals


def _within_call_limits(
    db: Database, call_id: int, prepared: list[Prepared], limits: Limits, all_or_nothing: bool
) -> tuple[list[Prepared], list[str]]:
    count, size = astore.kept_totals(db, call_id)
    keep: list[Prepared] = []
    refusals: list[str] = []
    for item in prepared:
        if count + 1 > limits.per_call:
            refusals.append(
                f"“{item.name}” was not kept: a call keeps at most {limits.per_call} files."
            )
        elif size + len(item.data) > limits.call_bytes:
            refusals.append(
                f"“{item.name}” was not kept: a call keeps at most "
                f"{size_text(limits.call_bytes)} of files."
            )
        else:
            keep.append(item)
            count += 1
            size += len(item.data)
    if all_or_nothing and refusals:
        return [], refusals
    return keep, refusals


def _row(
    call_id: int, n: int, item: Prepared, added_by: int | None, source: str, at: datetime
) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "n": n,
        "name": item.name,
        "uploaded_name": item.uploaded_name[: MAX_NAME * 2],
        "kind": item.kind,
        "mime": item.mime,
        "size": len(item.data),
        "width": item.width,
        "height": item.height,
        "source": source,
        "customer_visible": int(source in PUBLIC_SOURCES),
        "added_by": added_by,
        "added_at": stamp(at),
    }


def _record(
    db: Database,
    call_id: int,
    saved: list[dict[str, Any]],
    refusals: list[str],
    user_id: int | None,
    at: datetime,
) -> None:
    names = ", ".join(f"{r['name']} ({size_text(r['size'])})" for r in saved)
    text = f"Added {names} from the {saved[0]['source']}."
    if refusals:
        text += " Not kept: " + " ".join(refusals)
    calls.add_event(
        db,
        call_id,
        user_id=user_id,
        at=at,
        kind="attachments_added",
        text=text,
    )  # not among the customer's messages: their page lists their files itself


def safe_name(uploaded: str) -> str:
    """A name fit for a page and a download header: no folders, no control characters or
    quotes, at most MAX_NAME characters; "attachment" if nothing is left."""
    name = (uploaded or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch if ch.isprintable() and ch not in '"<>:|?*;' else " " for ch in name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, ext = os.path.splitext(name)
        name = stem[: MAX_NAME - len(ext[:10])] + ext[:10]
    return name or "attachment"

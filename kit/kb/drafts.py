"""Turning a resolved call into a draft article, so a fix found once is found again.

The draft is pre-filled from what the call already says (summary, category, equipment,
room, any error message in the details, and the resolution); a coordinator reviews and
publishes it. Error messages are picked out of the details because callers are asked to
give them word for word and they are the surest way to find the article later.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.kb import queries, store

# "Error: Printer offline", "The message says: Access denied", "error message - ..."
LABELLED = re.compile(
    r"(?im)^\W*(?:error(?: message)?|message|it says|the screen says|"
    r"warning)\s*[:\-–]\s*(.+?)\s*$"
)
QUOTED = re.compile(r"[\"“”']([^\"“”'\n]{4,120})[\"“”']")
CODES = re.compile(
    r"\b(0x[0-9A-Fa-f]{4,8}|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){1,}|"
    r"(?:error|code)\s+[A-Z]?\d{3,5})\b"
)


def error_messages_in(text: str) -> list[str]:
    """Error messages a caller quoted in the call's details, in order, without repeats."""
    found: list[str] = []
    for pattern in (LABELLED, QUOTED, CODES):
        for match in pattern.finditer(text or ""):
            message = match.group(1).strip().strip("\"“”'.")
            if message and not any(message.lower() in f.lower() for f in found):
                found.append(message)
    return found[:10]


def resolution_in(call: dict[str, Any], history: list[dict[str, Any]]) -> str:
    """What the resolver wrote: the call's resolution, else its last "resolved" entry."""
    parts = [call.get("resolution_summary") or "", call.get("resolution_details") or ""]
    written = "\n\n".join(p.strip() for p in parts if p and p.strip())
    if written:
        return written
    for event in reversed(history):
        status = event.get("changes", {}).get("status")
        resolved = event["kind"] == "resolved" or (status and status[-1] == "Resolved")
        if resolved and event.get("text"):
            return event["text"]
    return ""


def draft_from_call(
    db: Database, call: dict[str, Any], resolution_text: str, user_id: int | None, at: datetime
) -> int:
    """Make (once per call) a draft article from a call and its resolution; returns its id.

    `call` is the row `kit.calls.store.get_call` returns. Pressing the button twice opens
    the draft already made rather than a second one.
    """
    existing = queries.draft_for_call(db, call["id"])
    if existing is not None:
        return existing
    data = store.ArticleInput(
        title=call["summary"],
        symptoms=call.get("details") or call["summary"],
        fix=(resolution_text or "").strip(),
        error_messages=error_messages_in(call.get("details") or ""),
        equipment_types=[call["equipment_type"]] if call.get("equipment_type") else [],
        category_ids=[call["category_id"]],
        location_ids=[call["location_id"]] if call.get("location_id") else [],
        audience="technicians",
        owner_id=user_id,
    )
    article_id = store.create_article(
        db,
        data,
        user_id=user_id,
        at=at,
        source_call_id=call["id"],
        note=f"Drafted from call {call['ref']}",
    )
    store.link_call(db, call["id"], article_id, user_id=user_id, at=at, kind="article_drafted")
    return article_id

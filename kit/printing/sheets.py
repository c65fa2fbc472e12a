"""What a filled sheet prints about a call, bounded so no call can run to dozens of pages.

Escaping alone does not bound the cost of a PDF (a 20,000-character word took 10 s, 5,000
newlines made 93 pages), so every piece of typed text passes through `bound` first: long
text is cut with a note that the rest is in the kit.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import url_for
from sqlite_utils import Database

from kit import public_address
from kit.attachments import printing as attachment_sheet
from kit.auth.roles import User
from kit.calls import access
from kit.calls import store as calls
from kit.printing import desk_store, questions, store
from kit.problems import store as problems

CONTINUED = "… (continued in the kit)"
# (characters, lines) printed at most, by what the text is.
LIMITS = {
    "line": (160, 1),
    "summary": (300, 3),
    "details": (1200, 14),
    "note": (400, 5),
    "answer": (600, 6),
    "cell": (120, 2),
}
MAX_NOTES = 6
EQUIPMENT_HISTORY = 5


def bound(text: Any, kind: str = "line") -> str:
    """`text` cut to the limits for `kind`, ending with a note when anything was cut."""
    max_chars, max_lines = LIMITS[kind]
    value = "" if text is None else str(text)
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = "\n".join(lines[:max_lines]) if kind != "line" else " ".join(lines)
    cut = len(lines) > max_lines and kind != "line"
    if len(kept) > max_chars:
        kept, cut = kept[:max_chars].rstrip(), True
    return f"{kept} {CONTINUED}" if cut else kept


def location_label(call: dict[str, Any]) -> str:
    if not call.get("room"):
        return ""
    return f"{call['site']} – {call['building']} – {call['room']}"


def equipment_label(call: dict[str, Any]) -> str:
    if not call.get("asset_tag"):
        return ""
    parts = [call["asset_tag"], " ".join(p for p in (call.get("make"), call.get("model")) if p)]
    if call.get("serial"):
        parts.append(f"serial {call['serial']}")
    return " · ".join(p for p in parts if p)


def values(call: dict[str, Any]) -> dict[str, str]:
    """The call's values under the names the form definitions' `from` keys use."""
    contact = " · ".join(p for p in (call.get("caller_phone"), call.get("caller_email")) if p)
    room = " ".join(p for p in (call.get("building"), call.get("room")) if p)
    where = " / ".join(p for p in (room, call.get("asset_tag") or "") if p)
    return {
        "ref": call["ref"],
        "caller_name": call["caller_name"],
        "contact": contact,
        "location": location_label(call),
        "equipment": equipment_label(call),
        "call_type": call["call_type"],
        "logged_at": (call["logged_at"] or "")[:16],
        "occurred_at": (call.get("occurred_at") or "")[:16],
        "logged_by": call.get("logged_by_name") or "Web form",
        "owner": call.get("assignee") or "",
        "category": call["category"],
        "summary": call["summary"],
        "where": where,
        "follow_up": call.get("follow_up") or "",  # set by `log_rows` (the followups table)
        "status": call["status"],
        "resolved_at": (call.get("resolved_at") or "")[:10],
        "closed_at": (call.get("closed_at") or "")[:10],
        "channel": call["channel"],
        "priority": call.get("level_name") or "",
        "passed_to": passed_to(call),
        "filed": (call.get("filed_at") or "")[:10],
    }


def log_rows(db: Database, calls_found: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The printed call log's lines: each call's values with its follow-up date."""
    due = desk_store.follow_up_dates(db, [c["id"] for c in calls_found])
    return [values(c | {"follow_up": due.get(c["id"], "")}) for c in calls_found]


def log_date(value: str | None) -> str:
    """An ISO date (and time) as the printed call log shows it: 05/12/26 07:23."""
    text = value or ""
    if len(text) < 10:
        return text
    day = f"{text[8:10]}/{text[5:7]}/{text[2:4]}"
    return f"{day} {text[11:16]}" if len(text) >= 16 else day


def passed_to(call: dict[str, Any]) -> str:
    """Who the desk passed the call to: the technician, else their group; "" while at the desk."""
    if not call.get("routed_at"):
        return ""
    return call.get("assignee") or call.get("group_name") or ""


def qr_svg(call_id: int) -> str:
    """The call's page at the school's public address as an inline SVG QR code (no image to
    fetch); "" while the public address is not set, rather than this server's own host."""
    url = public_address.printed(url_for("calls.view", call_id=call_id))
    if not url:
        return ""
    return segno.make(url, error="m").svg_inline(scale=1, border=0, omitsize=True)


def equipment_history(db: Database, call: dict[str, Any], user: User) -> list[dict]:
    """Earlier calls on the same asset that this person may see (never a trace of others)."""
    if not call.get("equipment_id"):
        return []
    recent = calls.recent_calls_for_equipment(db, call["equipment_id"], limit=40)
    visible = [
        c for c in recent if c["id"] != call["id"] and not c["voided"] and access.may_see(user, c)
    ]
    return visible[:EQUIPMENT_HISTORY]


def minutes_label(minutes: int) -> str:
    hours, rest = divmod(int(minutes or 0), 60)
    return f"{hours} h {rest} min" if hours else f"{rest} min"


def known_error(problem: dict[str, Any] | None) -> dict[str, str]:
    """The call's problem for the diagnostics sheet (what was filled in on screen wins): its
    number, title, status and known workaround or fix in "known errors", and "raise a
    problem?" ticked Yes, since one was raised."""
    if problem is None:
        return {}
    fix = problem["permanent_fix"] or problem["workaround"]
    label = "fix" if problem["permanent_fix"] else "workaround"
    text = f"Problem {problem['id']} ({problem['status']}): {problem['title']}"
    known = f"{text}; {label}: {fix}" if fix else text
    return {"known_errors": known, "raise_problem": "Yes"}  # it was raised: it is linked


def desk_lines(record: dict[str, list[dict[str, Any]]]) -> list[dict[str, str]]:
    """The desk's record as the sheet's one table: every hand-off, return, follow-up date
    and article, in date order (a follow-up by the date it is due)."""
    lines = []
    for h in record["passed"]:
        returned = h["how"] == "Returned to the desk"
        to = h["to"] + (f", {h['group']}" if h["group"] else "")
        why = "; ".join(p for p in (h["why"], f"Agreed: {h['agreed']}" if h["agreed"] else "") if p)
        when = f" on {h['visit_on']}" if h["visit_on"] else ""
        lines.append(
            {
                "at": h["at"][:16],
                "what": h["how"] if returned else f"Passed on: {h['how'].lower()}{when}",
                "who": f"by {h['by']}" if returned else to,
                "why": why,
            }
        )
    for f in record["follow_ups"]:
        done = f" (done {f['done_at'][:10]})" if f["done_at"] else ""
        lines.append(
            {
                "at": f["due_on"],
                "what": f"Follow up{done}",
                "who": f["by_name"] or "",
                "why": f["comment"],
            }
        )
    for a in record["kb"]:
        what = "KB article applied" if a["solved"] else "KB article checked"
        lines.append(
            {"at": a["at"][:16], "what": what, "who": a["by_name"] or "", "why": a["title"]}
        )
    return sorted(lines, key=lambda line: line["at"])


def call_sheet(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """Everything a job sheet or diagnostics sheet prints for one call: what it holds now."""
    notes = store.notes(db, call["id"])
    done = store.actions(db, call["id"])
    told = store.user_told(db, call["id"])
    filed_by = store.filed_by_name(db, call)
    answers = store.answers(db, call["id"])
    record = store.diagnostic_record(db, call["id"])
    return {
        "call": call,
        "values": values(call)
        | {
            "user_told": "; ".join(f"{t['how']}, {t['at'][:16]}" for t in told),
            "filed": f"{call['filed_at'][:16]} by {filed_by}" if call.get("filed_at") else "",
        },
        "answers": answers,
        "actions": done,
        "total_minutes": sum(a["minutes"] or 0 for a in done),
        "user_told": told,
        "diagnostics": record,
        "desk_lines": desk_lines(desk_store.desk_record(db, call["id"])),
        # the diagnostics sheet's boxes: the call, the caller's answers, what was filled in
        "diagnostic_values": values(call)
        | known_error(problems.problem_for_call(db, call["id"]))
        | answers
        | {k: v for k, v in record["fields"].items() if v},
        "qr": qr_svg(call["id"]),
        "notes": notes[-MAX_NOTES:],
        "notes_left_out": max(len(notes) - MAX_NOTES, 0),
        "equipment_history": equipment_history(db, call, user),
        "checks": store.checks_for(db, call["category_id"], call["category"]),
        "files": attachment_sheet.sheet_files(db, call["id"]),
    }


def answers_panel(db: Database, call: dict[str, Any], _user: User) -> dict[str, Any]:
    """The caller's answers for the call's page, under the sheet's own questions."""
    answers = store.answers(db, call["id"])
    return {
        "caller_answers": [
            (field["label"], answers[field["name"]])
            for field in questions.sheet_fields()
            if field["name"] in answers
        ]
    }


def desk_panel(db: Database, call: dict[str, Any], _user: User) -> dict[str, Any]:
    """The desk's part of the job sheet on the call's page: passed on, KB, follow-ups."""
    return {"desk_record": desk_store.desk_record(db, call["id"])}

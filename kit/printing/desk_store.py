"""The SQL for the desk's part of a call's record: the knowledge base articles checked or
applied, every time the call was passed on (to whom, which group, how, why) or returned to
the desk, and its follow-up dates each with why.

The job sheet's "Passing it on and following up" part and the call page's panel of the same
name read this one function, so paper and screen tell the same story.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

#: How each way of passing a call on reads on paper (short: it prints in a table cell).
HOW = {"email": "By email", "phone": "By phone", "visit": "Next visit"}


def kb_checked(db: Database, call_id: int) -> list[dict[str, Any]]:
    """Articles linked to the call, oldest first: checked, or applied when they solved it."""
    return [
        dict(r)
        for r in db.execute(
            "SELECT a.title, ca.linked_at AS at, u.name AS by_name, ca.solved "
            "FROM call_articles ca JOIN articles a ON a.id = ca.article_id "
            "LEFT JOIN users u ON u.id = ca.linked_by WHERE ca.call_id = ? "
            "ORDER BY ca.linked_at, a.id",
            [call_id],
        ).fetchall()
    ]


def passed_on(db: Database, call_id: int) -> list[dict[str, Any]]:
    """Every hand-off and every return to the desk, oldest first.

    Each row: at, how ("By phone", "Returned to the desk"...), to (technician), group (with
    tier), why (the reason a technician is needed, or the technician's reason for returning
    it), agreed (the note of what was agreed), by (who did it), visit_on.
    """
    rows = [
        {
            "at": r["created_at"],
            "how": HOW.get(r["method"], r["method"]),
            "to": r["technician"],
            "group": f"{r['group_name']} (tier {r['tier']})" if r["group_name"] else "",
            "why": r["reason"] or "",
            "agreed": r["note"] or "",
            "by": r["by_name"] or "",
            "visit_on": r["visit_on"] or "",
        }
        for r in db.execute(
            "SELECT h.*, t.name AS technician, g.name AS group_name, g.tier, b.name AS by_name "
            "FROM handoffs h JOIN users t ON t.id = h.technician_id "
            "LEFT JOIN support_groups g ON g.id = h.group_id "
            "LEFT JOIN users b ON b.id = h.created_by WHERE h.call_id = ? ORDER BY h.id",
            [call_id],
        ).fetchall()
    ]
    rows += [
        {
            "at": r["at"],
            "how": "Returned to the desk",
            "to": "The service desk",
            "group": "",
            "why": r["text"] or "",
            "agreed": "",
            "by": r["by_name"] or "",
            "visit_on": "",
        }
        for r in db.execute(
            "SELECT e.at, e.text, u.name AS by_name FROM call_events e "
            "LEFT JOIN users u ON u.id = e.user_id "
            "WHERE e.call_id = ? AND e.kind = 'returned_to_desk' ORDER BY e.id",
            [call_id],
        ).fetchall()
    ]
    return sorted(rows, key=lambda r: r["at"])


def follow_ups(db: Database, call_id: int) -> list[dict[str, Any]]:
    """The call's follow-up dates, in date order, each with why and whether it was done."""
    return [
        dict(r)
        for r in db.execute(
            "SELECT f.due_on, f.comment, f.done_at, u.name AS by_name FROM followups f "
            "LEFT JOIN users u ON u.id = f.created_by WHERE f.call_id = ? "
            "ORDER BY f.due_on, f.id",
            [call_id],
        ).fetchall()
    ]


def desk_record(db: Database, call_id: int) -> dict[str, list[dict[str, Any]]]:
    """The three lists together, as the sheet and the call page show them."""
    return {
        "kb": kb_checked(db, call_id),
        "passed": passed_on(db, call_id),
        "follow_ups": follow_ups(db, call_id),
    }


def follow_up_dates(db: Database, call_ids: list[int]) -> dict[int, str]:
    """Each call's follow-up date for the printed call log: the next one not yet done, else
    the last one set (calls without any are left out)."""
    if not call_ids:
        return {}
    marks = ",".join("?" * len(call_ids))
    rows = db.execute(
        "SELECT call_id, MIN(CASE WHEN done_at IS NULL THEN due_on END) AS next_due, "
        f"MAX(due_on) AS last_due FROM followups WHERE call_id IN ({marks}) GROUP BY call_id",
        call_ids,
    ).fetchall()
    return {r["call_id"]: r["next_due"] or r["last_due"] for r in rows}

"""Taking a file off a call, and the retention rule that finally deletes files.

Removing is a record, not a deletion: the desk or the coordinator gives a reason, the file
disappears from the call page and its address, and the call's history says who removed
what and why. The file itself is deleted only by `purge_closed`, which the daily job runs
for calls closed longer ago than the school's retention setting.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kit.attachments import files
from kit.attachments import store as astore
from kit.attachments.detect import Refused
from kit.calls import store as calls
from kit.db import stamp, write_lock


def remove(
    db: Database, call_id: int, n: int, *, user_id: int | None, reason: str, at: datetime
) -> dict[str, Any]:
    """Hide attachment `n` from the call, with the reason in its history. The file stays
    on disk until the retention rule deletes it (the record must show what was removed)."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Write why the file is being removed.")
    with write_lock(db):
        row = astore.get(db, call_id, n)
        if row is None:
            raise Refused("There is no such file on this call.")
        if row["removed_at"]:
            raise Refused(f"“{row['name']}” was already removed.")
        astore.mark_removed(db, row["id"], user_id=user_id, reason=reason, at=stamp(at))
        calls.add_event(
            db,
            call_id,
            user_id=user_id,
            at=at,
            kind="attachment_removed",
            text=f"Removed {row['name']}: {reason}",
        )
    return row


def retention_cutoff(at: datetime, months: int) -> datetime | None:
    """Calls closed before this time have their files deleted; None when `months` is 0
    (keep for ever). The same day of the month, or the month's last day if it has none."""
    if months <= 0:
        return None
    month_index = at.year * 12 + at.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(at.day, calendar.monthrange(year, month + 1)[1])
    return at.replace(year=year, month=month + 1, day=day)


def purge_closed(
    db: Database, instance_path: Path | str, closed_before: datetime, *, at: datetime
) -> int:
    """Delete the files of calls closed before `closed_before` (the retention rule); their
    rows and history stay, marked as deleted. Returns how many files were deleted."""
    done = 0
    with write_lock(db):
        due = astore.due_for_purge(db, stamp(closed_before))
        for row in due:
            files.delete(instance_path, row["stored_name"])
            files.delete(instance_path, row["thumb_name"])
            astore.mark_purged(db, row["id"], stamp(at))
            done += 1
        for call_id in sorted({r["call_id"] for r in due}):
            names = ", ".join(r["name"] for r in due if r["call_id"] == call_id)
            calls.add_event(
                db,
                call_id,
                user_id=None,
                at=at,
                kind="attachments_purged",
                text=f"Deleted under the school's retention rule: {names}.",
            )
    return done

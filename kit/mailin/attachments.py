"""Files that came with a mail are kept with its call through the kit's one attachment path
(`kit.attachments.api`, source "mail"), with the public limits: a mail's sender is not
proven, so only pictures and PDFs are kept, and each file the kit refuses is named in the
call's history with the reason."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from kit.attachments import api, limits
from kit.calls import store as calls
from kit.mailin.parse import Attachment


def keep(
    db: Database,
    instance_path: Path | str,
    call_id: int,
    files: Sequence[Attachment],
    at: datetime,
) -> list[str]:
    """Keep the mail's files with the call (outside any transaction); the refusals."""
    if not files:
        return []
    added = api.add_files(
        db,
        instance_path,
        call_id,
        [(item.filename, item.content) for item in files],
        added_by=None,
        source=api.MAIL,
        limits=limits.for_public(db),
        at=at,
    )
    if added.refusals and not added.saved:  # the attachment path records only what it kept
        calls.add_event(
            db,
            call_id,
            user_id=None,
            at=at,
            kind="attachments_refused",
            text="Files in the mail that were not kept:\n" + "\n".join(added.refusals),
        )
    return added.refusals

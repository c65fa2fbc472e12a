"""Files that came with a mail. Until the kit keeps attachments, the call says how many
files the mail carried, so the desk knows to look in the mailbox for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from kit.mailin.parse import Attachment


def note_for(count: int) -> str:
    """The line added to a call's details or note for a mail that carried files."""
    if not count:
        return ""
    files = "1 attached file" if count == 1 else f"{count} attached files"
    return f"\n\n(The mail carried {files}; they are in the desk's mailbox.)"


def keep(
    db: Database,
    instance_path: Path | str,
    call_id: int,
    files: Sequence[Attachment],
    at: datetime,
) -> list[str]:
    """Keep the mail's files with the call; returns the refusals (none yet: not kept)."""
    return []

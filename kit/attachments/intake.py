"""Files sent with a form that also logs a call (log a call, the customer's web form).

The files are checked first, before the call is logged: one that is refused sends the form
back (400) with what was typed kept and the reason by the file field, and nothing is
logged. Once the call is logged its checked files are kept with it in one step.
"""

from __future__ import annotations

from flask import current_app
from sqlite_utils import Database
from wtforms import MultipleFileField

from kit.attachments import api
from kit.attachments import store as astore
from kit.attachments.forms import uploads
from kit.attachments.limits import Limits
from kit.db import now

RECHOOSE = " Browsers forget chosen files when a form comes back: choose them again."


def checked(field: MultipleFileField, limits: Limits) -> list[api.Prepared] | None:
    """The chosen files checked and redrawn, or None after putting the refusals on `field`."""
    prepared, refusals = api.prepare(uploads(field, limits.file_bytes), limits)
    if refusals:
        field.errors = [*refusals[:-1], refusals[-1] + RECHOOSE]
        return None
    return prepared


def keep(
    db: Database,
    call_id: int,
    prepared: list[api.Prepared],
    *,
    added_by: int | None,
    source: str,
    limits: Limits,
) -> list[str]:
    """Keep the checked files with the newly logged call; the refusals (call limits only)."""
    if not prepared:
        return []
    _saved, refusals = api.save(
        db,
        current_app.instance_path,
        call_id,
        prepared,
        added_by=added_by,
        source=source,
        limits=limits,
        at=now(),
    )
    return refusals


def already_kept(db: Database, call_id: int, source: str) -> bool:
    """Whether a form sent again finds its files kept already. The files are kept after
    the call is committed, so an answer lost in between (a kill, a full disk) leaves a
    call without them: the resend keeps them then, and only then."""
    return astore.kept_from(db, call_id, source) > 0

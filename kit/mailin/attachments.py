"""Files that came with a mail are kept with its call through the kit's one attachment path
(`kit.attachments.api`, source "mail"), under the mail limits (`limits.for_mail`: pictures
and PDFs only, since a mail's sender is not proven; how many files one mail adds and how
large each may be are settings). Unlike a web form, a mail cannot be sent again corrected:
the kit keeps what it can, in the mail's order, and names each file it did not keep, with
the reason, in the call's history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from kit.attachments import api, limits
from kit.attachments.detect import Refused
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
    rules = limits.for_mail(db)
    prepared, refusals = _prepared(files, rules)
    saved: list = []
    if prepared:
        saved, late = api.save(
            db,
            instance_path,
            call_id,
            prepared,
            added_by=None,
            source=api.MAIL,
            limits=rules,
            at=at,
            earlier_refusals=refusals,
        )
        refusals += late
    if refusals and not saved:  # the attachment path records only what it kept
        calls.add_event(
            db,
            call_id,
            user_id=None,
            at=at,
            kind="attachments_refused",
            text="Files in the mail that were not kept: " + " ".join(refusals),
        )
    return refusals


def failed(db: Database, call_id: int, count: int, exc: Exception, at: datetime) -> None:
    """The call's history says the mail's files could not be kept (a fault in the kit)."""
    calls.add_event(
        db,
        call_id,
        user_id=None,
        at=at,
        kind="attachments_refused",
        text=(
            f"The {count} file(s) in the mail could not be kept: the kit failed on them "
            f"({type(exc).__name__}). They are still in the desk's mailbox."
        ),
    )


def _prepared(
    files: Sequence[Attachment], rules: limits.Limits
) -> tuple[list[api.Prepared], list[str]]:
    """Each file checked and redrawn in the mail's order, until a mail's number is kept."""
    prepared: list[api.Prepared] = []
    refusals: list[str] = []
    for item in files:
        if len(prepared) >= rules.per_request:
            refusals.append(
                f"“{api.safe_name(item.filename)}” was not kept: one mail adds at most "
                f"{rules.per_request} files to a call."
            )
            continue
        try:
            prepared.append(api.prepare_one(item.filename, item.content, rules))
        except Refused as exc:
            refusals.append(_for_the_desk(str(exc)))
    return prepared, refusals


def _for_the_desk(reason: str) -> str:
    """The reason without the advice the web form gives its sender ("Nothing was kept:
    send a smaller copy"): on the call, the desk reads why a file is missing."""
    return reason.split(" Nothing was kept:", 1)[0]

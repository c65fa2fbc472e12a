"""Telling the caller, on paper as well as by email: the receipt when a call is logged, and
the notice of how it was resolved, for people without an email address.

Every call the desk logs with an email address gets the "logged" message with its reference
at once (web-form calls already did); a caller without one can be handed a printed receipt
slip. The resolution notice prints the summary the email would have carried. Both PDFs are
made by the kit's printing module, so they fetch nothing but the kit's own files.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g
from sqlite_utils import Database

from kit import settings
from kit.auth.roles import User
from kit.calls import access, action_panel, notify
from kit.calls import procedure_store as pstore
from kit.calls.blueprint import CALL_PAGE_EXTRAS, bp
from kit.db import get_db, now
from kit.rules import lifecycle as lc
from kit.security import requires


def send_receipt(db: Database, call: dict[str, Any], user: User | None, at: datetime) -> int | None:
    """Queue the "logged" message with the reference, once per call; None without an address."""
    if not call["caller_email"] or pstore.receipt_sent(db, call["id"]):
        return None
    return notify.send(
        db,
        "logged",
        call,
        to=[call["caller_email"]],
        at=at,
        author=user,
        customer_link=action_panel.customer_link(db, call),
    )


def receipt_panel(db: Database, call: dict[str, Any], user: User) -> dict[str, Any]:
    """For the call's page: whether the receipt went by email, and the printable slips."""
    return {
        "receipt": {
            "sent": pstore.receipt_sent(db, call["id"]),
            "can_print": user.can("print.call"),
            "notice": call["status"] in lc.CLOSED_STATUSES and bool(call["resolution_summary"]),
        }
    }


CALL_PAGE_EXTRAS.append(receipt_panel)


def _slip(template: str, call_id: int, suffix: str):
    from kit.printing.pdfs import pdf_bytes
    from kit.printing.render import pdf_response

    db = get_db()
    call = access.get_call_or_404(db, call_id, g.user)
    values = settings.get_all(db)
    pdf = pdf_bytes(
        template,
        call=call,
        school_name=values["school_name"],
        desk_phone=values["desk_phone"],
        desk_email=values["desk_email"],
        desk_hours=values["desk_hours"],
        today=now().date(),
    )
    return pdf_response(pdf, f"{call['ref']}-{suffix}.pdf")


@bp.get("/<id:call_id>/receipt.pdf")
@requires("print.call")
def receipt_slip(call_id: int):
    """A small slip to hand a caller without email: their reference and how to follow up."""
    return _slip("print/receipt_slip.html", call_id, "receipt")


@bp.get("/<id:call_id>/notice.pdf")
@requires("print.call")
def resolution_notice(call_id: int):
    """The printed notice of the resolution, for a user without email."""
    return _slip("print/resolution_notice.html", call_id, "notice")

"""One path from outside the desk to a logged call: the web form, mail in, uploads.

Whatever the channel, a call from outside is logged once per submission key (a form sent
twice, a mail read twice), starts in the triage category for the desk's check, gets the
customer a private status link, and (the first time only) tells them its reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from kit import settings
from kit.calls import notify, store
from kit.customer import links
from kit.customer import store as customer
from kit.rules.clock import WorkingCalendar
from kit.rules.procedure import reported_type


@dataclass
class Logged:
    call_id: int
    ref: str
    path: str  # the status link's path ("/my-call/<token>")
    repeated: bool  # the submission key had logged this call before
    told: bool  # an acknowledgement was queued


def log_outside_call(
    db: Database,
    new: store.NewCall,
    *,
    at: datetime,
    acknowledge: bool = True,
    in_reply_to: str = "",
    cal: WorkingCalendar | None = None,
) -> Logged:
    """Log `new` (its category, if none, the triage one) and issue the status link.

    The acknowledgement ("logged" message with the link) goes to the caller's email only
    for a first submission and when `acknowledge` is true; `in_reply_to` threads it under
    the mail it answers; `cal` saves building the school's calendar again for each call.
    """
    if not new.category_id:  # a fault is an Incident from the start, by any channel
        said = reported_type(new.answers.get("call_type"), f"{new.summary}\n{new.details}")
        new.category_id = customer.triage_category_id(db, said)
    call_id, ref, repeated = store.log_call_once(
        db, new, user_id=None, at=at, cal=cal or settings.calendar(db)
    )
    path = links.issue_link(db, call_id, at)
    if not acknowledge or repeated:  # nothing to tell: the call is not read back
        return Logged(call_id=call_id, ref=ref, path=path, repeated=repeated, told=False)
    call = store.get_call(db, call_id)
    told = (
        notify.send(
            db,
            "logged",
            call,
            to=[call["caller_email"]],
            at=at,
            customer_link=links.absolute(path),
            in_reply_to=in_reply_to,
        )
        is not None
    )
    return Logged(call_id=call_id, ref=call["ref"], path=path, repeated=repeated, told=told)

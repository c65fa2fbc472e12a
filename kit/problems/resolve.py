"""Resolving a problem: record the permanent fix and, when asked, resolve its open calls
with it and tell their callers.

The calls are resolved through the lifecycle's `workflow.resolve`, one by one, so each gets
its history entry and the caller the usual "resolved" message (with their link to say it
is not fixed). The callers have not each confirmed the fix, so the calls are resolved
under the procedure's exception "known service disruption": the problem record is the
evidence. Only calls the person may work on are resolved; any other is left open for the
desk and not mentioned to a technician who cannot see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.auth.roles import User
from kit.calls import access
from kit.calls import workflow as wf
from kit.problems import store
from kit.rules.lifecycle import TransitionError, is_open

EXCEPTION = "known service disruption"
DEFAULT_MESSAGE = "The cause of this fault has been found and fixed."


@dataclass
class Outcome:
    resolved: list[str] = field(default_factory=list)  # call references
    refused: list[str] = field(default_factory=list)  # "26-0007: the reason"


def _details(problem: dict[str, Any], fix: str) -> str:
    return (
        f"Resolved with problem {problem['id']}: {problem['title']}.\n"
        f"Cause: {problem['cause'] or 'not recorded'}\nPermanent fix: {fix}"
    )


def resolve_problem(
    db: Database,
    problem_id: int,
    *,
    permanent_fix: str,
    resolve_calls: bool,
    message: str,
    user: User,
    at: datetime,
    customer_link: Callable[[Database, dict[str, Any]], str],
) -> Outcome:
    """Mark the problem resolved with its fix; then resolve its open calls if asked.

    `message` is the resolution summary each caller is sent; `customer_link` makes the
    caller's status link for it (the lifecycle's `action_panel.customer_link`).
    """
    fix = (permanent_fix or "").strip()
    if not fix:
        raise wf.WorkflowError(
            "Write the permanent fix: it is what resolves the problem.", field="permanent_fix"
        )
    message = (message or "").strip() or DEFAULT_MESSAGE
    problem = store.get(db, problem_id)
    store.update(db, problem_id, {"permanent_fix": fix, "status": "resolved"}, at=at)
    outcome = Outcome()
    if not resolve_calls:
        return outcome
    for call in store.linked_calls(db, problem_id, access.visibility(user)):
        if not is_open(call["status"]) or not user.can("call.work"):
            continue
        try:
            wf.resolve(
                db,
                call["id"],
                summary=message,
                details=_details(problem, fix),
                closure_category=call["category"],
                customer_confirmed=False,
                confirmation_exception=EXCEPTION,
                user=user,
                at=at,
                customer_link=customer_link(db, call),
            )
        except (wf.WorkflowError, TransitionError) as exc:
            outcome.refused.append(f"{call['ref']}: {exc}")
        else:
            outcome.resolved.append(call["ref"])
    return outcome

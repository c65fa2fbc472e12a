"""Who may do what: the one permission table of the kit (shared/ROLES.md in code).

Views ask `user.can(action)` or use `requires(action)`; whether a technician may see a
particular call is decided once, in `kit.calls.access`. Actions are named for what a
person does, so a new route picks the row that describes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DESK, TECHNICIAN, COORDINATOR, LEADER, ADMIN = (
    "desk",
    "technician",
    "coordinator",
    "leader",
    "admin",
)
ROLES = (DESK, TECHNICIAN, COORDINATOR, LEADER, ADMIN)
ROLE_LABELS = {
    DESK: "Service desk (single point of contact)",
    TECHNICIAN: "Technician",
    COORDINATOR: "ICT coordinator",
    LEADER: "School leader",
    ADMIN: "Administrator",
}

PERMISSIONS: dict[str, frozenset[str]] = {
    # calls
    "queue.view": frozenset({DESK, TECHNICIAN, COORDINATOR, LEADER, ADMIN}),
    "calls.see_all": frozenset({DESK, COORDINATOR, LEADER, ADMIN}),
    "call.open": frozenset({DESK, TECHNICIAN, COORDINATOR, LEADER, ADMIN}),
    "call.log": frozenset({DESK, ADMIN}),
    "call.assign": frozenset({DESK, ADMIN}),
    # Only the desk passes work on; a technician hands a call back with the reason.
    "call.return_to_desk": frozenset({TECHNICIAN}),
    "calls.exceptions": frozenset({DESK, LEADER, ADMIN}),  # open calls with no owner...
    "call.note": frozenset({DESK, TECHNICIAN, COORDINATOR, ADMIN}),
    "call.work": frozenset({DESK, TECHNICIAN, ADMIN}),  # time, With Customer/3rd Party, resolve
    "call.close": frozenset({DESK, ADMIN}),
    "call.reopen": frozenset({DESK, ADMIN}),
    "call.void": frozenset({ADMIN}),
    "call.attach": frozenset({DESK, TECHNICIAN, COORDINATOR, ADMIN}),  # add files (routed)
    "call.attachment_remove": frozenset({DESK, COORDINATOR, ADMIN}),  # with a reason
    "hot_swaps.view": frozenset({DESK, ADMIN}),  # the open hot swaps list
    # printing
    "print.call": frozenset({DESK, TECHNICIAN, COORDINATOR, ADMIN}),
    "print.batch": frozenset({DESK, TECHNICIAN, ADMIN}),
    "print.call_log": frozenset({DESK, TECHNICIAN, COORDINATOR, LEADER, ADMIN}),
    "call.file": frozenset({DESK, ADMIN}),  # mark a closed call's paper as filed
    "print.blank": frozenset({DESK, TECHNICIAN, COORDINATOR, LEADER, ADMIN}),
    "print.checks": frozenset({COORDINATOR, ADMIN}),  # edit per-category diagnostic checks
    "visits.plan": frozenset({DESK, ADMIN}),  # technicians' visit days
    # knowledge base
    "kb.read": frozenset({DESK, TECHNICIAN, COORDINATOR, LEADER, ADMIN}),
    "kb.draft": frozenset({DESK, TECHNICIAN, COORDINATOR, ADMIN}),
    "kb.write": frozenset({COORDINATOR, ADMIN}),
    # leaders
    "reports.view": frozenset({LEADER, ADMIN}),
    "letter.view": frozenset({LEADER, ADMIN}),
    # administration
    "admin": frozenset({ADMIN}),
}


@dataclass(frozen=True)
class User:
    """The logged-in person, as views and rules see them."""

    id: int
    username: str
    name: str
    email: str = ""
    roles: frozenset[str] = frozenset()
    group_ids: frozenset[int] = field(default_factory=frozenset)

    def can(self, action: str) -> bool:
        return bool(PERMISSIONS[action] & self.roles)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def sees_all_calls(self) -> bool:
        return self.can("calls.see_all")


def parse_roles(text: str | None) -> frozenset[str]:
    """Roles as stored ("desk,admin"); unknown names are dropped, not trusted."""
    return frozenset(r.strip() for r in (text or "").split(",") if r.strip() in ROLES)


def format_roles(roles: set[str] | frozenset[str]) -> str:
    return ",".join(r for r in ROLES if r in roles)

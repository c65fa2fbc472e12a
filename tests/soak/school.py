"""The school the soak runs in: the demo school (`kit demo`), plus the day's people.

Sixteen people use the web pages: six at the desk, four technicians (in Service Delivery,
so the desk can pass calls to them), two coordinators, two leaders and two customers
(parents and staff without an account, who use the web form and status links). Five
members of staff in the directory write to the desk by mail.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.soak.mailroom import STAFF
from tests.soak.people import PASSWORD

ROLES = (  # (role, how many, user name prefix)
    ("desk", 6, "soakdesk"),
    ("technician", 4, "soaktech"),
    ("coordinator", 2, "soakcoord"),
    ("leader", 2, "soaklead"),
    ("customer", 2, "soakparent"),
)


def people() -> list[tuple[str, str]]:
    """(role, user name) of the sixteen."""
    return [(role, f"{prefix}{n}") for role, count, prefix in ROLES for n in range(1, count + 1)]


def make_school(instance: Path, kit: str, env: dict[str, str]) -> None:
    """The demo school in `instance`, with the soak's accounts and mail senders."""
    subprocess.run(
        [kit, "demo"], env={**env, "KIT_INSTANCE": str(instance)}, check=True, capture_output=True
    )
    from kit.auth import store as accounts
    from kit.db import connect
    from kit.directory import store as directory

    db = connect(str(instance / "kit.sqlite3"))
    try:
        group = db.execute(
            "SELECT id FROM support_groups WHERE name = 'Service Delivery'"
        ).fetchone()[0]
        for role, username in people():
            if role == "customer":
                continue
            number = username.removeprefix(username.rstrip("0123456789"))
            name = f"Soak {role.capitalize()} {number}"
            user_id = accounts.create_user(
                db,
                username=username,
                name=name,
                password=PASSWORD,
                roles={role},
                email=f"{username}@school.example",
            )
            if role == "technician":
                accounts.add_to_group(db, user_id, group)
        for n, address in enumerate(STAFF, 1):
            directory.add_person(db, name=f"Soak Staff {n}", email=address, department="Soak")
    finally:
        db.conn.close()
    os.sync()

"""Five years of varied calls for the workload summary's tests (tests/test_reports_summary.py):
calls logged through the store at every hour (midnight and the last minute of a month
included), resolved the same day, days or months later, closed without a resolution,
resolved *before* they were logged (a mistyped time), voided, reassigned; time recorded
on other days, months and years; callers in the directory and not, rooms of their own or
their equipment's. Drawn from a seeded random generator, so every run is the same.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

FIRST = datetime(2021, 12, 1, 0, 0)
LAST = datetime(2026, 11, 23, 9, 0)


class Made:
    """What the builder made, for the tests' further writes."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.people: list[int] = []
        self.rooms: list[int] = []
        self.equipment: list[int] = []
        self.users: list[int] = []
        self.groups: list[int] = []
        self.categories: list[int] = []


def stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


def account(db, username: str) -> int:
    """An account that never logs in (no password hash to work out)."""
    return (
        db["users"]
        .insert(
            {
                "username": username,
                "name": username.title(),
                "email": f"{username}@x.example",
                "password_hash": "-",
                "roles": "technician",
                "active": 1,
                "session_version": 0,
                "created_at": "",
            }
        )  # fmt: skip
        .last_pk
    )


def _directory(db, made: Made) -> None:
    for site, room in (("Main", "Lab 1"), ("Main", "Office"), ("Annexe", "Hall")):
        row = {"site": site, "building": "A", "room": room, "teaching_space": 0}
        made.rooms.append(db["locations"].insert(row).last_pk)
    for n, room in enumerate([made.rooms[0], made.rooms[2], None]):
        row = {"asset_tag": f"PC-{n}", "type": "PC", "make": "", "model": "",
               "location_id": room, "serial": "", "supplier": ""}  # fmt: skip
        made.equipment.append(db["equipment"].insert(row).last_pk)
    for name, department in (("Ann Teacher", "Science"), ("Ben Head", ""), ("", "Maths")):
        row = {"name": name, "department": department}
        made.people.append(db["people"].insert(row).last_pk)
    made.users = [account(db, name) for name in ("tess", "tom")]
    made.groups = [r[0] for r in db.execute("SELECT id FROM support_groups ORDER BY id")]
    made.categories = [r[0] for r in db.execute("SELECT id FROM categories ORDER BY id")]


def moment(rng: random.Random) -> datetime:
    """A time in the five years, often at the edges of a day or month."""
    day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days))
    edge = rng.random()
    if edge < 0.1:
        return day.replace(hour=0, minute=0)
    if edge < 0.2:
        return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(minutes=1)
    return day.replace(hour=rng.randrange(24), minute=rng.randrange(60))


def log(db, make_call, clock, rng: random.Random, made: Made, at: datetime) -> int:
    clock.set(at)
    category = db["categories"].get(rng.choice(made.categories))["name"]
    fields: dict = {"caller_name": rng.choice(["Ann Teacher", "Walk-in", "Cy", "A. Teacher"])}
    if rng.random() < 0.5:
        fields["caller_id"] = rng.choice(made.people)
    where = rng.random()
    if where < 0.4:
        fields["location_id"] = rng.choice(made.rooms)
    elif where < 0.8:
        fields["equipment_id"] = rng.choice(made.equipment)
    call_id = make_call(f"Call {len(made.calls)}", category, **fields)
    made.calls.append(call_id)
    return call_id


def finish(db, rng: random.Random, made: Made, call_id: int) -> None:
    """Resolved, closed, left open, backwards, voided or reassigned, at random."""
    call = db["calls"].get(call_id)
    logged = datetime.fromisoformat(call["logged_at"])
    later = logged + timedelta(hours=rng.choice([0.5, 3, 20, 50, 24 * 40, 24 * 400]))
    values: dict = {
        "assignee_id": rng.choice(made.users + [None]),
        "group_id": rng.choice(made.groups),
    }
    fate = rng.random()
    if fate < 0.45:
        values["resolved_at"] = stamp(later)
        if rng.random() < 0.5:
            values["closed_at"] = stamp(later + timedelta(days=rng.choice([0, 3])))
    elif fate < 0.6:
        values["closed_at"] = stamp(later)  # closed without a resolution
    elif fate < 0.65:
        values["resolved_at"] = stamp(logged - timedelta(days=rng.choice([1, 40])))  # backwards
    elif fate < 0.7:
        values["voided"] = 1
    db["calls"].update(call_id, values)
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        worked = logged + timedelta(days=rng.choice([0, 1, 35, 370]))
        db["time_entries"].insert(
            {"call_id": call_id, "user_id": rng.choice(made.users + [None]),
             "worked_on": worked.date().isoformat(), "minutes": rng.randrange(5, 240),
             "note": "", "created_at": stamp(worked)}
        )  # fmt: skip


def build(db, make_call, clock, *, calls: int = 240, seed: int = 19) -> Made:
    rng = random.Random(seed)
    made = Made()
    _directory(db, made)
    for _ in range(calls):
        call_id = log(db, make_call, clock, rng, made, moment(rng))
        finish(db, rng, made, call_id)
    _at_the_edges(db, make_call, clock, rng, made)
    clock.set(LAST)
    return made


# (logged, resolved) at the test ranges' edges: backwards across a range's start or end,
# and across midnight into a range.
EDGES = (
    ("2025-03-16 10:00", "2025-03-10 09:00"),
    ("2025-04-12 10:00", "2025-04-05 16:00"),
    ("2021-11-25 08:00", "2021-11-20 08:00"),
    ("2025-03-14 23:59", "2025-03-15 00:00"),
    ("2025-04-10 23:59", "2025-04-11 00:00"),
)


def _at_the_edges(db, make_call, clock, rng: random.Random, made: Made) -> None:
    for logged, resolved in EDGES:
        call_id = log(db, make_call, clock, rng, made, datetime.fromisoformat(logged))
        db["calls"].update(call_id, {"resolved_at": f"{resolved}:00", "group_id": made.groups[0]})

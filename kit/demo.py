"""A realistic demo school, so a new user can log in and try every role at once.

Loaded by `kit demo` (and `make run`) only into an empty database. The logins are printed
on every start while the demo accounts exist, and documented in README.md. Who and what
the demo school is (accounts, rooms, people, equipment, calls) is in `kit.demo_school`;
this module puts it into a database and plays each call's story through the workflow.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from kit import settings
from kit.auth import store as accounts
from kit.calls import store as calls
from kit.demo_school import (
    CALLS,
    CHANNELS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_PUBLIC_URL,
    EQUIPMENT,
    LOCATIONS,
    PEOPLE,
    TEAM_LEADERS,
)
from kit.directory import store as directory


def is_empty(db: Database) -> bool:
    return db["users"].count == 0


def load(db: Database, *, at: datetime) -> None:
    """Fill an empty database with the demo school."""
    settings.put(
        db, "school_name", "Northfield Community School", user_id=None, at=at.isoformat(sep=" ")
    )
    settings.put(
        db, "desk_phone", "01632 960 100 (ext. 100)", user_id=None, at=at.isoformat(sep=" ")
    )
    settings.put(
        db, "desk_email", "ictsupport@northfield.example", user_id=None, at=at.isoformat(sep=" ")
    )
    settings.put(  # where staff reach the kit: printed on the letter, charter and QR codes
        db, "public_url", DEMO_PUBLIC_URL, user_id=None, at=at.isoformat(sep=" ")
    )
    settings.put(  # the demo school is set up: its admin is not sent to the wizard
        db, "setup_step", "done", user_id=None, at=at.isoformat(sep=" ")
    )
    user_ids = _accounts(db)
    rooms = _locations(db)
    _people(db)
    _equipment(db, rooms)
    _calls(db, rooms, user_ids["office"], at)
    _progress(db, user_ids, at)


def _accounts(db: Database) -> dict[str, int]:
    ids = {}
    groups = {g["name"]: g["id"] for g in directory.list_groups(db)}
    for username, name, roles, member_of in DEMO_ACCOUNTS:
        ids[username] = accounts.create_user(
            db,
            username=username,
            name=name,
            password=DEMO_PASSWORD,
            roles=roles,
            email=f"{username}@northfield.example",
        )
        for group in member_of:
            accounts.add_to_group(db, ids[username], groups[group])
    for group, username in TEAM_LEADERS.items():
        db["support_groups"].update(groups[group], {"team_leader_id": ids[username]})
    return ids


def _locations(db: Database) -> dict[str, int]:
    return {
        room: db["locations"]
        .insert({"site": site, "building": building, "room": room, "teaching_space": teaching})
        .last_pk
        for site, building, room, teaching in LOCATIONS
    }


def _people(db: Database) -> None:
    for name, department, role, mailbox, extension in PEOPLE:
        directory.add_person(
            db,
            name=name,
            email=f"{mailbox}@northfield.example",
            phone=f"ext. {extension}",
            department=department,
            role=role,
        )


def _equipment(db: Database, rooms: dict[str, int]) -> None:
    for tag, kind, make, model, serial, room, supplier in EQUIPMENT:
        db["equipment"].insert(
            {
                "asset_tag": tag,
                "type": kind,
                "make": make,
                "model": model,
                "serial": serial,
                "location_id": rooms[room],
                "supplier": supplier,
                "purchase_date": "2023-08-21",
                "warranty_end": "2027-08-20",
            }
        )


def _calls(db: Database, rooms: dict[str, int], desk_id: int, at: datetime) -> None:
    from kit.rules.categories import teaching_space_summary

    cal = settings.calendar(db)
    for (minutes, caller, room, tag, category, summary, details), channel in reversed(
        list(zip(CALLS, CHANNELS, strict=True))
    ):
        location = directory.get_location(db, rooms[room]) if room else None
        person = directory.search_people(db, caller, limit=1)[0]
        if summary is None and location:
            summary = teaching_space_summary(
                location["site"], location["building"], location["room"]
            )
        item = directory.equipment_by_tag(db, tag) if tag else None
        calls.log_call(
            db,
            calls.NewCall(
                caller_name=caller,
                caller_id=person["id"],
                caller_email=person["email"],
                caller_phone=person["phone"],
                channel=channel,
                category_id=directory.category_by_name(db, category)["id"],
                summary=summary,
                details=details,
                location_id=location["id"] if location else None,
                equipment_id=item["id"] if item else None,
                desk_checked=True,  # the desk read the details back while logging
            ),
            user_id=desk_id,
            at=at - timedelta(minutes=minutes),
            cal=cal,
        )


def _progress(db: Database, user_ids: dict[str, int], at: datetime) -> None:
    """Move some demo calls along the procedure, so every role has something to look at:
    the technicians have jobs, one call waits on the customer, one on a supplier, and two
    are resolved (one at the desk on first contact), which the reports then count."""
    from kit.auth import store as auth_store
    from kit.calls import workflow
    from kit.visits import handoff

    def who(username: str):
        return auth_store.load_user(db, auth_store.get_user_row(db, user_ids[username]))

    office, tech, tina = who("office"), who("tech"), who("tina")
    ids = {r["ref"][-4:]: r["id"] for r in db.query("SELECT id, ref FROM calls")}
    step = at - timedelta(minutes=15)

    def routed(ref: str, user) -> int:
        """Passed on the one way the desk passes calls on: to a technician, by phone."""
        call = calls.get_call(db, ids[ref])
        handoff.pass_on(
            db,
            call,
            method="phone",
            technician_id=user.id,
            note=f"{user.name} will look at it today.",
            user=office,
            at=step,
            cal=settings.calendar(db),
            make_sheet=lambda *_: b"",
        )
        return ids[ref]

    def fixed(
        call_id: int, user, minutes: int, summary: str, details: str, closure: str, told: str
    ) -> None:
        """Time taken, then resolved with the customer's confirmation (the procedure's way),
        recording how the user was told."""
        workflow.add_time(db, call_id, minutes=minutes, worked_on=step.date(), user=user, at=step)
        workflow.resolve(
            db,
            call_id,
            summary=summary,
            details=details,
            closure_category=closure,
            customer_confirmed=True,
            confirmation_exception=None,
            user=user,
            at=step,
            informed_how=told,
        )

    done = routed("0001", tech)
    workflow.start(db, done, user=tech, at=step)
    workflow.add_note(db, done, text="Recalibrated from the panel settings.", user=tech, at=step)
    fixed(
        done,
        tech,
        25,
        "The display was recalibrated; touch now lands under the pen.",
        "Ran the four-point calibration from the panel's settings menu.",
        "Projector or interactive display",
        "email",
    )
    workflow.close(db, done, user=office, at=step)

    hum = routed("0002", tech)
    workflow.start(db, hum, user=tech, at=step)
    workflow.set_with_third_party(
        db,
        hum,
        kind="vendor",
        name="AV Direct",
        contact="01632 960 555, support@avdirect.example",
        what="Replace the faulty ground-loop isolator on the hall amplifier.",
        reference="AVD-48213",
        expected_by=(at + timedelta(days=3)).date(),
        user=tech,
        at=step,
    )

    mis = routed("0003", tina)
    workflow.start(db, mis, user=tina, at=step)
    workflow.set_with_customer(
        db,
        mis,
        information_needed="Which classes' registers fail to save, and at what time?",
        notify_customer=True,
        user=tina,
        at=step,
    )

    routed("0004", tech)
    routed("0006", tina)

    fixed(  # at the desk on first contact: resolved straight from Logged
        ids["0005"],
        office,
        5,
        "Your account is unlocked; log in with your new password.",
        "Unlocked at the desk on the phone; the caller logged in while we spoke.",
        "Password reset or locked account",
        "phone",
    )

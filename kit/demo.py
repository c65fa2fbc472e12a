"""A realistic demo school, so a new user can log in and try every role at once.

Loaded by `kit demo` (and `make run`) only into an empty database. The logins are printed
on every start while the demo accounts exist, and documented in README.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from kit import settings
from kit.auth import store as accounts
from kit.calls import store as calls
from kit.directory import store as directory

DEMO_PASSWORD = "demo-school-2026"
DEMO_ACCOUNTS = (
    # user name, full name, roles, groups
    ("office", "Olive Office", {"desk"}, ()),
    ("tech", "Tom Technician", {"technician"}, ("Service Delivery",)),
    ("tina", "Tina Network", {"technician"}, ("Technology Integration",)),
    ("coordinator", "Carla Coordinator", {"coordinator"}, ()),
    ("head", "Harriet Head", {"leader"}, ()),
    ("admin", "Adam Admin", {"admin", "desk"}, ()),
)
TEAM_LEADERS = {
    "Service Delivery": "tech",
    "Technology Integration": "tina",
    "Service Desk": "office",
}

LOCATIONS = (
    # site, building, room, teaching space
    ("Main site", "Old Building", "Room 1", 1),
    ("Main site", "Old Building", "Room 2", 1),
    ("Main site", "Old Building", "Room 3", 1),
    ("Main site", "Old Building", "School Office", 0),
    ("Main site", "Old Building", "Staff Room", 0),
    ("Main site", "Science Block", "Lab S1", 1),
    ("Main site", "Science Block", "Lab S2", 1),
    ("Main site", "Science Block", "Prep Room", 0),
    ("Main site", "Library", "ICT Suite", 1),
    ("Main site", "Library", "Library", 1),
    ("Main site", "Sports Hall", "Main Hall", 1),
    ("Sixth Form Centre", "Centre", "Seminar Room A", 1),
    ("Sixth Form Centre", "Centre", "Study Area", 0),
    ("Sixth Form Centre", "Centre", "Server Room", 0),
)

PEOPLE = (
    ("Ann Teacher", "English", "Teacher", "ann.teacher", "201"),
    ("Ben Science", "Science", "Head of Science", "ben.science", "231"),
    ("Chloe Maths", "Mathematics", "Teacher", "chloe.maths", "212"),
    ("Dev Patel", "Computing", "Teacher", "dev.patel", "240"),
    ("Emma Librarian", "Library", "Librarian", "emma.librarian", "250"),
    ("Femi Adeyemi", "Humanities", "Teacher", "femi.adeyemi", "214"),
    ("Grace Bursar", "Office", "School Business Manager", "grace.bursar", "100"),
    ("Hugo Music", "Music", "Teacher", "hugo.music", "260"),
    ("Isla Reception", "Office", "Receptionist", "isla.reception", "101"),
    ("Jack PE", "Physical Education", "Teacher", "jack.pe", "270"),
    ("Kiran Sixth", "Sixth Form", "Head of Sixth Form", "kiran.sixth", "300"),
    ("Lena SENCo", "Learning Support", "SENCo", "lena.senco", "220"),
    ("Marta Languages", "Languages", "Teacher", "marta.languages", "216"),
    ("Noah Deputy", "Leadership", "Deputy Head", "noah.deputy", "110"),
    ("Priya Geography", "Humanities", "Teacher", "priya.geography", "215"),
)

EQUIPMENT = (
    # tag, type, make, model, serial, room, supplier
    ("PRJ-001", "Projector", "Epson", "EB-2250U", "X5JK100231", "Room 1", "AV Direct"),
    ("PRJ-002", "Projector", "Epson", "EB-2250U", "X5JK100245", "Room 2", "AV Direct"),
    (
        "IWB-003",
        "Interactive display",
        "Promethean",
        "ActivPanel 9",
        "AP9-77812",
        "Room 3",
        "AV Direct",
    ),
    ("PRJ-006", "Projector", "BenQ", "MH560", "PDB7A0112", "Lab S1", "AV Direct"),
    ("IWB-007", "Interactive display", "SMART", "MX275", "SBID-MX2-3381", "Lab S2", "AV Direct"),
    ("PC-101", "Desktop PC", "Dell", "OptiPlex 7010", "7GH2KX3", "Room 1", "Dell"),
    ("PC-102", "Desktop PC", "Dell", "OptiPlex 7010", "7GH2KX4", "Room 2", "Dell"),
    ("PC-103", "Desktop PC", "Dell", "OptiPlex 7010", "7GH2KX5", "Room 3", "Dell"),
    ("PC-901", "Desktop PC", "HP", "ProDesk 400 G9", "CZC3401AB", "ICT Suite", "HP"),
    ("PC-902", "Desktop PC", "HP", "ProDesk 400 G9", "CZC3401AC", "ICT Suite", "HP"),
    ("PC-903", "Desktop PC", "HP", "ProDesk 400 G9", "CZC3401AD", "ICT Suite", "HP"),
    (
        "PRN-OFF",
        "Printer",
        "Kyocera",
        "TASKalfa 3554ci",
        "W2R9012345",
        "School Office",
        "Copier Co",
    ),
    ("PRN-STF", "Printer", "HP", "LaserJet M507", "PHBQB12345", "Staff Room", "HP"),
    ("PRN-LIB", "Printer", "Brother", "HL-L8360CDW", "E78123K1N", "Library", "Brother"),
    ("LAP-CART1", "Laptop trolley", "LapSafe", "Diamond 32", "LS-32-0091", "Library", "LapSafe"),
    (
        "AP-HALL",
        "Wireless access point",
        "Ubiquiti",
        "U6 Pro",
        "UBQ-6P-7781",
        "Main Hall",
        "Net Services",
    ),
    ("SRV-01", "Server", "Dell", "PowerEdge T350", "9XK2LM3", "Server Room", "Dell"),
    ("SND-HALL", "Sound system", "Bose", "FreeSpace", "BOSE-FS-221", "Main Hall", "AV Direct"),
)

CALLS = (
    # minutes ago, caller, room, asset, category, summary, details
    (
        20,
        "Ann Teacher",
        "Room 1",
        "PRJ-001",
        "Teaching Space Technology",
        None,
        "Projector shows 'No signal' with the PC on. Lesson in progress, tried the input "
        "button on the remote.",
    ),
    (
        95,
        "Grace Bursar",
        "School Office",
        "PRN-OFF",
        "Printer or copier",
        "Office copier jams on every double-sided copy",
        "Paper jam in tray 2 (error J-0511).",
    ),
    (
        300,
        "Emma Librarian",
        "Library",
        None,
        "Network or Wi-Fi",
        "Wi-Fi drops in the library every few minutes",
        "Pupils lose connection on laptops.",
    ),
    (
        1500,
        "Marta Languages",
        None,
        None,
        "Password reset or locked account",
        "Locked out of email after password change",
        "Says 'Your account has been locked'.",
    ),
    (
        2900,
        "Dev Patel",
        "ICT Suite",
        "PC-902",
        "Software installation",
        "Install Python and Thonny on ICT Suite PCs",
        "Needed for Year 9 from next week.",
    ),
    (
        4300,
        "Noah Deputy",
        None,
        None,
        "MIS or school management system",
        "Registers will not save in the MIS",
        "Error 0x80070005 access denied when saving.",
    ),
    (
        7000,
        "Hugo Music",
        "Main Hall",
        "SND-HALL",
        "Projector or interactive display",
        "Hall sound system hums through the speakers",
        "Loud hum when the projector is on.",
    ),
    (
        10000,
        "Ben Science",
        "Lab S2",
        "IWB-007",
        "Projector or interactive display",
        "Interactive display touch is offset by 2 cm",
        "Needs calibrating.",
    ),
)


DEMO_PUBLIC_URL = "https://helpdesk.northfield.example"

# How each demo call came in (in the order of CALLS), so the call log shows every channel.
CHANNELS = (
    "Phone",
    "In person",
    "Email",
    "Answerphone",
    "Paper sheet in the tray",
    "Log book",
    "Phone",
    "Phone",
)


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

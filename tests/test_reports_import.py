"""Importing past calls from a spreadsheet call log: preview, every bad row, all or nothing."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

from kit import settings
from kit.reports import call_import
from kit.reports.call_import_rows import COLUMNS, PastCall

HEADER = (
    "logged,caller,category,summary,status,responded,resolved,closed,resolution,"
    "asset_tag,owner,old_reference\n"
)
GOOD = (
    HEADER + "2025-10-03 09:15,Ann Teacher,Printer or copier,Copier jams,Closed,"
    "2025-10-03 10:00,2025-10-03 14:30,2025-10-04 09:00,Cleared the jam,,,OLD-117\n"
    + "06/10/2025 11:00,Ben Science,email,Cannot send,Resolved,,06/10/2025 12:00,,,,,\n"
    + "2026-11-20 08:30,Chloe Maths,Email,Still broken,Logged,,,,,,,\n"
)


def _upload(post, text: str):
    return post(
        "/reports/import",
        {"file": (io.BytesIO(text.encode()), "calls.csv")},
        token_from="/reports/import",
        content_type="multipart/form-data",
    )


def test_import_past_call_keeps_its_times_status_and_history(app, db, users):
    category = db.execute("SELECT id FROM categories WHERE name = 'Email'").fetchone()[0]
    past = PastCall(
        logged_at=datetime(2025, 3, 4, 9, 0),
        caller_name="Ann",
        category_id=category,
        summary="Old call",
        status="Closed",
        resolved_at=datetime(2025, 3, 4, 12, 0),
        closed_at=datetime(2025, 3, 5, 9, 0),
    )
    call_id = call_import.import_past_call(
        db,
        past,
        user_id=users["admin"],
        at=datetime(2026, 11, 23, 9, 30),
        cal=settings.calendar(db),
    )
    call = db["calls"].get(call_id)
    assert (call["ref"], call["status"], call["logged_at"], call["closed_at"]) == (
        "25-0001",
        "Closed",
        "2025-03-04 09:00:00",
        "2025-03-05 09:00:00",
    )
    assert call["call_type"] == "Incident" and call["respond_by"] == "2025-03-04 13:00:00"
    events = list(db["call_events"].rows_where("call_id = ?", [call_id]))
    assert [e["kind"] for e in events] == ["imported"]
    assert json.loads(events[0]["changes"])["summary"] == [None, "Old call"]


def test_preview_lists_what_will_be_created_and_saves_nothing(login, post, db):
    login("admin")
    response = _upload(post, GOOD)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 calls will be created" in html
    assert "25-0001 · 2025-10-03 09:15 · Ann Teacher · Copier jams · Closed" in html
    assert "25-0002 · 2025-10-06 11:00 · Ben Science · Cannot send · Resolved" in html
    assert db["calls"].count == 0


def test_confirming_the_preview_imports_every_row(login, post, client, db):
    login("admin")
    token = re.search(
        r'name="token" value="([0-9a-f]+)"', _upload(post, GOOD).get_data(as_text=True)
    ).group(1)
    response = post("/reports/import", {"token": token}, token_from="/reports/import")
    assert response.status_code == 302
    calls = {c["summary"]: c for c in db["calls"].rows}
    assert calls["Copier jams"]["details"] == "Reference in the old call log: OLD-117"
    assert calls["Cannot send"]["closed_at"] is None
    assert calls["Cannot send"]["resolved_at"] == "2025-10-06 12:00:00"
    assert calls["Still broken"]["ref"] == "26-0001"
    assert db["call_events"].count == 3


def test_every_bad_row_is_listed_with_its_number_and_nothing_is_imported(login, post, db):
    text = (
        HEADER
        + "2025-10-03 09:15,Ann,Printer or copier,Fine row,Closed,,,2025-10-04 09:00,,,,\n"
        + "2025-13-03 09:15,Ann,Printer or copier,Bad date,Closed,,,,,,,\n"
        + "2025-10-03 09:15,,Nonsense,,Closed,,,,,,,\n"
        + "2025-10-03 09:15,Ann,Email,Resolved early,Resolved,,2025-10-02 09:00,,,,,\n"
        + "2025-10-03 09:15,Ann,Email,No such asset,Closed,,,2025-10-04 09:00,,ZZ-9,nobody,\n"
        + "2027-01-01 09:00,Ann,Email,Future,Logged,,,,,,,\n"
    )
    login("admin")
    response = _upload(post, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for row, message in (
        (3, "is not a date and time"),
        (4, "This cell is empty"),
        (4, "No category “Nonsense”"),
        (5, "cannot be resolved before"),
        (6, "No equipment has the asset tag “ZZ-9”"),
        (6, "No account has the user name “nobody”"),
        (7, "This time is in the future."),
    ):
        assert re.search(rf"<td>{row}</td><td>[^<]*</td><td>[^<]*{re.escape(message)}", html), (
            row,
            message,
        )
    assert db["calls"].count == 0


def test_a_file_imported_twice_is_refused_the_second_time(app, db, users):
    at = datetime(2026, 11, 23, 9, 30)
    cal = settings.calendar(db)
    first = call_import.import_calls(db, GOOD, dry_run=False, user_id=None, at=at, cal=cal)
    again = call_import.import_calls(db, GOOD, dry_run=False, user_id=None, at=at, cal=cal)
    assert first.imported and first.created == 3
    assert not again.imported
    assert again.errors[0] == (2, "summary", "This call was imported before, as 25-0001.")
    assert db["calls"].count == 3


def test_the_same_call_twice_in_one_file_is_refused(app, db):
    text = GOOD + GOOD.splitlines(keepends=True)[1]
    report = call_import.import_calls(
        db, text, dry_run=True, user_id=None, at=datetime(2026, 11, 23), cal=settings.calendar(db)
    )
    assert report.errors == [(5, "summary", "Row 2 is the same call: keep one.")]


def test_a_missing_column_or_an_unknown_one_is_reported_on_row_1(app, db):
    report = call_import.import_calls(
        db,
        "logged,caller,colour\n2025-01-01,Ann,red\n",
        dry_run=True,
        user_id=None,
        at=datetime(2026, 11, 23),
        cal=settings.calendar(db),
    )
    assert (1, "colour") in [(r, c) for r, c, _ in report.errors]
    assert (1, "category") in [(r, c) for r, c, _ in report.errors]


def test_imported_calls_number_after_calls_already_in_that_year(app, db, make_call):
    make_call(summary="Logged today")  # 26-0001
    past = (
        "logged,caller,category,summary,status,resolved\n"
        "2026-01-05 09:00,Ann,Email,January,Resolved,2026-01-05 10:00\n"
    )
    call_import.import_calls(
        db,
        past,
        dry_run=False,
        user_id=None,
        at=datetime(2026, 11, 23, 9, 30),
        cal=settings.calendar(db),
    )
    assert {c["summary"]: c["ref"] for c in db["calls"].rows}["January"] == "26-0002"


def test_template_has_every_column(login, client):
    login("admin")
    text = client.get("/reports/import/template.csv").get_data(as_text=True)
    assert text.removeprefix("\ufeff").splitlines()[0].split(",") == [
        name for name, _, _ in COLUMNS
    ]

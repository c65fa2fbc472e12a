"""The call lifecycle's steps, store-level: rules, history entries and messages queued."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from kit import settings
from kit.calls import lifecycle_store as lstore
from kit.calls import workflow as wf
from kit.rules.lifecycle import TransitionError


@pytest.fixture
def leader(db, users, group_id):
    """A team leader for Service Delivery, and the group's shared mailbox."""
    leader_id = users.make("lead", {"technician"}, name="Lee Leader", groups=("Service Delivery",))
    db["support_groups"].update(
        group_id("Service Delivery"), {"team_leader_id": leader_id, "email": "sd@school.example"}
    )
    return leader_id


def _events(db, call_id):
    return list(db["call_events"].rows_where("call_id = ?", [call_id], order_by="id"))


def _outbox(db, kind):
    return list(db["outbox"].rows_where("kind = ?", [kind], order_by="id"))


def _call(db, call_id):
    return db["calls"].get(call_id)


@pytest.fixture
def assigned(make_call, passed_on):
    """assigned(**fields) logs a call from ann@school.example and passes it to the technician."""
    return lambda **fields: passed_on(make_call(caller_email="ann@school.example", **fields))


# --- assign and re-assign ------------------------------------------------------------


def test_assign_routes_the_call_to_a_member_and_tells_them(db, users, assigned):
    call_id = assigned()
    call = _call(db, call_id)
    assert (call["status"], call["assignee_id"]) == ("Assigned", users["technician"])
    assert call["routed_at"] == "2026-11-23 09:30:00"
    assert _events(db, call_id)[-1]["kind"] == "assigned"
    assert _outbox(db, "assigned")[0]["to_addr"] == "technician@school.example"


def test_assign_refuses_an_owner_outside_the_group(db, make_call, who, users, clock, group_id):
    call_id = make_call()
    with pytest.raises(wf.WorkflowError) as err:
        wf.assign(
            db,
            call_id,
            group_id=group_id("Technology Integration"),
            assignee_id=users["technician"],
            user=who("desk"),
            at=clock(),
        )
    assert err.value.field == "assignee_id"
    assert _call(db, call_id)["status"] == "Logged"


def test_assign_without_an_owner_is_refused(db, make_call, who, clock, group_id):
    call_id = make_call()
    with pytest.raises(wf.WorkflowError) as err:
        wf.assign(db, call_id, group_id=group_id("Service Delivery"), user=who("desk"), at=clock())
    assert err.value.field == "assignee_id"
    assert _call(db, call_id)["status"] == "Logged"


def test_technician_cannot_assign(db, who, users, clock, group_id, assigned):
    call_id = assigned()
    with pytest.raises(wf.NotAllowed):
        wf.assign(
            db,
            call_id,
            group_id=group_id("Service Delivery"),
            assignee_id=users["technician"],
            user=who("technician"),
            at=clock(),
        )


def test_return_to_desk_keeps_title_and_details_and_adds_the_dated_reason(
    db, who, users, clock, group_id, assigned
):
    call_id = assigned(details="No picture.")
    wf.return_to_desk(db, call_id, reason="Network port dead", user=who("technician"), at=clock())
    call = _call(db, call_id)
    assert call["summary"] == "Projector shows no picture"
    assert call["details"].startswith(
        "No picture.\n\n--- Returned to the desk on 23 Nov 2026 09:30 by Technician ---"
    )
    assert call["details"].endswith("Network port dead")
    assert (call["group_id"], call["assignee_id"]) == (group_id("Service Desk"), users["desk"])
    event = _events(db, call_id)[-1]
    assert (event["kind"], event["text"]) == ("returned_to_desk", "Network port dead")


def test_return_to_desk_tells_the_desk(db, who, clock, assigned):
    call_id = assigned()
    wf.return_to_desk(db, call_id, reason="Port", user=who("technician"), at=clock())
    message = _outbox(db, "reassigned")[0]
    assert message["to_addr"] == "desk@school.example"
    assert "Reason: Port" in message["body"]


def test_return_to_desk_needs_a_reason(db, who, clock, assigned):
    call_id = assigned()
    with pytest.raises(wf.WorkflowError) as err:
        wf.return_to_desk(db, call_id, reason="  ", user=who("technician"), at=clock())
    assert err.value.field == "reason"


def test_technician_cannot_return_a_call_not_routed_to_them(db, make_call, who, clock):
    call_id = make_call()
    with pytest.raises(wf.NotAllowed):
        wf.return_to_desk(db, call_id, reason="Not mine", user=who("technician"), at=clock())


def test_the_desk_does_not_return_calls_to_itself(db, who, clock, assigned):
    call_id = assigned()
    with pytest.raises(wf.NotAllowed):
        wf.return_to_desk(db, call_id, reason="Hmm", user=who("desk"), at=clock())


# --- working the call ----------------------------------------------------------------


def test_start_records_the_response_and_takes_a_group_call(
    db, make_call, who, clock, group_id, passed_on
):
    call_id = make_call()
    passed_on(call_id)
    db["calls"].update(call_id, {"assignee_id": None})  # a group call from before owners
    tech = who("technician")
    wf.start(db, call_id, user=tech, at=clock())
    call = _call(db, call_id)
    assert (call["status"], call["assignee_id"]) == ("In Progress", tech.id)
    assert call["responded_at"] == "2026-11-23 09:30:00"


def test_start_is_refused_before_the_call_is_assigned(db, make_call, who, clock):
    with pytest.raises(TransitionError):
        wf.start(db, make_call(), user=who("desk"), at=clock())


def test_note_tells_the_owner_but_not_its_author(db, who, clock, assigned):
    call_id = assigned()
    wf.add_note(db, call_id, text="Caller rang again", user=who("desk"), at=clock())
    wf.add_note(db, call_id, text="On my way", user=who("technician"), at=clock())
    notes = _outbox(db, "note")
    assert [n["to_addr"] for n in notes] == ["technician@school.example"]
    assert [e["kind"] for e in _events(db, call_id)][-2:] == ["note", "note"]


def test_note_on_an_unassigned_call_tells_the_team_leader(db, make_call, who, clock, leader):
    call_id = make_call(desk_checked=False)
    wf.add_note(db, call_id, text="More detail", user=who("desk"), at=clock())
    assert _outbox(db, "note")[0]["to_addr"] == "lead@school.example, sd@school.example"


def test_note_on_a_closed_call_does_not_reopen_it(db, make_call, who, clock):
    call_id = make_call()
    wf.fixed_itself(db, call_id, note="Came back on", user=who("desk"), at=clock())
    wf.add_note(
        db,
        call_id,
        text="Customer says thanks",
        user=who("coordinator"),
        at=clock(),
        customer_visible=True,
    )
    assert _call(db, call_id)["status"] == "Closed"
    assert _events(db, call_id)[-1]["customer_visible"] == 1


def test_leader_cannot_add_a_note(db, make_call, who, clock):
    with pytest.raises(wf.NotAllowed):
        wf.add_note(db, make_call(), text="Hello", user=who("leader"), at=clock())


# --- With Customer --------------------------------------------------------------------


def test_with_customer_mails_the_customer_what_is_needed(db, who, clock, assigned):
    call_id = assigned()
    wf.set_with_customer(
        db,
        call_id,
        information_needed="Which room?",
        notify_customer=True,
        user=who("technician"),
        at=clock(),
        customer_link="https://x/c/abc",
    )
    call = _call(db, call_id)
    assert (call["status"], call["with_customer_since"]) == ("With Customer", "2026-11-23 09:30:00")
    message = _outbox(db, "with_customer")[0]
    assert message["to_addr"] == "ann@school.example"
    assert "Which room?" in message["body"] and "https://x/c/abc" in message["body"]
    assert lstore.pauses(db, call_id, clock()) == [(clock(), clock())]


def test_with_customer_cannot_notify_a_caller_without_email(
    db, make_call, who, clock, group_id, passed_on
):
    call_id = make_call()
    passed_on(call_id)
    with pytest.raises(wf.WorkflowError) as err:
        wf.set_with_customer(
            db, call_id, information_needed="x", notify_customer=True, user=who("desk"), at=clock()
        )
    assert err.value.field == "notify_customer"
    wf.set_with_customer(
        db, call_id, information_needed="x", notify_customer=False, user=who("desk"), at=clock()
    )
    assert not _outbox(db, "with_customer")


def test_time_with_customer_does_not_count_against_the_due_time(db, who, clock, assigned):
    call_id = assigned(category="Teaching Space Technology")  # respond within 1 working hour
    assert _call(db, call_id)["respond_by"] == "2026-11-23 10:30:00"
    clock.set(datetime(2026, 11, 23, 9, 45))
    wf.set_with_customer(
        db, call_id, information_needed="x", notify_customer=False, user=who("desk"), at=clock()
    )
    clock.set(datetime(2026, 11, 23, 11, 45))
    wf.back_from_customer(db, call_id, note="Replied", user=who("desk"), at=clock())
    call = _call(db, call_id)
    assert call["respond_by"] == "2026-11-23 12:30:00"
    assert call["resolve_by"] == "2026-11-23 15:30:00"
    assert (call["status"], call["with_customer_since"]) == ("Back from Customer", None)


def test_back_from_customer_tells_the_owner_and_copies_the_team_leader(
    db, who, clock, leader, assigned
):
    call_id = assigned()
    wf.set_with_customer(
        db,
        call_id,
        information_needed="x",
        notify_customer=False,
        user=who("technician"),
        at=clock(),
    )
    wf.back_from_customer(db, call_id, note="She rang back", user=who("desk"), at=clock())
    message = _outbox(db, "back_from_customer")[0]
    assert (message["to_addr"], message["cc"]) == (
        "technician@school.example",
        "lead@school.example",
    )


def test_close_no_contact_records_the_procedures_summary_and_tells_the_customer(
    db, who, clock, assigned
):
    call_id = assigned()
    wf.set_with_customer(
        db, call_id, information_needed="x", notify_customer=False, user=who("desk"), at=clock()
    )
    cal = settings.calendar(db)
    with pytest.raises(wf.WorkflowError):
        wf.close_no_contact(
            db, call_id, user=who("desk"), at=clock() + timedelta(days=7), cal=cal, wait_days=5
        )  # Mon 30 Nov: only 5 working days
    wf.close_no_contact(
        db, call_id, user=None, at=clock() + timedelta(days=8), cal=cal, wait_days=5
    )
    call = _call(db, call_id)
    assert (call["status"], call["resolution_summary"]) == (
        "Closed",
        "No further contact received from customer",
    )
    assert _outbox(db, "no_contact_close")[0]["to_addr"] == "ann@school.example"


def test_close_no_contact_only_from_with_customer(db, make_call, who, clock):
    with pytest.raises(TransitionError):
        wf.close_no_contact(db, make_call(), user=who("desk"), at=clock())


# --- third parties, time, hot swaps ---------------------------------------------------


def test_with_third_party_records_who_what_and_when(db, who, clock, assigned):
    call_id = assigned()
    wf.set_with_third_party(
        db,
        call_id,
        kind="vendor",
        name="Acme AV",
        contact="01234 567890",
        what="Replace the lamp",
        expected_by=date(2026, 11, 25),
        user=who("technician"),
        at=clock(),
        reference="ACME-991",
    )
    call = _call(db, call_id)
    assert (call["status"], call["third_party_due"]) == ("With 3rd Party", "2026-11-25 23:59:59")
    assert lstore.third_parties(db, call_id)[0]["reference"] == "ACME-991"
    assert lstore.third_parties(db, call_id)[0]["what_they_will_do"] == "Replace the lamp"
    wf.back_from_third_party(db, call_id, note="Lamp replaced", user=who("technician"), at=clock())
    assert _call(db, call_id)["status"] == "In Progress"
    assert lstore.third_parties(db, call_id)[0]["ended_at"] == "2026-11-23 09:30:00"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"kind": "alien"}, "kind"),
        ({"kind": "vendor", "contact": ""}, "contact"),
        ({"kind": "vendor", "contact": "01234 567890"}, "reference"),
        ({"what": ""}, "what"),
        ({"expected_by": date(2026, 11, 20)}, "expected_by"),
    ],
)
def test_with_third_party_refuses_missing_details(db, who, clock, changes, field, assigned):
    call_id = assigned()
    values = {
        "kind": "person",
        "name": "Bursar",
        "contact": "",
        "what": "Approve",
        "expected_by": date(2026, 11, 25),
    } | changes
    with pytest.raises(wf.WorkflowError) as err:
        wf.set_with_third_party(db, call_id, user=who("desk"), at=clock(), **values)
    assert err.value.field == field


def test_time_can_be_added_after_the_call_is_closed(db, make_call, who, clock):
    call_id = make_call()
    wf.fixed_itself(db, call_id, note="", user=who("desk"), at=clock())
    wf.add_time(
        db,
        call_id,
        minutes=15,
        worked_on=date(2026, 11, 23),
        user=who("desk"),
        at=clock(),
        note="Phone call",
    )
    assert lstore.total_minutes(db, call_id) == 15
    assert _events(db, call_id)[-1]["text"] == "15 minutes on 23 Nov 2026: Phone call"


@pytest.mark.parametrize(
    "minutes, worked_on, field",
    [
        (0, date(2026, 11, 23), "minutes"),
        (1441, date(2026, 11, 23), "minutes"),
        (10, date(2026, 11, 24), "worked_on"),
        (10, date(2026, 11, 1), "worked_on"),
    ],
)
def test_time_refuses_impossible_entries(db, make_call, who, clock, minutes, worked_on, field):
    with pytest.raises(wf.WorkflowError) as err:
        wf.add_time(
            db, make_call(), minutes=minutes, worked_on=worked_on, user=who("desk"), at=clock()
        )
    assert err.value.field == field


def test_hot_swap_is_listed_until_returned(db, who, clock, assigned):
    room = (
        db["locations"]
        .insert({"site": "Main", "building": "A", "room": "A1", "teaching_space": 1})
        .last_pk
    )
    call_id = assigned(location_id=room)
    swap = wf.record_hot_swap(
        db,
        call_id,
        replacement_asset="HS-01",
        faulty_asset="PC-9",
        taken_by="Sam",
        user=who("technician"),
        at=clock(),
    )
    assert [s["replacement_asset"] for s in lstore.open_hot_swaps(db)] == ["HS-01"]
    wf.return_hot_swap(db, call_id, hot_swap_id=swap, user=who("technician"), at=clock())
    assert lstore.open_hot_swaps(db) == []
    assert [e["kind"] for e in _events(db, call_id)][-2:] == ["hot_swap", "hot_swap_returned"]
    with pytest.raises(wf.WorkflowError):
        wf.return_hot_swap(db, call_id, hot_swap_id=swap, user=who("desk"), at=clock())


def test_hot_swap_needs_a_room(db, make_call, who, clock):
    with pytest.raises(wf.WorkflowError):
        wf.record_hot_swap(db, make_call(), replacement_asset="HS-01", user=who("desk"), at=clock())


# --- resolve, close, reopen -----------------------------------------------------------


def _resolve(db, call_id, who, clock, **changes):
    values = {
        "summary": "Replaced the cable",
        "details": "HDMI cable was cut",
        "closure_category": "Projector or interactive display",
        "customer_confirmed": True,
        "confirmation_exception": None,
    } | changes
    wf.resolve(db, call_id, user=who("desk"), at=clock(), **values)


def test_resolve_sends_the_customer_the_summary_only(db, who, clock, assigned):
    call_id = assigned()
    _resolve(db, call_id, who, clock, customer_link="https://x/c/1")
    call = _call(db, call_id)
    assert (call["status"], call["resolved_at"], call["customer_confirmed"]) == (
        "Resolved",
        "2026-11-23 09:30:00",
        1,
    )
    message = _outbox(db, "resolved")[0]
    assert message["to_addr"] == "ann@school.example"
    assert "Replaced the cable" in message["body"] and "HDMI cable was cut" not in message["body"]
    resolved = [e for e in _events(db, call_id) if e["kind"] == "resolved"]
    assert resolved[-1]["customer_visible"] == 1
    assert _call(db, call_id)["user_informed_how"] == "email"


def test_resolve_needs_confirmation_unless_an_allowed_exception(db, make_call, who, clock):
    call_id = make_call()
    with pytest.raises(wf.WorkflowError) as err:
        _resolve(db, call_id, who, clock, customer_confirmed=False)
    assert err.value.field == "customer_confirmed"
    _resolve(
        db, call_id, who, clock, customer_confirmed=False, confirmation_exception="access request"
    )
    assert _call(db, call_id)["confirmation_exception"] == "access request"


def test_resolve_ends_a_with_customer_spell(db, who, clock, assigned):
    call_id = assigned()
    wf.set_with_customer(
        db, call_id, information_needed="x", notify_customer=False, user=who("desk"), at=clock()
    )
    _resolve(db, call_id, who, clock)
    assert _call(db, call_id)["with_customer_since"] is None
    assert db["call_pauses"].get(1)["ended_at"] == "2026-11-23 09:30:00"


def test_close_only_after_resolve(db, who, clock, assigned):
    call_id = assigned()
    with pytest.raises(TransitionError):
        wf.close(db, call_id, user=who("desk"), at=clock())
    _resolve(db, call_id, who, clock)
    wf.close(db, call_id, user=who("desk"), at=clock())
    assert _call(db, call_id)["closed_at"] == "2026-11-23 09:30:00"


def test_reopen_within_the_window(db, make_call, who, clock):
    call_id = make_call()
    _resolve(db, call_id, who, clock)
    wf.reopen(
        db,
        call_id,
        reason="Still no picture",
        user=who("desk"),
        at=clock() + timedelta(days=10),
        window_days=10,
    )
    call = _call(db, call_id)
    assert (call["status"], call["reopen_count"], call["resolved_at"]) == ("Reopened", 1, None)


def test_reopen_after_the_window_says_to_log_a_linked_call(db, make_call, who, clock):
    call_id = make_call()
    _resolve(db, call_id, who, clock)
    with pytest.raises(wf.WorkflowError, match="Log a new call linked to 26-0001"):
        wf.reopen(
            db,
            call_id,
            reason="Still broken",
            user=who("desk"),
            at=clock() + timedelta(days=11),
            window_days=10,
        )


def test_reopen_of_an_open_call_is_refused(db, make_call, who, clock):
    with pytest.raises(TransitionError):
        wf.reopen(db, make_call(), reason="x", user=who("desk"), at=clock(), window_days=10)


def test_fixed_itself_closes_the_call_recorded_as_such(db, make_call, who, clock):
    call_id = make_call()
    wf.fixed_itself(db, call_id, note="Printer works again", user=None, at=clock())
    call = _call(db, call_id)
    assert (call["status"], call["resolution_summary"]) == ("Closed", "Fixed itself")


# --- category, due times, void --------------------------------------------------------


def test_change_category_updates_type_group_level_and_due(db, make_call, who, clock, group_id):
    call_id = make_call(category="Printer or copier")  # Incident, Service Delivery, Normal
    new = db.execute("SELECT id FROM categories WHERE name = 'Access request'").fetchone()[0]
    wf.change_category(
        db, call_id, category_id=new, user=who("desk"), at=clock(), cal=settings.calendar(db)
    )
    call = _call(db, call_id)
    assert (call["call_type"], call["group_id"]) == ("Request", group_id("Service Desk"))
    assert call["respond_by"] == "2026-11-24 09:30:00"  # Normal: 9 working hours
    changes = _events(db, call_id)[-1]["changes"]
    assert all(k in changes for k in ("category_id", "call_type", "group_id"))


def test_recompute_due_without_pauses_changes_nothing(db, make_call, clock):
    call_id = make_call()
    wf.recompute_due(db, call_id, settings.calendar(db), clock())
    assert [e["kind"] for e in _events(db, call_id)] == ["logged"]


def test_void_keeps_the_call_but_refuses_further_steps(db, make_call, who, clock):
    call_id = make_call()
    with pytest.raises(wf.NotAllowed):
        wf.void(db, call_id, reason="Duplicate", user=who("desk"), at=clock())
    wf.void(db, call_id, reason="Duplicate", user=who("admin"), at=clock())
    assert _call(db, call_id)["voided"] == 1
    with pytest.raises(wf.WorkflowError, match="voided"):
        wf.add_note(db, call_id, text="x", user=who("admin"), at=clock())

"""The desk's first screen: the day's work in four piles, each linking to the call log."""

from __future__ import annotations

from datetime import datetime

import pytest

from kit import settings
from kit.auth import store as accounts
from kit.calls import today, workflow, workflow_customer, workflow_third_party
from kit.calls.access import visibility

LAST_MONDAY = datetime(2026, 11, 16, 9, 0)


@pytest.fixture
def desk_user(db, users):
    return accounts.load_user(db, accounts.get_user_row(db, users["desk"]))


@pytest.fixture
def school_day(db, make_call, clock, desk_user, users):
    """One call in each pile, logged so that each belongs to exactly the piles named."""
    delivery = db.execute(
        "SELECT id FROM support_groups WHERE name = 'Service Delivery'"
    ).fetchone()[0]
    calls = {"new": make_call("New: printer jams")}  # logged now, due tomorrow
    clock.set(LAST_MONDAY)
    calls["late"] = make_call("Late: laptop will not boot")
    calls["waiting"] = make_call("Waiting: which room?")
    calls["supplier"] = make_call("Supplier: copier part")
    for key in ("late", "waiting", "supplier"):
        workflow.assign(
            db,
            calls[key],
            group_id=delivery,
            assignee_id=users["technician"],
            user=desk_user,
            at=LAST_MONDAY,
        )
    workflow_customer.set_with_customer(
        db,
        calls["waiting"],
        information_needed="Which room?",
        notify_customer=False,
        user=desk_user,
        at=LAST_MONDAY,
    )
    workflow_third_party.set_with_third_party(
        db,
        calls["supplier"],
        kind="vendor",
        name="Copier Co",
        contact="01632 960 999",
        what="Send a fuser",
        expected_by="2026-11-18",
        reference="CC-1",
        user=desk_user,
        at=LAST_MONDAY,
    )
    clock.set(datetime(2026, 11, 23, 9, 30))
    return calls


def refs(db, ids):
    return sorted(db["calls"].get(i)["ref"] for i in ids)


def piles_now(db, clock, user):
    cal = settings.calendar(db, years=range(2025, 2028))
    return {p.key: p for p in today.todays_work(db, now=clock(), cal=cal, extra=visibility(user))}


def test_each_pile_holds_the_calls_it_should(db, clock, school_day, desk_user):
    piles = piles_now(db, clock, desk_user)
    found = {key: sorted(c["ref"] for c in pile.calls) for key, pile in piles.items()}
    assert found == {
        "triage": refs(db, [school_day["new"]]),
        "due": refs(db, [school_day["late"], school_day["supplier"]]),
        "chase": refs(db, [school_day["waiting"]]),
        "third_party": refs(db, [school_day["supplier"]]),
    }
    assert [p.count for p in piles.values()] == [1, 2, 1, 1]


def test_a_call_due_within_the_next_working_hour_is_due(db, make_call, clock, desk_user):
    clock.set(datetime(2026, 11, 23, 9, 30))
    call_id = make_call(category="Teaching Space Technology")  # respond within 1 hour
    assert [c["id"] for c in piles_now(db, clock, desk_user)["due"].calls] == [call_id]


def test_a_call_due_later_today_is_not_due_yet(db, make_call, clock, desk_user):
    make_call(category="Password reset or locked account")  # respond within 4 hours
    assert piles_now(db, clock, desk_user)["due"].count == 0


def test_resolved_and_voided_calls_are_in_no_pile(db, school_day, clock, desk_user):
    workflow.void(db, school_day["new"], reason="Logged twice", user=None, at=clock())
    assert piles_now(db, clock, desk_user)["triage"].count == 0


def test_desk_start_page_shows_the_piles_with_counts_and_links(login, client, school_day):
    login("desk")
    html = client.get("/").get_data(as_text=True)
    for title, count, link in (
        ("New calls to triage", 1, "/calls/?status=Logged"),
        ("Due or overdue", 2, "/calls/?status=open"),
        ("With Customer: to chase", 1, "/calls/?status=With+Customer"),
        ("Third parties overdue", 1, "/calls/?status=With+3rd+Party"),
    ):
        assert f'{title} <span class="count">({count})</span>' in html
        assert f'href="{link}"' in html
    assert "Supplier: copier part" in html


def test_empty_piles_say_what_happens_next(login, client):
    login("desk")
    html = client.get("/").get_data(as_text=True)
    assert "No new calls are waiting." in html
    assert "Nothing is due in the next working hour." in html


def test_technicians_and_leaders_do_not_get_the_desk_piles(login, client, school_day):
    login("technician")
    assert "New calls to triage" not in client.get("/").get_data(as_text=True)


def test_start_page_has_a_how_to_panel_for_the_role(login, client):
    login("desk")
    html = client.get("/").get_data(as_text=True)
    assert "<summary>How to use this page</summary>" in html
    assert "New calls to triage: open each" in html


@pytest.mark.parametrize("path", ["/calls/new", "/calls/", "/calls/1"])
def test_main_call_pages_have_a_how_to_panel(login, client, make_call, path):
    make_call()
    login("desk")
    assert "<summary>How to use this page</summary>" in client.get(path).get_data(as_text=True)


def test_a_call_due_at_the_next_opening_is_due_soon_the_evening_before(
    db, make_call, clock, desk_user
):
    clock.set(datetime(2026, 11, 20, 16, 30))  # Friday, half an hour before closing
    make_call(category="Teaching Space Technology")  # respond within 1 working hour
    clock.set(datetime(2026, 11, 20, 18, 0))
    (call,) = piles_now(db, clock, desk_user)["due"].calls
    assert (call["due_what"], call["due_at"], call["due_state"]) == (
        "respond",
        "2026-11-23 08:30:00",
        "due soon",
    )

"""A caller typed by hand on the log-a-call form is matched to the staff directory before
the call is logged, on the server, so it works without the page's script."""

from __future__ import annotations

import pytest

from kit.directory.store import add_person


@pytest.fixture
def staff(db):
    ids = {}
    for name, phone, role in (
        ("Ayesha Khan", "ext. 214", "Teacher of Maths"),
        ("Imran Khan", "ext. 305", "Teacher of Science"),
        ("Grace Bursar", "ext. 100", "School Business Manager"),
    ):
        ids[name] = add_person(
            db, name=name, email=f"{name.split()[0].lower()}@school.example", phone=phone,
            department="", role=role,
        )  # fmt: skip
    return ids


def form(db, **changes):
    category = db.execute("SELECT id FROM categories WHERE name = 'Email'").fetchone()[0]
    return {
        "caller_name": "Mrs Khan, ext 214",
        "channel": "Phone",
        "category_id": str(category),
        "summary": "Cannot send email",
        "location_id": "0",
        "submission_key": "a" * 32,
        **changes,
    }


def test_a_hand_typed_caller_is_offered_the_people_it_could_be_before_logging(
    login, post, db, staff
):
    login("desk")
    response = post("/calls/new", form(db))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db["calls"].count == 0
    assert "Is “Mrs Khan, ext 214” one of these people?" in html
    first = html.index(f'value="{staff["Ayesha Khan"]}" checked autofocus')
    assert first < html.index(f'value="{staff["Imran Khan"]}"')
    assert "matches extension 214, surname Khan" in html
    assert 'value="Cannot send email"' in html  # what was typed is kept


def test_picking_a_suggested_person_logs_the_call_linked_to_them(login, post, db, staff):
    login("desk")
    response = post(
        "/calls/new",
        form(
            db,
            caller_pick=str(staff["Ayesha Khan"]),
            caller_pick_for="Mrs Khan, ext 214",
        ),
    )
    assert response.status_code == 302
    call = db["calls"].get(1)
    assert (call["caller_id"], call["caller_name"]) == (staff["Ayesha Khan"], "Ayesha Khan")
    assert (call["caller_email"], call["caller_phone"]) == ("ayesha@school.example", "ext. 214")


def test_none_of_these_logs_the_caller_as_typed_and_unlinked(login, post, db, staff):
    login("desk")
    response = post(
        "/calls/new", form(db, caller_pick="typed", caller_pick_for="Mrs Khan, ext 214")
    )
    assert response.status_code == 302
    call = db["calls"].get(1)
    assert (call["caller_id"], call["caller_name"]) == (None, "Mrs Khan, ext 214")


def test_changing_the_typed_name_after_the_suggestions_asks_again(login, post, db, staff):
    login("desk")
    response = post(
        "/calls/new",
        form(db, caller_name="the bursar", caller_pick="typed", caller_pick_for="Mrs Khan"),
    )
    assert response.status_code == 200 and db["calls"].count == 0
    assert "Grace Bursar" in response.get_data(as_text=True)


def test_exactly_one_persons_name_is_linked_without_asking(login, post, db, staff):
    login("desk")
    response = post("/calls/new", form(db, caller_name="grace bursar"))
    assert response.status_code == 302
    call = db["calls"].get(1)
    assert (call["caller_id"], call["caller_name"]) == (staff["Grace Bursar"], "Grace Bursar")


def test_a_caller_nobody_in_the_directory_resembles_is_logged_as_typed(login, post, db, staff):
    login("desk")
    response = post("/calls/new", form(db, caller_name="Mr Jones, supply teacher"))
    assert response.status_code == 302
    assert db["calls"].get(1)["caller_id"] is None


def test_a_bad_pick_is_not_a_500_and_asks_again(login, post, db, staff):
    login("desk")
    for pick in ("99999999999999999999999", "-1", "<script>"):
        response = post(
            "/calls/new", form(db, caller_pick=pick, caller_pick_for="Mrs Khan, ext 214")
        )
        assert response.status_code == 200 and db["calls"].count == 0

"""A caller typed by hand, matched to the directory in a real browser, by keyboard only."""

from __future__ import annotations

import re

import pytest

from kit.directory import store as directory
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def school(db, users):
    users["desk"]
    for name, phone, role in (
        ("Ayesha Khan", "ext. 214", "Teacher of Maths"),
        ("Imran Khan", "ext. 305", "Teacher of Science"),
    ):
        directory.add_person(
            db, name=name, email=f"{name.split()[0].lower()}@school.example", phone=phone,
            department="", role=role,
        )  # fmt: skip


def test_the_desk_picks_the_suggested_caller_with_the_keyboard(
    school, db, live_server, page, shot, axe_check
):
    log_in(page, live_server, "desk", PASSWORD)
    page.goto(f"{live_server}/calls/new")
    page.get_by_label("Caller", exact=True).fill("Mrs Khan, ext 214")
    page.get_by_label("Category").select_option(label="Email")
    page.get_by_label("Summary").fill("Cannot send email")
    page.get_by_label("Summary").press("Enter")  # the form is sent from the keyboard
    page.wait_for_selector("#caller-suggestions")
    assert db["calls"].count == 0
    # The best match has the focus: Enter logs the call with it, the arrow keys move on.
    focused = page.evaluate("document.activeElement.name + '=' + document.activeElement.value")
    ayesha = db.execute("SELECT id FROM people WHERE name = 'Ayesha Khan'").fetchone()[0]
    assert focused == f"caller_pick={ayesha}"
    axe_check(page, "caller suggestions")
    shot("caller-suggestions")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/calls/\d+$"))
    call = db["calls"].get(1)
    assert (call["caller_name"], call["caller_id"]) == ("Ayesha Khan", ayesha)
    assert call["caller_phone"] == "ext. 214"

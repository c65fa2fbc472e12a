"""A call's whole life in the browser, desk to technician to customer and back.

The desk logs a call for a teaching space, meets the same room again and adds a note to the
open call instead of a duplicate, checks it and passes it on; the technician sees that call
and no other,
waits on the customer, the daily job reminds them after five working days, they resolve it
with the time taken, and the customer confirms the fix through the link in their message.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from kit.auth import store as accounts
from kit.calls import workflow
from kit.daily import daily_for_app
from kit.directory import store as directory
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROOM = "Main site – Science Block – Lab S1"
SUMMARY = "Teaching space – Main site – Science Block – Lab S1"


@pytest.fixture
def school(db, users, make_call, clock):
    """A desk that is also the admin, a technician in Service Delivery, a teacher, a lab,
    and a Wi-Fi call already passed to Technology Integration (not the technician's)."""
    users.make("office", {"desk", "admin"}, name="Olive Office")
    users.make("tom", {"technician"}, name="Tom Technician", groups=("Service Delivery",))
    tina = users.make(
        "tina", {"technician"}, name="Tina Network", groups=("Technology Integration",)
    )
    directory.add_person(
        db, name="Priya Geography", email="priya@school.example", department="Humanities"
    )
    db["locations"].insert(
        {"site": "Main site", "building": "Science Block", "room": "Lab S1", "teaching_space": 1}
    )
    elsewhere = make_call("Wi-Fi drops in the library", category="Network or Wi-Fi")
    group = db.execute(
        "SELECT id FROM support_groups WHERE name = 'Technology Integration'"
    ).fetchone()[0]
    desk = accounts.load_user(db, accounts.get_user_row(db, users.ids["office"]))
    workflow.assign(db, elsewhere, group_id=group, assignee_id=tina, user=desk, at=clock())
    return {"elsewhere": elsewhere, "elsewhere_ref": db["calls"].get(elsewhere)["ref"]}


def act(page, title: str):
    """Open one of the call page's action panels ("What to do next") and return it."""
    exact = re.compile(f"^{re.escape(title)}$")
    panel = page.locator("details.action", has=page.locator("summary").filter(has_text=exact))
    panel.locator("summary").click()
    return panel


def test_a_teaching_space_call_from_logging_to_the_customers_confirmation(
    app, db, clock, school, live_server, page, another_browser, shot, axe_check
):
    base = live_server
    # The desk logs the call: the room is a teaching space, so the category and summary follow.
    log_in(page, base, "office", PASSWORD)
    page.get_by_role("link", name="Log a call").first.click()
    page.wait_for_url("**/calls/new")  # loaded: its script listens before we type
    page.get_by_label("Caller", exact=True).fill("Priya Geography")
    page.get_by_label("Caller's email").fill("priya@school.example")
    page.get_by_label("Location").select_option(label=ROOM)
    page.wait_for_function("document.getElementById('summary').value !== ''")
    assert page.get_by_label("Summary").input_value() == SUMMARY
    category = page.get_by_label("Category")
    assert category.locator("option:checked").inner_text() == "Teaching Space Technology"
    assert "Incident" in page.locator("#implications").inner_text()
    page.get_by_label("Details", exact=True).fill(
        "The projector in Lab S1 shows no signal from the PC."
    )
    # The desk check: the details were read back to the caller and make sense.
    page.get_by_label("Details understood").check()
    shot("lifecycle-1-desk-logs-teaching-space-call")
    page.get_by_role("button", name="Log the call").click()
    page.wait_for_url(re.compile(r".*/calls/\d+$"))
    call_id = int(page.url.rsplit("/", 1)[1])
    ref = db["calls"].get(call_id)["ref"]
    assert ref in page.locator("h1").inner_text()

    # A second call for the same room: the desk is shown the open call and adds a note to it.
    page.get_by_role("link", name="Log a call").first.click()
    page.wait_for_url("**/calls/new")  # loaded: its script listens before we type
    page.get_by_label("Caller", exact=True).fill("Ben Science")
    page.get_by_label("Location").select_option(label=ROOM)
    warning = page.locator("#open-in-room")
    warning.wait_for(state="visible")
    assert ref in warning.inner_text() and SUMMARY in warning.inner_text()
    assert "This room has 1 open call" in page.locator("#room-open-hint").inner_text()
    axe_check(page, "log a call, with the room's open calls shown")
    shot("lifecycle-2-desk-sees-open-call-in-room")
    warning.get_by_label("Add a note to this call instead").fill(
        "Ben Science reports the same projector: no signal in period 3."
    )
    warning.get_by_role("button", name=f"Add the note to {ref}").click()
    page.wait_for_url(f"**/calls/{call_id}")
    assert "Ben Science reports the same projector" in page.locator("main").inner_text()
    assert db["calls"].count_where("location_id IS NOT NULL") == 1  # no duplicate was logged

    # Checked at the desk, the receipt emailed, the desk owns it; then the one way to pass
    # it on: to the technician in Service Delivery, by phone.
    about = page.locator("main").inner_text()
    assert "Details understood" in about and "Emailed to priya@school.example" in about
    assert page.locator("summary", has_text=re.compile("^Assign$")).count() == 0
    page.locator("#act-handoff summary").click()
    page.get_by_label("Technician", exact=True).select_option(label="Tom Technician")
    page.get_by_label("By phone, with a note of what was agreed").check()
    page.get_by_label("What was agreed", exact=True).fill("Tom will go to Lab S1 before period 4.")
    page.get_by_role("button", name="Pass the call on").click()
    page.wait_for_url(f"**/calls/{call_id}")
    assert "Assigned" in page.locator("h1").inner_text()
    shot("lifecycle-3-desk-passed-call-on")

    # The technician sees this call, and not the one passed to another group.
    tech = another_browser()
    log_in(tech, base, "tom", PASSWORD)
    tech.goto(f"{base}/calls/mine")
    jobs = tech.locator("main").inner_text()
    assert ref in jobs and school["elsewhere_ref"] not in jobs
    shot("lifecycle-4-technician-my-jobs", tech)
    assert tech.goto(f"{base}/calls/{school['elsewhere']}").status == 404
    tech.goto(f"{base}/calls/{call_id}")
    tech.get_by_role("button", name="Start work").click()
    tech.wait_for_url(f"**/calls/{call_id}")
    waiting = act(tech, "Set With Customer")
    waiting.get_by_label("Information needed from the customer").fill(
        "Which PC is the projector cable plugged into: the teacher's desk or the wall box?"
    )
    waiting.get_by_role("button", name="Set With Customer").click()
    tech.wait_for_url(f"**/calls/{call_id}")
    assert "With Customer" in tech.locator("h1").inner_text()
    shot("lifecycle-5-technician-with-customer", tech)

    # The daily job: five working days With Customer is allowed, the sixth gets a reminder.
    clock.set(datetime(2026, 11, 30, 7, 0))  # Monday: 5 working days since Monday 23rd
    assert daily_for_app(app).reminded == []
    clock.set(datetime(2026, 12, 1, 7, 0))  # Tuesday: the sixth
    assert daily_for_app(app).reminded == [call_id]
    assert daily_for_app(app).reminded == []  # run twice, reminded once
    reminder = db.execute(
        "SELECT id, to_addr, subject FROM outbox WHERE kind = 'with_customer_reminder'"
    ).fetchall()
    assert len(reminder) == 1 and reminder[0]["to_addr"] == "tom@school.example"
    page.get_by_role("link", name="Outbox").click()
    row = page.locator("tr", has_text="With Customer for 6 working days")
    assert ref in row.inner_text() and "tom@school.example" in row.inner_text()
    shot("lifecycle-6-outbox-with-reminder")

    # The customer answers; the technician resolves it with the time taken.
    tech.reload()
    back = act(tech, "Back from Customer")
    back.get_by_label("What the customer said").fill("It is the wall box; the desk PC is fine.")
    back.get_by_role("button", name="Back from Customer").click()
    tech.wait_for_url(f"**/calls/{call_id}")
    resolve = act(tech, "Resolve")
    resolve.get_by_label("Resolution summary").fill("The wall box HDMI cable was replaced.")
    resolve.get_by_label("Closure category").select_option(index=1)
    # Resolved before the teacher has tried it: the known disruption to the lab's wall boxes
    # lets it be resolved unconfirmed, and the teacher confirms on their status page.
    resolve.get_by_label("Or, resolved without confirmation because").select_option(
        label="Known service disruption"
    )
    # The teacher is told by email: the resolution summary goes to them with their link.
    resolve.get_by_label("How the user is told").select_option("email")
    resolve.get_by_label("Time taken (minutes)").fill("35")
    resolve.get_by_role("button", name="Resolve the call").click()
    tech.wait_for_url(f"**/calls/{call_id}")
    assert "Resolved" in tech.locator("h1").inner_text()
    shot("lifecycle-7-technician-resolved", tech)
    call = db["calls"].get(call_id)
    assert call["status"] == "Resolved" and not call["customer_confirmed"]
    assert call["user_informed_how"] == "email"
    minutes = db.execute(
        "SELECT SUM(minutes) FROM time_entries WHERE call_id = ?", [call_id]
    ).fetchone()[0]
    assert minutes == 35

    # The customer's message carries their link; they confirm the fix there.
    message = db.execute(
        "SELECT id FROM outbox WHERE kind = 'resolved' AND to_addr = 'priya@school.example'"
    ).fetchone()
    page.goto(f"{base}/admin/mail/{message['id']}")
    body = page.locator(".mail-body").inner_text()
    link = re.search(r"https?://\S+/my-call/[A-Za-z0-9_-]+", body).group(0)
    customer = another_browser(360, 740)
    customer.goto(link)
    assert "Resolved" in customer.locator(".status-box").inner_text()
    shot("lifecycle-8-customer-status-page", customer)
    customer.get_by_role("button", name="Yes, it is fixed").click()
    assert "Thank you for confirming" in customer.locator(".flash").inner_text()
    assert "You confirmed on this page that it is fixed" in customer.locator("main").inner_text()
    assert customer.evaluate("document.documentElement.scrollWidth") <= 360
    shot("lifecycle-9-customer-confirmed", customer)
    assert db["calls"].get(call_id)["customer_confirmed"] == 1

"""A school's first day with the kit, in the browser, from an empty instance.

The first visitor becomes the administrator and goes through every step of the set-up
wizard, imports staff, rooms and equipment from CSV (a bad row is reported in the preview
and nothing is saved until the file is fixed), creates the desk's and a technician's
accounts and downloads the letter to users. Then the desk logs the first call and passes
it on, and the technician reads it on a 360 px phone without scrolling sideways.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from kit import settings
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PEOPLE_WITH_A_BAD_ROW = (
    "name,email,phone,department,role\n"
    "Ann Teacher,ann.teacher@northfield.example,201,English,Teacher\n"
    "Ben Science,ben at northfield,231,Science,Head of Science\n"
    "Chloe Maths,chloe.maths@northfield.example,212,Mathematics,Teacher\n"
)
ROOMS = (
    "site,building,room,teaching_space\n"
    "Main campus,Old Building,Room 1,yes\n"
    "Main campus,Old Building,School Office,no\n"
    "Main campus,Science Block,Lab S1,yes\n"
)
EQUIPMENT = (
    "asset_tag,type,make,model,serial,site,building,room,supplier\n"
    "PRJ-001,Projector,Epson,EB-2250U,X5JK100231,Main campus,Old Building,Room 1,AV Direct\n"
    "PC-014,Desktop PC,Dell,OptiPlex 7010,7010-5521,Main campus,Science Block,Lab S1,\n"
)


def save_step(page, axe_check, shot, name: str, fill) -> None:
    """Fill one settings step of the wizard, check it, and save it."""
    page.wait_for_url(f"**/setup/{name}")
    fill()
    axe_check(page, f"set-up step {name}")
    shot(f"first-day-{name}")
    page.get_by_role("button", name="Save and continue").click()


def import_csv(page, base: str, kind: str, path) -> None:
    """Upload a CSV on the directory's import page (the wizard's import step links there)."""
    page.goto(f"{base}/directory/{kind}/import")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Preview the import").click()


def test_first_day_from_an_empty_kit_to_the_technicians_phone(
    app, db, tmp_path, live_server, page, another_browser, shot, axe_check
):
    base = live_server
    # The first visitor is sent to the wizard and creates the administrator's account.
    page.goto(base + "/")
    page.wait_for_url("**/setup/account")
    page.get_by_label("Full name").fill("Sam Bursar")
    page.get_by_label("User name").fill("sbursar")
    page.get_by_label("Email").fill("sam@northfield.example")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    axe_check(page, "set-up: the first account")
    shot("first-day-account")
    page.get_by_role("button", name="Create my account").click()

    save_step(
        page,
        axe_check,
        shot,
        "school",
        lambda: page.get_by_label("School name").fill("Northfield Community School"),
    )
    save_step(
        page,
        axe_check,
        shot,
        "sites",
        lambda: page.get_by_label("Sites or campuses").fill("Main campus\nSixth Form Centre"),
    )

    def desk():
        page.get_by_label("Desk phone").fill("01632 960 100")
        page.get_by_label("Desk email").fill("ictsupport@northfield.example")
        page.get_by_label("Opening hours, in words").fill("Monday to Friday, 8:00 to 16:30")

    save_step(page, axe_check, shot, "desk", desk)

    def hours():
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
            page.get_by_label(day, exact=True).check()
        page.get_by_label("Working day starts").fill("08:00")
        page.get_by_label("Working day ends").fill("16:30")

    save_step(page, axe_check, shot, "hours", hours)

    def holidays():
        page.get_by_label("Country for public holidays").select_option("GB")
        page.get_by_label("Region").fill("ENG")

    save_step(page, axe_check, shot, "holidays", holidays)

    def terms():
        page.get_by_label("Term dates").fill(
            "Autumn 2026: 2026-09-03 to 2026-12-18\nSpring 2027: 2027-01-05 to 2027-03-26"
        )
        page.get_by_label("School holidays and closure days").fill("2026-10-26 to 2026-10-30")

    save_step(page, axe_check, shot, "terms", terms)

    # Response levels: the four starting levels are kept.
    page.wait_for_url("**/setup/levels")
    assert "Urgent" in page.locator("main").inner_text()
    axe_check(page, "set-up step levels")
    shot("first-day-levels")
    page.get_by_role("button", name="Continue").click()

    # Staff, rooms and equipment from CSV; a wrong row stops the whole file until fixed.
    page.wait_for_url("**/setup/import")
    axe_check(page, "set-up step import")
    shot("first-day-import")
    people = tmp_path / "staff.csv"
    people.write_text(PEOPLE_WITH_A_BAD_ROW, encoding="utf-8")
    import_csv(page, base, "people", people)
    problems = page.locator("main").inner_text()
    assert "Nothing was imported: 1 problem" in problems
    assert re.search(r"3\s+email\s+.*not an email address", problems)
    axe_check(page, "import preview with a bad row")
    shot("first-day-import-bad-row")
    assert db["people"].count == 0
    people.write_text(PEOPLE_WITH_A_BAD_ROW.replace("ben at northfield", "ben.science@x.example"))
    import_csv(page, base, "people", people)
    page.get_by_role("button", name="Import 3 rows").click()
    assert "3 created" in page.locator(".flash").inner_text()
    for kind, text, count in (("locations", ROOMS, 3), ("equipment", EQUIPMENT, 2)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_csv(page, base, kind, path)
        page.get_by_role("button", name=f"Import {count} rows").click()
        assert f"{count} created" in page.locator(".flash").inner_text()
    page.goto(base + "/setup/import")
    shot("first-day-imported")
    page.get_by_role("button", name="Continue").click()

    # The desk's and the technician's accounts.
    page.wait_for_url("**/setup/accounts")
    for name, username, role, group in (
        ("Olive Office", "office", "Service desk (single point of contact)", None),
        ("Tom Technician", "tom", "Technician", "Service Delivery (tier 2)"),
    ):
        page.get_by_label("Full name").fill(name)
        page.get_by_label("User name").fill(username)
        page.get_by_label(role, exact=True).check()
        if group:
            page.get_by_label("Support group").select_option(label=group)
        page.get_by_label("Initial password").fill(PASSWORD)
        page.get_by_label("Password again").fill(PASSWORD)
        page.get_by_role("button", name="Create the account").click()
        page.wait_for_url("**/setup/accounts")
        assert f"Account “{username}” created" in page.locator(".flash").inner_text()
    axe_check(page, "set-up step accounts")
    shot("first-day-accounts")
    page.get_by_role("button", name="Continue").click()

    # Mail in and out can wait: the step says so and links to the mail set-up page.
    page.wait_for_url("**/setup/mail")
    assert "Set up mail in and out" in page.locator("main").inner_text()
    axe_check(page, "set-up step mail")
    shot("first-day-mail")
    page.get_by_role("button", name="Continue").click()

    # The last step offers the letter to users: a real PDF with the school's name in it.
    page.wait_for_url("**/setup/done")
    axe_check(page, "set-up step done")
    shot("first-day-done")
    letter = page.get_by_role("link", name="Download the letter to users (PDF)")
    response = page.context.request.get(base + letter.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    letter_text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Northfield Community School" in letter_text and "01632 960 100" in letter_text
    page.get_by_role("button", name="Finish set-up").click()
    page.wait_for_url(base + "/")
    assert settings.get(db, "setup_step") == "done"
    assert settings.get(db, "school_name") == "Northfield Community School"
    assert settings.get(db, "working_days") == [0, 1, 2, 3, 4]

    # The desk logs the first call and passes it to the technician.
    desk_page = another_browser()
    log_in(desk_page, base, "office", PASSWORD)
    desk_page.get_by_role("link", name="Log a call").first.click()
    desk_page.wait_for_url("**/calls/new")  # loaded: its script listens before we type
    desk_page.get_by_label("Caller", exact=True).fill("Ann Teacher")
    desk_page.get_by_label("Location").select_option(label="Main campus – Old Building – Room 1")
    desk_page.wait_for_function("document.getElementById('summary').value !== ''")
    desk_page.get_by_label("Details", exact=True).fill("The projector in Room 1 will not turn on.")
    desk_page.get_by_label("Details understood").check()
    desk_page.get_by_role("button", name="Log the call").click()
    desk_page.wait_for_url("**/calls/1")
    ref = db["calls"].get(1)["ref"]
    desk_page.locator("#act-handoff summary").click()
    desk_page.get_by_label("Technician", exact=True).select_option(label="Tom Technician")
    desk_page.get_by_label("By phone, with a note of what was agreed").check()
    desk_page.get_by_label("What was agreed", exact=True).fill("Tom will look at it this morning.")
    desk_page.get_by_role("button", name="Pass the call on").click()
    desk_page.wait_for_url("**/calls/1")
    shot("first-day-desk-first-call", desk_page)

    # The technician on a phone: the job is there and nothing scrolls sideways.
    phone = another_browser(360, 740)
    log_in(phone, base, "tom", PASSWORD)
    for path, name in (("/", "home"), ("/calls/mine", "my-jobs"), ("/calls/1", "call")):
        phone.goto(base + path)
        assert ref in phone.locator("main").inner_text()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide on a 360 px phone"
        shot(f"first-day-phone-{name}", phone)
    axe_check(phone, "the technician's call on a phone")

"""Attaching a photo in Chromium: on the call's page (a laptop, then a phone's "Add photo")
and on the customer's web form, and seeing its thumbnail. Screenshots go to shots/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHOTO = "tests/data/files/rotated.jpg"


def thumbnail_loaded(page, name: str) -> bool:
    image = page.get_by_role("img", name=name)
    image.wait_for()
    return page.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())


def test_the_desk_attaches_a_photo_on_the_call_page_and_sees_its_thumbnail(
    live_server, page, shot, users, make_call, axe_check
):
    call_id = make_call(summary="Projector in room 12 shows an error")
    users["desk"]
    log_in(page, live_server, "desk", PASSWORD)
    page.goto(f"{live_server}/calls/{call_id}")
    page.locator("#attach-file").set_input_files(PHOTO)
    page.get_by_role("button", name="Add files", exact=True).click()
    page.wait_for_url(f"**/calls/{call_id}#files-h")
    assert thumbnail_loaded(page, "rotated.jpg")
    assert page.locator(".file-name").first.inner_text() == "rotated.jpg"
    shot("attachments-call-page-1280")
    axe_check(page, "the call page with a file")


def test_the_technician_adds_a_photo_from_a_phone_and_the_page_fits_360_px(
    live_server, browser, users, make_call, db
):
    from kit.calls import workflow
    from tests.browser.conftest import SHOTS

    call_id = make_call(summary="Printer in the staff room jams")
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()[
        0
    ]
    workflow.assign(
        db, call_id, group_id=group, assignee_id=users["technician"], user=None, at=_now()
    )
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        log_in(phone, live_server, "technician", PASSWORD)
        phone.goto(f"{live_server}/calls/{call_id}")
        assert phone.locator("#attach-photo").get_attribute("accept") == "image/*"
        phone.locator("#attach-photo").set_input_files(PHOTO)  # sent on choosing, as a camera does
        phone.wait_for_url(f"**/calls/{call_id}#files-h")
        assert thumbnail_loaded(phone, "rotated.jpg")
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360, f"the call page scrolls sideways on a phone ({width} px)"
        SHOTS.mkdir(exist_ok=True)
        phone.locator("#files-h").scroll_into_view_if_needed()
        phone.screenshot(path=str(SHOTS / "attachments-call-page-360.png"), full_page=True)
    finally:
        context.close()


def test_a_customer_sends_a_photo_with_the_web_form_and_sees_it_on_their_page(
    live_server, page, shot, users, axe_check
):
    users["admin"]  # a kit with an account (an empty one goes to the set-up wizard)
    page.goto(f"{live_server}/my-call/new")
    page.locator("[name=caller_name]").fill("Ann Teacher")
    page.locator("[name=email]").fill("ann@school.example")
    page.locator("[name=summary]").fill("Whiteboard pen does not write")
    page.locator("[name=happened]").fill("Nothing shows on the board")
    page.locator("[name=file]").set_input_files(PHOTO)
    page.get_by_role("button", name="Send to the service desk").click()
    page.wait_for_url("**/my-call/**")
    assert thumbnail_loaded(page, "rotated.jpg")
    shot("attachments-web-form-status-page")
    axe_check(page, "the customer's page with a photo")


def _now():
    from datetime import datetime

    return datetime(2026, 11, 23, 9, 30)

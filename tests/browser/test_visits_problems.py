"""The framework's practices in a real browser: the desk logs two calls, leaves them for the
technician's Tuesday visit, prints the visit list (cover list and both job sheets), links
three calls to one problem and resolves it, which resolves the calls and tells the callers."""

from __future__ import annotations

import pytest

from kit import settings
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.practice_support import outbox, pdf_text, technician

pytestmark = pytest.mark.browser


@pytest.fixture
def school(db, users, make_call):
    """The desk, technician Tess who comes in on Tuesdays, an earlier projector call, and the
    school's public address (the job sheets' QR codes point there)."""
    users["desk"]
    url = "https://helpdesk.school.example"
    settings.put(db, "public_url", url, user_id=None, at="2026-11-23 09:00:00")
    tech = technician(users, db, "tess", "Tuesday")
    earlier = make_call(
        "Projector in B4 loses signal",
        caller_email="bo@school.example",
        category="Projector or interactive display",
    )
    return {"tech": tech, "earlier": earlier}


def _log_call(page, base, caller, email, summary):
    page.goto(f"{base}/calls/new")
    page.get_by_label("Caller", exact=True).fill(caller)
    page.get_by_label("Caller's email").fill(email)
    page.get_by_label("Category").select_option(label="Projector or interactive display")
    page.get_by_label("Summary").fill(summary)
    page.get_by_label("Details understood").check()
    page.get_by_role("button", name="Log the call").click()
    page.wait_for_url("**/calls/*")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def _leave_for_visit(page):
    page.locator("#act-handoff summary").click()
    page.get_by_label("Technician", exact=True).select_option(label="Tess (visits: Tuesday)")
    page.get_by_label("Left for the technician's next visit").check()
    page.get_by_role("button", name="Pass the call on").click()
    page.wait_for_load_state()


def _link_problem(page, base, call_id, *, new_title=None):
    page.goto(f"{base}/calls/{call_id}")
    page.locator("#act-problem summary").click()
    if new_title:
        page.get_by_label("Or a new problem, titled").fill(new_title)
    else:
        page.get_by_role("combobox", name="Problem", exact=True).select_option(index=1)
    page.get_by_role("button", name="Link", exact=True).click()
    page.wait_for_load_state()


def test_visit_list_and_a_problem_resolving_its_calls(school, live_server, page, shot, db):
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "desk", PASSWORD)
    first = _log_call(
        page, live_server, "Ann Teacher", "ann@school.example", "Projector in B1 loses signal"
    )
    _leave_for_visit(page)
    assert "Expected response: Tuesday 24 November 2026" in page.content()
    shot("practice-call-left-for-visit")
    second = _log_call(
        page, live_server, "Ben Teacher", "ben@school.example", "Projector in B2 loses signal"
    )
    _leave_for_visit(page)

    page.get_by_role("link", name="Visit lists").click()
    page.get_by_role("link", name="Tess", exact=True).click()
    assert "Tuesday 24 November 2026" in page.locator(".lead").inner_text()
    assert page.locator("table.visit-list tbody tr").count() == 2
    shot("practice-visit-list")
    response = page.request.get(f"{live_server}/visits/{school['tech']}/print")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    _pages, text = pdf_text(response.body())
    refs = [db["calls"].get(c)["ref"] for c in (first, second)]
    cover = " ".join(text.split("Incident/request sheet")[0].split())
    assert "Visit list" in cover and all(ref in cover for ref in refs)
    assert text.count("Scan to open") == 2  # one job sheet per call
    assert "Projector in B1 loses signal" in text and "Projector in B2 loses signal" in text

    _link_problem(page, live_server, first, new_title="Projectors in B block lose signal")
    for call_id in (second, school["earlier"]):
        _link_problem(page, live_server, call_id)
    page.get_by_role("link", name="Problems").first.click()
    page.get_by_role("link", name="Projectors in B block lose signal").click()
    assert "Linked calls (3)" in page.content()
    page.locator("#resolve-problem summary").click()
    page.get_by_label("Permanent fix").fill("Replaced the HDMI wall plates in B block")
    shot("practice-problem")
    page.get_by_role("button", name="Resolve the problem").click()
    page.wait_for_load_state()
    assert "3 calls resolved and their callers told" in page.content()
    shot("practice-problem-resolved")

    statuses = {db["calls"].get(c)["status"] for c in (first, second, school["earlier"])}
    assert statuses == {"Resolved"}
    told = sorted(m["to_addr"] for m in outbox(db, "resolved"))
    assert told == ["ann@school.example", "ben@school.example", "bo@school.example"]

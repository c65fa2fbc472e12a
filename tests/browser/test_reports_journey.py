"""A leader's journey in a real browser: open the workload report, change the dates, get
the PDF; and the chart's inline styles are allowed by the page's own CSP."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def week(users, make_call, clock):
    users["leader"]
    for day in (16, 16, 23):
        clock.set(datetime(2026, 11, day, 9, 0))
        make_call(summary=f"Printer on the {day}th")
    clock.set(datetime(2026, 11, 23, 9, 30))


def test_leader_changes_the_date_range_and_downloads_the_pdf(week, live_server, page, shot):
    log_in(page, live_server, "leader", PASSWORD)
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Workload monitoring").click()
    headline = page.locator(".headline")
    assert "Calls logged\n3" in headline.inner_text()
    assert page.locator("figure.chart svg").first.bounding_box()["height"] > 100

    page.get_by_label("From").fill("2026-11-16")
    page.get_by_label("To").fill("2026-11-20")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**date_from=2026-11-16**")
    assert "Calls logged\n2" in headline.inner_text()
    shot("leader-workload")

    href = page.get_by_role("link", name="Download PDF").get_attribute("href")
    assert "date_from=2026-11-16" in href
    response = page.request.get(live_server + href)
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Workload monitoring" in text and "16 Nov 2026 to 20 Nov 2026" in text


def test_chart_styles_are_not_refused_by_the_csp(week, live_server, browser):
    context = browser.new_context()  # CSP enforced, unlike the shared page fixture
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    log_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server}/reports/workload")
    fill = page.evaluate(
        "getComputedStyle(document.querySelector('figure.chart svg .plot .background')).fill"
    )
    context.close()
    assert refused == []
    assert fill == "rgb(255, 255, 255)"

"""The leaders' practices of the framework, end to end on the demo school.

One test per practice, named after it, driven over HTTP as the head or the admin would
use the kit; PDFs are read back with pypdf.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from kit import demo
from tests.conftest import csrf_token

DEMO_DAY = datetime(2026, 11, 23, 9, 30)  # the Monday the demo school is loaded on
MONTH = ("2026-11-01", "2026-11-30")


@pytest.fixture
def school(app, db, clock):
    """The demo school, loaded on a Monday morning in November."""
    clock.set(DEMO_DAY)
    demo.load(db, at=DEMO_DAY)
    return db


@pytest.fixture
def as_demo(client):
    """Log the client in as one of the demo school's accounts ("head", "admin", ...)."""

    def do(username: str):
        client.delete_cookie("session")
        answer = client.post(
            "/auth/login",
            data={
                "username": username,
                "password": demo.DEMO_PASSWORD,
                "csrf_token": csrf_token(client),
            },
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
        return client

    return do


def _text(html: str) -> str:
    """What a person reads on a page: the tags dropped, the spaces closed up."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _within_target(text: str, label: str) -> tuple[str, int, int]:
    """(share, met, judged) printed after e.g. "Resolutions within target"."""
    found = re.search(rf"{label} within target (\S+%|—) \((\d+) of (\d+)", text)
    assert found, f"no “{label} within target” in {text[:2000]}"
    return found.group(1), int(found.group(2)), int(found.group(3))


def test_the_leaders_figures_agree_review_times_and_governors_report(
    school, as_demo, client, clock
):
    """The review, /reports/times and the governors' report judge service levels by one
    rule on the working-day clock, so for the same month they print the same figures."""
    clock.set(datetime(2026, 11, 25, 12, 0))  # two working days on: some met, some breached
    as_demo("head")
    start, end = MONTH
    review = _text(
        client.get(f"/leaders/reviews/new?date_from={start}&date_to={end}").get_data(as_text=True)
    )
    times = _text(
        client.get(f"/reports/times?date_from={start}&date_to={end}").get_data(as_text=True)
    )
    answer = client.get("/reports/governors.pdf?month=2026-11")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    governors = _pdf_text(answer.data)
    for label in ("Responses", "Resolutions"):
        from_review = _within_target(review, label)
        assert _within_target(times, label) == from_review
        assert _within_target(governors, label) == from_review
    share, met, judged = _within_target(review, "Resolutions")
    assert judged >= 2 and 0 < met < judged  # the demo has calls on both sides


def test_the_printed_web_form_address_is_the_schools_public_address(school, as_demo, client):
    """The admin sets the public address on the settings page (an http(s) address, checked);
    the letter and the charter print it, never the host the kit happens to run on."""
    from tests.test_settings_page import page_data

    as_demo("admin")
    for typed in ("ftp://files.northfield.example", "javascript:alert(1)", "helpdesk", "https://"):
        answer = client.post(
            "/admin/settings/",
            data={
                **page_data(school, public_url=typed),
                "csrf_token": csrf_token(client, "/admin/settings/"),
            },
        )
        html = answer.get_data(as_text=True)
        assert answer.status_code == 400 and "is not a web address" in html, typed
        assert f'value="{typed}"' in html  # what was typed is kept
    answer = client.post(
        "/admin/settings/",
        data={
            **page_data(school, public_url="https://desk.northfield.example/"),
            "csrf_token": csrf_token(client, "/admin/settings/"),
        },
    )
    assert answer.status_code == 302
    as_demo("head")
    for kind in ("letter", "charter"):
        text = _pdf_text(client.get(f"/leaders/{kind}/pdf").data)
        assert "https://desk.northfield.example/my-call/new" in text, kind
        assert "localhost" not in text and "127.0.0.1" not in text


def _open_call_at(db, level: str) -> int:
    return db.execute(
        "SELECT calls.id FROM calls JOIN response_levels l ON l.id = calls.response_level_id "
        "WHERE l.name = ? AND calls.status NOT IN ('Resolved', 'Closed') ORDER BY calls.id",
        [level],
    ).fetchone()[0]


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r'<option selected value="([^"]+)"', select).group(1)


def test_priority_in_school_terms_safeguarding_override_and_the_printed_matrix(
    school, as_demo, client
):
    """The raise form starts at the call's current values; a safeguarding concern takes a
    call to the top level whatever the matrix says; the letter and charter print the
    school's impact x urgency matrix with its overrides."""
    call_id = _open_call_at(school, "Low")
    as_demo("office")
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert (_selected(page, "impact"), _selected(page, "urgency")) == ("One person", "Can wait")
    answer = client.post(
        f"/priority/calls/{call_id}",
        data={
            "impact": "One person",
            "urgency": "Can wait",
            "safeguarding": "y",
            "priority_reason": "A pupil reports an unfiltered site on the library PCs.",
            "csrf_token": csrf_token(client, f"/calls/{call_id}"),
        },
    )
    assert answer.status_code == 302
    level = school.execute(
        "SELECT l.name FROM calls JOIN response_levels l ON l.id = calls.response_level_id "
        "WHERE calls.id = ?",
        [call_id],
    ).fetchone()[0]
    assert level == "Urgent"
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Safeguarding concern: the top level." in page  # in the call's history
    box = re.search(r'<input[^>]*name="safeguarding"[^>]*>', page).group(0)
    assert "checked" in box  # the form starts at what the desk chose
    as_demo("head")
    for kind in ("letter", "charter"):
        text = _pdf_text(client.get(f"/leaders/{kind}/pdf").data)
        assert "Impact A lesson is happening now Today Can wait" in text, kind
        assert "Whole school Urgent Urgent High" in text, kind
        assert "A safeguarding concern goes straight to Urgent" in text, kind
        assert "{%" not in text and "[Priority matrix]" not in text


def _save_setting(client, db, **changes):
    from tests.test_settings_page import page_data

    return client.post(
        "/admin/settings/",
        data={**page_data(db, **changes), "csrf_token": csrf_token(client, "/admin/settings/")},
    )


def test_baseline_before_targets(school, as_demo, client, clock):
    """The kit measures response and resolution per priority from the first call and says
    so; once the school sets the day targets count from, calls before it are the baseline
    (measured, not judged) and the report sets the baseline against each target."""
    clock.set(datetime(2026, 11, 25, 12, 0))
    start, end = MONTH
    as_demo("head")
    page = _text(client.get(f"/reports/baseline?date_from={start}&date_to={end}").get_data(True))
    assert "Measuring since" in page and "not set: every call is judged" in page
    calls = school.execute("SELECT COUNT(*) FROM calls WHERE voided = 0").fetchone()[0]
    assert f"Calls in the baseline {calls}" in page
    as_demo("admin")
    answer = _save_setting(client, school, targets_from="next week")
    assert answer.status_code == 400 and "is not a date" in answer.get_data(True)
    assert _save_setting(client, school, targets_from="2026-12-01").status_code == 302
    as_demo("head")
    times = _text(client.get(f"/reports/times?date_from={start}&date_to={end}").get_data(True))
    assert re.search(r"Resolutions within target — \(0 of 0; \d+ with no target yet\)", times)
    pdf = _pdf_text(client.get(f"/reports/baseline.pdf?date_from={start}&date_to={end}").data)
    assert "Targets count from 01 Dec 2026" in pdf
    for level in ("Urgent", "High", "Normal", "Low"):
        assert level in pdf
    assert "Per priority: baseline against target" in pdf


def test_monthly_report_laid_out_the_same_each_month(school, as_demo, client, clock):
    """By room, time unavailable in working hours, per technician, repeats and problems
    raised: a chart and a table per section, in the same order for a busy month and an
    empty one, on screen and in the PDF."""
    from kit.reports.monthly import SECTIONS

    clock.set(datetime(2026, 11, 25, 12, 0))
    as_demo("head")
    layouts = []
    for month in ("2026-11", "2026-10"):
        html = client.get(f"/reports/monthly?month={month}").get_data(as_text=True)
        headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
        layouts.append([h for h in headings if h in SECTIONS])
        figures = re.findall(r"<figcaption>([^.<]+)\.", html)
        assert figures == list(SECTIONS), month  # a chart per section, in order
    assert layouts[0] == layouts[1] == list(SECTIONS)
    november = _text(client.get("/reports/monthly?month=2026-11").get_data(as_text=True))
    calls = school.execute("SELECT COUNT(*) FROM calls WHERE voided = 0").fetchone()[0]
    assert f"Calls logged {calls}" in november
    assert "Tom Technician" in november  # owns demo calls
    pdf = _pdf_text(client.get("/reports/monthly.pdf?month=2026-11").data)
    at = pdf.find("Problems raised")  # the headline's figure; the sections follow it
    for section in SECTIONS:
        at = pdf.find(section, at + 1)
        assert at != -1, section
    answer = client.get("/reports/monthly?month=2026-13")
    assert answer.status_code == 400 and "is not a month" in answer.get_data(as_text=True)


def test_workload_incidents_and_requests_side_by_side_and_who_needs_most_support(
    school, as_demo, client
):
    """The workload report puts incidents and requests side by side, ranks request types
    by the time they take, and names the users, rooms and departments needing most
    support, each with a chart; the PDF carries the same tables."""
    start, end = MONTH
    as_demo("head")
    html = client.get(f"/reports/workload?date_from={start}&date_to={end}").get_data(True)
    text = _text(html)
    counts = dict(
        school.execute("SELECT call_type, COUNT(*) FROM calls WHERE voided = 0 GROUP BY 1")
    )
    for kind in ("Incident", "Request"):
        assert re.search(rf"{kind} {counts.get(kind, 0)} \d+ \d+", text), kind
    most = school.execute(
        "SELECT COUNT(*) AS n FROM calls LEFT JOIN people p ON p.id = calls.caller_id "
        "WHERE calls.voided = 0 GROUP BY COALESCE(NULLIF(p.department, ''), 'Not recorded') "
        "ORDER BY n DESC LIMIT 1"
    ).fetchone()[0]
    section = text[text.index("Department Calls Incidents Requests Hours recorded") :]
    first = re.match(r"Department Calls Incidents Requests Hours recorded (\D+) (\d+) ", section)
    assert first and int(first.group(2)) == most  # the department with most calls first
    for title in (
        "Incidents and requests side by side",
        "Request types that take longest",
        "Users who needed most support",
        "Rooms that needed most support",
    ):
        assert f"<figcaption>{title}" in html or title in text
    pdf = _pdf_text(client.get(f"/reports/workload.pdf?date_from={start}&date_to={end}").data)
    assert (
        "Request types that take longest" in pdf and "Departments that needed most support" in pdf
    )

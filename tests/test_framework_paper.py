"""Paper and screen are one definition (issue 16): calls walked through the life cycle in
the running app (the desk logs, passes on, a technician works with the diagnostics sheet,
resolves, the desk closes and files), every PDF read back with pypdf after each step.

One test per practice, named after it. The life-cycle steps are the app's own routes,
posted as a browser would (see `Desk` below).
"""

from __future__ import annotations

import io
import re

import pytest
from conftest import csrf_token
from customer_support import web_answers
from pypdf import PdfReader

from kit.calls.forms import LogCallForm
from kit.customer.forms import web_call_form_class
from kit.printing import forms, questions

ANSWERS = {
    "expected": "The register to save",
    "happened": "It spins, then shows an error",
    "checked": "Restarted the laptop",
    "error_message": "Error 0x80070005: access denied",
    "other_programs": "Email and a browser",
    "last_worked": "Friday afternoon",
    "happened_before": "Not sure",
    "anything_else": "Only in period 1",
}


def pdf(response) -> tuple[int, str]:
    """Pages and text of a PDF answer (whitespace squashed, so wrapped words still match)."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def section_text(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


class Desk:
    """The life cycle's steps through the app's routes, as the people who take them."""

    def __init__(self, client, db, users, clock) -> None:
        self.client, self.db, self.users, self.clock = client, db, users, clock

    def login(self, role: str) -> None:
        self.users[role]
        token = csrf_token(self.client)
        response = self.client.post(
            "/auth/login",
            data={"username": role, "password": "correct horse battery", "csrf_token": token},
        )
        assert response.status_code == 302

    def post(self, path: str, data: dict, token_from: str = "/auth/login") -> object:
        token = csrf_token(self.client, token_from)
        return self.client.post(path, data={**data, "csrf_token": token})

    def log_call(self, **changes) -> int:
        self.login("desk")
        category = self.db.execute(
            "SELECT id FROM categories WHERE name = 'MIS or school management system'"
        ).fetchone()[0]
        data = {
            "caller_name": "Ann Teacher",
            "caller_email": "ann@school.example",
            "channel": "Phone",
            "category_id": str(category),
            "summary": "Registers will not save",
            "occurred_at": "2026-11-23T08:50",
            "submission_key": "k" * 32,
            **ANSWERS,
            **changes,
        }
        response = self.post("/calls/new", data, token_from="/calls/new")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    def pass_on(self, call_id: int) -> None:
        group = self.db.execute(
            "SELECT id FROM support_groups WHERE name = 'Service Delivery'"
        ).fetchone()[0]
        self.login("desk")
        response = self.post(
            f"/calls/{call_id}/assign",
            {"group_id": str(group), "assignee_id": str(self.users["technician"])},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    def work(self, call_id: int, minutes: int, note: str) -> None:
        self.login("technician")
        self.post(f"/calls/{call_id}/note", {"note_text": note, "submission_key": "n" * 32})
        response = self.post(
            f"/calls/{call_id}/time",
            {"time_minutes": str(minutes), "time_worked_on": "2026-11-23", "time_note": ""},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    def resolve(self, call_id: int) -> None:
        self.login("technician")
        response = self.post(
            f"/calls/{call_id}/resolve",
            {
                "resolution_summary": "Registers save again after the MIS update",
                "resolution_details": "Reinstalled the MIS client and cleared its cache",
                "closure_category": "MIS or school management system",
                "customer_confirmed": "y",
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    def close(self, call_id: int) -> None:
        self.login("desk")
        response = self.post(f"/calls/{call_id}/close", {})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    def job_sheet(self, call_id: int) -> tuple[int, str]:
        return pdf(self.client.get(f"/print/calls/{call_id}/job-sheet"))


@pytest.fixture
def desk(client, db, users, clock) -> Desk:
    return Desk(client, db, users, clock)


def test_job_sheet_reprinted_at_any_time_shows_what_the_call_holds(desk, clock):
    call_id = desk.log_call()
    _, logged = desk.job_sheet(call_id)
    assert "Registers will not save" in logged and "No actions recorded" not in logged

    desk.pass_on(call_id)
    _, passed = desk.job_sheet(call_id)
    assert "Owner Technician" in passed

    desk.work(call_id, 25, "Cleared the MIS cache on the laptop")
    _, worked = desk.job_sheet(call_id)
    assert "Cleared the MIS cache on the laptop" in worked
    assert "25 min" in section_text(worked, "Actions taken", "Notes")

    desk.resolve(call_id)
    desk.close(call_id)
    pages, closed = desk.job_sheet(call_id)
    assert pages == 1
    resolution = section_text(closed, "Resolution", "Closing the call")
    assert "Registers save again after the MIS update" in resolution
    assert "Reinstalled the MIS client and cleared its cache" in resolution
    assert "MIS or school management system" in resolution and "Yes" in resolution
    closing = closed[closed.index("Closing the call") :]
    assert "Email to ann@school.example, 2026-11-23 09:30" in closing  # user told: how, when
    assert closing.count("2026-11-23") >= 3  # resolved, closed
    assert "Time spent in all 25 min" in closed


def test_job_sheet_has_no_stray_numbering(desk):
    call_id = desk.log_call()
    desk.pass_on(call_id)
    desk.work(call_id, 10, "Looked at it")
    _, text = desk.job_sheet(call_id)
    assert not re.search(r"(^|\s)1\.\s", text)


def test_each_web_form_answer_prints_once_in_its_own_box(desk, client, db):
    desk.users["desk"]  # a school that is set up
    answers = web_answers(checked="Tried another printer", happened_before="Yes")
    response = client.post("/my-call/new", data={**answers, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    call_id = db.execute("SELECT id FROM calls").fetchone()[0]
    desk.login("desk")
    _, text = desk.job_sheet(call_id)
    for name in ("expected", "happened", "checked", "error_message", "last_worked"):
        assert text.count(answers[name]) == 1, name
    before, answered = text.split("About the problem", 1)
    for name in ("expected", "happened", "checked", "error_message", "last_worked"):
        field = next(f for f in questions.sheet_fields() if f["name"] == name)
        assert answers[name] not in before, f"{name} printed in the details as well"
        assert answered.count(field["label"]) == 1, f"{name} asked twice"
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert page.count("Tried another printer") == 1


def test_every_field_of_every_sheet_is_on_its_web_form_and_back(app):
    with app.test_request_context():
        web = web_call_form_class()()
        desk_form = LogCallForm(meta={"csrf": False})
    sheet = questions.sheet_fields()
    web_names = {n for f in sheet for n in questions.form_names(f, "web")}
    desk_names = {n for f in sheet for n in questions.form_names(f, "desk")}
    for name in web_names:
        assert name in web, f"the sheet's {name} is not on the web form"
    for name in desk_names:
        assert name in desk_form, f"the sheet's {name} is not on the log-a-call form"
    technical = {"csrf_token", "submission_key", "website"}
    assert {f.name for f in web} - technical <= web_names, "a web form question not on the sheet"
    desk_only = {"caller_id", "channel", "details"}  # the desk's own part of the sheet
    assert {f.name for f in desk_form} - technical - desk_only <= desk_names
    for name in ("expected", "happened", "checked", "last_worked", "happened_before"):
        assert name in desk_form and name in web
    for name in ("anything_else", "error_message", "occurred_at"):
        assert name in desk_form and name in web
    labels = {f["name"]: f["label"] for f in sheet}
    assert web["expected"].label.text == labels["expected"] == desk_form["expected"].label.text


def test_desk_logged_call_keeps_the_callers_answers(desk, db):
    call_id = desk.log_call()
    stored = {
        r["name"]: r["value"] for r in db["call_answers"].rows_where("call_id = ?", [call_id])
    }
    assert stored == ANSWERS
    assert db["calls"].get(call_id)["occurred_at"].startswith("2026-11-23 08:50")
    _, text = desk.job_sheet(call_id)
    for value in ANSWERS.values():
        if value != "Not sure":
            assert text.count(value) == 1, value


def test_blank_sheet_has_the_desks_part_and_the_date_it_happened(desk, client):
    desk.login("desk")

    pages, text = pdf(client.get("/print/blank/incident_request"))
    assert pages == 1
    users_part = section_text(text, "About the problem", "For the service desk")
    assert "Date it happened" in users_part
    desk_part = text[text.index("For the service desk") : text.index("For the technician")]
    for words in ("Received via", "Priority", "Date closed", "Filed", "service desk use only"):
        assert words in desk_part, words
    assert forms.field(forms.load("incident_request"), "desk", "channel")["options"]

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
from kb_support import add_article
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
            "submission_key": "ab" * 16,
            "desk_checked": "y",
            **ANSWERS,
            **changes,
        }
        response = self.post("/calls/new", data, token_from="/calls/new")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return int(response.headers["Location"].rstrip("/").split("/")[-1])

    def pass_on(self, call_id: int) -> None:
        """The desk's one way to pass a checked call on: the hand-off to a technician."""
        self.login("desk")
        response = self.post(
            f"/visits/calls/{call_id}/handoff",
            {
                "technician_id": str(self.users["technician"]),
                "method": "phone",
                "handoff_note": "Registers fail in S12",
            },
            token_from=f"/calls/{call_id}",
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    def work(self, call_id: int, minutes: int, note: str) -> None:
        self.login("technician")
        self.post(f"/calls/{call_id}/note", {"note_text": note, "submission_key": "ef" * 16})
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
                "informed_how": "email",
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


def test_job_sheet_and_call_page_show_how_it_was_passed_on_kb_checked_and_follow_ups(desk, db):
    call_id = desk.log_call()
    article = add_article(db, "Registers will not save: clear the MIS cache")
    response = desk.post(
        f"/kb/calls/{call_id}/link", {"article_id": str(article)}, token_from=f"/calls/{call_id}"
    )
    assert response.status_code == 302
    response = desk.post(
        f"/follow-ups/calls/{call_id}",
        {"due_on": "2026-11-25", "followup_comment": "Ring Ann: did period 1 registers save?"},
        token_from=f"/calls/{call_id}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    _, open_sheet = desk.job_sheet(call_id)
    passing = section_text(open_sheet, "Passing it on and following up", "Actions taken")
    assert "Follow up Desk Ring Ann" in passing and "KB article checked Desk" in passing
    desk.pass_on(call_id)
    desk.login("technician")
    response = desk.post(
        f"/calls/{call_id}/return-to-desk",
        {"return_reason": "Needs the MIS supplier, not a visit"},
        token_from=f"/calls/{call_id}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    desk.login("desk")
    _, text = desk.job_sheet(call_id)
    passing = section_text(text, "Passing it on and following up", "Actions taken")
    assert "Passed on: by phone Technician, Service Delivery (tier 2)" in passing
    assert "Agreed: Registers fail in S12" in passing
    assert "Returned to the desk by Technician Needs the MIS supplier" in passing
    assert "2026-11-25 Follow up Desk Ring Ann: did period 1 registers save?" in passing
    assert "KB article checked Desk Registers will not save: clear the MIS cache" in passing
    page = desk.client.get(f"/calls/{call_id}").get_data(as_text=True)
    action_panel = page[page.index('id="handoff"') :]
    action_panel = action_panel[: action_panel.index("</section>")]
    assert "Agreed" not in action_panel  # shown once, under "Passing it on", not twice
    shown = page[page.index('id="passing-h"') :]
    for words in (
        "to <strong>Technician</strong>, Service Delivery (tier 2)",
        "Agreed: Registers fail in S12",
        "Why: Needs the MIS supplier, not a visit",
        '2026-11-25: <span class="text">Ring Ann: did period 1 registers save?',
        "Registers will not save: clear the MIS cache",
    ):
        assert words in shown, words


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
    technical = {"csrf_token", "submission_key", "website", "file", "files"}  # not questions
    assert {f.name for f in web} - technical <= web_names, "a web form question not on the sheet"
    # the desk's own part of the sheet, and its check that the details are understood
    desk_only = {"caller_id", "channel", "details", "desk_checked"}
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


def fill_diagnostics(desk: Desk, call_id: int, **changes) -> object:
    desk.login("technician")
    data = {
        "submission_key": "12" * 16,
        "searched": "Call log: 26-0003 the same; KB: MIS cache article",
        "looked_up_online": "Supplier forum, article 4471",
        "supplier": "MIS Ltd, ticket MIS-88",
        "findings": "Corrupt MIS client cache",
        "fix": "Swapped out",
        "check_0_done": "y",
        "check_0_result": "Power fine",
        "action_0_day": "2026-11-23",
        "action_0_action": "Cleared the MIS cache",
        "action_0_result": "Registers save again",
        "action_0_minutes": "20",
        **changes,
    }
    return desk.post(f"/calls/{call_id}/diagnostics", data)


def test_diagnostics_filled_on_screen_become_actions_with_time_on_both_sheets(desk, db):
    call_id = desk.log_call()
    desk.pass_on(call_id)
    response = fill_diagnostics(desk, call_id)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    [entry] = db["time_entries"].rows_where("call_id = ?", [call_id])
    assert entry["minutes"] == 20 and "Cleared the MIS cache" in entry["note"]
    kinds = [e["kind"] for e in db["call_events"].rows_where("call_id = ?", [call_id])]
    assert "diagnostics" in kinds and "time" in kinds
    _, diagnostics = pdf(desk.client.get(f"/print/calls/{call_id}/diagnostics"))
    actions = section_text(diagnostics, "Actions", "Findings")
    assert "Cleared the MIS cache Registers save again 20 min" in actions
    for words in (
        "Call log: 26-0003 the same",
        "Supplier forum, article 4471",
        "MIS Ltd, ticket MIS-88",
        "Corrupt MIS client cache",
        "Power fine",
    ):
        assert words in diagnostics, words
    _, job = desk.job_sheet(call_id)
    assert "Cleared the MIS cache Registers save again 20 min" in job


def test_diagnostics_sheet_has_the_frameworks_boxes(desk, client):
    desk.login("desk")
    pages, text = pdf(client.get("/print/blank/diagnostics"))
    assert pages == 1
    for words in (
        "When Action Result Time",
        "Call log and knowledge base searched",
        "Error looked up online, with the source",
        "Swapped out",
        "Escalated to supplier, with their reference",
    ):
        assert words in text, words


def test_diagnostics_page_is_for_those_who_may_work_the_call(desk, db):
    call_id = desk.log_call()
    desk.login("technician")  # not routed to them yet: as if it did not exist
    assert desk.client.get(f"/calls/{call_id}/diagnostics").status_code == 404
    desk.pass_on(call_id)
    desk.login("technician")
    assert desk.client.get(f"/calls/{call_id}/diagnostics").status_code == 200
    for role in ("coordinator", "leader"):
        desk.login(role)
        assert desk.client.get(f"/calls/{call_id}/diagnostics").status_code == 403
        assert fill_diagnostics_as(desk, role, call_id).status_code == 403
    assert db["diagnostic_records"].count == 0


def fill_diagnostics_as(desk: Desk, role: str, call_id: int) -> object:
    desk.login(role)
    return desk.post(f"/calls/{call_id}/diagnostics", {"findings": "x"})


def test_diagnostics_action_without_minutes_is_refused_and_kept(desk, db):
    call_id = desk.log_call()
    desk.pass_on(call_id)
    response = fill_diagnostics(desk, call_id, action_0_minutes="")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Say how many minutes it took." in html and "Cleared the MIS cache" in html
    assert db["time_entries"].count == 0 and db["diagnostic_records"].count == 0


def test_diagnostics_sent_twice_add_the_time_once(desk, db):
    call_id = desk.log_call()
    desk.pass_on(call_id)
    assert fill_diagnostics(desk, call_id).status_code == 302
    assert fill_diagnostics(desk, call_id).status_code == 302
    assert db["time_entries"].count == 1 and db["diagnostic_actions"].count == 1


def close_a_worked_call(desk: Desk) -> int:
    call_id = desk.log_call()
    desk.pass_on(call_id)
    fill_diagnostics(desk, call_id)
    desk.resolve(call_id)
    desk.close(call_id)
    return call_id


def test_file_pack_is_the_incident_sheet_then_the_diagnostics_sheet(desk, clock):
    call_id = close_a_worked_call(desk)
    desk.login("desk")
    response = desk.client.get(f"/print/calls/{call_id}/file-pack")
    pages, text = pdf(response)
    assert pages == 2
    reader = PdfReader(io.BytesIO(response.data))
    first, second = (p.extract_text() for p in reader.pages)
    assert "Incident/request sheet" in first and "Registers save again after" in first
    assert "Incident diagnostics sheet" in second and "Corrupt MIS client cache" in second


def test_file_pack_waits_until_the_call_is_closed(desk):
    call_id = desk.log_call()
    desk.login("desk")
    response = desk.client.get(f"/print/calls/{call_id}/file-pack")
    assert response.status_code == 302 and f"/calls/{call_id}" in response.headers["Location"]


def test_marking_a_closed_call_filed_shows_on_the_call_log_and_the_sheets(desk, db, clock):
    call_id = close_a_worked_call(desk)
    desk.login("desk")
    assert "Mark as filed" in desk.client.get(f"/calls/{call_id}").get_data(as_text=True)
    response = desk.post(f"/print/calls/{call_id}/filed", {})
    assert response.status_code == 302
    call = db["calls"].get(call_id)
    assert call["filed_at"].startswith("2026-11-23") and call["filed_by"] == desk.users["desk"]
    [event] = db["call_events"].rows_where("call_id = ? AND kind = 'filed'", [call_id])
    assert event["user_id"] == desk.users["desk"]
    _, job = desk.job_sheet(call_id)
    assert "2026-11-23 09:30 by Desk" in job[job.index("Filed (date, by)") :]
    _, pack = pdf(desk.client.get(f"/print/calls/{call_id}/file-pack"))
    assert "2026-11-23 09:30 by Desk" in pack
    page = desk.client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Paper filed 2026-11-23 09:30" in page


def test_only_the_desk_marks_a_call_filed_and_only_once_closed(desk, db):
    call_id = desk.log_call()
    desk.login("desk")
    desk.post(f"/print/calls/{call_id}/filed", {})
    assert db["calls"].get(call_id)["filed_at"] is None  # still open
    desk.pass_on(call_id)
    desk.login("technician")
    assert desk.post(f"/print/calls/{call_id}/filed", {}).status_code == 403


LOG_COLUMNS = (
    "Received via",
    "Type",
    "Category",
    "Priority",
    "Passed to",
    "Closed",
    "Filed",
)


def test_printed_call_log_has_the_frameworks_columns_and_a_status_filter(desk, db):
    closed = close_a_worked_call(desk)
    desk.login("desk")
    desk.post(f"/print/calls/{closed}/filed", {})
    still_open = desk.log_call(summary="Printer offline", submission_key="cd" * 16)
    response = desk.post(
        f"/follow-ups/calls/{still_open}",
        {"due_on": "2026-11-26", "followup_comment": "Check the toner arrived"},
        token_from=f"/calls/{still_open}",
    )
    assert response.status_code == 302
    _, open_log = pdf(desk.client.get("/print/call-log?date_from=2026-11-23&status=open"))
    assert "26/11/26" in open_log[open_log.index("Printer offline") :]  # its follow-up date
    response = desk.client.get(
        "/print/call-log?date_from=2026-11-23&date_to=2026-11-23&status=Closed"
    )
    pages, text = pdf(response)
    assert pages == 1
    for column in LOG_COLUMNS:
        assert column in text, column
    assert "Printer offline" not in text and "Registers will not save" in text
    row = text[text.index("26-0001") :]
    for value in ("Phone", "Incident", "Technician", "23/11/26", "Closed"):
        assert value in row, value
    assert db["calls"].get(still_open)["status"] == "Logged"
    index = desk.client.get("/print/").get_data(as_text=True)
    assert 'name="status"' in index and '<option value="Closed">' in index


def test_call_log_page_has_a_print_button_with_its_filters(desk):
    desk.log_call()
    desk.login("desk")
    html = desk.client.get("/calls/?status=Logged").get_data(as_text=True)
    assert "/print/call-log?status=Logged" in html and "Print the call log" in html


def test_leaders_may_print_the_call_log(desk):
    desk.log_call()
    desk.login("leader")
    _, text = pdf(desk.client.get("/print/call-log?date_from=2026-11-23&date_to=2026-11-23"))
    assert "Registers will not save" in text
    assert "Print the call log" in desk.client.get("/calls/").get_data(as_text=True)


def test_printed_call_log_has_fifteen_unwrapped_lines_a_page(desk, db, users, clock, make_call):
    for i in range(40):
        make_call(
            f"Wi-Fi drops in the library every few minutes and pupils lose work {i:02d}",
            category="Network or Wi-Fi",
            caller_name=f"Priya Geography-Longname {i:02d}",
        )
    desk.login("desk")
    response = desk.client.get("/print/call-log?date_from=2026-11-23&date_to=2026-11-23")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) <= 3  # 40 calls, at least 15 a page
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (841.89, 595.28), abs=1
        )  # A4 landscape
        lines = page.extract_text().splitlines()
        rows = [line for line in lines if re.match(r"26-\d{4} ", line)]
        assert len(rows) >= 15 or page is reader.pages[-1]
        for line in rows:  # the whole row on one line: reference through status
            assert "Incident" in line and "Logged" in line, line
        assert not [line for line in lines if line.startswith("minutes and pupils")]


def test_diagnostics_sheet_prints_the_known_error_of_the_calls_problem(desk, db):
    """FRAMEWORK "Incidents and problems": recurring calls link to one problem, whose known
    workaround reaches the technician's diagnostics sheet."""
    first = desk.log_call()
    again = desk.log_call(summary="Registers will not save again", submission_key="cd" * 16)
    desk.login("desk")

    def link(call_id: int, **data):
        response = desk.post(
            f"/problems/calls/{call_id}/link", data, token_from=f"/calls/{call_id}"
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:1500]

    link(first, problem_id="0", new_problem_title="MIS client loses its cache")
    problem = db.execute("SELECT id FROM problems").fetchone()[0]
    link(again, problem_id=str(problem))
    edited = desk.post(
        f"/problems/{problem}",
        {
            "title": "MIS client loses its cache",
            "cause": "",
            "workaround": "Clear the MIS cache and sign in again",
            "status": "known error",
        },
        token_from=f"/problems/{problem}",
    )
    assert edited.status_code == 302, edited.get_data(as_text=True)[:1500]
    assert db.execute("SELECT COUNT(*) FROM problem_calls").fetchone()[0] == 2
    for call_id in (first, again):
        _, text = pdf(desk.client.get(f"/print/calls/{call_id}/diagnostics"))
        assert (
            f"Problem {problem} (known error): MIS client loses its cache; "
            "workaround: Clear the MIS cache and sign in again"
        ) in text
        assert "coming back) ✔ Yes" in text  # "Raise a problem?" ticked: it was raised

"""Passing calls on (email with the job sheet, phone with a note, the next visit), visit
days, the visit list and its PDF, knowledge base first, and first-contact fixes."""

from __future__ import annotations

import email

import pytest

from kit.kb import store as kb
from kit.mail import outbox, smtp
from kit.visits import store as visits
from tests.kb_support import add_article
from tests.practice_support import outbox as outbox_rows
from tests.practice_support import pdf_text, route, technician

PHONE = "Due before the visit – phone instead"


def _pass_on(post, call_id, tech, method, note=""):
    return post(
        f"/visits/calls/{call_id}/handoff",
        {"technician_id": tech, "method": method, "handoff_note": note},
        token_from=f"/calls/{call_id}",
    )


@pytest.fixture
def desk(login, users, db):
    """The desk logged in, and a technician "tess" who visits on Tuesdays."""
    tech = technician(users, db, "tess", "Tuesday")
    login("desk")
    return tech


def test_email_hand_off_attaches_the_job_sheet_to_the_technicians_notice(desk, post, db, make_call):
    call_id = make_call("Projector shows no picture", category="Projector or interactive display")
    response = _pass_on(post, call_id, desk, "email")
    assert response.status_code == 302
    call = db["calls"].get(call_id)
    assert call["assignee_id"] == desk and call["routed_at"] and call["status"] == "Assigned"
    notices = outbox_rows(db, "assigned")
    assert len(notices) == 1 and notices[0]["to_addr"] == "tess@school.example"
    files = outbox.attachments(db, notices[0]["id"])
    assert [f["filename"] for f in files] == [f"{call['ref']}-job-sheet.pdf"]
    _pages, text = pdf_text(files[0]["content"])
    assert call["ref"] in text and "Projector shows no picture" in text
    handoff = visits.latest_handoff(db, call_id)
    assert handoff["method"] == "email" and handoff["outbox_id"] == notices[0]["id"]


def test_the_attachment_goes_out_with_the_email(desk, post, db, make_call, clock):
    call_id = make_call()
    _pass_on(post, call_id, desk, "email")
    row = outbox_rows(db, "assigned")[0]
    msg = smtp.build_message(row, "desk@school.example", outbox.attachments(db, row["id"]))
    parsed = email.message_from_bytes(msg.as_bytes())
    names = [part.get_filename() for part in parsed.walk() if part.get_filename()]
    assert names == [f"{db['calls'].get(call_id)['ref']}-job-sheet.pdf"]


def test_phone_hand_off_needs_what_was_agreed(desk, post, db, make_call):
    call_id = make_call()
    response = _pass_on(post, call_id, desk, "phone")
    assert response.status_code == 400
    assert "Write what was agreed on the phone." in response.get_data(as_text=True)
    assert db["calls"].get(call_id)["routed_at"] is None


def test_phone_hand_off_keeps_the_note_in_the_history(desk, post, db, make_call, client):
    call_id = make_call()
    assert _pass_on(post, call_id, desk, "phone", "Tess will come at 2pm").status_code == 302
    events = [
        e for e in db["call_events"].rows_where("call_id = ?", [call_id]) if e["kind"] == "handoff"
    ]
    assert len(events) == 1 and "by phone" in events[0]["text"]
    assert "Tess will come at 2pm" in events[0]["text"]
    assert "Tess will come at 2pm" in client.get(f"/calls/{call_id}").get_data(as_text=True)


def test_visit_hand_off_needs_visit_days(login, users, post, db, make_call):
    tech = technician(users, db, "vic", pattern="")
    login("desk")
    call_id = make_call()
    response = _pass_on(post, call_id, tech, "visit")
    assert response.status_code == 400
    assert "Vic has no visit days set" in response.get_data(as_text=True)


def test_email_hand_off_needs_an_address(login, users, post, db, make_call):
    tech = technician(users, db, "nomail")
    db["users"].update(tech, {"email": ""})
    login("desk")
    response = _pass_on(post, make_call(), tech, "email")
    assert response.status_code == 400
    assert "has no email address" in response.get_data(as_text=True)


def test_a_technician_must_be_chosen(desk, post, make_call):
    response = _pass_on(post, make_call(), 0, "phone", "x")
    assert response.status_code == 400
    assert "Choose a technician." in response.get_data(as_text=True)


def test_call_left_for_the_visit_shows_the_visit_as_its_expected_response(
    desk, post, client, make_call
):
    call_id = make_call("Printer jams", category="Printer or copier")
    assert _pass_on(post, call_id, desk, "visit").status_code == 302
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Expected response: Tuesday 24 November 2026" in html
    assert PHONE not in html


def test_visit_list_is_in_queue_order_and_flags_calls_due_before_the_visit(
    desk, post, client, make_call
):
    printer = make_call("Printer jams", category="Printer or copier")  # Normal: due Tuesday
    projector = make_call("Projector dead", category="Projector or interactive display")  # High
    for call_id in (printer, projector):
        _pass_on(post, call_id, desk, "visit")
    html = client.get(f"/visits/{desk}").get_data(as_text=True)
    assert "Next visit: <strong>Tuesday 24 November 2026</strong>" in html
    assert html.index("Projector dead") < html.index("Printer jams")
    assert html.count(PHONE) == 1
    assert html.index(PHONE) < html.index("Printer jams")


def test_passing_a_call_on_again_takes_it_off_the_visit_list(desk, post, client, make_call, db):
    call_id = make_call("Printer jams")
    _pass_on(post, call_id, desk, "visit")
    assert [c["id"] for c in visits.visit_list(db, desk, [])] == [call_id]
    _pass_on(post, call_id, desk, "phone", "Doing it today after all")
    assert visits.visit_list(db, desk, []) == []


def test_the_visit_list_pdf_holds_a_cover_list_and_every_job_sheet(
    desk, post, client, db, make_call
):
    from kit import settings

    # sheets carry QR codes once the school has its public address
    settings.put(
        db, "public_url", "https://helpdesk.school.example", user_id=None, at="2026-11-23 09:00:00"
    )
    first = make_call("Printer jams", category="Printer or copier")
    second = make_call("Projector dead", category="Projector or interactive display")
    for call_id in (first, second):
        _pass_on(post, call_id, desk, "visit")
    response = client.get(f"/visits/{desk}/print")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages, text = pdf_text(response.data)
    refs = [db["calls"].get(c)["ref"] for c in (first, second)]
    assert pages >= 3
    assert text.count("Scan to open") == 2  # one job sheet per call
    cover = " ".join(text.split("Incident/request sheet")[0].split())
    assert "Visit list" in cover and "Tess" in cover and "Tuesday 24 November 2026" in cover
    assert all(ref in cover for ref in refs) and "phone instead" in cover
    # each job sheet says how its call was passed on, as the desk's part of the sheet asks
    assert text.count("Passed on: next visit on 2026-11-24") == 2


def test_an_empty_visit_list_prints_nothing(desk, client):
    response = client.get(f"/visits/{desk}/print")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/visits/{desk}")


def test_technician_sees_their_own_visit_list(login, users, db, make_call, clock):
    tech = technician(users, db, "technician", "Tuesday")
    call_id = make_call("Printer jams")
    route(db, call_id, tech)
    visits.record_handoff(
        db,
        call_id,
        method="visit",
        technician_id=tech,
        visit_on=None,
        note="",
        outbox_id=None,
        text="Left for the visit",
        user_id=None,
        at=clock(),
    )
    html = login("technician").get(f"/visits/{tech}").get_data(as_text=True)
    assert "Printer jams" in html
    _pages, text = pdf_text(login("technician").get(f"/visits/{tech}/print").data)
    assert "Printer jams" in text


def test_visit_days_are_checked_and_nothing_is_saved_while_one_is_wrong(login, users, db, post):
    first = technician(users, db, "ann", pattern="")
    second = technician(users, db, "bob", pattern="")
    login("desk")
    response = post(
        "/visits/days",
        {f"pattern-{first}": "Tuesday", f"pattern-{second}": "Funday"},
        token_from="/visits/days",
    )
    assert response.status_code == 400
    assert "“Funday” is not a weekday or a date (YYYY-MM-DD)." in response.get_data(as_text=True)
    assert visits.pattern_text(db, first) == ""
    response = post(
        "/visits/days",
        {f"pattern-{first}": "Tuesday", f"pattern-{second}": "fri, 2026-12-03"},
        token_from="/visits/days",
    )
    assert response.status_code == 302
    assert visits.pattern_text(db, second) == "fri, 2026-12-03"


def test_visit_days_skip_days_the_school_is_closed(login, users, db, client):
    from kit import settings

    settings.put(db, "school_holidays", [["2026-11-24", "2026-11-24"]], user_id=None, at="x")
    tech = technician(users, db, "tess", "Tuesday")
    html = login("desk").get("/visits/").get_data(as_text=True)
    assert "Tuesday 01 December 2026" in html and f"/visits/{tech}" in html


def test_knowledge_base_first_shows_similar_earlier_calls_before_passing_on(
    desk, client, make_call, db
):
    db["locations"].insert({"site": "Main", "building": "B", "room": "B12"})
    earlier = make_call("Projector in B12 has no picture", location_id=1)
    make_call("Password expired")
    call_id = make_call("No picture from the projector", location_id=1)
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    section = html.split('id="kb-first"')[1].split("</div>")[0]
    assert db["calls"].get(earlier)["ref"] in section
    assert "same room" in section and "Password expired" not in section
    assert "someone in school applies it" in section


def test_knowledge_base_first_is_not_offered_once_the_call_is_passed_on(
    desk, client, post, make_call
):
    call_id = make_call()
    _pass_on(post, call_id, desk, "phone", "ok")
    assert 'id="kb-first"' not in client.get(f"/calls/{call_id}").get_data(as_text=True)


def _resolve(post, call_id):
    return post(
        f"/calls/{call_id}/resolve",
        {
            "resolution_summary": "Cleared the queue",
            "closure_category": "Printer or copier",
            "customer_confirmed": "y",
            "resolve_minutes": "5",
        },
        token_from=f"/calls/{call_id}",
    )


def test_desk_fix_from_an_article_counts_as_resolved_at_first_contact(
    login, post, db, make_call, users, clock
):
    article = add_article(db, "Clear a stuck print queue")
    fixed = make_call("Printer queue stuck")
    kb.link_call(db, fixed, article, user_id=users["desk"], at=clock(), solved=True)
    plain = make_call("Printer queue stuck again")
    login("desk")
    assert _resolve(post, fixed).status_code == 302
    assert _resolve(post, plain).status_code == 302
    assert db["calls"].get(fixed)["first_contact_kb"] == 1
    assert db["calls"].get(plain)["first_contact_kb"] == 0
    assert visits.first_contact_kb_count(db) == 1
    assert visits.first_contact_kb_count(db, "2026-11-24", "2026-11-30") == 0


def test_a_call_passed_to_a_technician_is_not_a_first_contact_fix(
    login, post, db, make_call, users, clock
):
    article = add_article(db, "Clear a stuck print queue")
    call_id = make_call("Printer queue stuck")
    kb.link_call(db, call_id, article, user_id=users["desk"], at=clock(), solved=True)
    route(db, call_id)
    login("desk")
    assert _resolve(post, call_id).status_code == 302
    assert db["calls"].get(call_id)["first_contact_kb"] == 0


def test_knowledge_base_first_finds_an_earlier_call_by_its_words_alone(desk, client, make_call, db):
    """Another category, no room, no equipment: only the summary's words (a plural, another
    form) make it a candidate, through the call log's search table."""
    earlier = make_call("Projectors flicker in the hall", category="Email")
    make_call("Password expired", category="Email")
    call_id = make_call("The projector flickers")
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    section = html.split('id="kb-first"')[1].split("</div>")[0]
    assert db["calls"].get(earlier)["ref"] in section
    assert "Password expired" not in section


def test_the_call_page_never_waits_for_an_import_to_find_similar_calls(
    app, desk, client, make_call, db
):
    """Calls waiting to be indexed are indexed by the page only when the write lock is free
    at once: during an import the page answers at once from the index as it is."""
    import time

    from kit.db import BUSY_TIMEOUT_MS, connect

    earlier = make_call("Projectors flicker in the hall", category="Email")
    call_id = make_call("The projector flickers")
    other = connect(app.config["DATABASE"])
    other.execute("BEGIN IMMEDIATE")  # an import holding the lock
    try:
        started = time.perf_counter()
        response = client.get(f"/calls/{call_id}")
        waited = time.perf_counter() - started
        assert db.execute("SELECT count(*) FROM call_search_pending").fetchone()[0] >= 2
    finally:
        other.execute("ROLLBACK")
        other.conn.close()
    assert response.status_code == 200 and waited < BUSY_TIMEOUT_MS / 1000 / 2
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)  # the lock is free again
    assert db["calls"].get(earlier)["ref"] in html.split('id="kb-first"')[1].split("</div>")[0]
    assert db.execute("SELECT count(*) FROM call_search_pending").fetchone()[0] == 0

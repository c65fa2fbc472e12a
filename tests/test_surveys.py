"""The survey of all users (issue 16, FRAMEWORK.md "Post implementation review"): the school
writes its questions, sends a termly or annual survey to everyone in the staff directory,
each person answers once by their own link (or on paper, typed in), and leaders read the
results. Everything goes through the app's routes; the paper copy is read back with pypdf.
"""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from pypdf import PdfReader

from kit.directory import store as directory


@pytest.fixture
def staff(db):
    """A school's directory: three with email (one address twice), one without."""
    for name, email in (
        ("Ann Teacher", "ann@school.example"),
        ("Bob Bursar", "bob@school.example"),
        ("Ann Again", "ANN@school.example"),
        ("Cy Caretaker", ""),
    ):
        directory.add_person(db, name=name, email=email)


@pytest.fixture
def head(login, post):
    login("leader")
    return post


def _send(post, title="Spring term 2027", closes_on="2026-12-11"):
    return post("/surveys/send", {"title": title, "closes_on": closes_on}, token_from="/surveys/")


def _links(db) -> list[str]:
    bodies = [r["body"] for r in db["outbox"].rows_where("kind = 'staff_survey'", order_by="id")]
    return [re.search(r"/surveys/answer/[A-Za-z0-9_-]+", body).group(0) for body in bodies]


def _questions(db) -> dict[str, str]:
    """The survey's copy of its questions: text -> field name."""
    import json

    row = db.execute("SELECT questions FROM survey_rounds ORDER BY id DESC").fetchone()
    return {q["text"]: q["key"] for q in json.loads(row[0])}


def _answer(client, path: str, answers: dict[str, str]):
    from conftest import csrf_token

    return client.post(path, data={**answers, "csrf_token": csrf_token(client)})


def _all_answers(db, overall="4", informed="yes", idea="More laptops for Year 6") -> dict:
    keys = _questions(db)
    return {
        keys["Overall, how satisfied are you with ICT support in school?"]: overall,
        keys["When you log a call, are you kept informed until it is fixed?"]: informed,
        keys["What one thing would most improve ICT support for you?"]: idea,
    }


def test_school_starts_with_questions_it_can_edit(head, client):
    page = client.get("/surveys/").get_data(as_text=True)
    assert "Do you know how to log a call with the service desk?" in page
    assert "What one thing would most improve ICT support for you?" in page


def test_a_question_the_school_adds_is_asked_by_the_next_survey(head, client, db, staff):
    response = head(
        "/surveys/questions",
        {"question_text": "Is the Wi-Fi good enough for your lessons?", "question_kind": "yes_no"},
        token_from="/surveys/",
    )
    assert response.status_code == 302
    _send(head)
    [link, *_] = _links(db)
    page = client.get(link).get_data(as_text=True)
    assert "Is the Wi-Fi good enough for your lessons?" in page


def test_a_retired_question_is_not_asked_again_but_sent_surveys_keep_it(head, client, db, staff):
    _send(head, title="Autumn term 2026")
    question = db.execute(
        "SELECT id FROM survey_questions WHERE text LIKE 'Do you know how to log%'"
    ).fetchone()[0]
    response = head(f"/surveys/questions/{question}/retire", {}, token_from="/surveys/")
    assert response.status_code == 302
    assert "Do you know how to log a call" not in client.get("/surveys/").get_data(as_text=True)
    _send(head, title="Spring term 2027")
    first, second = db.execute("SELECT id FROM survey_rounds ORDER BY id").fetchall()
    assert "Do you know how to log a call" in client.get(f"/surveys/{first[0]}").get_data(
        as_text=True
    )
    assert "Do you know how to log a call" not in client.get(f"/surveys/{second[0]}").get_data(
        as_text=True
    )


def test_a_question_without_words_is_refused_and_what_was_chosen_kept(head, client):
    response = head(
        "/surveys/questions",
        {"question_text": " ", "question_kind": "text"},
        token_from="/surveys/",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write the question." in page
    assert re.search(r'value="text"[^>]*checked|checked[^>]*value="text"', page)


def test_sending_invites_everyone_with_an_email_once_each_with_their_own_link(head, db, staff):
    response = _send(head)
    assert response.status_code == 302
    invites = list(db["outbox"].rows_where("kind = 'staff_survey'"))
    assert sorted(i["to_addr"].lower() for i in invites) == [
        "ann@school.example",
        "bob@school.example",
    ]
    assert len(set(_links(db))) == 2
    assert "Spring term 2027" in invites[0]["subject"] and "2026-12-11" in invites[0]["body"]


def test_the_send_page_says_who_has_no_email_and_needs_paper(head, client, staff):
    page = client.get("/surveys/").get_data(as_text=True)
    assert "the 2 people in the staff directory with an email address" in page
    assert "1 person has no email address" in page


def test_a_closing_day_in_the_past_is_refused_and_the_name_kept(head, db, staff):
    response = _send(head, title="Too late", closes_on="2026-11-20")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be in the past" in page and 'value="Too late"' in page
    assert db["survey_rounds"].count == 0


def test_a_person_answers_once_by_their_link(head, app, db, staff):
    _send(head)
    link = _links(db)[0]
    person = app.test_client()
    response = _answer(person, link, _all_answers(db))
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    again = _answer(person, link, _all_answers(db, overall="1"))
    assert "You have already answered" in again.get_data(as_text=True)
    assert db["survey_responses"].count == 1


def test_answers_cannot_be_traced_to_the_person(head, app, db, staff):
    _send(head)
    _answer(app.test_client(), _links(db)[0], _all_answers(db))
    columns = {c.name for c in db["survey_responses"].columns}
    assert not columns & {"invite_id", "person_id", "email"}
    assert (
        db.execute("SELECT COUNT(*) FROM survey_invites WHERE answered_at IS NOT NULL").fetchone()[
            0
        ]
        == 1
    )


def test_an_answer_outside_the_choices_is_refused_and_the_rest_kept(head, app, db, staff):
    _send(head)
    response = _answer(app.test_client(), _links(db)[0], _all_answers(db, overall="7"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page and "More laptops for Year 6" in page
    assert db["survey_responses"].count == 0


def test_an_empty_answer_is_refused(head, app, db, staff):
    _send(head)
    response = _answer(app.test_client(), _links(db)[0], {})
    assert response.status_code == 400
    assert "Answer at least one question." in response.get_data(as_text=True)


def test_the_survey_takes_answers_until_its_last_day_only(head, app, db, staff, clock):
    _send(head)
    link = _links(db)[0]
    clock.set(datetime(2026, 12, 11, 23, 59))
    assert app.test_client().get(link).status_code == 200
    clock.set(datetime(2026, 12, 12, 8, 0))
    response = _answer(app.test_client(), link, _all_answers(db))
    assert response.status_code == 410
    assert "This survey has closed" in response.get_data(as_text=True)
    assert db["survey_responses"].count == 0


def test_a_made_up_link_is_not_found(client, users):
    users["leader"]  # a school that is set up
    assert client.get("/surveys/answer/" + "x" * 32).status_code == 404


def test_results_show_each_question_and_the_response_rate(head, app, client, db, staff):
    _send(head)
    first, second = _links(db)
    _answer(app.test_client(), first, _all_answers(db, overall="5", informed="yes"))
    _answer(app.test_client(), second, _all_answers(db, overall="2", informed="no", idea=""))
    round_id = db.execute("SELECT id FROM survey_rounds").fetchone()[0]
    page = re.sub(r"\s+", " ", client.get(f"/surveys/{round_id}").get_data(as_text=True))
    assert "3.5 out of 5 (2 answered)" in page
    assert "50% yes (2 answered)" in page
    assert "More laptops for Year 6" in page
    assert "Answered by their link</dt><dd>2 (100% of those invited)" in page


def test_paper_copy_prints_the_questions_and_typed_answers_count_on_paper(head, client, db, staff):
    _send(head)
    round_id = db.execute("SELECT id FROM survey_rounds").fetchone()[0]
    response = client.get(f"/surveys/{round_id}/paper.pdf")
    assert response.mimetype == "application/pdf"
    text = re.sub(
        r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    )
    assert "Spring term 2027" in text and "return this sheet to the school office" in text
    assert "Do you know how to log a call with the service desk?" in text
    assert "5: Very satisfied" in text and "Do not write your name" in text
    typed = head(
        f"/surveys/{round_id}/paper-answers",
        _all_answers(db, overall="3"),
        token_from=f"/surveys/{round_id}/paper-answers",
    )
    assert typed.status_code == 302
    page = client.get(f"/surveys/{round_id}").get_data(as_text=True)
    assert "Answered on paper</dt><dd>1" in page and "3.0 out of 5 (1 answered)" in page


def test_only_leaders_and_admins_run_surveys(login, client):
    login("desk")
    assert client.get("/surveys/").status_code == 403


def test_the_review_keeps_and_prints_what_all_users_said(head, app, client, db, staff):
    _send(head)
    _answer(app.test_client(), _links(db)[0], _all_answers(db, overall="4"))
    period = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    page = client.get("/leaders/reviews/new", query_string=period).get_data(as_text=True)
    assert "Survey of all users: Spring term 2027" in page
    assert "4.0 out of 5 (1 answered)" in page and "More laptops for Year 6" in page
    response = head("/leaders/reviews/new", period, token_from="/leaders/reviews/new")
    assert response.status_code == 302
    review_id = response.headers["Location"].rstrip("/").split("/")[-1]
    pdf = client.get(f"/leaders/reviews/{review_id}/pdf")
    text = re.sub(
        r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    )
    assert "Survey of all users: Spring term 2027" in text
    assert "1 of 2 answered by email, 50.0%" in text
    assert "4.0 out of 5 (1 answered)" in text


def test_a_survey_sent_outside_the_period_is_not_in_its_review(head, client, db, staff):
    _send(head)
    period = {"date_from": "2026-10-01", "date_to": "2026-10-31"}
    page = client.get("/leaders/reviews/new", query_string=period).get_data(as_text=True)
    assert "No survey of all users sent in this period." in page


def test_the_feedback_report_lists_the_surveys_of_all_users_in_its_range(
    head, app, client, db, staff
):
    _send(head)
    _answer(app.test_client(), _links(db)[0], _all_answers(db, informed="no"))
    page = client.get("/reports/feedback?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    page = re.sub(r"\s+", " ", page)
    assert "Surveys of all users" in page and "1 of 2 by email, 0 on paper" in page
    assert "0% yes (1 answered)" in page


def test_the_school_adds_its_own_question_to_the_survey_after_a_call(
    head, app, client, db, make_call, clock
):
    from kit.calls import store as calls
    from kit.customer import links

    response = head(
        "/surveys/questions",
        {
            "question_text": "Was the technician polite?",
            "question_kind": "yes_no",
            "question_survey": "call",
        },
        token_from="/surveys/",
    )
    assert response.status_code == 302
    call_id = make_call()
    calls.update_call(
        db,
        call_id,
        {"status": "Resolved", "resolved_at": "2026-11-23 09:00:00"},
        user_id=None,
        at=clock(),
    )
    status = links.issue_link(db, call_id, clock())
    caller = app.test_client()
    page = caller.get(f"{status}/survey").get_data(as_text=True)
    assert "Was the technician polite?" in page and "5 short questions" in page
    question = db.execute("SELECT id FROM survey_questions WHERE survey = 'call'").fetchone()[0]
    kit_answers = {"satisfaction": "4", "fixed": "1", "time_ok": "1", "comment": ""}
    sent = _answer(caller, f"{status}/survey", {**kit_answers, f"q{question}": "yes"})
    assert sent.status_code == 302
    assert db["call_survey_answers"].count == 1 and db["surveys"].count == 1
    report = re.sub(r"\s+", " ", client.get("/reports/feedback").get_data(as_text=True))
    assert "own questions after a call" in report
    assert "100% yes (1 answered)" in report


def test_a_bad_answer_to_the_schools_question_keeps_nothing(head, app, db, make_call, clock):
    from kit.calls import store as calls
    from kit.customer import links

    head(
        "/surveys/questions",
        {"question_text": "Score the desk", "question_kind": "scale", "question_survey": "call"},
        token_from="/surveys/",
    )
    call_id = make_call()
    calls.update_call(db, call_id, {"status": "Resolved"}, user_id=None, at=clock())
    status = links.issue_link(db, call_id, clock())
    question = db.execute("SELECT id FROM survey_questions WHERE survey = 'call'").fetchone()[0]
    answers = {"satisfaction": "4", "fixed": "1", "time_ok": "1", f"q{question}": "9"}
    response = _answer(app.test_client(), f"{status}/survey", answers)
    assert response.status_code == 400
    assert db["surveys"].count == 0 and db["call_survey_answers"].count == 0

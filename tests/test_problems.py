"""Problems: linking recurring calls, the workaround on each call, known errors in the
knowledge base, problems by number of linked calls, and resolving a problem with its calls."""

from __future__ import annotations

from datetime import datetime

import pytest

from kit.calls.workflow_base import WorkflowError
from kit.problems import resolve, store
from tests.practice_support import outbox as outbox_rows
from tests.practice_support import route, technician, user

AT = datetime(2026, 11, 23, 10, 0)


def _link_all(db, problem_id, call_ids):
    for call_id in call_ids:
        store.link(db, problem_id, call_id, user_id=None, at=AT)


@pytest.fixture
def three_calls(make_call):
    return [
        make_call(f"Projector in B{n} loses signal", caller_email=f"t{n}@school.example")
        for n in (1, 2, 3)
    ]


def test_a_call_is_linked_to_one_problem_with_a_history_entry(db, make_call):
    call_id = make_call()
    first = store.create(db, title="Projectors lose signal", at=AT)
    second = store.create(db, title="Something else", at=AT)
    store.link(db, first, call_id, user_id=None, at=AT)
    with pytest.raises(WorkflowError, match="already linked to problem"):
        store.link(db, second, call_id, user_id=None, at=AT)
    texts = [
        e["text"]
        for e in db["call_events"].rows_where("call_id = ? AND kind = 'problem'", [call_id])
    ]
    assert texts == [f"Linked to problem {first}: Projectors lose signal"]
    assert store.unlink(db, call_id, user_id=None, at=AT)
    store.link(db, second, call_id, user_id=None, at=AT)
    assert store.problem_for_call(db, call_id)["id"] == second


def test_a_problem_needs_a_title(db):
    with pytest.raises(WorkflowError):
        store.create(db, title="  ", at=AT)


def test_problems_by_number_of_linked_calls_most_first(db, make_call, three_calls):
    small = store.create(db, title="Small", at=AT)
    big = store.create(db, title="Big", at=AT)
    store.create(db, title="None yet", at=AT)
    _link_all(db, big, three_calls[:2])
    _link_all(db, small, three_calls[2:])
    rows = store.by_linked_calls(db)
    assert [(r["title"], r["calls"], r["open_calls"]) for r in rows] == [
        ("Big", 2, 2),
        ("Small", 1, 1),
        ("None yet", 0, 0),
    ]
    later = store.by_linked_calls(db, date_from="2026-11-24")  # calls logged later only
    assert {r["calls"] for r in later} == {0}


def test_counts_hold_no_trace_of_calls_not_routed_to_a_technician(db, users, three_calls):
    tech = technician(users, db, "technician")
    route(db, three_calls[0], tech)
    problem = store.create(db, title="Projectors", at=AT)
    _link_all(db, problem, three_calls)
    from kit.calls import access

    seen = store.by_linked_calls(db, access.visibility(user(db, tech)))
    assert seen[0]["calls"] == 1
    assert [
        c["id"] for c in store.linked_calls(db, problem, access.visibility(user(db, tech)))
    ] == [three_calls[0]]


def test_resolving_a_problem_resolves_its_open_calls_and_tells_their_callers(
    db, users, three_calls
):
    problem = store.create(db, title="Projectors lose signal", cause="Loose HDMI", at=AT)
    _link_all(db, problem, three_calls)
    db.execute("DELETE FROM outbox")
    desk = user(db, users["desk"])
    outcome = resolve.resolve_problem(
        db,
        problem,
        permanent_fix="Replaced the HDMI wall plates",
        resolve_calls=True,
        message="The projector cables in B block have been replaced.",
        user=desk,
        at=AT,
        customer_link=lambda db, call: "",
    )
    assert len(outcome.resolved) == 3 and outcome.refused == []
    for call_id in three_calls:
        call = db["calls"].get(call_id)
        assert call["status"] == "Resolved"
        assert call["confirmation_exception"] == "known service disruption"
        assert "Replaced the HDMI wall plates" in call["resolution_details"]
    mail = outbox_rows(db, "resolved")
    assert sorted(m["to_addr"] for m in mail) == [
        "t1@school.example",
        "t2@school.example",
        "t3@school.example",
    ]
    assert "cables in B block have been replaced" in mail[0]["body"]
    assert store.get(db, problem)["status"] == "resolved"


def test_resolving_a_problem_can_leave_its_calls_open(db, users, three_calls):
    problem = store.create(db, title="Projectors", at=AT)
    _link_all(db, problem, three_calls)
    resolve.resolve_problem(
        db,
        problem,
        permanent_fix="New cables",
        resolve_calls=False,
        message="",
        user=user(db, users["desk"]),
        at=AT,
        customer_link=lambda db, call: "",
    )
    assert {db["calls"].get(c)["status"] for c in three_calls} == {"Logged"}


def test_a_technician_resolves_only_the_calls_routed_to_them(db, users, three_calls):
    tech = technician(users, db, "technician")
    route(db, three_calls[0], tech)
    problem = store.create(db, title="Projectors", at=AT)
    _link_all(db, problem, three_calls)
    outcome = resolve.resolve_problem(
        db,
        problem,
        permanent_fix="New cables",
        resolve_calls=True,
        message="",
        user=user(db, tech),
        at=AT,
        customer_link=lambda db, call: "",
    )
    assert outcome.resolved == [db["calls"].get(three_calls[0])["ref"]]
    assert db["calls"].get(three_calls[1])["status"] == "Logged"


def test_resolving_needs_the_permanent_fix(db, users):
    problem = store.create(db, title="Projectors", at=AT)
    with pytest.raises(WorkflowError, match="permanent fix"):
        resolve.resolve_problem(
            db,
            problem,
            permanent_fix=" ",
            resolve_calls=True,
            message="",
            user=user(db, users["desk"]),
            at=AT,
            customer_link=lambda db, call: "",
        )


def test_resolve_route_resolves_the_calls_and_says_so(login, post, db, three_calls, client):
    problem = store.create(db, title="Projectors", at=AT)
    _link_all(db, problem, three_calls)
    login("desk")
    response = post(
        f"/problems/{problem}/resolve",
        {"permanent_fix": "New cables", "resolve_calls": "y", "callers_message": "Fixed for good."},
        token_from=f"/problems/{problem}",
    )
    assert response.status_code == 302
    html = client.get(f"/problems/{problem}").get_data(as_text=True)
    assert "3 calls resolved and their callers told" in html
    assert len(outbox_rows(db, "resolved")) == 3


def test_the_call_page_links_a_call_to_a_new_problem_and_shows_its_workaround(
    login, post, db, make_call, client
):
    call_id = make_call("Projector loses signal")
    login("desk")
    response = post(
        f"/problems/calls/{call_id}/link",
        {"problem_id": "0", "new_problem_title": "Signal drops"},
        token_from=f"/calls/{call_id}",
    )
    assert response.status_code == 302
    problem = store.problem_for_call(db, call_id)
    assert problem["title"] == "Signal drops"
    store.update(db, problem["id"], {"workaround": "Reseat the HDMI cable at the wall"}, at=AT)
    html = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Known workaround:" in html and "Reseat the HDMI cable at the wall" in html


def test_linking_to_a_problem_that_does_not_exist_is_refused(login, post, make_call):
    call_id = make_call()
    login("desk")
    response = post(
        f"/problems/calls/{call_id}/link", {"problem_id": "999"}, token_from=f"/calls/{call_id}"
    )
    assert response.status_code == 400
    assert "Choose a problem." in response.get_data(as_text=True)


def test_editing_cannot_mark_a_problem_resolved_without_its_fix(login, post, db):
    problem = store.create(db, title="Projectors", at=AT)
    login("desk")
    post(
        f"/problems/{problem}",
        {"title": "Projectors", "status": "resolved"},
        token_from=f"/problems/{problem}",
    )
    assert store.get(db, problem)["status"] == "open"
    post(
        f"/problems/{problem}",
        {"title": "Projectors", "status": "known error", "workaround": "Use the spare"},
        token_from=f"/problems/{problem}",
    )
    assert store.get(db, problem)["status"] == "known error"


def test_new_problem_page_records_a_problem(login, post, db):
    login("technician")
    response = post(
        "/problems/new",
        {"title": "Wi-Fi drops in the hall", "status": "open"},
        token_from="/problems/new",
    )
    assert response.status_code == 302
    assert store.by_linked_calls(db)[0]["title"] == "Wi-Fi drops in the hall"


def test_problems_index_lists_most_linked_first(login, db, three_calls):
    few = store.create(db, title="Rare fault", at=AT)
    many = store.create(db, title="Common fault", at=AT)
    _link_all(db, many, three_calls[:2])
    _link_all(db, few, three_calls[2:])
    html = login("coordinator").get("/problems/").get_data(as_text=True)
    assert html.index("Common fault") < html.index("Rare fault")


def test_known_errors_appear_in_knowledge_base_search(login, db):
    known = store.create(db, title="Projector loses signal in B block", workaround="Use VGA", at=AT)
    store.update(db, known, {"status": "known error"}, at=AT)
    store.create(db, title="Projector flickers", at=AT)  # open: not a known error yet
    html = login("desk").get("/kb/?q=projector+signal").get_data(as_text=True)
    assert "Known errors" in html and "Projector loses signal in B block" in html
    assert "Use VGA" in html and "Projector flickers" not in html
    assert "Known errors" not in login("desk").get("/kb/?q=printer").get_data(as_text=True)

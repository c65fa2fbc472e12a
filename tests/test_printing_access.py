"""Who may print what: every printing route for every role, and technicians' routed calls."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kit.auth.roles import ROLES

ALL = set(ROLES)
# endpoint: (method, path, roles allowed). A printing route missing here fails a test.
ROUTES = {
    "printing.index": ("GET", "/print/", ALL),
    "printing.blank": ("GET", "/print/blank/incident_request", ALL),
    "printing.instructions": ("GET", "/print/instructions", ALL),
    "printing.job_sheet": (
        "GET",
        "/print/calls/{id}/job-sheet",
        {"desk", "technician", "coordinator", "admin"},
    ),
    "printing.diagnostics": (
        "GET",
        "/print/calls/{id}/diagnostics",
        {"desk", "technician", "coordinator", "admin"},
    ),
    "printing.sign": (
        "GET",
        "/print/calls/{id}/sign",
        {"desk", "technician", "coordinator", "admin"},
    ),
    "printing.call_log": (
        "GET",
        "/print/call-log",
        {"desk", "technician", "coordinator", "leader", "admin"},
    ),
    "printing.my_jobs": ("GET", "/print/my-jobs", {"desk", "technician", "admin"}),
    "printing.todays_calls": ("GET", "/print/todays-calls", {"desk", "technician", "admin"}),
    "printing.checks": ("GET", "/print/checks", {"coordinator", "admin"}),
    # a call not closed yet goes back to its page
    "printing.file_pack": (
        "GET",
        "/print/calls/{id}/file-pack",
        {"desk", "technician", "coordinator", "admin"},
    ),
}
POST_ONLY = {"printing.mark_filed"}


def _id(db, table, name):
    return db.execute(f"SELECT id FROM {table} WHERE name = ?", [name]).fetchone()[0]


def _route(db, call_id):
    """Route the call to Service Delivery as a whole (no owner yet), as calls passed on
    before the hand-off named a technician were: every technician in the group sees it."""
    group = _id(db, "support_groups", "Service Delivery")
    db.execute(
        "UPDATE calls SET routed_at = '2026-11-23 09:31:00', group_id = ?, assignee_id = NULL "
        "WHERE id = ?",
        [group, call_id],
    )


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_every_printing_route_is_in_the_table(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("printing.")
    }
    assert endpoints == set(ROUTES) | POST_ONLY


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_may_print_only_what_the_table_allows(role, login, make_call, db):
    call_id = make_call("Routed printer fault")
    _route(db, call_id)
    client = login(role)
    for endpoint, (_method, path, allowed) in ROUTES.items():
        response = client.get(path.format(id=call_id))
        if role in allowed:
            assert response.status_code in (200, 302), (endpoint, response.status_code)
            if response.status_code == 302:  # an empty batch goes back to the print page
                back = "/calls/" if endpoint == "printing.file_pack" else "/print/"
                assert back in response.headers["Location"], endpoint
        else:
            assert response.status_code == 403, (endpoint, role, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(client, make_call):
    call_id = make_call()
    for endpoint, (_method, path, _allowed) in ROUTES.items():
        response = client.get(path.format(id=call_id))
        assert response.status_code == 302, endpoint
        assert "/auth/login" in response.headers["Location"]


def test_only_coordinator_and_admin_may_save_checks(login, post, db):
    login("technician")
    assert post("/print/checks", {"checks-1": "x"}, token_from="/auth/password").status_code == 403
    assert db["diagnostic_checks"].count == 0


@pytest.mark.parametrize("sheet", ["job-sheet", "diagnostics", "sign"])
def test_technician_gets_404_for_a_call_not_routed_to_them(sheet, login, make_call):
    call_id = make_call()
    assert login("technician").get(f"/print/calls/{call_id}/{sheet}").status_code == 404


def test_technician_prints_a_call_routed_to_their_group(login, make_call, db):
    call_id = make_call("Routed to us")
    _route(db, call_id)
    assert "Routed to us" in _text(login("technician").get(f"/print/calls/{call_id}/job-sheet"))


def test_technicians_batch_holds_only_their_routed_calls(login, make_call, db):
    mine = make_call("Mine to fix")
    make_call("Not passed on yet")
    _route(db, mine)
    text = _text(login("technician").get("/print/my-jobs"))
    assert "Mine to fix" in text and "Not passed on yet" not in text


def test_technicians_call_log_holds_only_their_routed_calls(login, make_call, db):
    _route(db, make_call("Mine to fix"))
    make_call("Not passed on yet")
    text = _text(login("technician").get("/print/call-log"))
    assert "Mine to fix" in text and "Not passed on yet" not in text


def test_job_sheet_shows_a_technician_no_trace_of_calls_not_routed_to_them(login, make_call, db):
    db["equipment"].insert({"asset_tag": "PC-7", "type": "PC"})
    hidden = make_call("Hidden earlier fault", equipment_id=1)
    mine = make_call("My fault", equipment_id=1)
    _route(db, mine)
    hidden_ref = db["calls"].get(hidden)["ref"]
    assert hidden_ref not in _text(login("technician").get(f"/print/calls/{mine}/job-sheet"))


def test_desk_batch_of_my_jobs_holds_calls_assigned_to_them(login, make_call, db, users):
    call_id = make_call("Assigned to the desk")
    other = make_call("Someone else's")
    db.execute("UPDATE calls SET assignee_id = ? WHERE id = ?", [users["desk"], call_id])
    db.execute("UPDATE calls SET assignee_id = ? WHERE id = ?", [users["technician"], other])
    text = _text(login("desk").get("/print/my-jobs"))
    assert "Assigned to the desk" in text and "Someone else's" not in text


def test_coordinator_edits_a_categorys_checks_and_the_sheet_prints_them(login, post, make_call, db):
    call_id = make_call(category="Printer or copier")
    category = db["calls"].get(call_id)["category_id"]
    login("coordinator")
    response = post(
        "/print/checks",
        {f"checks-{category}": "Check the toner\n\nReseat the tray"},
        token_from="/print/checks",
    )
    assert response.status_code == 302
    text = _text(login("coordinator").get(f"/print/calls/{call_id}/diagnostics"))
    assert "Check the toner" in text and "Reseat the tray" in text
    assert "Printer's own test page" not in text


def test_an_empty_box_goes_back_to_the_default_checks(login, post, db):
    category = _id(db, "categories", "Printer or copier")
    db["diagnostic_checks"].insert({"category_id": category, "checks": "Old check"})
    login("admin")
    post("/print/checks", {f"checks-{category}": "  \n"}, token_from="/print/checks")
    assert db["diagnostic_checks"].count == 0
    html = login("admin").get("/print/checks").get_data(as_text=True)
    assert "Printer&#39;s own test page printed" in html


def test_saving_checks_needs_the_forms_token(login, client, db):
    login("admin")
    assert client.post("/print/checks", data={"checks-1": "x"}).status_code == 400
    assert db["diagnostic_checks"].count == 0


def test_print_menu_entry_shows_for_roles_that_may_print_blanks(login):
    html = login("leader").get("/print/").get_data(as_text=True)
    assert 'href="/print/"' in html
    assert "Print my jobs" not in html

"""The number of SQL statements the desk's busiest pages run, held so an N+1 cannot creep
back. Each budget is the count measured when it was set (2026-12-05); a change that needs
more must say why here. The statements are counted with SQLite's trace callback on every
connection the app opens during the request, so nothing is missed."""

from __future__ import annotations

import pytest

from kit import connections
from kit import db as kit_db
from kit.calls import store as calls
from kit.kb import index

# 3, 33, 14: settings, reference data and the logged-in user read once per change, not per
# request (kit.refcache); one statement reads the version instead.
# 38: the call page's "how it was passed on" panel (handoffs, returns, follow-ups, articles)
BUDGETS = {
    "call log": ("/calls/", 3),
    # 42: the caller's answers to the sheet's questions (one statement, issue 16)
    # 48: the call's files and the school's upload limits for its Add files form (issue 14)
    # 31 (was 38): the history's names read in one statement (it was one per id in a
    # change), the suggested articles kept per call version (the index is not opened on a
    # view), one hand-off read for the hand-off panel, time taken summed from its entries,
    # similar calls not counted
    "call page": ("/calls/{call_id}", 31),
    "desk home": ("/", 14),
}


@pytest.fixture
def statements(monkeypatch):
    """The page's statements. The one statement at teardown that proves the connection clean
    before it is kept for the thread's next request (kit.connections) is not the page's, and
    is left out: it replaced the three pragmas and the schema's parsing of a new connection."""
    seen: list[str] = []
    checking = []
    opened = kit_db.connect
    check = connections.is_clean

    def counting(path):
        database = opened(path)
        database.conn.set_trace_callback(lambda sql: None if checking else seen.append(sql))
        return database

    def checked(db, busy_timeout_ms):
        checking.append(True)
        try:
            return check(db, busy_timeout_ms)
        finally:
            checking.clear()

    connections.forget()  # a connection kept by an earlier test would not be counted
    monkeypatch.setattr(kit_db, "connect", counting)
    monkeypatch.setattr(connections, "is_clean", checked)
    return seen


@pytest.fixture
def busy_call(app, db, make_call, users, clock):
    """A call with a history of notes and changes, as a call worked for a week has, in a
    school whose knowledge base index is built (as `kit init` leaves it)."""
    call_id = make_call("Projector in S12 shows No signal")
    groups = [r[0] for r in db.execute("SELECT id FROM support_groups ORDER BY id LIMIT 2")]
    for n in range(20):
        calls.add_event(db, call_id, user_id=users["desk"], at=clock(), kind="note", text=f"n{n}")
        calls.add_event(
            db,
            call_id,
            user_id=users["desk"],
            at=clock(),
            kind="assigned",
            changes={
                "group_id": groups[:: 1 if n % 2 else -1],
                "assignee_id": [None, users["desk"]],
            },
        )
    for n in range(30):
        make_call(f"Other call {n}")
    index.rebuild_index(app, timeout=5)
    return call_id


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_a_busy_page_runs_no_more_sql_than_its_budget(page, login, client, busy_call, statements):
    path, budget = BUDGETS[page]
    login("desk")
    client.get(path.format(call_id=busy_call))  # warm: first-use look-ups are not per request
    statements.clear()
    response = client.get(path.format(call_id=busy_call))
    assert response.status_code == 200
    ran = [s for s in statements if s.strip()]
    assert len(ran) <= budget, f"{page} ran {len(ran)} statements:\n" + "\n".join(ran)

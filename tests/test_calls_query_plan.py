"""The call log reads its first page from an index, whatever the filter.

With years of calls a full sort per request made the call log page ~80 ms of CPU at
100,000 calls (tests/bench/RESULTS.md); these checks keep the plans that avoid it.
"""

from __future__ import annotations

import pytest

from kit.calls import log_store
from kit.calls.log_store import CallFilter


def _plan(db, f: CallFilter) -> str:
    """SQLite's plan for the page query `search_calls` runs (values bound, as sent)."""
    sent: list[str] = []
    db.conn.set_trace_callback(sent.append)
    try:
        log_store.search_calls(db, f)
    finally:
        db.conn.set_trace_callback(None)
    page = next(sql for sql in sent if "ORDER BY" in sql)
    return " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + page).fetchall())


@pytest.mark.parametrize("f", [CallFilter(), CallFilter(status="Closed")], ids=["all", "closed"])
def test_the_queue_order_comes_from_the_queue_index(db, f):
    plan = _plan(db, f)
    assert "idx_calls_worklist" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


@pytest.mark.parametrize("status", ["open", "Logged", "With Customer"])
def test_open_calls_are_found_through_the_status_index(db, status):
    assert "idx_calls_voided_status" in _plan(db, CallFilter(status=status))

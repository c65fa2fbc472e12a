"""The workload report reads its per-type, per-group and per-owner figures in one pass over
the calls; each must be what the query for that one key counts (tests/reports_school.py)."""

from __future__ import annotations

from datetime import date

import pytest
from reports_school import build

from kit.reports import monthly_queries as mq
from kit.reports import queries as q


@pytest.fixture
def school(app, db, users, clock, make_call):
    return build(app, db, users, clock, make_call)


@pytest.mark.parametrize(
    "f",
    [
        q.ReportFilter(date(2026, 11, 16), date(2026, 11, 20)),
        q.ReportFilter(date(2026, 11, 17), date(2026, 11, 18)),
        q.ReportFilter(date(2026, 11, 16), date(2026, 11, 20), call_type="Incident"),
        q.ReportFilter(date(2026, 11, 1), date(2026, 11, 30)),
    ],
    ids=["week", "two days", "incidents", "month"],
)
def test_one_pass_counts_what_each_keys_own_query_counts(school, db, f):
    together = q.workload_by_all(db, f)
    assert set(together) == {"type", "group", "technician"}
    for key, rows in together.items():
        assert rows == q.workload_by(db, f, key), key


def test_the_week_has_calls_per_type_group_and_owner(school, db):
    together = q.workload_by_all(db, q.ReportFilter(date(2026, 11, 16), date(2026, 11, 20)))
    assert all(together[key] for key in together)


@pytest.mark.parametrize(
    "f",
    [
        q.ReportFilter(date(2026, 11, 16), date(2026, 11, 20)),
        q.ReportFilter(date(2026, 11, 16), date(2026, 11, 20), call_type="Request"),
        q.ReportFilter(date(2026, 11, 1), date(2026, 11, 30)),
    ],
    ids=["week", "requests", "month"],
)
def test_most_support_in_one_pass_is_what_each_keys_own_query_finds(school, db, make_call, f):
    make_call("Call", caller_name="Ben Walk-in")
    together = mq.most_support_all(db, f)
    for key in ("caller", "room", "department"):
        assert together[key] == mq.most_support(db, f, key), key


def _person(db, name: str, department: str) -> int:
    return db["people"].insert({"name": name, "department": department}).last_pk


def test_callers_are_counted_by_the_name_shown_whether_or_not_in_the_directory(
    school, db, make_call
):
    ann = _person(db, "Ann Teacher", "Science")
    make_call("Printer jams", caller_name="Ann T", caller_id=ann)
    for n in range(3):
        make_call(f"Call {n}", caller_name="Ben Walk-in")
    make_call("Call", caller_name="Cat Visitor")
    f = q.ReportFilter(date(2026, 11, 16), date(2026, 11, 30))
    callers = {r["name"]: r["calls"] for r in mq.most_support_all(db, f)["caller"]}
    # the week's six calls (the voided one left out) are Ann Teacher's by the name typed;
    # the seventh is hers through the directory, whatever was typed
    assert callers == {"Ann Teacher": 7, "Ben Walk-in": 3, "Cat Visitor": 1}


def test_departments_are_counted_per_department_not_per_person(school, db, make_call):
    for name, department in (("Al", "Science"), ("Bo", "Science"), ("Cy", "Maths")):
        make_call("Printer jams", caller_name=name, caller_id=_person(db, name, department))
    f = q.ReportFilter(date(2026, 11, 21), date(2026, 11, 30))
    departments = {r["name"]: r["calls"] for r in mq.most_support_all(db, f)["department"]}
    assert departments == {"Science": 2, "Maths": 1}


def test_most_support_keeps_the_top_ten_in_order(school, db, make_call):
    for n in range(12):
        for _ in range(n + 1):
            make_call(f"Call {n}", caller_name=f"Caller {n:02d}")
    f = q.ReportFilter(date(2026, 11, 21), date(2026, 11, 30))
    callers = mq.most_support_all(db, f)["caller"]
    assert [r["name"] for r in callers[:2]] == ["Caller 11", "Caller 10"] and len(callers) == 10

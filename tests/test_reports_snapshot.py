"""A report reads one state of the database: a call logged while the monthly report is
being built is in every section or in none (found by the soak: a call logged between the
report's two queries made its page and PDF fail with a 500)."""

from __future__ import annotations

from kit.reports import monthly_queries as mq


def test_a_call_logged_while_the_monthly_report_is_built_does_not_break_it(
    login, client, make_call, clock, monkeypatch
):
    make_call(summary="Printer jams")
    call_places = mq.call_places

    def a_call_comes_in_meanwhile(db, f):
        make_call(summary="Projector flickers")  # another connection, committed now
        return call_places(db, f)

    monkeypatch.setattr(mq, "call_places", a_call_comes_in_meanwhile)
    login("leader")
    response = client.get(f"/reports/monthly?month={clock():%Y-%m}")
    assert response.status_code == 200

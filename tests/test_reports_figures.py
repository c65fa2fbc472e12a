"""The reports' arithmetic, as pure functions: no database, no app."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kit.reports import figures
from kit.rules import service_levels as sl
from kit.rules.clock import WorkingCalendar

CAL = WorkingCalendar()  # Monday to Friday, 08:00-17:00, no holidays


def test_median_of_an_odd_count_is_the_middle_value():
    assert figures.median([7, 1, 3]) == 3


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert figures.median([4, 1, 3, 2]) == 2.5


def test_90th_percentile_is_the_value_at_the_nearest_rank():
    assert figures.percentile(range(1, 11), 90) == 9  # rank ceil(9.0) = 9
    assert figures.percentile(range(1, 21), 90) == 18  # rank 18 of 20
    assert figures.percentile([1, 2, 3], 90) == 3  # rank ceil(2.7) = 3
    assert figures.percentile([5], 90) == 5


def test_percentile_of_nothing_is_none_and_a_bad_p_is_refused():
    assert figures.percentile([], 90) is None
    with pytest.raises(ValueError):
        figures.percentile([1], 0)


def test_mean_and_summary_of_nothing_are_none():
    assert figures.mean([1, 2, 6]) == 3
    assert figures.summarise([]) == {"count": 0, "median": None, "p90": None, "mean": None}


def test_age_buckets_start_each_at_their_lower_bound():
    now = datetime(2026, 11, 23, 12, 0)
    assert figures.age_bucket("2026-11-23 11:00:00", now) == "Under 1 day"
    assert figures.age_bucket("2026-11-22 12:00:00", now) == "1 to 2 days"
    assert figures.age_bucket("2026-11-20 12:00:00", now) == "3 to 6 days"
    assert figures.age_bucket("2026-11-16 12:00:00", now) == "1 to 2 weeks"
    assert figures.age_bucket("2026-10-26 12:00:00", now) == "4 weeks or more"


def test_bucket_counts_list_every_bucket_in_order():
    now = datetime(2026, 11, 23, 12, 0)
    counts = figures.bucket_counts(["2026-11-23 10:00:00", "2026-11-23 11:00:00"], now)
    assert counts[0] == ("Under 1 day", 2)
    assert [label for label, _ in counts][-1] == "4 weeks or more"
    assert sum(n for _, n in counts) == 2


def test_weeks_start_on_monday_and_days_add_up_into_them():
    per_day = {date(2026, 11, 16): 2, date(2026, 11, 22): 1, date(2026, 11, 23): 4}
    start, end = date(2026, 11, 18), date(2026, 11, 24)
    assert figures.periods(start, end, "week") == [date(2026, 11, 16), date(2026, 11, 23)]
    # The 16th is before the range: not counted.
    assert figures.series(per_day, start, end, "week") == [1, 4]


def test_open_calls_carry_over_from_one_period_to_the_next():
    assert figures.open_series(3, [2, 0, 1], [1, 2, 0]) == [4, 2, 3]


def test_short_ranges_are_shown_by_day_and_long_ones_by_week():
    assert figures.choose_by(date(2026, 11, 1), date(2026, 11, 30)) == "day"
    assert figures.choose_by(date(2026, 9, 1), date(2026, 12, 18)) == "week"
    assert figures.choose_by(date(2026, 9, 1), date(2026, 12, 18), "day") == "day"


def _call(**fields):
    return {
        "id": 1,
        "logged_at": "2026-11-16 09:00:00",
        "responded_at": None,
        "resolved_at": None,
        "closed_at": None,
        "respond_hours": 4.0,
        "resolve_hours": 9.0,
        **fields,
    }


def test_resolution_time_leaves_out_with_customer_spells():
    call = _call(responded_at="2026-11-16 10:00:00", resolved_at="2026-11-16 13:00:00")
    pauses = [("2026-11-16 10:00:00", "2026-11-16 11:00:00")]
    timing = sl.measure(call, pauses, CAL, datetime(2026, 11, 23))
    assert (timing.respond_hours, timing.resolve_hours) == (1.0, 3.0)
    assert (timing.respond_state, timing.resolve_state) == (sl.MET, sl.MET)


def test_resolution_time_counts_only_working_hours_over_a_weekend():
    call = _call(logged_at="2026-11-20 16:00:00", resolved_at="2026-11-23 10:00:00")
    timing = sl.measure(call, [], CAL, datetime(2026, 11, 24))
    assert timing.resolve_hours == 3.0  # Friday 16-17, Monday 08-10


def test_a_call_with_no_recorded_response_was_responded_to_when_resolved():
    call = _call(resolved_at="2026-11-16 15:00:00")
    timing = sl.measure(call, [], CAL, datetime(2026, 11, 23))
    assert timing.respond_hours == 6.0 and timing.respond_state == sl.BREACHED


def test_a_call_closed_without_a_resolution_counts_as_resolved_when_closed():
    call = _call(closed_at="2026-11-16 12:00:00")
    assert sl.measure(call, [], CAL, datetime(2026, 11, 23)).resolve_hours == 3.0


def test_a_waiting_call_is_pending_until_it_passes_its_target():
    call = _call()
    early = sl.measure(call, [], CAL, datetime(2026, 11, 16, 12, 0))
    late = sl.measure(call, [], CAL, datetime(2026, 11, 16, 14, 0))
    assert early.respond_state == sl.PENDING
    assert late.respond_state == sl.BREACHED


def test_a_pause_still_running_ends_now():
    call = _call(logged_at="2026-11-16 08:00:00")
    timing = sl.measure(call, [("2026-11-16 10:00:00", None)], CAL, datetime(2026, 11, 16, 16, 0))
    assert timing.resolve_hours == 2.0


def test_meeting_the_target_exactly_counts_as_met():
    assert sl.sla_state(9.0, 9.0, True) == sl.MET
    assert sl.sla_state(9.01, 9.0, True) == sl.BREACHED
    assert sl.sla_state(3.0, None, True) == sl.NO_TARGET


def test_timing_rows_follow_a_given_order_then_the_alphabet():
    timing = sl.Timing(1, 1.0, 1.0, sl.MET, sl.MET, True, True)
    calls = [{"id": 1, "level": name} for name in ("Low", "Zeta", "Urgent")]
    rows = figures.timing_rows(calls, {1: timing}, "level", ["Urgent", "High", "Low"])
    assert [r["name"] for r in rows] == ["Urgent", "Low", "Zeta"]


def test_a_short_printed_table_is_laid_out_by_its_content():
    from kit.reports.model import FIXED_LAYOUT_ROWS, Table

    table = Table("Open", ["Ref", "Summary"], [["26-0001", "Printer jam"]] * 3)
    assert table.pdf_widths() is None
    assert FIXED_LAYOUT_ROWS > 3


def test_a_long_printed_table_shares_the_width_by_its_longest_cells():
    from kit.reports.model import FIXED_LAYOUT_ROWS, WIDEST_CELL, Table

    rows = [["26-0001", "Projector in S12 shows no signal " * 3, "Logged"]] * FIXED_LAYOUT_ROWS
    widths = Table("Open", ["Ref", "Summary", "Status"], rows).pdf_widths()
    assert widths is not None and abs(sum(widths) - 100) < 0.5
    ref, summary, status = widths
    assert summary > ref > status  # the summary wraps within the widest share
    assert summary == pytest.approx(100 * (WIDEST_CELL + 2) / (9 + WIDEST_CELL + 2 + 8), abs=0.1)

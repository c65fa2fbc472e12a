"""The service-level tally every report shares: met, breached, pending, no target."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kit.rules import service_levels as sl
from kit.rules.clock import WorkingCalendar


def _timing(respond: str, resolve: str) -> sl.Timing:
    return sl.Timing(1, 1.0, 1.0, respond, resolve, True, True)


def test_share_within_target_leaves_out_pending_and_untargeted_calls():
    timings = [
        _timing(sl.MET, sl.MET),
        _timing(sl.MET, sl.BREACHED),
        _timing(sl.BREACHED, sl.PENDING),
        _timing(sl.NO_TARGET, sl.NO_TARGET),
    ]
    resolve = sl.tally(timings, "resolve")
    assert (resolve.met, resolve.breached, resolve.pending, resolve.no_target) == (1, 1, 1, 1)
    assert resolve.judged == 2 and resolve.share == 50.0
    respond = sl.tally(timings, "respond")
    assert respond.as_dict()["pct"] == pytest.approx(66.7)


def test_an_empty_list_has_no_share_rather_than_a_division_by_zero():
    assert sl.tally([], "respond").share is None
    assert sl.tally([], "respond").as_dict()["pct"] is None


def test_tally_refuses_an_unknown_measure():
    with pytest.raises(ValueError):
        sl.tally([], "close")


# --- one call measured on the working-day clock ------------------------------------------
# 3 March 2025 is a Monday; the desk is open Monday to Friday, 08:00-17:00.

CAL = WorkingCalendar()
NOW = datetime(2025, 3, 5, 12, 0)  # Wednesday noon


def _call(**fields):
    return {
        "id": 7,
        "logged_at": "2025-03-07T16:30:00",  # a Friday afternoon
        "responded_at": None,
        "resolved_at": None,
        "closed_at": None,
        "respond_hours": 1,
        "resolve_hours": 8,
        **fields,
    }


@pytest.mark.parametrize(
    ("elapsed", "target", "finished", "state"),
    [
        (4.0, 4.0, True, sl.MET),  # exactly on the target is met
        (4.0001, 4.0, True, sl.BREACHED),
        (4.0, 4.0, False, sl.PENDING),
        (4.5, 4.0, False, sl.BREACHED),  # still waiting, already past the target
        (0.0, 0.0, True, sl.MET),
        (9.0, None, True, sl.NO_TARGET),
        (9.0, None, False, sl.NO_TARGET),
    ],
)
def test_a_service_level_is_met_on_its_target_and_breached_past_it(
    elapsed, target, finished, state
):
    assert sl.sla_state(elapsed, target, finished) == state


def test_a_friday_afternoon_call_resolved_on_monday_morning_took_working_hours_only():
    call = _call(responded_at="2025-03-07T16:45:00", resolved_at="2025-03-10T09:00:00")
    timing = sl.measure(call, [], CAL, datetime(2025, 3, 12, 9, 0))
    assert timing == sl.Timing(
        call_id=7,
        respond_hours=0.25,
        resolve_hours=1.5,
        respond_state=sl.MET,
        resolve_state=sl.MET,
        responded=True,
        resolved=True,
    )


def test_a_call_closed_without_being_resolved_is_finished_when_it_closed():
    call = _call(closed_at="2025-03-10T10:00:00")
    timing = sl.measure(call, [], CAL, datetime(2025, 3, 20, 9, 0))
    assert timing.resolved and timing.resolve_hours == 2.5
    # No response recorded (an imported call): it was responded to when it was resolved.
    assert timing.responded and timing.respond_hours == 2.5
    assert timing.respond_state == sl.BREACHED and timing.resolve_state == sl.MET


def test_a_call_still_waiting_is_measured_to_now_and_pending_within_target():
    timing = sl.measure(_call(), [], CAL, datetime(2025, 3, 10, 8, 15))
    assert (timing.respond_hours, timing.resolve_hours) == (0.75, 0.75)
    assert (timing.respond_state, timing.resolve_state) == (sl.PENDING, sl.PENDING)
    assert not timing.responded and not timing.resolved


def test_a_call_still_waiting_past_its_target_is_already_breached():
    timing = sl.measure(_call(), [], CAL, datetime(2025, 3, 10, 12, 0))
    assert timing.respond_state == sl.BREACHED and timing.resolve_state == sl.PENDING


def test_time_with_the_customer_is_left_out_of_both_measures():
    call = _call(responded_at="2025-03-10T11:30:00", resolved_at="2025-03-10T12:00:00")
    pauses = [("2025-03-10T09:00:00", "2025-03-10T11:00:00")]
    timing = sl.measure(call, pauses, CAL, NOW)
    # Friday 16:30-17:00, then Monday 08:00-09:00 and from 11:00.
    assert (timing.respond_hours, timing.resolve_hours) == (2.0, 2.5)


def test_a_with_customer_spell_still_running_ends_at_the_resolution_or_now():
    pauses = [("2025-03-10T09:00:00", None)]
    resolved = sl.measure(_call(resolved_at="2025-03-10T12:00:00"), pauses, CAL, NOW)
    assert resolved.resolve_hours == 1.5  # Friday 0.5 + Monday 08:00-09:00
    waiting = sl.measure(_call(), pauses, CAL, datetime(2025, 3, 11, 9, 0))
    assert waiting.resolve_hours == 1.5


def test_a_call_with_no_targets_has_no_target_states():
    call = _call(respond_hours=None, resolve_hours=None, resolved_at="2025-03-10T12:00:00")
    timing = sl.measure(call, [], CAL, NOW)
    assert (timing.respond_state, timing.resolve_state) == (sl.NO_TARGET, sl.NO_TARGET)


def test_targets_stored_as_text_are_read_as_hours():
    call = _call(respond_hours="0.25", resolve_hours="1.5", resolved_at="2025-03-10T09:00:00")
    timing = sl.measure(call, [], CAL, NOW)
    assert (timing.respond_state, timing.resolve_state) == (sl.BREACHED, sl.MET)


def test_a_saved_review_keeps_every_count_and_the_share_to_one_place():
    tally = sl.Tally(met=2, breached=1, pending=4, no_target=5)
    assert tally.as_dict() == {
        "met": 2,
        "breached": 1,
        "pending": 4,
        "no_target": 5,
        "judged": 3,
        "pct": 66.7,
    }
    assert tally.share == pytest.approx(200 / 3)


def test_a_tally_counts_each_state_of_the_measure_asked_for():
    timings = [
        sl.Timing(1, 1.0, 1.0, sl.MET, sl.PENDING, True, False),
        sl.Timing(2, 1.0, 1.0, sl.MET, sl.NO_TARGET, True, False),
        sl.Timing(3, 1.0, 1.0, sl.BREACHED, sl.PENDING, True, False),
    ]
    assert sl.tally(timings, "respond") == sl.Tally(met=2, breached=1)
    assert sl.tally(timings, "resolve") == sl.Tally(pending=2, no_target=1)


def test_targets_count_from_their_first_day_and_calls_before_it_are_the_baseline():
    first_day = date(2025, 3, 10)
    assert sl.targets_apply(datetime(2025, 3, 10, 0, 0), first_day)
    assert not sl.targets_apply(datetime(2025, 3, 9, 23, 59), first_day)
    assert sl.targets_apply(datetime(2020, 1, 1), None)


def test_a_baseline_call_is_measured_but_not_judged():
    call = _call(responded_at="2025-03-10T11:30:00", resolved_at="2025-03-10T12:00:00")
    timing = sl.measure(call, [], CAL, NOW, targets_from=date(2025, 3, 10))
    assert (timing.respond_hours, timing.resolve_hours) == (4.0, 4.5)
    assert (timing.respond_state, timing.resolve_state) == (sl.NO_TARGET, sl.NO_TARGET)
    judged = sl.measure(call, [], CAL, NOW, targets_from=date(2025, 3, 7))
    assert (judged.respond_state, judged.resolve_state) == (sl.BREACHED, sl.MET)

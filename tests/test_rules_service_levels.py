"""The service-level tally every report shares: met, breached, pending, no target."""

from __future__ import annotations

import pytest

from kit.rules import service_levels as sl


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

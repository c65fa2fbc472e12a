"""A school day squeezed into one minute: `make soak`'s day (tests/soak) in `make test`.

Sixteen people on `kit serve` through the real forms, mail arriving in Dovecot and read by
the kit, the daily job, and every fault of the long soak: kill -9 twice (forms sent again
with their keys), the IMAP server stopped, the disk filled for real and emptied again.
Nothing acknowledged may be lost or saved twice, nothing may fail, every write refused
while the disk was full must have been told so plainly, and the kit must carry on by
itself once there is room.
"""

from __future__ import annotations

import pytest

from tests.soak.day import run_day


@pytest.mark.soak
@pytest.mark.timeout(600)
def test_a_school_day_with_kills_outage_and_full_disk_loses_nothing(tmp_path):
    result = run_day(1.0, tmp_path, say=lambda line: None)
    print("\n" + result.report() + "\n" + result.last_line())
    assert result.ok(), result.report()
    assert result.kills == 2
    assert result.refused > 0  # the full disk refused writes, and said so
    assert result.figures["writes acknowledged after room was made"] > 0
    assert result.figures["acknowledged calls"] > 0 and result.figures["acknowledged photos"] > 0
    assert (
        result.figures["acknowledged resolved"] > 0 and result.figures["acknowledged replies"] > 0
    )
    assert result.figures.get("mail in: new -> call", 0) > 0
    assert result.figures.get("mail in: reply -> note", 0) > 0

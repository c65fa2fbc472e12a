"""A call's history shows times to the minute, as the rest of the page does."""

from __future__ import annotations

import re

from kit.calls.labels import show_value


def test_a_stored_time_is_shown_without_seconds():
    assert show_value("2026-12-05 09:34:00", "resolved_at") == "2026-12-05 09:34"
    assert show_value("2026-12-05T09:34:59.123", "x") == "2026-12-05 09:34"


def test_other_values_are_shown_as_they_are():
    assert show_value("Ext 12:30:45 room", "summary") == "Ext 12:30:45 room"
    assert show_value("", "owner") == "—"


def test_the_call_pages_history_has_no_seconds(make_call, login):
    call_id = make_call()
    page = login("desk").get(f"/calls/{call_id}").get_data(as_text=True)
    history = page[page.index('id="history-h"') :]
    assert "Desk check" in history
    assert not re.search(r"\d{2}:\d{2}:\d{2}", history)

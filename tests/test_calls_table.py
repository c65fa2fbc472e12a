"""The calls table's rows are kept per content (kit.calls.table): a kept row always shows
what a fresh one would."""

from __future__ import annotations

from datetime import timedelta

import jinja2
import pytest

from kit.calls import table


@pytest.fixture(autouse=True)
def no_rows_kept_from_other_tests():
    table.forget()


def _row_of(html: str, ref_or_text: str) -> str:
    table = html.split('<table class="calls">', 1)[1].split("</table>", 1)[0]
    rows = [r for r in table.split("<tr ") if ref_or_text in r]
    assert len(rows) == 1, f"{ref_or_text!r} in {len(rows)} rows"
    return rows[0].split("</tr>")[0]


def test_a_call_changed_since_its_row_was_kept_shows_its_new_values(login, client, db, make_call):
    call_id = make_call("Projector in S12 shows No signal")
    login("desk")
    assert "No signal" in client.get("/calls/").get_data(as_text=True)
    db.execute("UPDATE calls SET summary = 'Projector fixed itself', status = 'Assigned' "
               "WHERE id = ?", [call_id])  # fmt: skip
    page = client.get("/calls/").get_data(as_text=True)
    row = _row_of(page, "Projector fixed itself")
    assert "No signal" not in page and "Assigned" in row


def test_a_kept_rows_due_badge_follows_the_clock(login, client, db, make_call, clock):
    call_id = make_call("Printer jams on every page")
    respond_by = db.execute("SELECT respond_by FROM calls WHERE id = ?", [call_id]).fetchone()[0]
    login("desk")
    assert "On time" in _row_of(client.get("/calls/").get_data(as_text=True), "Printer jams")
    clock.set(clock() + timedelta(days=30))
    row = _row_of(client.get("/calls/").get_data(as_text=True), "Printer jams")
    assert respond_by and "Overdue" in row and "On time" not in row


def test_markup_in_a_summary_is_escaped_in_a_kept_row(login, client, make_call):
    make_call('<img src=x onerror="alert(1)"> screen')
    login("desk")
    for _ in range(2):
        page = client.get("/calls/").get_data(as_text=True)
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; screen" in page


def test_the_desk_home_and_the_call_log_show_the_same_kept_row(login, client, make_call):
    make_call("Whiteboard pen tray loose")
    login("desk")
    log_row = _row_of(client.get("/calls/").get_data(as_text=True), "Whiteboard pen")
    home_row = _row_of(client.get("/").get_data(as_text=True), "Whiteboard pen")
    assert log_row == home_row


def test_the_row_template_uses_no_value_outside_a_rows_key(app):
    """A value added to calls/_row.html but not to ROW_KEYS would be kept stale: rendered
    here with the key's values only and no Flask globals, any other name fails."""
    env = jinja2.Environment(
        loader=app.jinja_loader, autoescape=True, undefined=jinja2.StrictUndefined
    )
    values = dict.fromkeys(table.ROW_KEYS, "x")
    values["respond_by"] = "2026-11-23 10:00:00"
    for finished, state in ((False, "overdue"), (True, "")):
        html = env.get_template("calls/_row.html").render(
            c=values, finished=finished, state=state, call_url="/calls/"
        )
        assert html.startswith('<tr class="type-x') and html.endswith("</tr>")

"""The calls table's rows (call log, desk home), each rendered once per content and kept.

After the search itself, the table was the call log page's largest cost: 50 rows of about
20 escaped values each through Jinja, 1 ms of CPU, and mostly the same rows on every view
of the queue. A row's HTML is a function of the values it shows, its due state and the
calls' URL prefix alone, so it is kept under exactly those: a call that changed has a new
key, so nothing kept can go stale. `calls/_row.html` is rendered with those values and
nothing else (no request, no user), so it cannot show anything the key leaves out.
Kept per process, MAX_ROWS of them (about 5 MB); past that the kept rows are dropped and
rendered again as they come.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from flask import current_app
from markupsafe import Markup

from kit.rules.queue import due_state
from kit.templating import url_prefix

# Every value calls/_row.html shows, in this order (a row's key).
ROW_KEYS = (
    "id",
    "ref",
    "call_type",
    "status",
    "logged_at",
    "caller_name",
    "channel",
    "room",
    "building",
    "teaching_space",
    "asset_tag",
    "summary",
    "category",
    "group_name",
    "assignee",
    "closed_at",
    "filed_at",
    "respond_by",
)
FINISHED = ("Resolved", "Closed")
MAX_ROWS = 2048

_rows: dict[tuple, Markup] = {}
_lock = threading.Lock()


def call_rows(calls: Iterable[Mapping[str, Any]], now: datetime) -> list[Markup]:
    """Each call's table row as HTML, in order."""
    call_url = url_prefix("calls.view", "call_id")
    rows = []
    for call in calls:
        values = tuple(call[key] for key in ROW_KEYS)
        finished = values[3] in FINISHED
        respond_by = values[-1]
        state = due_state(respond_by, now) if respond_by and not finished else ""
        key = (call_url, state, values)
        html = _rows.get(key)
        if html is None:
            html = _render(dict(zip(ROW_KEYS, values, strict=True)), finished, state, call_url)
            with _lock:
                if len(_rows) >= MAX_ROWS:
                    _rows.clear()
                _rows[key] = html
        rows.append(html)
    return rows


def _render(values: dict[str, Any], finished: bool, state: str, call_url: str) -> Markup:
    template = current_app.jinja_env.get_template("calls/_row.html")
    return Markup(template.render(c=values, finished=finished, state=state, call_url=call_url))


def forget() -> None:
    """Drop the kept rows (tests and benchmarks timing a cold table)."""
    with _lock:
        _rows.clear()

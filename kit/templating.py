"""What every template may use: the school's name, the menu for the user's roles, filters."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, request, url_for
from werkzeug.routing import BuildError

from kit import settings
from kit.calls import labels
from kit.db import get_db
from kit.rules.queue import due_state

# (label, endpoint, permission): an area adds its line; the menu shows what the user may use.
NAV = [
    ("Start", "home.index", "queue.view"),
    ("Log a call", "calls.new", "call.log"),
    ("Call log", "calls.log", "queue.view"),
    ("My jobs", "calls.mine", "call.work"),
    ("Hot swaps", "calls.hot_swaps", "hot_swaps.view"),
    ("Exceptions", "calls.exceptions", "calls.exceptions"),
    ("Directory", "directory.index", "admin"),
    ("Knowledge base", "kb.index", "kb.read"),
    ("Accounts", "accounts.index", "admin"),
    ("Held mail", "mailin.held", "call.log"),
    ("Outbox", "mail.outbox", "admin"),
    ("Mail set-up", "mailin.setup", "admin"),
    ("Print", "printing.index", "print.blank"),
    ("Visit lists", "visits.index", "print.batch"),
    ("Problems", "problems.index", "call.note"),
    ("Reports", "reports.index", "reports.view"),
    ("Surveys", "surveys.index", "reports.view"),
    ("Letter & charter", "leaders.index", "letter.view"),
    ("Settings", "setup.settings", "admin"),
]


MAX_MENUS = 64  # (roles, script root) pairs whose menu is kept; a school uses a handful


def nav_items() -> list[dict[str, str]]:
    """The menu for the user's roles: built once per (app, roles, script root) and kept,
    as its dozen url_for calls were a page's biggest cost after the page's own content."""
    roles = g.user.roles if g.user is not None else None
    key = (roles, request.script_root)
    kept = current_app.extensions.setdefault("kit.nav_items", {})
    items = kept.get(key)
    if items is None:
        items = []
        for label, endpoint, permission in NAV:
            if g.user is None or not g.user.can(permission):
                continue
            try:
                items.append({"label": label, "url": url_for(endpoint)})
            except BuildError:  # an area not installed in this app
                continue
        if len(kept) < MAX_MENUS:
            kept[key] = items
    return [dict(item) for item in items]


def combine_args(args: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The current query string with some values replaced (pagination links)."""
    merged = {k: v for k, v in args.items() if v not in (None, "")}
    merged.update(changes)
    return merged


URL_MARKER = 987654321  # an id no table reaches, to find where url_for puts it


def url_prefix(endpoint: str, name: str) -> str:
    """The URL of `endpoint` up to its last argument `name`, for a table that appends each
    row's id: one url_for per page instead of one per row (the call log's 50 took 5% of the
    page). Refuses an endpoint whose URL does not end with that argument."""
    url = url_for(endpoint, **{name: URL_MARKER})
    if not url.endswith(str(URL_MARKER)):
        raise ValueError(f"{endpoint}'s URL does not end with its {name}: {url}")
    return url[: -len(str(URL_MARKER))]


def init_app(app: Flask) -> None:
    app.jinja_env.filters["combine_args"] = combine_args
    app.jinja_env.filters["due_state"] = due_state
    app.jinja_env.filters["working_hours"] = working_hours
    app.jinja_env.filters["field_label"] = labels.field_label
    app.jinja_env.filters["event_label"] = labels.event_label
    app.jinja_env.filters["show_value"] = labels.show_value
    app.jinja_env.filters["dict_subset"] = lambda d, keys: {k: d[k] for k in keys}

    @app.context_processor
    def inject() -> dict[str, Any]:
        if "school_name" not in g:
            g.school_name = settings.get(get_db(), "school_name")
        return {"school_name": g.school_name, "nav_items": nav_items}


def working_hours(hours: float) -> str:
    """A response level's time as people say it: "1 working hour", "1.5 working hours"."""
    number = round(float(hours), 2)
    text = f"{number:g}"
    return f"{text} working hour" + ("" if number == 1 else "s")

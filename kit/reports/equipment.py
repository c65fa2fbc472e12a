"""The equipment report (calls per asset, per make and model, failure rates per term) and
one asset's whole history.

A failure rate here is calls per asset per term: calls logged in the term about assets of
a type, divided by how many assets of that type the register holds. Terms come from the
school's "terms" setting; only terms that overlap the date range are shown.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import url_for
from sqlite_utils import Database

from kit.reports import asset_queries as aq
from kit.reports import charts
from kit.reports import queries as q
from kit.reports.model import Report, Table, hours, show_time

TOP = 10


def terms_between(terms: list[dict[str, Any]], start: date, end: date) -> list[dict[str, Any]]:
    """The school's terms that overlap [start, end], in date order; malformed ones skipped."""
    found = []
    for term in terms or []:
        try:
            first, last = date.fromisoformat(term["start"]), date.fromisoformat(term["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if first <= end and last >= start:
            found.append(
                {"name": str(term.get("name") or f"{first:%b %Y}"), "start": first, "end": last}
            )
    return sorted(found, key=lambda t: t["start"])


def per_asset_rate(calls: int, assets: int) -> str:
    return f"{calls / assets:.2f}" if assets else "—"


ASSET_COLUMNS = ["Asset tag", "Type", "Make", "Model", "Location", "Calls"]
MODEL_COLUMNS = ["Make", "Model", "Type", "Assets in register", "Assets with calls", "Calls",
                 "Calls per asset"]  # fmt: skip
TERM_COLUMNS = ["Term", "Equipment type", "Assets in register", "Calls", "Calls per asset"]
HISTORY_COLUMNS = ["Ref", "Logged", "Category", "Summary", "Status", "Resolved", "Resolution",
                   "Hours recorded"]  # fmt: skip
SWAP_COLUMNS = ["Ref", "Swapped", "Replacement", "Faulty machine", "Returned"]


def equipment(db: Database, f: q.ReportFilter, terms: list[dict[str, Any]]) -> Report:
    assets = aq.calls_per_asset(db, f)
    report = Report("equipment", "Equipment")
    report.intro = (
        "Calls logged in the range about a recorded asset: per asset, per make "
        "and model, and calls per asset per term."
    )
    report.headline = [
        ("Calls about equipment", str(sum(a["calls"] for a in assets))),
        ("Assets with calls", str(len(assets))),
    ]
    if assets:
        top = assets[:TOP]
        report.headline.append(("Most calls", f"{top[0]['asset_tag']} ({top[0]['calls']})"))
        tags, counts = [a["asset_tag"] for a in top], {"Calls": [a["calls"] for a in top]}
        title = f"The {len(top)} assets with most calls"
        report.charts.append(charts.bar(title, tags, counts, horizontal=True))
    report.tables += [
        _asset_table(assets),
        _model_table(aq.calls_per_model(db, f)),
        _terms_table(db, f, terms),
    ]
    return report


def _asset_table(assets: list[dict[str, Any]]) -> Table:
    rows = [
        [a["asset_tag"], a["type"], a["make"], a["model"], a["location"] or "—", a["calls"]]
        for a in assets
    ]
    table = Table("Calls per asset, most first", ASSET_COLUMNS, rows, numeric=frozenset({5}),
                  note="Open an asset for its whole history.")  # fmt: skip
    table.links = {i: url_for("reports.asset", equipment_id=a["id"]) for i, a in enumerate(assets)}
    return table


def _model_table(models: list[dict[str, Any]]) -> Table:
    rows = [
        [m["make"] or "—", m["model"] or "—", m["type"], m["assets"], m["assets_with_calls"],
         m["calls"], per_asset_rate(m["calls"], m["assets"])]
        for m in models
    ]  # fmt: skip
    return Table("Calls per make and model", MODEL_COLUMNS, rows, numeric=frozenset({3, 4, 5, 6}))


def _terms_table(db: Database, f: q.ReportFilter, terms: list[dict[str, Any]]) -> Table:
    rows = []
    for term in terms_between(terms, f.start, f.end):
        end = (term["end"] + timedelta(days=1)).isoformat()
        for t in aq.calls_per_type_between(db, f, term["start"].isoformat(), end):
            if t["calls"]:
                rate = per_asset_rate(t["calls"], t["assets"])
                rows.append([term["name"], t["type"], t["assets"], t["calls"], rate])
    if terms:
        empty = "No calls about equipment in the terms this range covers."
    else:
        empty = "The school's terms are not set yet: an administrator adds them in the settings."
    note = "Whole terms, whatever the date range; the other filters apply."
    title = "Failure rates: calls per asset per term"
    return Table(title, TERM_COLUMNS, rows, numeric=frozenset({2, 3, 4}), empty=empty, note=note)


def asset_history(db: Database, equipment_id: int) -> Report | None:
    """Everything the kit knows about one asset, all time: None when there is no such asset."""
    asset = aq.get_asset(db, equipment_id)
    if asset is None:
        return None
    calls = aq.asset_calls(db, equipment_id)
    report = Report("asset", f"Asset {asset['asset_tag']}")
    report.period = "All calls ever logged about this asset"
    report.headline = _asset_facts(asset, calls)
    per_year: dict[str, int] = {}
    for call in reversed(calls):
        per_year[call["logged_at"][:4]] = per_year.get(call["logged_at"][:4], 0) + 1
    if per_year:
        counts = {"Calls": list(per_year.values())}
        report.charts.append(charts.bar("Calls per year", list(per_year), counts))
    report.tables += [
        _history_table(calls),
        _swap_table(aq.asset_hot_swaps(db, asset["asset_tag"])),
    ]
    return report


def _asset_facts(asset: dict[str, Any], calls: list[dict[str, Any]]) -> list[tuple[str, str]]:
    location = f"{asset['site']} – {asset['building']} – {asset['room']}" if asset["site"] else "—"
    return [
        ("Type", asset["type"]),
        ("Make and model", f"{asset['make']} {asset['model']}".strip() or "—"),
        ("Serial number", asset["serial"] or "—"),
        ("Location", location),
        ("Supplier", asset["supplier"] or "—"),
        ("Purchased", show_time(asset["purchase_date"])),
        ("Warranty ends", show_time(asset["warranty_end"])),
        ("Calls", str(len(calls))),
        ("Time recorded (hours)", hours(sum(c["minutes"] for c in calls))),
    ]


def _history_table(calls: list[dict[str, Any]]) -> Table:
    rows = [
        [c["ref"], show_time(c["logged_at"]), c["category"], c["summary"], c["status"],
         show_time(c["finished_at"]), c["resolution"] or "—", hours(c["minutes"])]
        for c in calls
    ]  # fmt: skip
    table = Table("Calls, newest first", HISTORY_COLUMNS, rows, numeric=frozenset({7}),
                  empty="No calls have been logged about this asset.")  # fmt: skip
    table.links = {i: url_for("calls.view", call_id=c["id"]) for i, c in enumerate(calls)}
    return table


def _swap_table(swaps: list[dict[str, Any]]) -> Table:
    rows = [
        [s["ref"], show_time(s["swapped_at"]), s["replacement_asset"], s["faulty_asset"] or "—",
         show_time(s["returned_at"])]
        for s in swaps
    ]  # fmt: skip
    return Table("Hot swaps", SWAP_COLUMNS, rows, empty="This asset was not part of a hot swap.")

"""Third parties and suppliers: how many calls went to each, and how long they took
against the date they gave.

Counts referrals made in the date range. Days are calendar days (a supplier's promise is
a date, not school hours), to one decimal. A referral finished by its expected date is on
time; after it, late; one still open is overdue once the date has passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from sqlite_utils import Database

from kit.reports import charts
from kit.reports import queries as q
from kit.reports.model import Report, Table, show_time
from kit.rules.clock import as_datetime

ON_TIME, LATE, OVERDUE, NOT_DUE = "on time", "late", "overdue", "not due yet"
DAY = timedelta(days=1)


def outcome(row: dict, now: datetime) -> tuple[str, float, float | None]:
    """(outcome, days taken so far, days expected) for one referral."""
    start = as_datetime(row["created_at"])
    ended = as_datetime(row["ended_at"])
    expected = as_datetime(row["expected_by"])
    taken = ((ended or now) - start) / DAY
    allowed = (expected - start) / DAY if expected else None
    if expected is None:
        return (ON_TIME if ended else NOT_DUE), taken, None
    if ended:
        return (ON_TIME if ended <= expected else LATE), taken, allowed
    return (OVERDUE if now > expected else NOT_DUE), taken, allowed


PARTY_COLUMNS = ["Third party", "Kind", "Referrals", "On time", "Late", "Still out, overdue",
                 "Still out, not due", "Mean days taken"]  # fmt: skip
REFERRAL_COLUMNS = ["Ref", "Third party", "Referred", "Expected by", "Finished", "Days taken",
                    "Days expected", "Outcome"]  # fmt: skip
OUTCOMES = (ON_TIME, LATE, OVERDUE, NOT_DUE)


def per_party(judged: list[tuple]) -> dict[tuple[str, str], dict]:
    """Per (name, kind): referrals, a count per outcome, and days taken by finished ones."""
    parties: dict[tuple[str, str], dict] = {}
    for row, result, taken, _allowed in judged:
        empty = {"referrals": 0, "days": [], **dict.fromkeys(OUTCOMES, 0)}
        party = parties.setdefault((row["name"], row["kind"]), empty)
        party["referrals"] += 1
        party[result] += 1
        if row["ended_at"]:
            party["days"].append(taken)
    return parties


def third_parties(db: Database, f: q.ReportFilter, now: datetime) -> Report:
    rows = q.third_party_rows(db, f)
    judged = [(r, *outcome(r, now)) for r in rows]
    parties = per_party(judged)
    report = Report("third-parties", "Third parties and suppliers")
    report.intro = (
        "Calls referred to a third party in the range, and how long each took "
        "against the date they expected to be done by."
    )
    report.headline = [
        ("Referrals", str(len(rows))),
        ("Finished late", str(sum(p[LATE] for p in parties.values()))),
        ("Still out and overdue", str(sum(p[OVERDUE] for p in parties.values()))),
    ]
    if parties:
        series = {key.capitalize(): [p[key] for p in parties.values()] for key in OUTCOMES}
        names = [name for name, _kind in parties]
        report.charts.append(
            charts.bar("Referrals per third party", names, series, horizontal=True)
        )
    report.tables += [_party_table(parties), _referral_table(judged)]
    report.notes = ["Mean days taken counts finished referrals only. Days are calendar days."]
    return report


def _party_table(parties: dict[tuple[str, str], dict]) -> Table:
    rows = []
    for (name, kind), p in parties.items():
        days = f"{sum(p['days']) / len(p['days']):.1f}" if p["days"] else "—"
        rows.append([name, kind, p["referrals"], *(p[key] for key in OUTCOMES), days])
    return Table("Per third party", PARTY_COLUMNS, rows, numeric=frozenset(range(2, 8)),
                 empty="No call was referred to a third party in this range.")  # fmt: skip


def _referral_table(judged: list[tuple]) -> Table:
    rows = [
        [r["ref"], r["name"], show_time(r["created_at"]), show_time(r["expected_by"]),
         show_time(r["ended_at"]), f"{taken:.1f}", "—" if allowed is None else f"{allowed:.1f}",
         result]
        for r, result, taken, allowed in judged
    ]  # fmt: skip
    table = Table("Referrals", REFERRAL_COLUMNS, rows, numeric=frozenset({5, 6}),
                  empty="No referrals in this range.")  # fmt: skip
    table.links = {i: url_for("calls.view", call_id=j[0]["call_id"]) for i, j in enumerate(judged)}
    return table

"""The figures a post implementation review sets beside its questions.

Simple counts over the calls logged in a period (ISO dates, inclusive), voided calls left
out. They answer the framework's review questions with what the kit already knows: who
logs calls (the desk, or someone going round it), where calls come from, whether service
levels are met, how many the desk or the knowledge base settled, and what users say.
Everything returned is plain JSON, because a saved review keeps the figures it was
written against.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from kit.leaders.surveys import SATISFACTION
from kit.reports.catalogue import calendar_for
from kit.reports.queries import ReportFilter
from kit.reports.service_levels import tallies
from kit.surveys import summary as staff_surveys

IN_PERIOD = "calls.voided = 0 AND calls.logged_at >= ? AND calls.logged_at < date(?, '+1 day')"
DONE = "calls.status IN ('Resolved', 'Closed')"
# Who logged a call: the single point of contact, the customer's web form, or someone else.
LOGGER = (
    "CASE WHEN calls.logged_by IS NULL THEN 'Web form (by the customer)' "
    "WHEN (',' || u.roles || ',') LIKE '%,desk,%' THEN 'Service desk' "
    "ELSE 'Another staff account' END"
)
# A technician's own account, not also the desk's: a call taken directly, round the desk.
TECHNICIAN_ONLY = (
    "(',' || u.roles || ',') LIKE '%,technician,%' AND (',' || u.roles || ',') NOT LIKE '%,desk,%'"
)


def pct(part: int | None, whole: int | None) -> float | None:
    """A share in percent to one decimal, or None when there is nothing to divide."""
    return round(100.0 * (part or 0) / whole, 1) if whole else None


def _counts(
    db: Database, label_sql: str, joins: str, args: list[Any], limit: int = 20
) -> list[list[Any]]:
    rows = db.execute(
        f"SELECT {label_sql} AS label, COUNT(*) AS n FROM calls {joins} WHERE {IN_PERIOD} "
        "GROUP BY label ORDER BY n DESC, label LIMIT ?",
        [*args, limit],
    ).fetchall()
    return [[r["label"], r["n"]] for r in rows]


def review_figures(db: Database, date_from: str, date_to: str, *, now: datetime) -> dict[str, Any]:
    """Every figure the review page shows, for calls logged from `date_from` to `date_to`;
    service levels are judged as they stand at `now`."""
    args = [date_from, date_to]
    total = db.execute(f"SELECT COUNT(*) FROM calls WHERE {IN_PERIOD}", args).fetchone()[0]
    loggers = _counts(db, LOGGER, "LEFT JOIN users u ON u.id = calls.logged_by", args)
    desk = sum(n for label, n in loggers if label == "Service desk")
    location = "COALESCE(l.site || ' – ' || l.building || ' – ' || l.room, 'No location')"
    return {
        "period": {"from": date_from, "to": date_to},
        "total": total,
        "logged_by": loggers,
        "desk_pct": pct(desk, total),
        "by_technicians": _counts(
            db, "u.name", f"JOIN users u ON u.id = calls.logged_by AND {TECHNICIAN_ONLY}", args
        ),
        "by_channel": _counts(db, "calls.channel", "", args),
        "by_category": _counts(db, "c.name", "JOIN categories c ON c.id = calls.category_id", args),
        "by_location": _counts(
            db, location, "LEFT JOIN locations l ON l.id = calls.location_id", args, 15
        ),
        "service_levels": service_levels(db, date_from, date_to, now=now),
        "settled": settled(db, date_from, date_to),
        "workload": workload(db, date_from, date_to),
        "survey": survey_summary(db, date_from, date_to),
        "staff_surveys": staff_surveys.in_period(db, date_from, date_to),
        "open_now": db.execute(
            "SELECT COUNT(*) FROM calls WHERE voided = 0 AND status NOT IN ('Resolved', 'Closed')"
        ).fetchone()[0],
    }


def service_levels(db: Database, date_from: str, date_to: str, *, now: datetime) -> dict[str, Any]:
    """Responses and resolutions met, breached and pending as they stand at `now`, by the rule
    every report shares (`kit.rules.service_levels`, working hours on the school's clock)."""
    f = ReportFilter(start=date.fromisoformat(date_from), end=date.fromisoformat(date_to))
    counted = tallies(db, f, calendar_for(db, f.start, f.end, now), now)
    return {which: counted[which].as_dict() for which in counted}


def settled(db: Database, date_from: str, date_to: str) -> dict[str, Any]:
    """Calls resolved at first contact (never passed on by the desk) and from the knowledge base."""
    row = db.execute(
        "SELECT COUNT(*) AS resolved, SUM(calls.routed_at IS NULL) AS first_contact, "
        "SUM(EXISTS (SELECT 1 FROM call_articles a WHERE a.call_id = calls.id AND a.solved = 1))"
        f" AS from_kb FROM calls WHERE {IN_PERIOD} AND {DONE}",
        [date_from, date_to],
    ).fetchone()
    out = {k: row[k] or 0 for k in row.keys()}
    out["first_contact_pct"] = pct(out["first_contact"], out["resolved"])
    out["from_kb_pct"] = pct(out["from_kb"], out["resolved"])
    return out


def workload(db: Database, date_from: str, date_to: str) -> list[dict[str, Any]]:
    """Per technician (owner) and week starting Monday: calls owned and minutes recorded."""
    week = "date({col}, '-6 days', 'weekday 1')"
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for r in db.execute(
        f"SELECT {week.format(col='calls.logged_at')} AS week, u.name, COUNT(*) AS calls "
        f"FROM calls JOIN users u ON u.id = calls.assignee_id WHERE {IN_PERIOD} "
        "GROUP BY week, u.id",
        [date_from, date_to],
    ).fetchall():
        rows[(r["week"], r["name"])] = {
            "week": r["week"],
            "name": r["name"],
            "calls": r["calls"],
            "minutes": 0,
        }
    for r in db.execute(
        f"SELECT {week.format(col='t.worked_on')} AS week, u.name, SUM(t.minutes) AS minutes "
        "FROM time_entries t JOIN users u ON u.id = t.user_id JOIN calls ON calls.id = t.call_id "
        "WHERE calls.voided = 0 AND t.worked_on >= ? AND t.worked_on < date(?, '+1 day') "
        "GROUP BY week, u.id",
        [date_from, date_to],
    ).fetchall():
        entry = rows.setdefault(
            (r["week"], r["name"]), {"week": r["week"], "name": r["name"], "calls": 0, "minutes": 0}
        )
        entry["minutes"] = r["minutes"]
    return sorted(rows.values(), key=lambda e: (e["week"], e["name"]))


def survey_summary(db: Database, date_from: str, date_to: str) -> dict[str, Any]:
    """Survey answers submitted in the period: averages, shares, scores and latest comments."""
    where = "s.submitted_at >= ? AND s.submitted_at < date(?, '+1 day')"
    args = [date_from, date_to]
    row = db.execute(
        "SELECT COUNT(*) AS answers, ROUND(AVG(satisfaction), 2) AS satisfaction, "
        "SUM(fixed) AS fixed, SUM(time_ok) AS time_ok FROM surveys s WHERE " + where,
        args,
    ).fetchone()
    answers = row["answers"]
    scores = {str(score): 0 for score in sorted(SATISFACTION, reverse=True)}
    for score, count in db.execute(
        f"SELECT satisfaction, COUNT(*) FROM surveys s WHERE {where} GROUP BY satisfaction", args
    ).fetchall():
        scores[str(score)] = count
    comments = [
        dict(r)
        for r in db.execute(
            "SELECT s.comment, s.satisfaction, s.submitted_at, c.ref FROM surveys s "
            f"JOIN calls c ON c.id = s.call_id WHERE s.comment != '' AND {where} "
            "ORDER BY s.submitted_at DESC, s.id DESC LIMIT 10",
            args,
        ).fetchall()
    ]
    return {
        "answers": answers,
        "satisfaction": row["satisfaction"],
        "fixed_pct": pct(row["fixed"], answers),
        "time_ok_pct": pct(row["time_ok"], answers),
        "scores": scores,
        "comments": comments,
    }

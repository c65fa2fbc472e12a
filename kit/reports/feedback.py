"""Customer feedback: the results of the short survey customers answer after resolution.

The survey itself (its `surveys` table, its questions, who is asked) belongs to the survey
feature; this module only reads the table when it exists: call_id, satisfaction (1-5),
fixed, time_ok, comment, submitted_at. Counts answers submitted in the date range.
"""

from __future__ import annotations

from flask import url_for
from sqlite_utils import Database

from kit.reports import charts, figures
from kit.reports import queries as q
from kit.reports.figures import percent_text
from kit.reports.model import Report, Table, show_time

COMMENTS_SHOWN = 100


def _yes_share(rows: list[dict], column: str) -> str:
    answered = [r[column] for r in rows if r[column] is not None]
    return percent_text(figures.rate(sum(1 for a in answered if a), len(answered)))


def summary(rows: list[dict]) -> dict[str, str]:
    """The headline answers: how many, mean satisfaction, shares fixed and on time."""
    scores = [r["satisfaction"] for r in rows if r["satisfaction"] is not None]
    average = figures.mean(scores)
    return {"answers": str(len(rows)),
            "satisfaction": "—" if average is None else f"{average:.1f} out of 5",
            "fixed": _yes_share(rows, "fixed"), "time_ok": _yes_share(rows, "time_ok")}


def feedback(db: Database, f: q.ReportFilter) -> Report:
    report = Report("feedback", "Customer feedback")
    rows = q.survey_rows(db, f)
    if rows is None:
        report.intro = ("Customer surveys are not set up in this kit yet. Once customers "
                        "answer the survey after a call is resolved, the results show here.")
        return report
    report.intro = "Answers to the survey customers are offered once their call is resolved."
    s = summary(rows)
    report.headline = [("Answers", s["answers"]), ("Mean satisfaction", s["satisfaction"]),
                       ("Say it was fixed", s["fixed"]), ("Say the time was acceptable",
                                                          s["time_ok"])]
    scores = [sum(1 for r in rows if r["satisfaction"] == n) for n in range(1, 6)]
    if rows:
        report.charts.append(charts.bar("Satisfaction (1 = very poor, 5 = very good)",
                                        [str(n) for n in range(1, 6)], {"Answers": scores}))
    report.tables.append(Table("Satisfaction", ["Score", "Answers"],
                               [[n, scores[n - 1]] for n in range(1, 6)],
                               numeric=frozenset({0, 1})))
    by_category: dict[str, list[dict]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row)
    report.tables.append(Table(
        "By category", ["Category", "Answers", "Mean satisfaction", "Fixed", "Time acceptable"],
        [[name, len(items), summary(items)["satisfaction"], summary(items)["fixed"],
          summary(items)["time_ok"]] for name, items in sorted(by_category.items())],
        numeric=frozenset({1})))
    commented = [r for r in rows if (r["comment"] or "").strip()][-COMMENTS_SHOWN:]
    comments = Table("Comments, latest last", ["Ref", "Submitted", "Satisfaction", "Comment"],
                     [[r["ref"], show_time(r["submitted_at"]), r["satisfaction"], r["comment"]]
                      for r in commented], empty="No comments in this range.")
    comments.links = {i: url_for("calls.view", call_id=r["call_id"])
                      for i, r in enumerate(commented)}
    report.tables.append(comments)
    return report

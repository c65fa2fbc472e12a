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
from kit.rules import surveys as survey_rules
from kit.surveys import summary as staff_surveys

COMMENTS_SHOWN = 100


def _yes_share(rows: list[dict], column: str) -> str:
    answered = [r[column] for r in rows if r[column] is not None]
    return percent_text(figures.rate(sum(1 for a in answered if a), len(answered)))


def summary(rows: list[dict]) -> dict[str, str]:
    """The headline answers: how many, mean satisfaction, shares fixed and on time."""
    scores = [r["satisfaction"] for r in rows if r["satisfaction"] is not None]
    average = figures.mean(scores)
    return {
        "answers": str(len(rows)),
        "satisfaction": "—" if average is None else f"{average:.1f} out of 5",
        "fixed": _yes_share(rows, "fixed"),
        "time_ok": _yes_share(rows, "time_ok"),
    }


def feedback(db: Database, f: q.ReportFilter) -> Report:
    report = Report("feedback", "Customer feedback")
    rows = q.survey_rows(db, f)
    if rows is None:
        report.intro = (
            "Customer surveys are not set up in this kit yet. Once customers "
            "answer the survey after a call is resolved, the results show here."
        )
        return report
    report.intro = "Answers to the survey customers are offered once their call is resolved."
    s = summary(rows)
    report.headline = [
        ("Answers", s["answers"]),
        ("Mean satisfaction", s["satisfaction"]),
        ("Say it was fixed", s["fixed"]),
        ("Say the time was acceptable", s["time_ok"]),
    ]
    scores = [sum(1 for r in rows if r["satisfaction"] == n) for n in range(1, 6)]
    if rows:
        title = "Satisfaction (1 = very poor, 5 = very good)"
        report.charts.append(charts.bar(title, [str(n) for n in range(1, 6)], {"Answers": scores}))
    score_rows = [[n, scores[n - 1]] for n in range(1, 6)]
    report.tables += [
        Table("Satisfaction", ["Score", "Answers"], score_rows, numeric=frozenset({0, 1})),
        _category_table(rows),
        _comment_table(rows),
        _school_questions_table(db, f),
        _staff_survey_table(db, f),
    ]
    return report


def _school_questions_table(db: Database, f: q.ReportFilter) -> Table:
    """The school's own questions on the survey after a call, each with its result."""
    rows = q.school_survey_rows(db, f)
    questions: dict[str, dict[str, str]] = {}
    by_call: dict[int, dict[str, str]] = {}
    for row in rows:
        key = str(row["question_id"])
        questions.setdefault(key, {"key": key, "kind": row["kind"], "text": row["text"]})
        by_call.setdefault(row["call_id"], {})[key] = row["answer"]
    results = survey_rules.results(list(questions.values()), list(by_call.values()))
    cells = [
        [r.text, r.answered, "; ".join([survey_rules.headline(r), *r.comments[-5:]])]
        for r in results
    ]
    return Table(
        "The school's own questions after a call",
        ["Question", "Answered", "Result"],
        cells,
        numeric=frozenset({1}),
        empty="No answers to the school's own questions in this range.",
    )


def _staff_survey_table(db: Database, f: q.ReportFilter) -> Table:
    """The school's surveys of all users sent in the range, one line per question."""
    cells = []
    for survey in staff_surveys.in_period(db, f.start.isoformat(), f.end.isoformat()):
        answered = (
            f"{survey['by_link']} of {survey['invited']} by email, {survey['on_paper']} on paper"
        )
        for question in survey["questions"]:
            cells.append([survey["title"], answered, question["text"], question["result"]])
    columns = ["Survey of all users", "Answered", "Question", "Result"]
    return Table(
        "Surveys of all users", columns, cells, empty="No survey of all users sent in this range."
    )


def _category_table(rows: list[dict]) -> Table:
    by_category: dict[str, list[dict]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row)
    cells = []
    for name, items in sorted(by_category.items()):
        s = summary(items)
        cells.append([name, len(items), s["satisfaction"], s["fixed"], s["time_ok"]])
    columns = ["Category", "Answers", "Mean satisfaction", "Fixed", "Time acceptable"]
    return Table("By category", columns, cells, numeric=frozenset({1}))


def _comment_table(rows: list[dict]) -> Table:
    """The latest comments; they are the customers' own words, shown escaped."""
    commented = [r for r in rows if (r["comment"] or "").strip()][-COMMENTS_SHOWN:]
    cells = [
        [r["ref"], show_time(r["submitted_at"]), r["satisfaction"], r["comment"]] for r in commented
    ]
    columns = ["Ref", "Submitted", "Satisfaction", "Comment"]
    table = Table("Comments, latest last", columns, cells, empty="No comments in this range.")
    table.links = {i: url_for("calls.view", call_id=r["call_id"]) for i, r in enumerate(commented)}
    return table

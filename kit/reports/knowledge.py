"""The knowledge report: which articles solve calls, and how many calls the desk fixes
at first contact.

Both count calls resolved in the date range. "Resolved at first contact at the desk":
the call was resolved by someone with the desk role (the "resolved" entry in its history
was theirs) and was never passed on to a technician or group (it has no routed time).
Calls that "fixed themselves" are not counted: the desk did not fix them. "Solved by an
article": someone marked an article as having solved the call.
"""

from __future__ import annotations

from flask import url_for
from sqlite_utils import Database
from werkzeug.routing import BuildError

from kit.reports import charts, figures
from kit.reports import queries as q
from kit.reports.figures import percent_text
from kit.reports.model import Report, Table


def _article_url(article_id: int) -> str | None:
    try:
        return url_for("kb.article", article_id=article_id)
    except BuildError:  # the knowledge base's pages are not installed in this app
        return None


NOTES = [
    "Resolved at first contact at the desk: resolved by a member of the service desk "
    "(someone with the desk role) without the call ever being passed on to a technician "
    "or group. Calls that fixed themselves are not counted.",
    "Solved by an article: someone marked a knowledge base article as having solved it.",
]
CATEGORY_COLUMNS = ["Category", "Resolved", "At first contact", "First contact share",
                    "By an article"]  # fmt: skip


def _count_and_share(part: int, whole: int) -> str:
    return f"{part} ({percent_text(figures.rate(part, whole))})"


def knowledge(db: Database, f: q.ReportFilter) -> Report:
    articles = q.solved_articles(db, f)
    by_category = q.resolution_by_category(db, f)
    resolved = sum(r["resolved"] for r in by_category)
    first = sum(r["first_contact"] for r in by_category)
    by_article = sum(r["by_article"] for r in by_category)
    report = Report("knowledge", "Knowledge and first contact")
    report.intro = (
        "Calls resolved in the range: the articles that solved most of them, and "
        "how many the service desk resolved at first contact."
    )
    report.headline = [
        ("Calls resolved", str(resolved)),
        ("Resolved at first contact at the desk", _count_and_share(first, resolved)),
        ("Solved by a knowledge base article", _count_and_share(by_article, resolved)),
    ]
    if articles:
        titles = [a["title"] for a in articles[:10]]
        counts = {"Calls solved": [a["solved"] for a in articles[:10]]}
        title = "Articles that solved most calls"
        report.charts.append(charts.bar(title, titles, counts, horizontal=True))
    report.tables += [_article_table(articles), _category_table(by_category)]
    report.notes = list(NOTES)
    return report


def _article_table(articles: list[dict]) -> Table:
    rows = [[a["title"], a["status"], a["solved"]] for a in articles]
    empty = "No article was marked as solving a call."
    columns = ["Article", "Status", "Calls solved"]
    table = Table("Articles that solved most calls", columns, rows, numeric=frozenset({2}))
    table.empty = empty
    table.links = {i: url for i, a in enumerate(articles) if (url := _article_url(a["id"]))}
    return table


def _category_table(by_category: list[dict]) -> Table:
    rows = [
        [r["category"], r["resolved"], r["first_contact"],
         percent_text(figures.rate(r["first_contact"], r["resolved"])), r["by_article"]]
        for r in by_category
    ]  # fmt: skip
    return Table("By category", CATEGORY_COLUMNS, rows, numeric=frozenset({1, 2, 3, 4}))

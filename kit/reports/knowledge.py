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


def knowledge(db: Database, f: q.ReportFilter) -> Report:
    articles = q.solved_articles(db, f)
    by_category = q.resolution_by_category(db, f)
    resolved = sum(r["resolved"] for r in by_category)
    first = sum(r["first_contact"] for r in by_category)
    by_article = sum(r["by_article"] for r in by_category)
    report = Report("knowledge", "Knowledge and first contact")
    report.intro = ("Calls resolved in the range: the articles that solved most of them, and "
                    "how many the service desk resolved at first contact.")
    report.headline = [
        ("Calls resolved", str(resolved)),
        ("Resolved at first contact at the desk",
         f"{first} ({percent_text(figures.rate(first, resolved))})"),
        ("Solved by a knowledge base article",
         f"{by_article} ({percent_text(figures.rate(by_article, resolved))})"),
    ]
    if articles:
        report.charts.append(charts.bar("Articles that solved most calls",
                                        [a["title"] for a in articles[:10]],
                                        {"Calls solved": [a["solved"] for a in articles[:10]]},
                                        horizontal=True))
    table = Table("Articles that solved most calls", ["Article", "Status", "Calls solved"],
                  [[a["title"], a["status"], a["solved"]] for a in articles],
                  numeric=frozenset({2}), empty="No article was marked as solving a call.")
    table.links = {i: url for i, a in enumerate(articles) if (url := _article_url(a["id"]))}
    report.tables.append(table)
    report.tables.append(Table(
        "By category", ["Category", "Resolved", "At first contact", "First contact share",
                        "By an article"],
        [[r["category"], r["resolved"], r["first_contact"],
          percent_text(figures.rate(r["first_contact"], r["resolved"])), r["by_article"]]
         for r in by_category], numeric=frozenset({1, 2, 3, 4})))
    report.notes = [
        "Resolved at first contact at the desk: resolved by a member of the service desk "
        "(someone with the desk role) without the call ever being passed on to a technician "
        "or group. Calls that fixed themselves are not counted.",
        "Solved by an article: someone marked a knowledge base article as having solved it.",
    ]
    return report

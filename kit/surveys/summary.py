"""The surveys of all users sent in a period, as the review and the reports show them: each
question's result in words, and how many answered. Plain values, so a saved review keeps
them as they were."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from kit.rules import surveys as rules
from kit.surveys import store


def in_period(db: Database, date_from: str, date_to: str) -> list[dict[str, Any]]:
    """Each survey of all users opened from `date_from` to `date_to` (dates, both included),
    oldest first, with its counts and each question's result."""
    out = []
    for survey in reversed(store.rounds_between(db, date_from, date_to)):
        counts = store.counts(db, survey["id"])
        rate = rules.response_rate(counts["invited"], counts["by_link"])
        results = rules.results(survey["questions"], store.responses(db, survey["id"]))
        out.append(
            {
                "id": survey["id"],
                "title": survey["title"],
                "opened_on": survey["opened_at"][:10],
                "closes_on": survey["closes_on"],
                **counts,
                "rate_pct": None if rate is None else round(rate * 100, 1),
                "questions": [
                    {
                        "text": r.text,
                        "kind": r.kind,
                        "result": rules.headline(r),
                        "comments": r.comments[-5:],
                    }
                    for r in results
                ],
            }
        )
    return out

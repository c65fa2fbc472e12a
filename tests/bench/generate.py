"""Make a realistic school of any size for benchmarks.

Five years of a secondary school by default: 30 to 80 calls a school day, spread over the
school's categories, rooms and equipment, each with a few history events; most resolved
and closed, the last weeks' still open. Written with bulk inserts (the store's `log_call`
takes the write lock per call, which is right for people and far too slow for 100,000).

    python -m tests.bench.generate INSTANCE --calls 100000 --articles 10000
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from kit import create_app
from kit.db import connect
from kit.rules.queue import TYPE_RANK

WORDS = (
    "projector printer laptop wifi network password email display board sound "
    "keyboard mouse screen login error offline jam toner cable charger slow frozen "
    "update install access shared drive camera microphone speaker tablet"
).split()


def school_days(end: date, count: int):
    day = end
    while count > 0:
        if day.weekday() < 5:
            yield day
            count -= 1
        day -= timedelta(days=1)


def generate(instance: Path, calls: int, articles: int = 0, seed: int = 7) -> None:
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"})
    db = connect(app.config["DATABASE"])
    rnd = random.Random(seed)
    _reference_data(db, rnd)
    categories = list(db["categories"].rows)
    levels = {r["id"]: r for r in db["response_levels"].rows}
    locations = [r["id"] for r in db["locations"].rows]
    equipment = [r["id"] for r in db["equipment"].rows]
    desk = (
        db["users"]
        .insert(
            {"username": "benchdesk", "name": "Bench Desk", "password_hash": "x", "roles": "desk"}
        )
        .last_pk
    )
    per_day = 55
    days = sorted(school_days(date(2026, 11, 20), max(calls // per_day + 1, 1)))
    rows, events, seqs = [], [], {}
    for n in range(calls):
        day = days[min(n // per_day, len(days) - 1)]
        at = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=8, minutes=rnd.randrange(0, 540)
        )
        cat = rnd.choice(categories)
        level = levels[cat["response_level_id"]]
        seq = seqs[at.year] = seqs.get(at.year, 0) + 1
        recent = (date(2026, 11, 20) - day).days < 14
        status = (
            rnd.choice(["Logged", "Assigned", "In Progress", "With Customer"])
            if recent
            else "Closed"
        )
        closed = None if recent else (at + timedelta(hours=rnd.randrange(1, 60))).isoformat(" ")
        rows.append(
            {
                "id": n + 1,
                "ref": f"{at.year % 100:02d}-{seq:04d}",
                "ref_year": at.year,
                "ref_seq": seq,
                "logged_at": at.isoformat(" "),
                "logged_by": desk,
                "channel": rnd.choice(["Phone", "Email", "Web form", "Face to face"]),
                "caller_name": f"Staff {rnd.randrange(1, 120)}",
                "location_id": rnd.choice(locations),
                "equipment_id": rnd.choice(equipment + [None]),
                "category_id": cat["id"],
                "call_type": cat["call_type"],
                "type_rank": TYPE_RANK[cat["call_type"]],
                "group_id": cat["group_id"],
                "response_level_id": cat["response_level_id"],
                "status": status,
                "routed_at": at.isoformat(" "),
                "summary": " ".join(rnd.sample(WORDS, 4)).capitalize(),
                "details": " ".join(rnd.choices(WORDS, k=30)),
                "respond_by": (at + timedelta(hours=level["respond_hours"])).isoformat(" "),
                "resolve_by": (at + timedelta(hours=level["resolve_hours"])).isoformat(" "),
                "resolved_at": closed,
                "closed_at": closed,
            }
        )
        events.append(
            {
                "call_id": n + 1,
                "at": at.isoformat(" "),
                "user_id": desk,
                "kind": "logged",
                "changes": json.dumps({"status": [None, "Logged"]}),
                "text": "",
            }
        )
        if closed:
            events.append(
                {
                    "call_id": n + 1,
                    "at": closed,
                    "user_id": desk,
                    "kind": "status",
                    "changes": json.dumps({"status": ["Logged", "Closed"]}),
                    "text": "Fixed.",
                }
            )
        if len(rows) >= 5000:
            _flush(db, rows, events)
    _flush(db, rows, events)
    if articles:
        _articles(app, db, articles, rnd)
    db.conn.close()


def _flush(db, rows, events) -> None:
    with db.atomic():
        db["calls"].insert_all(rows, batch_size=1000)
        db["call_events"].insert_all(events, batch_size=1000)
    rows.clear()
    events.clear()


def _reference_data(db, rnd) -> None:
    for b in range(6):
        for r in range(15):
            db["locations"].insert(
                {
                    "site": "Main site",
                    "building": f"Block {b}",
                    "room": f"Room {b}{r:02d}",
                    "teaching_space": int(r < 12),
                }
            )
    locs = [r["id"] for r in db["locations"].rows]
    for n in range(600):
        db["equipment"].insert(
            {
                "asset_tag": f"AST-{n:05d}",
                "type": rnd.choice(
                    ["Projector", "Desktop PC", "Laptop", "Printer", "Interactive display"]
                ),
                "make": "Make",
                "model": f"Model {n % 12}",
                "location_id": rnd.choice(locs),
            }
        )


def _articles(app, db, count: int, rnd) -> None:
    """Published variations of the starter articles, through the knowledge base's store."""
    from tests.bench.bench_kb import top_up

    top_up(app, db, count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance", type=Path)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=0)
    args = parser.parse_args()
    generate(args.instance, args.calls, args.articles)


if __name__ == "__main__":
    main()

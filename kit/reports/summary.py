"""The workload report's summary: its figures kept per day (per month for who and where
needs most support), so a five-year report sums a few thousand rows instead of reading
some 70,000 calls, their time entries and rooms.

The tables are made by the reports area's migration m002. What keeps them true:
- Triggers on every table a figure comes from (calls, time entries, equipment) mark the
  days a change touches stale, in the same transaction as the change. A trigger cannot be
  forgotten: the web pages, `kit import`, mail in, the daily job, plain SQL and another
  process all fire it alike. Names (of people, rooms, groups, accounts, categories) are not
  kept: a report joins them when it reads, so renaming needs no trigger.
- `refresh()` recomputes every stale day from the source rows (and the whole month of each,
  for the monthly table), in short write transactions of a few months each, then forgets
  the marks. A report refreshes first and then reads inside one snapshot in which nothing
  is stale; if a write slips in between, it refreshes again (`kit.reports.summary_queries`).
- `on_start()` runs on every start (from `kit.db.migrate`): a trigger missing or different
  from this module's (the upgrade that adds the summary, a migration that rebuilt a table)
  is made again; then, or when the statements that compute the rows have changed since
  they were last built (`version()`), every day is marked stale and the summary rebuilt.

Days are `date()` of the stored local times, as the report's own queries count them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

from sqlite_utils import Database

from kit.db import let_others_write, write_lock

BATCH_MONTHS = 3  # a write transaction recomputes at most this many months' stale days
MAX_BATCHES = 1000  # 250 years of months: a refresh ends whatever the writers do

RESOLVED_AT = "COALESCE({x}.resolved_at, {x}.closed_at)"


def _call_days(x: str) -> str:
    """The days a call's row counts on (logged, resolved, and its time entries' days)."""
    return (
        f"SELECT date({x}.logged_at) AS day UNION SELECT date({RESOLVED_AT.format(x=x)}) "
        f"UNION SELECT date(worked_on) FROM time_entries WHERE call_id = {x}.id"
    )


def _mark(days_sql: str) -> str:
    return (
        "INSERT OR IGNORE INTO report_stale_days (day) "
        f"SELECT day FROM ({days_sql}) WHERE day IS NOT NULL"
    )


CALL_COLUMNS = (
    "logged_at", "resolved_at", "closed_at", "voided", "call_type", "category_id",
    "group_id", "assignee_id", "caller_id", "caller_name", "location_id", "equipment_id",
)  # fmt: skip
_CALL_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in CALL_COLUMNS)
_TIME_DAYS = (
    "SELECT date({x}.worked_on) AS day "
    "UNION SELECT date(logged_at) FROM calls WHERE id = {x}.call_id"
)
_EQUIPMENT_DAYS = (
    "SELECT DISTINCT date(logged_at) AS day FROM calls "
    "WHERE equipment_id = {x}.id AND location_id IS NULL"
)


def _on(event: str, *days: str) -> str:
    """A trigger's text after its name: on `event`, mark each of `days` (SQL) stale."""
    return f"{event} BEGIN " + " ".join(f"{_mark(d)};" for d in days) + " END"


TRIGGERS = {
    "report_stale_call_insert": _on("AFTER INSERT ON calls", _call_days("NEW")),
    "report_stale_call_update": _on(
        f"AFTER UPDATE OF {', '.join(CALL_COLUMNS)} ON calls WHEN {_CALL_CHANGED}",
        _call_days("OLD"),
        _call_days("NEW"),
    ),
    "report_stale_call_delete": _on("AFTER DELETE ON calls", _call_days("OLD")),
    "report_stale_time_insert": _on("AFTER INSERT ON time_entries", _TIME_DAYS.format(x="NEW")),
    "report_stale_time_update": _on(
        "AFTER UPDATE ON time_entries", _TIME_DAYS.format(x="OLD"), _TIME_DAYS.format(x="NEW")
    ),
    "report_stale_time_delete": _on("AFTER DELETE ON time_entries", _TIME_DAYS.format(x="OLD")),
    # A call with no room of its own is counted in its equipment's room.
    "report_stale_equipment_insert": _on(
        "AFTER INSERT ON equipment", _EQUIPMENT_DAYS.format(x="NEW")
    ),
    "report_stale_equipment_update": _on(
        "AFTER UPDATE OF id, location_id ON equipment "
        "WHEN OLD.location_id IS NOT NEW.location_id OR OLD.id IS NOT NEW.id",
        _EQUIPMENT_DAYS.format(x="OLD"),
        _EQUIPMENT_DAYS.format(x="NEW"),
    ),
    "report_stale_equipment_delete": _on(
        "AFTER DELETE ON equipment", _EQUIPMENT_DAYS.format(x="OLD")
    ),
}


def on_start(db: Database) -> None:
    """The triggers made if missing, and every day marked stale if any was (an upgrade, a
    rebuilt table) or if the rows were computed by other code than this (`version()`);
    then the summary built, so that the first report after an upgrade does not wait for
    it (about 1.5 s for 100,000 calls)."""
    made = install_triggers(db)
    if not db["report_summary_version"].exists():
        return  # before the reports area's migration m004
    row = db.execute("SELECT version FROM report_summary_version").fetchone()
    if row is None or row[0] != version():
        mark_all_stale(db)
        with write_lock(db):
            db.execute(
                "INSERT OR REPLACE INTO report_summary_version (id, version) VALUES (1, ?)",
                [version()],
            )
        made = True
    if made:
        refresh(db)


def version() -> str:
    """A digest of the statements that compute the rows and of the triggers."""
    text = "\n".join([CALL_DAYS, BACKWARDS_CALLS, TIME_DAYS, SUPPORT_ROWS, *TRIGGERS.values()])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def install_triggers(db: Database) -> bool:
    """Make any trigger that is missing or not this module's; if one was, mark every day
    stale (changes made without it were not marked). True if anything was made."""
    if not db["report_stale_days"].exists():
        return False  # before the reports area's migration m002
    existing = {
        r[0]: r[1]
        for r in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'report_%'"
        )
    }
    made = False
    for name, body in TRIGGERS.items():
        sql = f"CREATE TRIGGER {name} {body}"
        if existing.get(name) == sql:
            continue
        with write_lock(db):
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute(sql)
        made = True
    if made:
        mark_all_stale(db)
    return made


def mark_all_stale(db: Database) -> None:
    """Every day with a call logged, resolved or time worked: the next report rebuilds."""
    with write_lock(db):
        db.execute(
            _mark(
                "SELECT date(logged_at) AS day FROM calls "
                f"UNION SELECT date({RESOLVED_AT.format(x='calls')}) FROM calls "
                "UNION SELECT date(worked_on) FROM time_entries "
                "UNION SELECT day FROM report_call_days UNION SELECT day FROM report_time_days "
                "UNION SELECT month || '-01' FROM report_support_months"
            )
        )


def stale_days(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM report_stale_days").fetchone()[0]


def refresh(db: Database) -> int:
    """Recompute every stale day, a few months per write transaction (a desk waiting to
    save a call gets its turn between two); returns how many days were recomputed.
    At most MAX_BATCHES: writes arriving without end leave days stale, which the report
    sees (it then reads the calls)."""
    done = 0
    for _ in range(MAX_BATCHES):
        with write_lock(db):
            months = [
                r[0]
                for r in db.execute(
                    "SELECT DISTINCT substr(day, 1, 7) FROM report_stale_days ORDER BY 1 LIMIT ?",
                    [BATCH_MONTHS],
                )
            ]
            if not months:
                return done
            bounds = [f"{months[0]}-01", next_month(f"{months[-1]}-01")]
            days = [
                r[0]
                for r in db.execute(
                    "SELECT day FROM report_stale_days WHERE day >= ? AND day < ?", bounds
                )
            ]
            recompute(db, days, months)
            db.execute("DELETE FROM report_stale_days WHERE day >= ? AND day < ?", bounds)
        done += len(days)
        if len(months) < BATCH_MONTHS:
            return done
        let_others_write()
    return done


def next_month(first: str) -> str:
    day = date.fromisoformat(first)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1).isoformat()


# --- recomputing stale days from the source rows --------------------------------------

_DIMS = "c.call_type, c.category_id, c.group_id, c.assignee_id"
_ON_DAY = "ON {col} >= s.value AND {col} < date(s.value, '+1 day')"
_MINUTES = "(SELECT COALESCE(SUM(te.minutes), 0) FROM time_entries te WHERE te.call_id = c.id)"
# Each stale day's rows through the index on its day (INDEXED BY: the planner preferred
# the voided index on the bench's 100,000 calls and read all of them for every day).
_LOGGED_ON = "calls c INDEXED BY idx_calls_logged_at " + _ON_DAY.format(col="c.logged_at")
_RESOLVED_ON = "calls c INDEXED BY idx_calls_resolved_or_closed " + _ON_DAY.format(
    col=RESOLVED_AT.format(x="c")
)

CALL_DAYS = f"""
INSERT INTO report_call_days (day, call_type, category_id, group_id, assignee_id,
  logged, resolved, finished, minutes)
SELECT day, call_type, category_id, group_id, assignee_id,
  SUM(logged), SUM(resolved), SUM(finished), SUM(minutes)
FROM (
  -- logged that day; finished that day too if resolved on an earlier one (backwards)
  SELECT s.value AS day, {_DIMS}, 1 AS logged, 0 AS resolved,
    {RESOLVED_AT.format(x="c")} IS NOT NULL AND {RESOLVED_AT.format(x="c")} < s.value
      AS finished,
    {_MINUTES} AS minutes
  FROM json_each(:days) s JOIN {_LOGGED_ON} WHERE c.voided = 0
  UNION ALL
  -- resolved that day; finished too unless logged on a later day
  SELECT s.value, {_DIMS}, 0, 1, c.logged_at < date(s.value, '+1 day'), 0
  FROM json_each(:days) s JOIN {_RESOLVED_ON} WHERE c.voided = 0
)
GROUP BY day, call_type, category_id, group_id, assignee_id"""

BACKWARDS_CALLS = f"""
INSERT OR REPLACE INTO report_backwards_calls (call_id, logged_day, resolved_day, call_type,
  category_id, group_id, assignee_id)
SELECT c.id, s.value, date({RESOLVED_AT.format(x="c")}), {_DIMS}
FROM json_each(:days) s JOIN {_LOGGED_ON}
WHERE c.voided = 0 AND {RESOLVED_AT.format(x="c")} < s.value"""

TIME_DAYS = f"""
INSERT INTO report_time_days (day, user_id, call_type, category_id, group_id, minutes)
SELECT s.value, te.user_id, c.call_type, c.category_id, c.group_id, SUM(te.minutes)
FROM json_each(:days) s
JOIN time_entries te INDEXED BY idx_time_entries_worked_on {_ON_DAY.format(col="te.worked_on")}
JOIN calls c ON c.id = te.call_id
WHERE c.voided = 0
GROUP BY s.value, te.user_id, c.call_type, c.category_id, c.group_id"""

# Who and where needs most support, for the calls logged in [:from, :to): per caller (the
# person's id and the name typed) and per room (the call's, or else its equipment's).
SUPPORT_ROWS = f"""
WITH logged AS (
  SELECT calls.caller_id, calls.caller_name, calls.call_type,
    COALESCE(calls.location_id, e.location_id) AS room_id,
    {_MINUTES.replace("c.id", "calls.id")} AS minutes
  FROM calls INDEXED BY idx_calls_logged_at LEFT JOIN equipment e ON e.id = calls.equipment_id
  WHERE calls.voided = 0 AND calls.logged_at >= :from AND calls.logged_at < :to
)
SELECT 'caller' AS kind, caller_id AS ref_id, caller_name AS name, COUNT(*) AS calls,
  SUM(call_type = 'Incident') AS incidents, SUM(call_type = 'Request') AS requests,
  SUM(minutes) AS minutes
FROM logged GROUP BY caller_id, caller_name
UNION ALL
SELECT 'room', room_id, NULL, COUNT(*), SUM(call_type = 'Incident'),
  SUM(call_type = 'Request'), SUM(minutes)
FROM logged GROUP BY room_id"""


def recompute(db: Database, days: list[str], months: list[str]) -> None:
    """The summary's rows for `days` (and the monthly rows of `months`) made again from
    the calls and time entries. Inside the caller's write transaction."""
    params = {"days": json.dumps(days)}
    in_days = "IN (SELECT value FROM json_each(:days))"
    db.execute(f"DELETE FROM report_call_days WHERE day {in_days}", params)
    db.execute(CALL_DAYS, params)
    db.execute(f"DELETE FROM report_backwards_calls WHERE logged_day {in_days}", params)
    db.execute(BACKWARDS_CALLS, params)
    db.execute(f"DELETE FROM report_time_days WHERE day {in_days}", params)
    db.execute(TIME_DAYS, params)
    for month in months:
        first = f"{month}-01"
        db.execute("DELETE FROM report_support_months WHERE month = ?", [month])
        db.execute(
            "INSERT INTO report_support_months (month, kind, ref_id, name, calls, incidents, "
            f"requests, minutes) SELECT :month, * FROM ({SUPPORT_ROWS})",
            {"month": month, "from": first, "to": next_month(first)},
        )

"""The call log's SQL: a filter of calls, the orders it can be sorted in, and one page of
matching calls with how many match in all.

The call log page, the printed call log and job-sheet batches, the visit list and problems
all find calls through `search_calls` or `first_calls`, so a technician's `extra`
visibility clause and the sort whitelist apply everywhere alike. A search's words go
through the call search index (`kit.calls.search_store`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlite_utils import Database

from kit.calls import search_store
from kit.calls.store import CALL_SELECT, FINISHED_SQL, OPEN_SQL, get_call_by_ref
from kit.rules import lifecycle as lc
from kit.rules.refs import normalise_ref

COUNT_CAP = 1000  # a search matching more says "more than 1,000 calls"

# Sort keys offered on the call log: the only values ever placed in ORDER BY.
SORTS = {
    # Open calls before resolved and closed ones, then the procedure's order; a call with
    # no due time after those with one (SQL puts NULL first). Read from idx_calls_worklist.
    "queue": f"({FINISHED_SQL}) {{d}}, calls.type_rank {{d}}, (calls.respond_by IS NULL) {{d}}, "
    "calls.respond_by {d}, calls.logged_at {d}, calls.id {d}",
    "ref": "calls.ref_year {d}, calls.ref_seq {d}",
    "logged": "calls.logged_at {d}, calls.id {d}",
    "caller": "calls.caller_name COLLATE NOCASE {d}, calls.id",
    "category": "c.name {d}, calls.id",
    "status": "calls.status {d}, calls.id",
    "group": "g.name {d}, calls.id",
    "closed": "calls.closed_at {d}, calls.id",
}


@dataclass
class CallFilter:
    status: str = ""  # "", "open", or a status name
    call_type: str = ""
    group_id: int | None = None
    assignee_id: int | None = None
    category_id: int | None = None
    location_id: int | None = None
    equipment_id: int | None = None
    date_from: str = ""  # ISO dates, inclusive
    date_to: str = ""
    text: str = ""
    extra: list[tuple[str, list[Any]]] = field(default_factory=list)  # (sql, args) from access
    ref_exists: bool = False  # set by search_calls: the text is the reference of a call
    matched: bool = False  # set by search_calls: the text is matched by a join, not here
    query: str = ""  # set by search_calls: the MATCH for the text


def _where(f: CallFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = ["calls.voided = 0"]
    args: list[Any] = []
    if f.status == "open":
        clauses.append(OPEN_SQL)
    elif f.status:
        clauses.append("calls.status = ?")
        args.append(f.status)
    for column, value in (
        ("calls.call_type", f.call_type or None),
        ("calls.group_id", f.group_id),
        ("calls.assignee_id", f.assignee_id),
        ("calls.category_id", f.category_id),
        ("calls.location_id", f.location_id),
        ("calls.equipment_id", f.equipment_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            args.append(value)
    if f.date_from:
        clauses.append("calls.logged_at >= ?")
        args.append(f.date_from)
    if f.date_to:
        clauses.append("calls.logged_at < date(?, '+1 day')")
        args.append(f.date_to)
    if f.text.strip() and not f.matched:
        ref = normalise_ref(f.text)
        query = f.query or search_store.match_query(f.text)
        if ref and (not query or f.ref_exists):  # "26 42" read over the phone
            clauses.append("calls.ref = ?")
            args.append(ref)
        elif query:
            clauses.append(search_store.matching_sql())
            args.append(query)
    for sql, extra_args in f.extra:
        clauses.append(f"({sql})")
        args.extend(extra_args)
    return " AND ".join(clauses), args


def _few_calls_have_the_status(f: CallFilter) -> bool:
    """Open calls are a small share of a school's years of calls; resolved ones are not."""
    return f.status == "open" or f.status in lc.OPEN_STATUSES


def search_calls(
    db: Database,
    f: CallFilter,
    *,
    sort: str = "queue",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """One page of calls matching the filter, and how many match in all.

    `sort="recent"` with words to search: the most recently logged matches first, read
    straight from the search table's newest end, and the count stops past `COUNT_CAP`
    (a word in most of 100,000 calls would otherwise cost a full count and sort).
    """
    if f.text.strip():
        search_store.bring_up_to_date(db)
        ref = normalise_ref(f.text)
        f = replace(f, ref_exists=bool(ref and get_call_by_ref(db, ref)))
        query = "" if f.ref_exists else search_store.match_query(f.text, db)
        if sort == "recent" and query:
            return _recent_matches(db, replace(f, matched=True), query, page, page_size)
        f = replace(f, query=query)
    where, args = _where(f)
    total = db.execute("SELECT COUNT(*) FROM calls WHERE " + where, args).fetchone()[0]
    offset = (max(page, 1) - 1) * page_size
    rows = db.execute(
        CALL_SELECT + f" WHERE {where} ORDER BY {_order(f, sort, descending)} LIMIT ? OFFSET ?",
        [*args, page_size, offset],
    ).fetchall()
    return [dict(r) for r in rows], total


def first_calls(
    db: Database, f: CallFilter, *, sort: str = "logged", descending: bool = False, limit: int
) -> list[dict[str, Any]]:
    """The first `limit` calls matching a filter without words to search, not counted: a
    panel showing a few needs no total, and counting reads every match (at 100,000 calls,
    a word in two thirds of them)."""
    where, args = _where(f)
    rows = db.execute(
        CALL_SELECT + f" WHERE {where} ORDER BY {_order(f, sort, descending)} LIMIT ?",
        [*args, limit],
    ).fetchall()
    return [dict(r) for r in rows]


def _order(f: CallFilter, sort: str, descending: bool) -> str:
    order = SORTS.get(sort, SORTS["logged"] if sort == "recent" else SORTS["queue"])
    order = order.format(d="DESC" if descending or sort == "recent" else "ASC")
    if _few_calls_have_the_status(f):
        # A unary + keeps SQLite from walking the queue index past 100,000 closed calls
        # to find the few open ones: it reads them through the status index and sorts.
        order = "+" + order
    return order


def _recent_matches(
    db: Database, f: CallFilter, query: str, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    where, args = _where(f)
    matched = CALL_SELECT.replace(
        "FROM calls\n", "FROM call_search CROSS JOIN calls ON calls.id = call_search.rowid\n", 1
    )
    condition = f"call_search MATCH ? AND {where}"
    total = db.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM call_search CROSS JOIN calls "
        f"ON calls.id = call_search.rowid WHERE {condition} LIMIT ?)",
        [query, *args, COUNT_CAP + 1],
    ).fetchone()[0]
    offset = (max(page, 1) - 1) * page_size
    rows = db.execute(
        matched + f" WHERE {condition} ORDER BY call_search.rowid DESC LIMIT ? OFFSET ?",
        [query, *args, page_size, offset],
    ).fetchall()
    return [dict(r) for r in rows], total

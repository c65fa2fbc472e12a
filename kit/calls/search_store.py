"""The SQL of the call log's search: what each call is found by, and the MATCH for a query.

A call is found by its reference, the caller's name and email, its site, building and
room, its equipment's asset tag, kind, make, model and serial, its category, and the words
of its summary, details, resolution and notes, all read by the analyser the knowledge base
uses (`kit.rules.words`: "wifi" finds "Wi-Fi", "80070005" finds "0x80070005", "beamer"
finds "projector"). Every word typed must match (a search box that narrows as you type);
each matches its synonyms and, from three letters, as the start of a longer word.

The search table is brought up to date from `call_search_pending` (filled by triggers on
every write) before each search, at most `CATCH_UP` calls at a time so no request waits
long after a bulk import; `kit reindex` does all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from kit.db import let_others_write, write_lock, write_lock_now
from kit.kb import analysis
from kit.rules import words

CATCH_UP = 2000  # calls brought up to date by one search; the rest by the next ones
CATCH_UP_ON_A_PAGE = 200  # by a page that looks calls up by word on the side (visit list)
MAX_QUERY_WORDS = 8
REBUILD_BATCH = 500  # calls rewritten per transaction by `kit reindex`

SOURCE = """
SELECT calls.id, calls.ref, calls.caller_name, calls.caller_email, p.email AS person_email,
       l.site, l.building, l.room, e.asset_tag, e.type AS equipment_type, e.make, e.model,
       e.serial, c.name AS category, calls.summary, calls.details,
       calls.resolution_summary, calls.resolution_details,
       (SELECT group_concat(ev.text, char(10)) FROM call_events ev
         WHERE ev.call_id = calls.id AND ev.text != '') AS notes
FROM calls
JOIN categories c ON c.id = calls.category_id
LEFT JOIN people p ON p.id = calls.caller_id
LEFT JOIN locations l ON l.id = calls.location_id
LEFT JOIN equipment e ON e.id = calls.equipment_id
WHERE calls.id IN (SELECT call_id FROM call_search_pending ORDER BY call_id LIMIT ?)
"""


def _terms(*texts: Any) -> str:
    synonyms = analysis.synonyms()
    return " ".join(words.terms(" \n ".join(str(t) for t in texts if t), synonyms))


def _row(call: Any) -> dict[str, Any]:
    return {
        "rowid": call["id"],
        "ref": _terms(call["ref"]),
        "caller": _terms(call["caller_name"], call["caller_email"], call["person_email"]),
        "place": _terms(call["site"], call["building"], call["room"]),
        "equipment": _terms(
            call["asset_tag"], call["equipment_type"], call["make"], call["model"], call["serial"]
        ),
        "category": _terms(call["category"]),
        "body": _terms(
            call["summary"],
            call["details"],
            call["resolution_summary"],
            call["resolution_details"],
            call["notes"],
        ),
    }


def catch_up(db: Database, *, limit: int | None = CATCH_UP) -> int:
    """Rewrite the search rows of pending calls (inside the caller's transaction)."""
    done = 0
    while True:
        batch = 500 if limit is None else min(500, limit - done)
        if batch <= 0:
            return done
        calls = db.execute(SOURCE, [batch]).fetchall()
        ids = db.execute(
            "SELECT call_id FROM call_search_pending ORDER BY call_id LIMIT ?", [batch]
        ).fetchall()
        if not ids:
            return done
        marks = ",".join("?" for _ in ids)
        id_list = [r[0] for r in ids]
        db.execute(f"DELETE FROM call_search WHERE rowid IN ({marks})", id_list)
        for call in calls:
            row = _row(call)
            db.execute(
                "INSERT INTO call_search (rowid, ref, caller, place, equipment, category, body) "
                "VALUES (:rowid, :ref, :caller, :place, :equipment, :category, :body)",
                row,
            )
        db.execute(f"DELETE FROM call_search_pending WHERE call_id IN ({marks})", id_list)
        done += len(id_list)


def bring_up_to_date(db: Database, *, limit: int | None = CATCH_UP) -> int:
    """Before a search: catch up, taking the write lock only when something is pending."""
    if db.execute("SELECT 1 FROM call_search_pending LIMIT 1").fetchone() is None:
        return 0
    with write_lock(db):
        return catch_up(db, limit=limit)


def catch_up_if_free(db: Database, *, limit: int = CATCH_UP_ON_A_PAGE) -> int:
    """`bring_up_to_date` for a page that must not wait for the write lock (a call's page
    during an import): when another writer holds it, the page reads the index as it is."""
    if db.execute("SELECT 1 FROM call_search_pending LIMIT 1").fetchone() is None:
        return 0
    with write_lock_now(db) as took:
        return catch_up(db, limit=limit) if took else 0


def queue_all(db: Database) -> int:
    """Mark every call for rewriting (`kit reindex`); the number now waiting."""
    with write_lock(db):
        db.execute("INSERT OR IGNORE INTO call_search_pending (call_id) SELECT id FROM calls")
        return db.execute("SELECT count(*) FROM call_search_pending").fetchone()[0]


def rebuild(db: Database, progress: Callable[[int], object] | None = None) -> int:
    """Rewrite the search rows of every call queued by `queue_all` (called first, so a
    progress bar knows the total), `REBUILD_BATCH` calls per transaction.

    Each batch is its own short write, so the desk can save a call between two batches
    instead of waiting for the whole rebuild; the pending table keeps what is left, so an
    interrupted rebuild carries on at the next search or `kit reindex`. `progress` is told
    each batch's size (a terminal's progress bar).
    """
    done = 0
    while True:
        with write_lock(db):
            count = catch_up(db, limit=REBUILD_BATCH)
        if not count:
            return done
        done += count
        if progress is not None:
            progress(count)
        let_others_write()


def _quoted(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def match_query(text: str, db: Database | None = None) -> str:
    """An FTS5 MATCH for the words typed: each word (or its synonyms) must appear.

    Every term is quoted, so nothing typed is ever FTS5 syntax. "" when no word is left.
    A word no call holds is matched as the start of longer ones ("proj"); given the
    database, a word that calls do hold is matched as itself, since FTS5 reads every
    call holding a prefix before it can give the first (37 ms for "print"* at 100,000).
    """
    found = words.positions(text, analysis.synonyms())[:MAX_QUERY_WORDS]
    groups = []
    for position in found:
        prefix = _prefixable(position) and (db is None or not _held(db, position.main))
        options = [_quoted(position.main) + ("*" if prefix else "")]
        hex_digits = words.HEX.match(position.main)
        if hex_digits:
            options.append(_quoted(hex_digits.group(1)))
        options += [_quoted(t) for t in position.alts if t.startswith("=")]
        groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


def any_word_query(texts: list[str]) -> str:
    """An FTS5 MATCH for the calls whose text (summary, details, resolution, notes) holds
    any of these words, or a longer word they start, or a synonym; "" when none is left.
    For the visit list's similar calls, which the rule then ranks by shared words."""
    options: list[str] = []
    for position in words.positions(" ".join(texts), analysis.synonyms()):
        options.append(_quoted(position.main) + ("*" if _prefixable(position) else ""))
        options += [_quoted(t) for t in position.alts if t.startswith("=")]
    unique = list(dict.fromkeys(options))
    return f"body : ({' OR '.join(unique)})" if unique else ""


def _held(db: Database, term: str) -> bool:
    row = db.execute(
        "SELECT rowid FROM call_search WHERE call_search MATCH ? LIMIT 1", [_quoted(term)]
    ).fetchone()
    return row is not None


def _prefixable(position: words.Position) -> bool:
    return not position.code and len(position.main) >= 3 and position.main.isalnum()


def matching_sql() -> str:
    """The clause for `kit.calls.store`: the calls whose search row matches (one argument)."""
    return "calls.id IN (SELECT rowid FROM call_search WHERE call_search MATCH ?)"

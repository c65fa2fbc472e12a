"""The call log's search table (SQLite FTS5) and the triggers that keep it in step.

`call_search` holds, for each call, the terms of the shared analyser (`kit.rules.words`)
for its reference, caller, place, equipment, category and text (summary, details,
resolution and every note in its history). The terms are made in Python, so SQLite's
triggers cannot write them: instead every write that changes what a call says (the call
itself, a history entry with text, a rename of its room, equipment or category) records
the call in `call_search_pending`, whoever made the write, and `kit.calls.search_store`
brings those calls up to date before the next search. Append a new `@migrations()`
function for every change; never edit one that has shipped.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit-call-search")

# Our terms hold "." "_" ":" "-" (error codes) and "=" (synonym groups): keep them whole.
TOKENIZE = "unicode61 remove_diacritics 2 tokenchars '._:=-'"
COLUMNS = ("ref", "caller", "place", "equipment", "category", "body")

PENDING_TRIGGERS = {
    "call_search_new_call": "AFTER INSERT ON calls BEGIN {mark} VALUES (NEW.id); END",
    "call_search_changed_call": "AFTER UPDATE ON calls BEGIN {mark} VALUES (NEW.id); END",
    "call_search_note": (
        "AFTER INSERT ON call_events WHEN NEW.text != '' BEGIN {mark} VALUES (NEW.call_id); END"
    ),
    "call_search_place": (
        "AFTER UPDATE ON locations BEGIN {mark} SELECT id FROM calls WHERE location_id = NEW.id; END"
    ),
    "call_search_equipment": (
        "AFTER UPDATE ON equipment BEGIN {mark} SELECT id FROM calls WHERE equipment_id = NEW.id; "
        "END"
    ),
    "call_search_category": (
        "AFTER UPDATE OF name ON categories BEGIN {mark} SELECT id FROM calls "
        "WHERE category_id = NEW.id; END"
    ),
}


@migrations()
def m001_call_search(db: Database) -> None:
    """The search table, its pending list, the triggers, and every existing call queued."""
    columns = ", ".join(COLUMNS)
    db.execute(
        f"CREATE VIRTUAL TABLE call_search USING fts5({columns}, "
        f"tokenize = \"{TOKENIZE}\", prefix = '2 3')"
    )
    db.execute("CREATE TABLE call_search_pending (call_id INTEGER PRIMARY KEY)")
    mark = "INSERT OR IGNORE INTO call_search_pending (call_id)"
    for name, body in PENDING_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {name} {body.format(mark=mark)}")
    db.execute(f"{mark} SELECT id FROM calls")
    from kit.calls.search_store import catch_up

    catch_up(db, limit=None)  # the backfill: existing calls are searchable at once

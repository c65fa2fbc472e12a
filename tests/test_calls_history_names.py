"""A call's history names the rows its changes point at (category, group, owner, room),
read in one statement however many changes it holds."""

from __future__ import annotations

from kit.calls import history_store
from kit.calls import store as calls


def _category(db, name: str) -> int:
    return db.execute("SELECT id FROM categories WHERE name = ?", [name]).fetchone()[0]


def test_a_history_shows_the_names_of_the_categories_and_owners_it_changed(
    db, make_call, users, clock
):
    call_id = make_call("Printer jams")
    old, new = _category(db, "Printer or copier"), _category(db, "Teaching Space Technology")
    calls.add_event(
        db,
        call_id,
        user_id=users["desk"],
        at=clock(),
        kind="updated",
        changes={"category_id": [old, new], "assignee_id": [None, users["technician"]]},
    )
    changes = history_store.history(db, call_id)[-1]["changes"]
    tech = db.execute("SELECT name FROM users WHERE id = ?", [users["technician"]]).fetchone()[0]
    assert changes["category_id"] == ["Printer or copier", "Teaching Space Technology"]
    assert changes["assignee_id"] == [None, tech]


def test_an_id_written_as_text_is_named_and_a_missing_row_shows_its_number(
    db, make_call, users, clock
):
    call_id = make_call("Printer jams")
    old = _category(db, "Printer or copier")
    calls.add_event(
        db,
        call_id,
        user_id=None,
        at=clock(),
        kind="updated",
        changes={"category_id": [str(old), 987654]},
    )
    assert history_store.history(db, call_id)[-1]["changes"]["category_id"] == [
        "Printer or copier",
        "#987654",
    ]


def test_the_names_in_a_long_history_are_read_in_one_statement(db, make_call, users, clock):
    call_id = make_call("Printer jams")
    old, new = _category(db, "Printer or copier"), _category(db, "Teaching Space Technology")
    for n in range(20):
        calls.add_event(
            db,
            call_id,
            user_id=users["desk"],
            at=clock(),
            kind="updated",
            changes={"category_id": [old, new] if n % 2 else [new, old], "group_id": [1, 2]},
        )
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    history_store.history(db, call_id)
    db.conn.set_trace_callback(None)
    assert len(seen) == 2, seen  # the events, then every name they hold

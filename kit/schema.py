"""The foundation's tables: accounts, reference data, calls and their history.

Append a new `@migrations()` function for every change; never edit one that has shipped,
since schools' databases have already recorded it as applied.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("kit")


@migrations()
def m001_accounts_and_reference_data(db: Database) -> None:
    db["users"].create(
        {
            "id": int,
            "username": str,
            "name": str,
            "email": str,
            "password_hash": str,
            "roles": str,  # comma-separated role names, see kit.auth.roles
            "active": int,
            "session_version": int,
            "created_at": str,
        },
        pk="id",
        not_null={"username", "name", "password_hash", "roles"},
        defaults={"active": 1, "session_version": 0, "email": "", "roles": ""},
    )
    db.execute("CREATE UNIQUE INDEX idx_users_username ON users(username COLLATE NOCASE)")
    db["people"].create(
        {"id": int, "name": str, "email": str, "phone": str, "department": str, "role": str},
        pk="id",
        not_null={"name"},
        defaults={"email": "", "phone": "", "department": "", "role": ""},
    )
    db["people"].create_index(["name"])
    db["locations"].create(
        {"id": int, "site": str, "building": str, "room": str, "teaching_space": int},
        pk="id",
        not_null={"site", "building", "room"},
        defaults={"teaching_space": 0},
    )
    db["locations"].create_index(["site", "building", "room"], unique=True)
    db["equipment"].create(
        {
            "id": int,
            "asset_tag": str,
            "type": str,
            "make": str,
            "model": str,
            "serial": str,
            "location_id": int,
            "supplier": str,
            "purchase_date": str,
            "warranty_end": str,
        },
        pk="id",
        not_null={"asset_tag", "type"},
        foreign_keys=[("location_id", "locations", "id")],
        defaults={"make": "", "model": "", "serial": "", "supplier": ""},
    )
    db["equipment"].create_index(["asset_tag"], unique=True)
    db["equipment"].create_index(["location_id"])
    db["response_levels"].create(
        {"id": int, "name": str, "respond_hours": float, "resolve_hours": float, "rank": int},
        pk="id",
        not_null={"name", "respond_hours", "resolve_hours"},
    )
    db["response_levels"].create_index(["name"], unique=True)
    db["support_groups"].create(
        {"id": int, "name": str, "tier": int, "team_leader_id": int, "email": str},
        pk="id",
        not_null={"name", "tier"},
        foreign_keys=[("team_leader_id", "users", "id")],
        defaults={"email": ""},
    )
    db["support_groups"].create_index(["name"], unique=True)
    db["group_members"].create(
        {"group_id": int, "user_id": int},
        pk=("group_id", "user_id"),
        foreign_keys=[("group_id", "support_groups", "id"), ("user_id", "users", "id")],
    )
    db["categories"].create(
        {
            "id": int,
            "name": str,
            "call_type": str,
            "group_id": int,
            "response_level_id": int,
            "active": int,
        },
        pk="id",
        not_null={"name", "call_type", "group_id", "response_level_id"},
        foreign_keys=[
            ("group_id", "support_groups", "id"),
            ("response_level_id", "response_levels", "id"),
        ],
        defaults={"active": 1},
    )
    db["categories"].create_index(["name"], unique=True)
    db["settings"].create(
        {"key": str, "value": str, "updated_at": str, "updated_by": int}, pk="key"
    )


@migrations()
def m002_calls_and_history(db: Database) -> None:
    db["calls"].create(
        {
            "id": int,
            "ref": str,
            "ref_year": int,
            "ref_seq": int,
            "submission_key": str,
            "logged_at": str,
            "logged_by": int,
            "channel": str,
            "caller_id": int,
            "caller_name": str,
            "caller_email": str,
            "caller_phone": str,
            "location_id": int,
            "equipment_id": int,
            "category_id": int,
            "call_type": str,
            "type_rank": int,
            "group_id": int,
            "response_level_id": int,
            "assignee_id": int,
            "routed_at": str,  # when the desk passed it on: technicians see only routed calls
            "status": str,
            "summary": str,
            "details": str,
            "occurred_at": str,
            "respond_by": str,
            "resolve_by": str,
            "responded_at": str,
            "resolved_at": str,
            "closed_at": str,
            "voided": int,
        },
        pk="id",
        not_null={
            "ref",
            "logged_at",
            "channel",
            "caller_name",
            "category_id",
            "call_type",
            "group_id",
            "status",
            "summary",
        },
        foreign_keys=[
            ("logged_by", "users", "id"),
            ("caller_id", "people", "id"),
            ("location_id", "locations", "id"),
            ("equipment_id", "equipment", "id"),
            ("category_id", "categories", "id"),
            ("group_id", "support_groups", "id"),
            ("response_level_id", "response_levels", "id"),
            ("assignee_id", "users", "id"),
        ],
        defaults={"details": "", "caller_email": "", "caller_phone": "", "voided": 0},
    )
    calls = db["calls"]
    calls.create_index(["ref"], unique=True)
    calls.create_index(["ref_year", "ref_seq"], unique=True)
    calls.create_index(["submission_key"], unique=True)
    # The default queue order, so the first page of 100,000 calls needs no sort.
    calls.create_index(["type_rank", "respond_by", "logged_at"], index_name="idx_calls_queue")
    for column in (
        "status",
        "group_id",
        "assignee_id",
        "category_id",
        "location_id",
        "equipment_id",
        "caller_id",
        "logged_at",
        "closed_at",
    ):
        calls.create_index([column])
    calls.enable_fts(
        ["ref", "summary", "details", "caller_name"], create_triggers=True, tokenize="porter"
    )
    db["call_events"].create(
        {
            "id": int,
            "call_id": int,
            "at": str,
            "user_id": int,
            "kind": str,
            "changes": str,  # JSON: {field: [old, new]}
            "text": str,
        },
        pk="id",
        not_null={"call_id", "at", "kind"},
        foreign_keys=[("call_id", "calls", "id"), ("user_id", "users", "id")],
        defaults={"changes": "{}", "text": ""},
    )
    db["call_events"].create_index(["call_id", "id"])
    # Append-only: the history of a call can be added to, never rewritten.
    db.execute(
        "CREATE TRIGGER call_events_no_update BEFORE UPDATE ON call_events "
        "BEGIN SELECT RAISE(ABORT, 'call history is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER call_events_no_delete BEFORE DELETE ON call_events "
        "BEGIN SELECT RAISE(ABORT, 'call history is append-only'); END"
    )


@migrations()
def m003_default_tiers_levels_and_categories(db: Database) -> None:
    """The procedure's three tiers, four response levels and a school's categories."""
    from kit.directory.defaults import seed_defaults

    seed_defaults(db)


@migrations()
def m004_index_for_counting_calls(db: Database) -> None:
    """Counting the call log's matches reads this narrow index, not 100,000 wide rows."""
    db["calls"].create_index(["voided", "status"], index_name="idx_calls_voided_status")


@migrations()
def m005_index_for_the_queue_order(db: Database) -> None:
    """The call log's first page in queue order, read straight from an index.

    `idx_calls_queue` alone lost to the (voided, status) index once `voided = 0` joined every
    query, and the first page of 100,000 calls was sorted in full on each request.
    """
    db["calls"].create_index(
        ["voided", "type_rank", "respond_by", "logged_at", "id"],
        index_name="idx_calls_voided_queue",
    )


@migrations()
def m006_index_for_open_calls_first(db: Database) -> None:
    """The call log's queue order puts open calls before resolved and closed ones and calls
    with no due time after those with one; this index gives that order without a sort."""
    db.execute(
        "CREATE INDEX idx_calls_worklist ON calls(voided, (status IN ('Closed', 'Resolved')), "
        "type_rank, (respond_by IS NULL), respond_by, logged_at, id)"
    )
    db.execute("DROP INDEX IF EXISTS idx_calls_voided_queue")  # the order it served is gone


@migrations()
def m007_case_blind_indexes_for_imports(db: Database) -> None:
    """Imports and the caller match look people, rooms and equipment up ignoring case
    (`= ? COLLATE NOCASE`), which the plain indexes cannot serve: a 30,000-row staff file
    took 85 s, each row scanning the whole table."""
    # IF NOT EXISTS: mail in (kit-mailin m001) made this index before this migration was
    # written, so a school that upgrades already has it.
    db.execute("CREATE INDEX IF NOT EXISTS idx_people_email_nocase ON people(email COLLATE NOCASE)")
    db.execute("CREATE INDEX idx_people_name_nocase ON people(name COLLATE NOCASE)")
    db.execute(
        "CREATE INDEX idx_locations_names_nocase ON locations("
        "site COLLATE NOCASE, building COLLATE NOCASE, room COLLATE NOCASE)"
    )
    db.execute("CREATE INDEX idx_equipment_tag_nocase ON equipment(asset_tag COLLATE NOCASE)")


@migrations()
def m008_calls_found_by_one_search_table(db: Database) -> None:
    """The visit list's similar calls are found through the call log's search table
    (kit-calls-search), so the first full-text table of calls goes: every call written was
    indexed twice, about 0.7 s of a 10,000-row import and 0.1 ms of every mail read."""
    db["calls"].disable_fts()

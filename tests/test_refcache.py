"""Settings and reference data are cached in the process, and every change, whoever makes
it and in whichever process, is seen by the next request (kit.refcache)."""

from __future__ import annotations

import pytest

from kit import refcache, settings
from kit.cli import import_command
from kit.db import connect, migrate, write_lock
from kit.directory import store as directory
from kit.setup.commands import settings_group as SETTINGS_COMMAND
from tests.conftest import PASSWORD
from tests.serve_support import Server
from tests.test_settings_page import page_data


def _triggers(db) -> set[str]:
    return {
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    }


def test_every_watched_table_has_a_trigger_for_each_kind_of_write(db):
    expected = {
        f"refdata_version_{table}_{verb.lower()}"
        for table in refcache.WATCHED
        for verb in refcache.VERBS
    }
    assert expected <= _triggers(db)


def test_a_table_rebuilt_by_a_migration_gets_its_triggers_back_on_the_next_start(db):
    db["locations"].transform(rename={"room": "room"}, drop_foreign_keys=())
    assert "refdata_version_locations_insert" not in _triggers(db)  # SQLite dropped them
    migrate(db)
    assert "refdata_version_locations_insert" in _triggers(db)


def test_any_write_to_a_watched_table_moves_the_version(db):
    before = refcache.version(db)
    db.execute("UPDATE support_groups SET name = name || ' (old)' WHERE id = 1")
    after = refcache.version(db)
    assert after[0] == before[0] and after[1] > before[1]


def test_a_write_to_calls_leaves_the_version_alone(db, make_call, users):
    users["desk"]  # accounts are reference data: made before the version is read
    before = refcache.version(db)
    make_call("Printer jammed in the library")
    assert refcache.version(db) == before


def test_each_database_has_its_own_epoch(db, tmp_path):
    other = connect(str(tmp_path / "other.sqlite3"))
    migrate(other)
    try:
        assert refcache.version(other)[0] != refcache.version(db)[0]
    finally:
        other.conn.close()


def test_a_group_added_by_plain_sql_is_in_the_call_log_filter_on_the_next_request(
    login, client, db
):
    login("desk")
    assert "Sixth Form Support" not in client.get("/calls/").get_data(as_text=True)
    db.execute(
        "INSERT INTO support_groups (name, tier, email) VALUES ('Sixth Form Support', 2, '')"
    )
    assert "Sixth Form Support" in client.get("/calls/").get_data(as_text=True)


def test_a_setting_set_with_the_kit_command_is_seen_by_the_next_request(app, login, client):
    login("desk")
    assert "Our School" in client.get("/calls/").get_data(as_text=True)
    result = app.test_cli_runner().invoke(SETTINGS_COMMAND, ["set", "school_name", "Riverside"])
    assert result.exit_code == 0, result.output
    page = client.get("/calls/").get_data(as_text=True)
    assert "Riverside" in page and "Our School" not in page


def test_a_room_imported_with_kit_import_is_in_the_next_requests_filter(
    app, login, client, tmp_path
):
    login("desk")
    assert "Room Z99" not in client.get("/calls/").get_data(as_text=True)
    rows = tmp_path / "rooms.csv"
    rows.write_text("site,building,room\nMain,Science block,Room Z99\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(import_command, ["locations", str(rows)])
    assert result.exit_code == 0, result.output
    assert "Room Z99" in client.get("/calls/").get_data(as_text=True)


def test_a_write_rolled_back_leaves_nothing_behind_in_the_cache(db):
    directory.list_groups(db)  # cached for the current version
    with pytest.raises(RuntimeError), write_lock(db):
        db.execute("INSERT INTO support_groups (name, tier, email) VALUES ('Ghosts', 2, '')")
        assert "Ghosts" in [g["name"] for g in directory.list_groups(db)]
        raise RuntimeError("refused")
    assert "Ghosts" not in [g["name"] for g in directory.list_groups(db)]


def test_a_caller_changing_what_it_was_given_changes_no_one_elses_copy(db):
    directory.list_groups(db)[0]["name"] = "Changed by a caller"
    settings.get(db, "working_days").append(6)
    assert directory.list_groups(db)[0]["name"] != "Changed by a caller"
    assert 6 not in settings.get(db, "working_days")


def test_a_session_cookie_copied_before_logout_stops_working(login, client, post, users):
    login("desk")
    copied = client.get_cookie("session").value
    assert post("/auth/logout", token_from="/calls/").status_code == 302
    client.set_cookie("session", copied)
    response = client.get("/calls/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_change_in_one_server_process_is_seen_by_another_on_its_next_request(app, db, users):
    users["admin"], users["desk"]
    instance = app.instance_path
    first, second = Server(instance), Server(instance)
    try:
        admin, desk = first.client(), second.client()
        assert admin.login("admin", PASSWORD) == 302
        assert desk.login("desk", PASSWORD) == 302
        assert "Our School" in desk.get("/calls/")  # the second process has it cached
        form = page_data(db, school_name="Hillside Academy")
        status, _ = admin.post("/admin/settings/", form, "/admin/settings/")
        assert status == 302
        page = desk.get("/calls/")
        assert "Hillside Academy" in page and "Our School" not in page
        db.execute(  # and a third process: this test's own connection
            "INSERT INTO support_groups (name, tier, email) VALUES ('Sixth Form Support', 2, '')"
        )
        assert "Sixth Form Support" in desk.get("/calls/")
    finally:
        first.stop()
        second.stop()


def test_inside_a_pinned_transaction_cached_reads_run_no_statement(db):
    settings.get(db, "school_name"), directory.get_category(db, 1)  # cached for this version
    seen: list[str] = []
    with write_lock(db), refcache.pinned(db):
        db.conn.set_trace_callback(seen.append)
        for _ in range(3):
            settings.get(db, "school_name"), directory.get_category(db, 1)
        db.conn.set_trace_callback(None)
    assert seen == []


def test_what_a_pinned_transaction_loads_it_loads_once(db):
    refcache.forget()
    seen: list[str] = []
    with write_lock(db), refcache.pinned(db):
        db.conn.set_trace_callback(seen.append)
        for _ in range(3):
            directory.get_response_level(db, 1)
        db.conn.set_trace_callback(None)
    assert len(seen) == 1


def test_reference_data_changed_inside_a_pinned_transaction_is_refused_and_undone(db):
    with pytest.raises(RuntimeError, match="Reference data changed"):
        with write_lock(db), refcache.pinned(db):
            db.execute("INSERT INTO support_groups (name, tier, email) VALUES ('Ghosts', 2, '')")
    assert "Ghosts" not in [g["name"] for g in directory.list_groups(db)]


def test_outside_a_transaction_a_category_is_read_from_the_cache_and_is_a_copy(db):
    directory.get_category(db, 1)["name"] = "Changed by a caller"
    assert directory.get_category(db, 1)["name"] != "Changed by a caller"
    assert directory.get_category(db, "1") == directory.get_category(db, 1)  # as SQL would
    assert directory.get_category(db, 10**30) is None

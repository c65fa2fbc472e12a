"""`kit settings`, `kit terms`, `kit holidays`: the wizard's answers from a script."""

from __future__ import annotations

import json

import pytest

from kit import settings
from kit.cli import main
from kit.setup.commands import holidays_group, settings_group, terms_group


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def do(group, *args):
        return runner.invoke(group, list(args))

    return do


def test_kit_settings_set_stores_a_checked_value_and_records_it(run, db):
    result = run(settings_group, "set", "reopen_window_days", "20")
    assert result.exit_code == 0, result.output
    assert "reopen_window_days = 20" in result.output
    assert settings.get(db, "reopen_window_days") == 20
    entry = db.execute("SELECT * FROM settings_log").fetchone()
    assert (entry["key"], entry["new"], entry["changed_by"]) == ("reopen_window_days", "20", None)


def test_kit_settings_set_refuses_what_the_page_refuses(run, db):
    result = run(settings_group, "set", "reopen_window_days", "91")
    assert result.exit_code == 1
    assert "Reopen window (days): Use a whole number from 0 to 90." in result.output
    assert settings.get(db, "reopen_window_days") == 10


def test_cross_checks_apply_to_the_command_too(run, db):
    result = run(settings_group, "set", "day_end", "07:00")
    assert result.exit_code == 1
    assert "must end after it starts" in result.output


def test_text_settings_need_no_json_quotes(run, db):
    assert run(settings_group, "set", "school_name", "Northfield School").exit_code == 0
    assert run(settings_group, "set", "desk_phone", "214").exit_code == 0
    assert settings.get(db, "school_name") == "Northfield School"
    assert settings.get(db, "desk_phone") == "214"


def test_lists_are_given_as_json(run, db):
    assert run(settings_group, "set", "working_days", "[4, 0, 1]").exit_code == 0
    assert settings.get(db, "working_days") == [0, 1, 4]
    result = run(settings_group, "set", "working_days", "[]")
    assert "Tick at least one working day." in result.output


def test_unknown_and_internal_settings_are_refused(run):
    assert "no setting called" in run(settings_group, "set", "colour", "blue").output
    assert "kept by the kit" in run(settings_group, "set", "setup_step", "done").output


def test_kit_settings_show_prints_json(run, db):
    run(settings_group, "set", "school_name", "Northfield")
    everything = json.loads(run(settings_group, "show").output)
    assert everything["school_name"] == "Northfield"
    assert everything["working_days"] == [0, 1, 2, 3, 4]
    assert json.loads(run(settings_group, "show", "day_start").output) == "08:00"


def test_kit_terms_add_appends_a_term(run, db):
    assert run(terms_group, "add", "Spring 2027", "2027-01-05", "2027-03-26").exit_code == 0
    result = run(terms_group, "add", "Autumn 2026", "03/09/2026", "2026-12-18")
    assert result.exit_code == 0, result.output
    assert [t["name"] for t in settings.get(db, "terms")] == ["Autumn 2026", "Spring 2027"]


def test_kit_terms_add_refuses_a_bad_date_or_order(run, db):
    assert "is not a date" in run(terms_group, "add", "Autumn", "2026-13-01", "2026-12-18").output
    result = run(terms_group, "add", "Autumn", "2026-12-18", "2026-09-03")
    assert result.exit_code == 1 and "before it starts" in result.output
    assert settings.get(db, "terms") == []


def test_kit_holidays_add_takes_a_range_or_one_day(run, db):
    assert run(holidays_group, "add", "2026-10-26", "2026-10-30").exit_code == 0
    assert run(holidays_group, "add", "2026-11-27").exit_code == 0
    assert settings.get(db, "school_holidays") == [
        ["2026-10-26", "2026-10-30"],
        ["2026-11-27", "2026-11-27"],
    ]


def test_kit_settings_logo_checks_the_file(run, app, tmp_path):
    from tests.test_settings_page import image_bytes

    fake = tmp_path / "logo.png"
    fake.write_text("not a picture")
    assert "must be a PNG or JPEG" in run(settings_group, "logo", str(fake)).output
    real = tmp_path / "crest.jpg"
    real.write_bytes(image_bytes("JPEG"))
    assert run(settings_group, "logo", str(real)).exit_code == 0
    with open(app.instance_path + "/logo.png", "rb") as fh:
        assert fh.read(4) == b"\x89PNG"


def test_the_kit_command_offers_the_set_up_commands():
    assert {"settings", "terms", "holidays"} <= set(main.commands)


def test_kit_reindex_shows_its_progress_and_indexes_every_article(app, db):
    from datetime import datetime

    from kit.assets import find
    from kit.cli import reindex
    from kit.kb.files import load_starter_articles

    load_starter_articles(db, find("knowledge_base"), None, datetime(2026, 11, 23, 9, 30))
    articles = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    result = app.test_cli_runner().invoke(reindex, [])
    assert result.exit_code == 0, result.output
    assert "Indexing articles" in result.output
    assert f"Indexed {articles} articles." in result.output and articles > 0


def test_kit_import_shows_its_progress_and_imports_every_row(app, db, tmp_path):
    from kit.cli import import_command

    path = tmp_path / "rooms.csv"
    path.write_text(
        "site,building,room,teaching_space\nMain,Old Building,Room 9,yes\nMain,Old Building,Room 10,no\n"
    )
    before = db["locations"].count
    result = app.test_cli_runner().invoke(import_command, ["locations", str(path)])
    assert result.exit_code == 0, result.output
    assert "Importing locations" in result.output and "Created 2" in result.output
    assert db["locations"].count == before + 2

"""A new school's first hour: `kit init --admin` with no terminal, then the start page
leading the administrator into the set-up wizard until set-up is finished."""

from __future__ import annotations

import os
import subprocess

from kit import settings
from kit.auth import store as accounts
from kit.auth.roles import parse_roles
from kit.cli import main
from kit.db import connect
from tests.conftest import PASSWORD, csrf_token
from tests.proof_support import KIT


def test_kit_init_admin_takes_name_email_and_password_as_options(app, db):
    result = app.test_cli_runner().invoke(
        main,
        [
            "init",
            "--admin", "sbursar",
            "--name", "Sam Bursar",
            "--email", "sam@school.example",
            "--password", PASSWORD,
            "--school", "Northfield Community School",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    row = accounts.find_by_username(db, "sbursar")
    assert (row["name"], row["email"]) == ("Sam Bursar", "sam@school.example")
    assert parse_roles(row["roles"]) == {"admin"}
    assert accounts.authenticate(db, "sbursar", PASSWORD) is not None
    assert settings.get(db, "school_name") == "Northfield Community School"
    assert "set-up wizard" in result.output


def test_kit_init_admin_reads_the_password_from_standard_input_without_a_terminal(app, db):
    result = app.test_cli_runner().invoke(
        main, ["init", "--admin", "sbursar", "--name", "Sam Bursar"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert accounts.authenticate(db, "sbursar", PASSWORD) is not None
    assert accounts.find_by_username(db, "sbursar")["email"] == ""


def test_kit_init_refuses_a_short_password_and_a_bad_email_creating_nobody(app, db):
    runner = app.test_cli_runner()
    short = runner.invoke(main, ["init", "--admin", "sam", "--name", "Sam", "--password", "short"])
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    email = runner.invoke(
        main, ["init", "--admin", "sam", "--email", "not an address", "--password", PASSWORD]
    )
    assert email.exit_code == 1 and "is not an email address" in email.output
    assert db["users"].count == 0


def test_kit_init_admin_works_in_a_script_with_the_password_in_the_environment(tmp_path):
    env = {
        **os.environ,
        "KIT_INSTANCE": str(tmp_path / "school"),
        "KIT_ADMIN_PASSWORD": PASSWORD,
    }
    done = subprocess.run(
        [KIT, "init", "--admin", "sbursar", "--name", "Sam Bursar", "--email", "sam@s.example"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    db = connect(str(tmp_path / "school" / "kit.sqlite3"))
    try:
        assert accounts.authenticate(db, "sbursar", PASSWORD)["name"] == "Sam Bursar"
    finally:
        db.conn.close()


def test_kit_create_user_takes_the_password_on_standard_input(app, db):
    result = app.test_cli_runner().invoke(
        main, ["create-user", "office", "--name", "Olive Office", "--role", "desk"], input=PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert accounts.authenticate(db, "office", PASSWORD) is not None


def test_an_admins_start_page_leads_into_the_wizard_until_set_up_is_finished(login, client, db):
    login("admin")
    html = client.get("/").get_data(as_text=True)
    assert "Set up your school" in html and 'href="/setup/school">Continue set-up' in html
    settings.put(db, "setup_step", "desk", user_id=None, at="2026-11-23 09:30:00")
    html = client.get("/").get_data(as_text=True)
    assert "step 4 of" in html and 'href="/setup/hours">Continue set-up' in html
    settings.put(db, "setup_step", "done", user_id=None, at="2026-11-23 09:31:00")
    assert "Set up your school" not in client.get("/").get_data(as_text=True)


def test_only_the_admin_is_asked_to_finish_set_up(login, client):
    login("desk")
    assert "Set up your school" not in client.get("/").get_data(as_text=True)


def test_finishing_the_wizard_takes_the_set_up_panel_off_the_start_page(login, client, db):
    login("admin")
    token = csrf_token(client, "/setup/done")
    client.post("/setup/done", data={"nav": "next", "csrf_token": token})
    assert "Set up your school" not in client.get("/").get_data(as_text=True)


def test_the_demo_school_is_already_set_up(app, db):
    from kit import demo
    from kit.db import now

    with app.app_context():
        demo.load(db, at=now())
    assert settings.get(db, "setup_step") == "done"

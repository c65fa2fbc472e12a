"""The set-up wizard: a fresh kit leads its first visitor to make the first admin, then on."""

from __future__ import annotations

import io

import pytest

from kit import settings
from kit.auth import store as accounts
from kit.auth.roles import parse_roles
from tests.conftest import PASSWORD, csrf_token

FIRST_ADMIN = {
    "name": "Sam Bursar",
    "username": "sbursar",
    "email": "sam@school.example",
    "password": PASSWORD,
    "confirm": PASSWORD,
}


def create_first_admin(client, **changes):
    token = csrf_token(client, "/setup/account")
    return client.post("/setup/account", data={**FIRST_ADMIN, **changes, "csrf_token": token})


@pytest.fixture
def wizard_admin(client):
    """A fresh kit whose first admin has just been made through the wizard (and is logged in)."""
    assert create_first_admin(client).status_code == 302
    return client


def step_post(client, name: str, data: dict | None = None, **kwargs):
    token = csrf_token(client, f"/setup/{name}")
    return client.post(f"/setup/{name}", data={**(data or {}), "csrf_token": token}, **kwargs)


@pytest.mark.parametrize(
    "path", ["/", "/calls/", "/calls/new", "/admin/settings/", "/auth/login", "/no-such-page"]
)
def test_a_fresh_kit_sends_every_page_to_the_wizard(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location == "/setup/"


def test_the_wizard_opens_on_the_first_account_step(client):
    response = client.get("/setup/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.request.path == "/setup/account"
    assert "create your own account" in html and 'autocomplete="new-password"' in html


def test_first_visitor_creates_the_first_admin_and_is_logged_in(client, db):
    response = create_first_admin(client)
    assert response.status_code == 302
    assert response.location == "/setup/school"
    row = accounts.find_by_username(db, "sbursar")
    assert parse_roles(row["roles"]) == {"admin"}
    assert client.get("/setup/school").status_code == 200


def test_first_admin_form_refuses_bad_input_and_keeps_what_was_typed(client, db):
    response = create_first_admin(client, password="short", confirm="short")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use at least 10 characters." in html
    assert 'value="Sam Bursar"' in html
    assert db["users"].count == 0


def test_account_step_is_a_404_once_any_account_exists(client, users):
    users["desk"]
    assert client.get("/setup/account").status_code == 404
    token = csrf_token(client, "/auth/login")
    response = client.post("/setup/account", data={**FIRST_ADMIN, "csrf_token": token})
    assert response.status_code == 404
    assert client.get("/").status_code == 302 and client.get("/").location.startswith("/auth/login")


def test_second_try_at_the_account_step_is_refused_after_the_first_admin(wizard_admin, db):
    wizard_admin.post(
        "/auth/logout", data={"csrf_token": csrf_token(wizard_admin, "/setup/school")}
    )
    assert wizard_admin.get("/setup/account").status_code == 404
    assert db["users"].count == 1


def test_a_settings_step_saves_and_goes_on_to_the_next(wizard_admin, db):
    response = step_post(
        wizard_admin,
        "desk",
        {
            "desk_phone": "01632 960 100",
            "desk_email": "ict@school.example",
            "desk_hours": "Weekdays 8 to 4",
        },
    )
    assert response.status_code == 302
    assert response.location == "/setup/hours"
    assert settings.get(db, "desk_email") == "ict@school.example"
    assert settings.get(db, "setup_step") == "desk"


def test_a_step_with_bad_input_is_400_and_keeps_what_was_typed(wizard_admin, db):
    response = step_post(
        wizard_admin,
        "hours",
        {"working_days": ["0", "1"], "day_start": "16:00", "day_end": "09:00"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The working day must end after it starts" in html
    assert 'value="16:00"' in html
    assert settings.get(db, "day_start") == "08:00"


def test_terms_step_names_the_bad_line(wizard_admin):
    response = step_post(
        wizard_admin,
        "terms",
        {"terms": "Autumn: 2026-09-03 to 2026-12-18\nSpring: next year", "school_holidays": ""},
    )
    assert response.status_code == 400
    assert "Line 2 (“Spring: next year”)" in response.get_data(as_text=True)


def test_a_step_can_be_skipped_without_saving(wizard_admin, db):
    response = step_post(wizard_admin, "sites", {"nav": "skip", "sites": "Typed but skipped"})
    assert response.status_code == 302
    assert response.location == "/setup/desk"
    assert settings.get(db, "sites") == []
    assert settings.get(db, "setup_step") == "sites"


def test_the_wizard_resumes_after_the_furthest_step_and_steps_can_be_revisited(wizard_admin, db):
    step_post(wizard_admin, "holidays", {"nav": "skip"})
    step_post(wizard_admin, "school", {"nav": "skip"})  # going back does not lose progress
    assert settings.get(db, "setup_step") == "holidays"
    assert wizard_admin.get("/setup/").location == "/setup/terms"
    html = wizard_admin.get("/setup/school").get_data(as_text=True)
    assert 'aria-current="step"' in html and "← Back" not in html
    assert "/setup/hours" in html  # every step is a link


def test_school_step_saves_name_and_logo_together(wizard_admin, db, app):
    from tests.test_settings_page import image_bytes

    response = step_post(
        wizard_admin,
        "school",
        {"school_name": "Northfield", "logo": (io.BytesIO(image_bytes()), "l.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert settings.get(db, "school_name") == "Northfield"
    with open(app.instance_path + "/logo.png", "rb") as fh:
        assert fh.read(4) == b"\x89PNG"


def test_school_step_refuses_a_fake_logo_and_saves_nothing(wizard_admin, db):
    response = step_post(
        wizard_admin,
        "school",
        {"school_name": "Northfield", "logo": (io.BytesIO(b"GIF89a..."), "l.png")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "must be a PNG or JPEG image" in html and 'value="Northfield"' in html
    assert settings.get(db, "school_name") == "Our School"


def test_levels_step_lists_the_default_levels_with_links_to_edit_them(wizard_admin):
    html = wizard_admin.get("/setup/levels").get_data(as_text=True)
    assert "Urgent" in html and "/directory/response-levels/" in html


def test_import_step_links_to_the_directory_import_and_templates(wizard_admin):
    html = wizard_admin.get("/setup/import").get_data(as_text=True)
    for kind in ("people", "locations", "equipment"):
        assert f"/directory/{kind}/import" in html
        assert f"/directory/{kind}/template.csv" in html


def test_accounts_step_creates_a_technician_in_a_group(wizard_admin, db):
    group_id = db.execute(
        "SELECT id FROM support_groups WHERE name = 'Service Delivery'"
    ).fetchone()[0]
    response = step_post(
        wizard_admin,
        "accounts",
        {
            "name": "Tom Tech",
            "username": "ttech",
            "email": "",
            "roles": ["technician"],
            "group_id": str(group_id),
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302 and response.location == "/setup/accounts"
    row = accounts.find_by_username(db, "ttech")
    assert parse_roles(row["roles"]) == {"technician"}
    assert accounts.load_user(db, row).group_ids == {group_id}
    assert "Tom Tech" in wizard_admin.get("/setup/accounts").get_data(as_text=True)


def test_accounts_step_refuses_a_taken_user_name(wizard_admin, db):
    response = step_post(
        wizard_admin,
        "accounts",
        {
            "name": "Other Sam",
            "username": "SBURSAR",
            "roles": ["desk"],
            "group_id": "0",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "That user name is taken" in response.get_data(as_text=True)
    assert db["users"].count == 1


def test_last_step_offers_the_letter_to_users_and_finishing_goes_home(wizard_admin, db):
    html = wizard_admin.get("/setup/done").get_data(as_text=True)
    assert "/leaders/letter/pdf" in html
    response = step_post(wizard_admin, "done", {"nav": "next"})
    assert response.location == "/"
    assert settings.get(db, "setup_step") == "done"
    assert wizard_admin.get("/setup/").location == "/setup/done"


def test_an_unknown_step_is_a_404(wizard_admin):
    assert wizard_admin.get("/setup/nonsense").status_code == 404


def test_skip_without_a_csrf_token_is_refused(wizard_admin, db):
    response = wizard_admin.post("/setup/sites", data={"nav": "skip"})
    assert response.status_code == 400
    assert settings.get(db, "setup_step") == ""


def test_levels_step_reads_hours_as_people_say_them(wizard_admin):
    html = wizard_admin.get("/setup/levels").get_data(as_text=True)
    assert "1 working hour<" in html and ".0 working" not in html


def test_editing_a_level_from_the_wizard_returns_to_the_wizard_after_saving(wizard_admin, db):
    level = db.execute("SELECT * FROM response_levels WHERE name = 'Urgent'").fetchone()
    html = wizard_admin.get("/setup/levels").get_data(as_text=True)
    edit = f"/directory/response-levels/{level['id']}/edit?from=setup"
    assert f'href="{edit}"' in html
    form = wizard_admin.get(edit).get_data(as_text=True)
    assert 'href="/setup/levels">← Back to the set-up' in form
    assert 'value="1"' in form and 'value="1.0"' not in form  # hours read as typed
    token = csrf_token(wizard_admin, edit)
    response = wizard_admin.post(
        edit,
        data={
            "name": "Urgent",
            "respond_hours": "1.5 hours",
            "resolve_hours": "4",
            "rank": "1",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302 and response.location == "/setup/levels"
    saved = db.execute("SELECT * FROM response_levels WHERE id = ?", [level["id"]]).fetchone()
    assert (saved["respond_hours"], saved["resolve_hours"]) == (1.5, 4.0)
    html = wizard_admin.get("/setup/levels").get_data(as_text=True)
    assert "1.5 working hours<" in html and "4 working hours<" in html


def test_a_bad_level_edited_from_the_wizard_keeps_the_way_back(wizard_admin, db):
    level_id = db.execute("SELECT id FROM response_levels WHERE name = 'Urgent'").fetchone()[0]
    edit = f"/directory/response-levels/{level_id}/edit?from=setup"
    token = csrf_token(wizard_admin, edit)
    response = wizard_admin.post(
        edit,
        data={"name": "Urgent", "respond_hours": "soon", "resolve_hours": "4", "rank": "1",
              "csrf_token": token},
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="soon"' in html and 'href="/setup/levels">← Back to the set-up' in html


def test_the_hours_step_reads_times_as_people_write_them(wizard_admin, db):
    response = step_post(
        wizard_admin,
        "hours",
        {"working_days": ["0", "1", "2", "3", "4"], "day_start": "8.15am", "day_end": "4.30pm"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert (settings.get(db, "day_start"), settings.get(db, "day_end")) == ("08:15", "16:30")
    html = wizard_admin.get("/setup/hours").get_data(as_text=True)
    assert 'value="16:30"' in html and 'maxlength="5"' not in html


def test_the_school_step_asks_for_a_name_while_the_school_is_still_our_school(wizard_admin, db):
    html = wizard_admin.get("/setup/school").get_data(as_text=True)
    assert 'value="Our School"' not in html and "e.g. Northfield Community School" in html
    refused = step_post(wizard_admin, "school", {"school_name": ""})
    assert refused.status_code == 400 and settings.get(db, "school_name") == "Our School"
    assert step_post(wizard_admin, "school", {"school_name": "Hillside Primary"}).status_code == 302
    html = wizard_admin.get("/setup/school").get_data(as_text=True)
    assert 'value="Hillside Primary"' in html

"""CSV import of reference data: all rows or none, every bad row named, preview first."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest

from kit.directory import admin_store
from kit.directory.columns import COLUMNS
from kit.directory.importer import KINDS, import_csv

ROLES = ("desk", "technician", "coordinator", "leader")


def _import(db, kind, text, dry_run=False):
    return import_csv(db, kind, text, dry_run=dry_run)


def _people(db):
    return {p["name"]: p for p in db["people"].rows}


# --- the function the upload page and the `kit import` command share ---


def test_people_rows_are_created(db):
    report = _import(db, "people", "name,email\nAnn Teacher,ann@school.example\nBob,\n")
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    assert report.imported
    assert _people(db)["Ann Teacher"]["email"] == "ann@school.example"


def test_utf8_bom_is_accepted(db):
    report = _import(db, "people", "\ufeffName,Email\nZoë Ångström,zoe@school.example\n")
    assert report.ok
    assert "Zoë Ångström" in _people(db)


def test_header_names_ignore_case_and_spaces(db):
    report = _import(db, "equipment", "ASSET TAG,Type,Purchase-Date\nPRJ-1,Projector,01/09/2024\n")
    assert report.ok
    assert admin_store.find_existing(db, "equipment", {"asset_tag": "PRJ-1"})["purchase_date"] == (
        "2024-09-01"
    )


def test_semicolon_separated_file_is_read(db):
    assert _import(db, "people", "name;department\nAnn Teacher;Science\n").ok
    assert _people(db)["Ann Teacher"]["department"] == "Science"


def test_row_with_a_known_email_updates_that_person(db):
    admin_store.insert(db, "people", {"name": "Ann Teacher", "email": "ann@school.example"})
    report = _import(db, "people", "name,email,phone\nAnn Jones,ANN@school.example,214\n")
    assert (report.created, report.updated) == (0, 1)
    assert db["people"].count == 1
    assert next(db["people"].rows)["name"] == "Ann Jones"


def test_row_without_email_updates_the_person_with_that_name(db):
    admin_store.insert(db, "people", {"name": "Ann Teacher", "email": "ann@school.example"})
    report = _import(db, "people", "name,email,department\nann teacher,,Science\n")
    assert report.updated == 1
    person = next(db["people"].rows)
    assert (person["department"], person["email"]) == ("Science", "ann@school.example")


def test_two_people_with_the_name_and_no_email_is_reported(db):
    admin_store.insert(db, "people", {"name": "John Smith", "email": "js1@school.example"})
    admin_store.insert(db, "people", {"name": "John Smith", "email": "js2@school.example"})
    report = _import(db, "people", "name,phone\nJohn Smith,200\n")
    assert report.errors == [
        (2, "name", "2 people are called “John Smith”: add their email so the row says which one.")
    ]


def test_location_matching_site_building_and_room_is_updated(db):
    admin_store.insert(db, "locations", {"site": "Main", "building": "Science", "room": "S12"})
    report = _import(db, "locations", "site,building,room,teaching_space\nmain,science,s12,yes\n")
    assert report.updated == 1
    assert next(db["locations"].rows)["teaching_space"] == 1


def test_equipment_names_its_room_by_site_building_and_room(db):
    room = admin_store.insert(
        db, "locations", {"site": "Main", "building": "Science", "room": "S12"}
    )
    report = _import(
        db, "equipment", "asset_tag,type,site,building,room\nPRJ-1,Projector,Main,Science,S12\n"
    )
    assert report.ok
    assert next(db["equipment"].rows)["location_id"] == room


def test_equipment_in_an_unknown_room_is_reported(db):
    report = _import(
        db, "equipment", "asset_tag,type,site,building,room\nPRJ-1,Projector,Main,Science,S99\n"
    )
    assert report.errors == [
        (2, "room", "No location “Main / Science / S99”: add it first, or import locations.")
    ]


def test_asset_tag_matching_an_item_updates_it(db):
    admin_store.insert(db, "equipment", {"asset_tag": "PRJ-1", "type": "Projector"})
    report = _import(db, "equipment", "asset_tag,type,make\nprj-1,Projector,Epson\n")
    assert report.updated == 1 and db["equipment"].count == 1
    assert next(db["equipment"].rows)["make"] == "Epson"


def test_any_bad_row_means_nothing_is_imported(db):
    text = "name,email\nAnn Teacher,ann@school.example\nBob,not-an-email\nCarol,c@school.example\n"
    report = _import(db, "people", text)
    assert not report.imported
    assert db["people"].count == 0
    assert report.errors == [(3, "email", "“not-an-email” is not an email address.")]


def test_report_lists_every_bad_row_with_its_row_number_and_reason(db):
    text = "asset_tag,type,purchase_date\n,Laptop,\nL2,Laptop,yesterday\nL3,Laptop,2024-01-01\n"
    report = _import(db, "equipment", text)
    assert [(row, column) for row, column, _ in report.errors] == [
        (2, "asset_tag"),
        (3, "purchase_date"),
    ]
    assert "write it as 2026-09-01" in report.errors[1][2]


def test_blank_lines_do_not_shift_row_numbers(db):
    report = _import(db, "people", "name,email\nAnn,\n\n,,\nBob,bad\n")
    assert report.errors[0][0] == 5


def test_duplicate_asset_tag_within_the_file_is_reported(db):
    report = _import(db, "equipment", "asset_tag,type\nPRJ-1,Projector\nprj-1,Laptop\n")
    assert report.errors == [
        (3, "asset_tag", "Row 2 is about the same equipment item: keep one of the two rows.")
    ]
    assert db["equipment"].count == 0


def test_unknown_column_is_reported_on_the_header_row(db):
    report = _import(db, "people", "name,emial\nAnn,ann@school.example\n")
    assert report.errors[0][:2] == (1, "emial")
    assert db["people"].count == 0


def test_missing_required_column_is_reported(db):
    report = _import(db, "locations", "site,building\nMain,Science\n")
    assert report.errors == [(1, "room", "This column is missing: every row needs it.")]


def test_header_only_file_is_reported(db):
    assert _import(db, "people", "name,email\n").errors == [
        (2, "", "There are no rows under the header row.")
    ]


def test_value_under_an_unnamed_column_is_reported(db):
    report = _import(db, "people", "name\nAnn,stray\n")
    assert report.errors[0][0] == 2 and "no name in the header" in report.errors[0][2]


def test_dry_run_reports_but_writes_nothing(db):
    report = _import(db, "people", "name\nAnn\nBob\n", dry_run=True)
    assert (report.created, report.imported) == (2, False)
    assert db["people"].count == 0


def test_categories_name_their_group_and_response_level(db):
    text = "name,type,group,response_level\nWhiteboard,incident,service delivery,high\n"
    assert _import(db, "categories", text).ok
    row = db.execute(
        "SELECT c.call_type, g.name, r.name FROM categories c JOIN support_groups g ON "
        "g.id = c.group_id JOIN response_levels r ON r.id = c.response_level_id "
        "WHERE c.name = 'Whiteboard'"
    ).fetchone()
    assert tuple(row) == ("Incident", "Service Delivery", "High")


def test_category_with_unknown_group_is_reported(db):
    text = "name,type,group,response_level\nWhiteboard,Incident,Nobody,High\n"
    assert _import(db, "categories", text).errors == [
        (2, "group", "No support group is called “Nobody”.")
    ]


def test_category_can_be_retired_by_import(db):
    assert (
        _import(
            db,
            "categories",
            "name,type,group,response_level,active\n"
            "Email,Incident,Technology Integration,High,no\n",
        ).updated
        == 1
    )
    assert db.execute("SELECT active FROM categories WHERE name = 'Email'").fetchone()[0] == 0


def test_groups_name_their_team_leader_and_members(db, users):
    tech = users["technician"]
    report = _import(
        db, "groups", "name,tier,team_leader,members\nNetwork,3,technician,technician\n"
    )
    assert report.ok
    group = admin_store.find_existing(db, "groups", {"name": "Network"})
    assert group["team_leader_id"] == tech
    assert admin_store.member_ids(db, group["id"]) == [tech]


def test_group_member_must_be_a_technician_account(db, users):
    users["desk"]
    report = _import(db, "groups", "name,tier,members\nNetwork,3,desk\n")
    assert report.errors == [(2, "members", "“desk” is not the user name of a technician account.")]


def test_response_level_matching_a_name_is_updated(db):
    report = _import(db, "response-levels", "name,respond_hours,resolve_hours\nurgent,2,6\n")
    assert report.updated == 1
    level = admin_store.find_existing(db, "response-levels", {"name": "Urgent"})
    assert (level["respond_hours"], level["resolve_hours"], level["rank"]) == (2.0, 6.0, 1)


def test_unknown_kind_is_refused(db):
    with pytest.raises(ValueError, match="Unknown kind"):
        _import(db, "printers", "name\nx\n")


# --- the upload page: preview, then confirm ---


def _upload(post, kind, text, name="file.csv"):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    return post(f"/directory/{kind}/import", data, content_type="multipart/form-data")


def test_upload_shows_a_preview_and_writes_nothing(login, post, db):
    login("admin")
    response = _upload(post, "people", "name,email\nAnn Teacher,ann@school.example\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 to add and 0 to update. Nothing has been saved yet." in html
    assert db["people"].count == 0


def test_confirming_the_preview_imports_it(login, post, db):
    login("admin")
    html = _upload(post, "people", "name\nAnn Teacher\n").get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    response = post("/directory/people/import", {"token": token}, follow_redirects=True)
    assert "Imported people: 1 created, 0 updated." in response.get_data(as_text=True)
    assert db["people"].count == 1


def test_an_import_started_from_the_set_up_wizard_leads_back_to_it(login, post, db):
    login("admin")
    data = {"file": (io.BytesIO(b"name\nAnn Teacher\n"), "staff.csv")}
    preview = post(
        "/directory/people/import?from=setup", data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert 'href="/setup/import">← Back to the set-up' in preview
    assert 'action="/directory/people/import?from=setup"' in preview
    token = re.search(r'name="token" value="([0-9a-f]+)"', preview).group(1)
    done = post("/directory/people/import?from=setup", {"token": token})
    assert done.status_code == 302 and done.headers["Location"] == "/setup/import"


def test_a_confirmed_preview_cannot_be_imported_twice(login, post, db):
    login("admin")
    html = _upload(post, "people", "name\nAnn Teacher\n").get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    post("/directory/people/import", {"token": token})
    again = post("/directory/people/import", {"token": token}, follow_redirects=True)
    assert "That preview has expired" in again.get_data(as_text=True)
    assert db["people"].count == 1


def test_made_up_token_is_refused(login, post, db):
    login("admin")
    response = post(
        "/directory/people/import", {"token": "../../secret_key"}, follow_redirects=True
    )
    assert "That preview has expired" in response.get_data(as_text=True)


def test_preview_with_bad_rows_is_refused_and_names_them(login, post, db):
    login("admin")
    response = _upload(post, "people", "name,email\nAnn,ann@school.example\nBob,nope\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in html
    assert "<td>3</td><td>email</td><td>“nope” is not an email address.</td>" in html
    assert 'name="token"' not in html


def test_upload_without_a_file_is_refused(login, post):
    login("admin")
    response = post("/directory/people/import", {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.get_data(as_text=True)


def test_file_over_2_mb_is_refused(login, post):
    login("admin")
    response = _upload(post, "people", "name\n" + "x" * (2 * 1024 * 1024))
    assert response.status_code == 400
    assert "larger than 2 MB" in response.get_data(as_text=True)


def test_file_that_is_not_utf8_is_refused_with_how_to_fix_it(login, post):
    login("admin")
    data = {"file": (io.BytesIO("name\nZoë\n".encode("cp1252")), "staff.csv")}
    response = post("/directory/people/import", data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "CSV UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_other_roles_cannot_upload(login, role, post):
    login(role)
    assert _upload(post, "people", "name\nAnn\n").status_code == 403


@pytest.mark.parametrize("kind", KINDS)
def test_template_has_the_header_and_one_example_row(login, client, kind):
    login("admin")
    response = client.get(f"/directory/{kind}/template.csv")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert response.mimetype == "text/csv"
    assert lines[0] == ",".join(c.name for c in COLUMNS[kind])
    assert len(lines) == 2


@pytest.mark.parametrize("kind", ["people", "locations", "response-levels", "categories"])
def test_template_imports_cleanly(login, client, db, kind):
    login("admin")
    text = client.get(f"/directory/{kind}/template.csv").get_data(as_text=True)
    assert import_csv(db, kind, text, dry_run=True).errors == []


# --- the headings a school's MIS exports ---

MIS_STAFF = (
    "Title,Full name,Job title,Ext,Email Address,Gender\n"
    "Mrs,Ayesha Khan,Teacher of Maths,214,a.khan@school.example,F\n"
)


def test_mis_headings_are_read_as_the_kits_columns(db):
    report = _import(db, "people", MIS_STAFF)
    assert report.ok, report.errors
    person = _people(db)["Ayesha Khan"]
    assert (person["role"], person["phone"], person["email"]) == (
        "Teacher of Maths",
        "214",
        "a.khan@school.example",
    )


def test_the_report_says_which_column_became_what(db):
    report = _import(db, "people", MIS_STAFF, dry_run=True)
    assert report.columns == [
        ("Title", "not imported"),
        ("Full name", "name (the person's full name)"),
        ("Job title", "role (their job)"),
        ("Ext", "phone (phone or extension)"),
        ("Email Address", "email (matches an existing person to update)"),
        ("Gender", "not imported"),
    ]


def test_forename_and_surname_columns_make_the_name(db):
    report = _import(db, "people", "Legal Forename,Legal Surname,Dept\nAyesha,Khan,Maths\n")
    assert report.ok, report.errors
    assert _people(db)["Ayesha Khan"]["department"] == "Maths"


def test_a_surname_column_alone_is_enough_for_a_name(db):
    assert _import(db, "people", "Surname,Ext\nKhan,214\n").ok
    assert "Khan" in _people(db)


def test_of_two_columns_for_the_same_field_the_first_is_used(db):
    report = _import(db, "people", "Full name,Name,Ext\nAyesha Khan,A Khan,214\n", dry_run=True)
    assert report.ok and report.changes[0][2].startswith("Ayesha Khan")
    assert ("Name", "not imported") in report.columns


def test_equipment_and_room_headings_from_an_asset_register_are_read(db):
    _import(db, "locations", "Campus,Block,Room Number,Teaching Room\nMain,Science,S1,yes\n")
    report = _import(
        db,
        "equipment",
        "Asset No.,Device Type,Manufacturer,Serial Number,Campus,Block,Room Number,Warranty Expiry\n"
        "PRJ-9,Projector,Epson,X1,Main,Science,S1,31/08/2027\n",
    )
    assert report.ok, report.errors
    item = admin_store.find_existing(db, "equipment", {"asset_tag": "PRJ-9"})
    assert (item["make"], item["serial"], item["warranty_end"]) == ("Epson", "X1", "2027-08-31")


def test_a_missing_required_column_is_still_reported_with_aliases_about(db):
    report = _import(db, "people", "Job title,Ext\nTeacher,214\n")
    assert report.errors == [(1, "name", "This column is missing: every row needs it.")]


def test_the_preview_shows_the_column_plan(login, post, db):
    login("admin")
    html = _upload(post, "people", MIS_STAFF).get_data(as_text=True)
    assert "Columns in your file" in html
    assert "<td>Full name</td><td>name (the person&#39;s full name)</td>" in html
    assert '<tr class="muted"><td>Gender</td><td>not imported</td>' in html


def test_the_upload_page_lists_the_headings_also_read(login, client):
    login("admin")
    html = client.get("/directory/people/import").get_data(as_text=True)
    assert "that are also read" in html and "Job title" in html and "Forename and Surname" in html


# --- a large file shows how far it got ---


def _big_staff_file(rows: int) -> str:
    return "name,email\n" + "".join(f"Person {n},p{n}@school.example\n" for n in range(rows))


def _follow_run(client, location: str, timeout: float = 120):
    """GET the run page until it stops refreshing itself; every page seen on the way."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(location)
        seen.append(response)
        html = response.get_data(as_text=True)
        if response.status_code != 200 or 'http-equiv="refresh"' not in html:
            return seen
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


def test_a_large_upload_shows_how_far_the_check_got_then_the_preview(login, post, client, db):
    login("admin")
    response = _upload(post, "people", _big_staff_file(3000))
    assert response.status_code == 302 and "/directory/people/import/runs/" in response.location
    first = client.get(response.location).get_data(as_text=True)
    assert "Checking the file: people" in first
    assert 'http-equiv="refresh"' in first or "3000 to add" in first
    pages = _follow_run(client, response.location)
    html = pages[-1].get_data(as_text=True)
    assert "3000 to add and 0 to update. Nothing has been saved yet." in html
    assert db["people"].count == 0
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    confirm = post("/directory/people/import", {"token": token})
    assert "/import/runs/" in confirm.location
    done = _follow_run(client, confirm.location)[-1]
    assert done.status_code == 302 and done.location == "/directory/people/"
    assert db["people"].count == 3000
    assert "Imported people: 3000 created" in client.get(done.location).get_data(as_text=True)


def test_a_running_import_page_counts_rows_and_refreshes_itself(app, login, client):
    from kit.directory import import_runs

    login("admin")
    folder = Path(app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    run_id = "ab" * 16
    import_runs._write(
        folder,
        run_id,
        {"kind": "people", "dry_run": True, "user_id": 1, "token": "", "total": 3000,
         "done": 1200, "finished": False, "report": None, "updated_at": time.time()},
    )  # fmt: skip
    html = client.get(f"/directory/people/import/runs/{run_id}").get_data(as_text=True)
    assert "1200 of 3000 rows checked (40%)" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress max="3000" value="1200"' in html


def test_an_import_whose_process_died_says_nothing_was_saved(app, login, client):
    from kit.directory import import_runs

    login("admin")
    folder = Path(app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    run_id = "cd" * 16
    import_runs._write(
        folder,
        run_id,
        {"kind": "people", "dry_run": False, "user_id": 1, "token": "", "total": 3000,
         "done": 1200, "finished": False, "report": None, "updated_at": time.time() - 600},
    )  # fmt: skip
    html = client.get(f"/directory/people/import/runs/{run_id}").get_data(as_text=True)
    assert "stopped before it finished, after 1200 of 3000 rows. Nothing was saved" in html
    assert 'http-equiv="refresh"' not in html


def test_another_admins_run_and_a_made_up_run_are_not_found(app, login, client, users):
    from kit.directory import import_runs

    login("admin")
    folder = Path(app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    import_runs._write(
        folder,
        "ef" * 16,
        {"kind": "people", "dry_run": True, "user_id": 999, "token": "", "total": 1, "done": 0,
         "finished": False, "report": None, "updated_at": time.time()},
    )  # fmt: skip
    assert client.get("/directory/people/import/runs/" + "ef" * 16).status_code == 404
    assert client.get("/directory/people/import/runs/../../etc").status_code == 404
    assert client.get("/directory/locations/import/runs/" + "ef" * 16).status_code == 404

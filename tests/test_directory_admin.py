"""The admin's reference-data pages: who may use them, lists, forms, duplicates, deleting."""

from __future__ import annotations

import pytest

from kit.directory import admin_store

ROLES = ("desk", "technician", "coordinator", "leader")

# Every admin route of the directory, with a sample address (a person's id is filled in).
ROUTES = [
    ("GET", "/directory/"),
    ("GET", "/directory/people/"),
    ("GET", "/directory/people/new"),
    ("POST", "/directory/people/new"),
    ("GET", "/directory/people/{person}/edit"),
    ("POST", "/directory/people/{person}/edit"),
    ("POST", "/directory/people/{person}/delete"),
    ("GET", "/directory/people/import"),
    ("POST", "/directory/people/import"),
    ("GET", "/directory/people/template.csv"),
]
# The desk's look-ups while logging a call: tested with the call form, not admin-only.
DESK_LOOKUPS = {"directory.people_json", "directory.location_equipment_json"}
# A large import's progress page needs a run: tested in test_directory_import and the matrix.
IMPORT_RUN = {"directory.import_run"}


@pytest.fixture
def person(db):
    return admin_store.insert(db, "people", {"name": "Ann Teacher", "email": "ann@school.example"})


def _request(client, post, method, path, person):
    path = path.format(person=person)
    if method == "GET":
        return client.get(path)
    return post(path, {"name": "Changed"})


def test_every_directory_admin_route_is_in_the_role_table(app):
    adapter = app.url_map.bind("localhost")
    tested = {adapter.match(p.format(person=1), method=m)[0] for m, p in ROUTES}
    endpoints = {
        r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("directory.")
    }
    assert endpoints - DESK_LOOKUPS - IMPORT_RUN == tested


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_other_roles_are_refused_reference_data(login, client, post, person, role, method, path):
    login(role)
    assert _request(client, post, method, path, person).status_code == 403


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_admin_may_use_reference_data_pages(login, client, post, person, method, path):
    login("admin")
    response = _request(client, post, method, path, person)
    assert response.status_code in (200, 302, 400)
    assert "/auth/login" not in response.headers.get("Location", "")


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_is_sent_to_login_from_reference_data(client, post, users, person, method, path):
    users["admin"]  # an installed kit: with no accounts at all, the set-up wizard answers
    response = _request(client, post, method, path, person)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize(
    "kind", ["people", "locations", "equipment", "groups", "categories", "response-levels"]
)
def test_admin_opens_each_kind_list_and_add_form(login, client, kind):
    login("admin")
    assert client.get(f"/directory/{kind}/").status_code == 200
    assert client.get(f"/directory/{kind}/new").status_code == 200


def test_unknown_kind_is_not_found(login, client):
    login("admin")
    assert client.get("/directory/printers/").status_code == 404


def test_directory_index_shows_how_many_of_each(login, client, db):
    admin_store.insert(db, "locations", {"site": "Main", "building": "A", "room": "1"})
    login("admin")
    html = client.get("/directory/").get_data(as_text=True)
    assert 'href="/directory/locations/">Locations</a></td>\n      <td>1</td>' in html


def test_empty_list_says_what_to_do_next(login, client):
    login("admin")
    html = client.get("/directory/locations/").get_data(as_text=True)
    assert "No rooms yet — add one or import a CSV." in html
    assert 'href="/directory/locations/import"' in html


def test_admin_adds_a_location(login, post, db):
    login("admin")
    response = post(
        "/directory/locations/new",
        {"site": "Main campus", "building": "Science", "room": "S12", "teaching_space": "y"},
    )
    assert response.status_code == 302
    row = next(db["locations"].rows)
    assert (row["room"], row["teaching_space"]) == ("S12", 1)


def test_missing_required_field_is_refused_and_keeps_what_was_typed(login, post, db):
    login("admin")
    response = post(
        "/directory/equipment/new",
        {"asset_tag": "", "type": "Projector", "make": "Epson", "location_id": "0"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Type the asset tag from the label." in html
    assert 'value="Epson"' in html
    assert db["equipment"].count == 0


def test_duplicate_asset_tag_is_a_field_error(login, post, db):
    admin_store.insert(db, "equipment", {"asset_tag": "PRJ-1", "type": "Projector"})
    login("admin")
    response = post(
        "/directory/equipment/new", {"asset_tag": "prj-1", "type": "Laptop", "location_id": "0"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already has asset tag “PRJ-1”" in html
    assert 'id="asset_tag-error"' in html
    assert db["equipment"].count == 1


def test_duplicate_asset_tag_is_reported_alongside_other_mistakes(login, post, db):
    admin_store.insert(db, "equipment", {"asset_tag": "PRJ-1", "type": "Projector"})
    login("admin")
    response = post(
        "/directory/equipment/new", {"asset_tag": "PRJ-1", "type": "", "location_id": "0"}
    )
    html = response.get_data(as_text=True)
    assert "already has asset tag" in html and "Say what it is" in html


def test_duplicate_room_is_a_field_error(login, post, db):
    admin_store.insert(db, "locations", {"site": "Main", "building": "Science", "room": "S12"})
    login("admin")
    response = post(
        "/directory/locations/new", {"site": "main", "building": "science", "room": "s12"}
    )
    assert response.status_code == 400
    assert "This room is already listed" in response.get_data(as_text=True)


def test_saving_an_item_under_its_own_tag_is_not_a_duplicate(login, post, db):
    item = admin_store.insert(db, "equipment", {"asset_tag": "PRJ-1", "type": "Projector"})
    login("admin")
    response = post(
        f"/directory/equipment/{item}/edit",
        {"asset_tag": "PRJ-1", "type": "Projector", "make": "Epson", "location_id": "0"},
    )
    assert response.status_code == 302
    assert db["equipment"].get(item)["make"] == "Epson"


def test_warranty_cannot_end_before_purchase(login, post):
    login("admin")
    response = post(
        "/directory/equipment/new",
        {
            "asset_tag": "L1",
            "type": "Laptop",
            "location_id": "0",
            "purchase_date": "2025-09-01",
            "warranty_end": "2024-09-01",
        },
    )
    assert response.status_code == 400
    assert "cannot end before the purchase date" in response.get_data(as_text=True)


def test_edit_form_shows_stored_dates(login, client, db):
    item = admin_store.insert(
        db, "equipment", {"asset_tag": "L1", "type": "Laptop", "purchase_date": "2024-09-01"}
    )
    login("admin")
    assert 'value="2024-09-01"' in client.get(f"/directory/equipment/{item}/edit").get_data(
        as_text=True
    )


def test_people_list_shows_50_per_page(login, client, db):
    db["people"].insert_all([{"name": f"Person {n:03}"} for n in range(55)])
    login("admin")
    first = client.get("/directory/people/").get_data(as_text=True)
    second = client.get("/directory/people/?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Person 049" in first and "Person 050" not in first
    assert "Person 054" in second


def test_people_list_filters_by_text(login, client, db):
    admin_store.insert(db, "people", {"name": "Ann Teacher", "department": "Science"})
    admin_store.insert(db, "people", {"name": "Bob Bursar", "department": "Finance"})
    login("admin")
    html = client.get("/directory/people/?q=scien").get_data(as_text=True)
    assert "Ann Teacher" in html and "Bob Bursar" not in html


def test_equipment_list_filters_by_text(login, client, db):
    admin_store.insert(db, "equipment", {"asset_tag": "PRJ-1", "type": "Projector"})
    admin_store.insert(db, "equipment", {"asset_tag": "LAP-1", "type": "Laptop"})
    login("admin")
    html = client.get("/directory/equipment/?q=lap").get_data(as_text=True)
    assert "LAP-1" in html and "PRJ-1" not in html


def test_filter_text_is_not_read_as_a_wildcard(login, client, db):
    admin_store.insert(db, "people", {"name": "Ann Teacher"})
    login("admin")
    assert "Ann Teacher" not in client.get("/directory/people/?q=%25").get_data(as_text=True)


def test_names_are_escaped_in_the_list(login, client, db):
    admin_store.insert(db, "people", {"name": "<script>alert(1)</script>"})
    login("admin")
    html = client.get("/directory/people/").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_location_used_by_a_call_cannot_be_deleted(login, post, db, make_call):
    room = admin_store.insert(db, "locations", {"site": "Main", "building": "A", "room": "1"})
    make_call(location_id=room)
    login("admin")
    response = post(f"/directory/locations/{room}/delete", follow_redirects=True)
    assert "cannot be deleted: 1 call still use it" in response.get_data(as_text=True)
    assert db["locations"].count == 1


def test_unused_location_is_deleted(login, post, db):
    room = admin_store.insert(db, "locations", {"site": "Main", "building": "A", "room": "1"})
    login("admin")
    assert post(f"/directory/locations/{room}/delete").status_code == 302
    assert db["locations"].count == 0


def test_delete_button_asks_for_confirmation(login, client, db):
    room = admin_store.insert(db, "locations", {"site": "Main", "building": "A", "room": "1"})
    login("admin")
    html = client.get(f"/directory/locations/{room}/edit").get_data(as_text=True)
    assert 'data-confirm="Delete this location? This cannot be undone."' in html


def test_edit_page_says_why_a_used_row_cannot_be_deleted(login, client, db):
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Desk'").fetchone()[0]
    login("admin")
    html = client.get(f"/directory/groups/{group}/edit").get_data(as_text=True)
    assert "categories use this support group, so it cannot be deleted" in html
    assert "Delete this support group" not in html


def test_category_used_by_calls_is_retired_not_deleted(login, post, db, make_call):
    make_call(category="Email")
    category = db.execute("SELECT * FROM categories WHERE name = 'Email'").fetchone()
    login("admin")
    refused = post(f"/directory/categories/{category['id']}/delete", follow_redirects=True)
    assert "Untick “Active” to retire it instead" in refused.get_data(as_text=True)
    post(
        f"/directory/categories/{category['id']}/edit",
        {
            "name": "Email",
            "call_type": "Incident",
            "group_id": category["group_id"],
            "response_level_id": category["response_level_id"],
        },
    )
    assert db["categories"].get(category["id"])["active"] == 0


def test_group_members_are_saved(login, post, db, users):
    tech = users["technician"]
    login("admin")
    response = post(
        "/directory/groups/new",
        {"name": "Network team", "tier": "3", "team_leader_id": str(tech), "members": [str(tech)]},
    )
    assert response.status_code == 302
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Network team'").fetchone()[0]
    assert admin_store.member_ids(db, group) == [tech]


def test_group_members_are_offered_from_technician_accounts(login, client, users):
    users["technician"]
    users.make("bursar", {"leader"}, name="Bea Bursar")
    login("admin")
    html = client.get("/directory/groups/new").get_data(as_text=True)
    assert "Technician (technician)" in html and "Bea Bursar (bursar)" not in html


def test_response_level_cannot_resolve_before_it_responds(login, post):
    login("admin")
    response = post(
        "/directory/response-levels/new",
        {"name": "Odd", "respond_hours": "8", "resolve_hours": "2", "rank": "5"},
    )
    assert response.status_code == 400
    assert "Resolving cannot be due before responding." in response.get_data(as_text=True)


def test_duplicate_category_name_is_a_field_error(login, post, db):
    group = db.execute("SELECT id FROM support_groups LIMIT 1").fetchone()[0]
    level = db.execute("SELECT id FROM response_levels LIMIT 1").fetchone()[0]
    login("admin")
    response = post(
        "/directory/categories/new",
        {
            "name": "email",
            "call_type": "Incident",
            "group_id": group,
            "response_level_id": level,
            "active": "y",
        },
    )
    assert response.status_code == 400
    assert "Another category is already called “Email”." in response.get_data(as_text=True)

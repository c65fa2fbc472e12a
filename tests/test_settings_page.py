"""The settings page: every setting checked with a clear message, and who changed what."""

from __future__ import annotations

import io

import pytest

from kit import settings
from kit.setup import checks
from kit.setup.specs import page_specs


def page_data(db, **changes) -> dict:
    """What the settings page would submit unchanged, with some fields retyped."""
    current = settings.get_all(db)
    data: dict = {}
    for spec in page_specs():
        value = checks.to_text(spec, current[spec.key])
        if spec.kind == "bool":
            if value:
                data[spec.key] = "y"
        else:
            data[spec.key] = value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin(login):
    return login("admin")


def save(post, db, **changes):
    return post("/admin/settings/", page_data(db, **changes), token_from="/admin/settings/")


def test_admin_changes_a_setting_and_the_record_says_who(admin, post, db, users):
    response = save(post, db, school_name="Northfield Primary")
    assert response.status_code == 302
    assert settings.get(db, "school_name") == "Northfield Primary"
    entry = db.execute("SELECT * FROM settings_log ORDER BY id DESC").fetchone()
    assert (entry["key"], entry["old"], entry["new"]) == (
        "school_name",
        '"Our School"',
        '"Northfield Primary"',
    )
    assert entry["changed_by"] == users["admin"]
    assert entry["changed_at"] == "2026-11-23 09:30:00"


def test_record_of_changes_is_shown_on_the_page_newest_first(admin, post, db, client):
    save(post, db, desk_phone="01632 960 100")
    save(post, db, desk_phone="01632 960 200")
    html = client.get("/admin/settings/").get_data(as_text=True)
    rows = html[html.index("Who changed what") :].split("<tr>")[2:]
    assert [r.count("<td") for r in rows] == [5, 5]
    newest = rows[0]
    assert "Admin" in newest and "Desk phone" in newest
    assert newest.index("01632 960 100") < newest.index("01632 960 200")  # was, then now
    assert "(empty)" in rows[1]


def test_record_shows_only_the_latest_fifty_changes(admin, db, client):
    for n in range(55):
        settings.put(db, "desk_phone", f"ext. {n}", user_id=None, at="2026-11-23 09:00:00")
    html = client.get("/admin/settings/").get_data(as_text=True)
    assert "ext. 54" in html and "ext. 3<" not in html  # ext. 4 is the oldest "was"
    assert html.count("<td>Desk phone</td>") == 50


def test_saving_without_changes_records_nothing(admin, post, db):
    assert save(post, db).status_code == 302
    assert db["settings_log"].count == 0


def test_working_days_are_ticked_boxes(admin, post, db):
    assert save(post, db, working_days=["0", "2", "4"]).status_code == 302
    assert settings.get(db, "working_days") == [0, 2, 4]


def test_no_working_day_is_refused(admin, post, db):
    data = page_data(db)
    del data["working_days"]
    response = post("/admin/settings/", data, token_from="/admin/settings/")
    assert response.status_code == 400
    assert "Tick at least one working day." in response.get_data(as_text=True)


def test_day_must_end_after_it_starts_and_what_was_typed_stays(admin, post, db):
    response = save(post, db, day_start="17:00", day_end="08:00", desk_phone="typed 123")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The working day must end after it starts" in html
    assert 'value="typed 123"' in html
    assert settings.get(db, "day_start") == "08:00"
    assert db["settings_log"].count == 0


@pytest.mark.parametrize("typed", ["25:00", "13pm", "half eight", "8.75", ""])
def test_a_time_that_is_not_a_time_is_refused(admin, post, db, typed):
    response = save(post, db, day_start=typed)
    assert response.status_code == 400
    assert "Write a time such as 08:30, 16:30 or 4.30pm." in response.get_data(as_text=True)
    assert settings.get(db, "day_start") == "08:00"


@pytest.mark.parametrize("typed", ["4.30pm", "16:30", "4:30 pm", "4.30 P.M.", "1630"])
def test_a_time_is_read_however_the_office_writes_it(admin, post, db, typed):
    response = save(post, db, day_end=typed)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert settings.get(db, "day_end") == "16:30"


def test_country_must_be_one_the_holidays_library_knows(admin, post, db):
    response = save(post, db, holiday_country="XX", holiday_subdivision="")
    assert response.status_code == 400
    assert "The kit knows no public holidays for “XX”" in response.get_data(as_text=True)


def test_region_must_belong_to_the_country_and_the_message_lists_them(admin, post, db):
    response = save(post, db, holiday_country="GB", holiday_subdivision="BAVARIA")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“BAVARIA” is not a region of GB" in html and "ENG (England)" in html


def test_another_country_and_region_are_saved(admin, post, db):
    assert save(post, db, holiday_country="DE", holiday_subdivision="by").status_code == 302
    assert (settings.get(db, "holiday_country"), settings.get(db, "holiday_subdivision")) == (
        "DE",
        "BY",
    )


def test_no_public_holidays_is_a_choice(admin, post, db):
    assert save(post, db, holiday_country="", holiday_subdivision="").status_code == 302
    assert settings.calendar(db).is_working_day(__import__("datetime").date(2026, 12, 25))


def test_terms_one_per_line_are_stored_in_date_order(admin, post, db):
    typed = "Spring 2027: 2027-01-05 to 2027-03-26\nAutumn 2026: 03/09/2026 to 18/12/2026\n"
    assert save(post, db, terms=typed).status_code == 302
    assert settings.get(db, "terms") == [
        {"name": "Autumn 2026", "start": "2026-09-03", "end": "2026-12-18"},
        {"name": "Spring 2027", "start": "2027-01-05", "end": "2027-03-26"},
    ]


def test_a_bad_term_line_is_named_in_the_message(admin, post, db):
    typed = "Autumn 2026: 2026-09-03 to 2026-12-18\nSpring 2027 2027-01-05 to 2027-03-26"
    response = save(post, db, terms=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 2 (“Spring 2027 2027-01-05 to 2027-03-26”)" in html
    assert "Spring 2027 2027-01-05 to 2027-03-26</textarea>" in html


def test_overlapping_terms_are_refused(admin, post, db):
    typed = "Autumn: 2026-09-03 to 2026-12-18\nWinter: 2026-12-01 to 2027-01-10"
    response = save(post, db, terms=typed)
    assert response.status_code == 400
    assert "“Autumn” and “Winter” overlap." in response.get_data(as_text=True)


def test_school_holidays_take_ranges_and_single_days(admin, post, db):
    typed = "2026-10-26 to 2026-10-30\n\n2026-11-27\n"
    assert save(post, db, school_holidays=typed).status_code == 302
    assert settings.get(db, "school_holidays") == [
        ["2026-10-26", "2026-10-30"],
        ["2026-11-27", "2026-11-27"],
    ]
    assert not settings.calendar(db).is_working_day(__import__("datetime").date(2026, 11, 27))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "2026-10-30 to 2026-10-26",
            "Line 1 (“2026-10-30 to 2026-10-26”): it ends (2026-10-26) "
            "before it starts (2026-10-30).",
        ),
        ("2026-10-26 to\n", "Line 1 (“2026-10-26 to”): write it as 2026-10-26 to 2026-10-30."),
        ("half term", "Line 1 (“half term”): write it as 2026-10-26 to 2026-10-30."),
        ("2026-02-30", "Line 1 (“2026-02-30”): “2026-02-30” is not a date"),
    ],
)
def test_a_bad_school_holiday_line_is_named(admin, post, db, typed, message):
    response = save(post, db, school_holidays=typed)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["91", "-1", "ten", ""])
def test_reopen_window_is_0_to_90_days(admin, post, db, typed):
    response = save(post, db, reopen_window_days=typed)
    assert response.status_code == 400
    assert "from 0 to 90" in response.get_data(as_text=True)


def test_reopen_window_of_zero_is_allowed(admin, post, db):
    assert save(post, db, reopen_window_days="0").status_code == 302
    assert settings.get(db, "reopen_window_days") == 0


def test_desk_email_must_be_an_email_address(admin, post, db):
    response = save(post, db, desk_email="not an address")
    assert response.status_code == 400
    assert "is not an email address" in response.get_data(as_text=True)


def test_school_name_is_needed(admin, post, db):
    response = save(post, db, school_name="  ")
    assert response.status_code == 400
    assert "Type the school name." in response.get_data(as_text=True)


def test_ticks_can_be_turned_off(admin, post, db):
    data = page_data(db)
    data.pop("faq_public")
    assert post("/admin/settings/", data, token_from="/admin/settings/").status_code == 302
    assert settings.get(db, "faq_public") is False


def test_sites_are_one_per_line_without_duplicates(admin, post, db):
    assert save(post, db, sites="Main campus\n\nSixth form centre").status_code == 302
    assert settings.get(db, "sites") == ["Main campus", "Sixth form centre"]
    response = save(post, db, sites="Main campus\nmain campus")
    assert response.status_code == 400
    assert "“main campus” is listed twice." in response.get_data(as_text=True)


def test_settings_without_a_csrf_token_are_refused(admin, client, db):
    response = client.post("/admin/settings/", data=page_data(db, school_name="Forged"))
    assert response.status_code == 400
    assert settings.get(db, "school_name") == "Our School"


# --- the logo -------------------------------------------------------------------------


def image_bytes(fmt: str = "PNG", size=(120, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (29, 79, 145)).save(out, fmt)
    return out.getvalue()


def upload(post, data: bytes, name: str = "logo.png"):
    return post(
        "/admin/settings/logo",
        {"logo": (io.BytesIO(data), name)},
        token_from="/admin/settings/",
        content_type="multipart/form-data",
    )


def test_png_logo_is_stored_in_the_instance_folder_and_recorded(admin, post, app, db):
    assert upload(post, image_bytes()).status_code == 302
    stored = app.instance_path + "/logo.png"
    with open(stored, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    assert settings.get(db, "logo").startswith("PNG upload")
    assert db.execute("SELECT count(*) FROM settings_log WHERE key = 'logo'").fetchone()[0] == 1


def test_jpeg_logo_is_kept_as_png_for_the_printed_sheets(admin, post, app):
    assert upload(post, image_bytes("JPEG"), "crest.jpg").status_code == 302
    with open(app.instance_path + "/logo.png", "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_text_file_renamed_png_is_refused(admin, post, app):
    response = upload(post, b"<svg onload=alert(1)>not an image</svg>", "logo.png")
    assert response.status_code == 400
    assert "must be a PNG or JPEG image" in response.get_data(as_text=True)
    assert not __import__("os").path.exists(app.instance_path + "/logo.png")


def test_a_png_signature_followed_by_rubbish_is_refused(admin, post, app):
    response = upload(post, b"\x89PNG\r\n\x1a\n" + b"rubbish" * 100)
    assert response.status_code == 400
    assert "cannot be read as one" in response.get_data(as_text=True)


def test_a_logo_over_one_megabyte_is_refused(admin, post, app):
    big = image_bytes() + b"\0" * (1024 * 1024)
    response = upload(post, big)
    assert response.status_code == 400
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert not __import__("os").path.exists(app.instance_path + "/logo.png")


def test_upload_without_a_file_says_what_to_do(admin, post):
    response = post("/admin/settings/logo", {}, token_from="/admin/settings/")
    assert response.status_code == 400
    assert "Choose a PNG or JPEG file" in response.get_data(as_text=True)


def test_logo_can_be_removed(admin, post, app, db, client):
    upload(post, image_bytes())
    assert client.get("/admin/settings/logo.png").mimetype == "image/png"
    assert post("/admin/settings/logo/remove", token_from="/admin/settings/").status_code == 302
    assert not __import__("os").path.exists(app.instance_path + "/logo.png")
    assert settings.get(db, "logo") == ""
    assert client.get("/admin/settings/logo.png").status_code == 404

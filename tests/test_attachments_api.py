"""The one code path files take into a call (kit.attachments.api), as mail in calls it."""

from __future__ import annotations

import io
import time
from datetime import datetime

import pytest
from attachments_support import jpeg, png_bomb, sample
from PIL import Image

from kit.attachments import api, files, limits, removal
from kit.attachments import store as astore
from kit.calls import history_store


@pytest.fixture
def call_id(make_call):
    return make_call()


def add(app, db, call_id, uploads, clock, *, public=False, **kwargs):
    chosen = limits.for_public(db) if public else limits.for_staff(db)
    return api.add_files(
        db,
        app.instance_path,
        call_id,
        uploads,
        added_by=kwargs.pop("added_by", None),
        source=kwargs.pop("source", api.MAIL),
        limits=kwargs.pop("limits", chosen),
        at=clock(),
        **kwargs,
    )


def stored(app, row) -> bytes:
    return files.path_of(app.instance_path, row["stored_name"]).read_bytes()


def test_a_photo_is_kept_with_its_call_and_a_history_entry(app, db, call_id, clock):
    added = add(app, db, call_id, [("screen.jpg", jpeg())], clock)
    assert added.refusals == []
    [row] = astore.for_call(db, call_id)
    assert (row["n"], row["name"], row["kind"], row["mime"]) == (
        1,
        "screen.jpg",
        "jpeg",
        "image/jpeg",
    )
    assert row["thumb_name"] and row["stored_name"] != "screen.jpg"
    kinds = [e["kind"] for e in history_store.history(db, call_id)]
    assert kinds[-1] == "attachments_added"


def test_gps_and_camera_exif_and_comments_are_gone_from_the_kept_photo(app, db, call_id, clock):
    original = Image.open(io.BytesIO(sample("gps.jpg")))
    assert original.getexif().get_ifd(0x8825) and original.info.get("comment")
    [row] = add(app, db, call_id, [("gps.jpg", sample("gps.jpg"))], clock).saved
    kept = Image.open(io.BytesIO(stored(app, row)))
    assert not kept.getexif()
    assert "comment" not in kept.info and "exif" not in kept.info
    assert b"PhoneMaker" not in stored(app, row)


def test_a_sideways_phone_photo_is_kept_upright(app, db, call_id, clock):
    [row] = add(app, db, call_id, [("rotated.jpg", sample("rotated.jpg"))], clock).saved
    kept = Image.open(io.BytesIO(stored(app, row)))
    assert kept.size == (480, 640)
    top, bottom = kept.getpixel((240, 10)), kept.getpixel((240, 630))
    assert top[0] > 200 and top[2] < 50  # red on top, as the phone showed it
    assert bottom[2] > 200 and bottom[0] < 50


def test_an_iphone_heic_is_kept_as_jpeg(app, db, call_id, clock):
    [row] = add(app, db, call_id, [("IMG_0001.HEIC", sample("iphone.heic"))], clock).saved
    assert (row["name"], row["mime"]) == ("IMG_0001.jpg", "image/jpeg")
    assert Image.open(io.BytesIO(stored(app, row))).format == "JPEG"


def test_a_large_photo_is_scaled_to_2000_pixels_on_its_long_side(app, db, call_id, clock):
    [row] = add(app, db, call_id, [("big.jpg", jpeg((4000, 3000)))], clock).saved
    assert (row["width"], row["height"]) == (2000, 1500)
    thumb = Image.open(io.BytesIO(files.path_of(app.instance_path, row["thumb_name"]).read_bytes()))
    assert max(thumb.size) == 320


def test_a_decompression_bomb_is_refused_quickly_and_nothing_is_kept(app, db, call_id, clock):
    bomb = png_bomb()
    started = time.perf_counter()
    added = add(app, db, call_id, [("bomb.png", bomb)], clock)
    assert time.perf_counter() - started < 0.5
    assert added.saved == [] and "too many pixels" in added.refusals[0]
    assert astore.for_call(db, call_id) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [("page.jpg", "named like a JPEG photo"), ("drawing.svg", "Scalable Vector Graphics")],
)
def test_html_and_svg_are_refused_whatever_their_name(app, db, call_id, clock, name, words):
    added = add(app, db, call_id, [(name, sample(name))], clock)
    assert added.saved == [] and words in added.refusals[0]
    assert not files.folder(app.instance_path).exists() or not any(
        files.folder(app.instance_path).iterdir()
    )


def test_a_pdf_named_like_a_photo_is_refused(app, db, call_id, clock):
    added = add(app, db, call_id, [("photo.jpg", sample("report.pdf"))], clock)
    assert "named like a JPEG photo but is really a PDF document" in added.refusals[0]


def test_mail_in_keeps_the_good_files_and_lists_the_refused_ones(app, db, call_id, clock):
    added = add(
        app, db, call_id, [("a.pdf", sample("report.pdf")), ("b.jpg", sample("page.jpg"))], clock
    )
    assert [r["name"] for r in added.saved] == ["a.pdf"] and len(added.refusals) == 1
    assert "Not kept" in history_store.history(db, call_id)[-1]["text"]


def test_a_web_page_with_one_bad_file_keeps_nothing(app, db, call_id, clock):
    uploads = [("a.pdf", sample("report.pdf")), ("b.jpg", sample("page.jpg"))]
    added = add(app, db, call_id, uploads, clock, all_or_nothing=True)
    assert added.saved == [] and astore.for_call(db, call_id) == []


def test_a_school_can_narrow_the_kinds_it_keeps(app, db, call_id, clock):
    from kit import settings

    settings.put(db, "attachment_kinds", ["jpeg", "pdf"], user_id=None, at="2026-11-23 09:00:00")
    added = add(app, db, call_id, [("notes.txt", b"printer said PC LOAD LETTER\n")], clock)
    assert "does not keep here" in added.refusals[0]


def test_the_public_takes_only_pictures_and_pdfs_three_at_a_time(app, db, call_id, clock):
    three = [(f"{i}.jpg", jpeg()) for i in range(4)]
    added = add(app, db, call_id, three, clock, public=True)
    assert added.saved == [] and "the limit is 3" in added.refusals[0]
    added = add(app, db, call_id, [("log.txt", b"hello\n")], clock, public=True)
    assert "does not keep here" in added.refusals[0]


def test_a_file_over_the_size_limit_is_refused(app, db, call_id, clock):
    small = limits.Limits(frozenset({"pdf"}), 100, 3, 20, 10**6)
    added = add(app, db, call_id, [("a.pdf", sample("report.pdf"))], clock, limits=small)
    assert "larger than the limit of 100 bytes" in added.refusals[0]


def test_a_call_keeps_at_most_its_limit_of_files(app, db, call_id, clock):
    two = limits.Limits(frozenset({"jpeg"}), 10**6, 5, 2, 10**7)
    added = add(app, db, call_id, [(f"{i}.jpg", jpeg()) for i in range(3)], clock, limits=two)
    assert [r["n"] for r in added.saved] == [1, 2]
    assert "at most 2 files" in added.refusals[0]


def test_a_voided_call_takes_no_files(app, db, call_id, clock):
    db["calls"].update(call_id, {"voided": 1})
    with pytest.raises(api.Refused):
        add(app, db, call_id, [("a.jpg", jpeg())], clock)


def test_an_uploaded_name_cannot_carry_folders_or_header_characters():
    assert api.safe_name('..\\..\\evil";\r\nX-Injected: 1.jpg') == "evil X-Injected 1.jpg"
    assert api.safe_name("") == "attachment"


def test_removing_keeps_the_file_until_retention_deletes_it(app, db, call_id, clock, users):
    [row] = add(app, db, call_id, [("a.jpg", jpeg())], clock).saved
    with pytest.raises(api.Refused):
        removal.remove(db, call_id, 1, user_id=users["desk"], reason=" ", at=clock())
    removal.remove(db, call_id, 1, user_id=users["desk"], reason="Wrong call", at=clock())
    assert files.path_of(app.instance_path, row["stored_name"]).exists()
    assert history_store.history(db, call_id)[-1]["text"] == "Removed a.jpg: Wrong call"
    db["calls"].update(call_id, {"status": "Closed", "closed_at": "2024-01-10 10:00:00"})
    done = removal.purge_closed(db, app.instance_path, datetime(2024, 11, 23), at=clock())
    assert done == 1 and not files.path_of(app.instance_path, row["stored_name"]).exists()
    assert astore.get(db, call_id, 1)["purged_at"]


def test_retention_leaves_files_of_calls_closed_recently(app, db, call_id, clock):
    [row] = add(app, db, call_id, [("a.jpg", jpeg())], clock).saved
    db["calls"].update(call_id, {"status": "Closed", "closed_at": "2025-06-10 10:00:00"})
    assert removal.purge_closed(db, app.instance_path, datetime(2024, 11, 23), at=clock()) == 0
    assert files.path_of(app.instance_path, row["stored_name"]).exists()

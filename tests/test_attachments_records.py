"""Attachments in the kit's records: backup and restore, the daily job's retention rule,
the CSV export, the settings page."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from attachments_support import jpeg, sample

from kit import settings
from kit.attachments import api, files, limits, removal
from kit.attachments import store as astore
from kit.backup import backup, restore
from kit.daily import daily_for_app


def add(app, db, call_id, clock, *uploads):
    return api.add_files(
        db,
        app.instance_path,
        call_id,
        list(uploads),
        added_by=None,
        source=api.MAIL,
        limits=limits.for_staff(db),
        at=clock(),
    ).saved


def test_backup_and_restore_bring_back_the_files_with_their_calls(
    app, db, make_call, clock, tmp_path
):
    call_id = make_call()
    saved = add(app, db, call_id, clock, ("a.pdf", sample("report.pdf")), ("b.jpg", jpeg()))
    archive = tmp_path / "backup.zip"
    backup(Path(app.instance_path), Path(app.config["DATABASE"]), archive)
    elsewhere = tmp_path / "restored"
    restore(archive, elsewhere, elsewhere / "kit.sqlite3")
    for row in saved:
        original = files.path_of(app.instance_path, row["stored_name"]).read_bytes()
        assert files.path_of(elsewhere, row["stored_name"]).read_bytes() == original
        assert files.path_of(elsewhere, row.get("thumb_name") or row["stored_name"]).exists()
    from kit.db import connect

    restored = connect(str(elsewhere / "kit.sqlite3"))
    assert [r["name"] for r in astore.for_call(restored, call_id)] == ["b.jpg", "a.pdf"]
    restored.conn.close()


@pytest.mark.parametrize(
    ("at", "months", "cutoff"),
    [
        (datetime(2026, 11, 23, 7), 24, datetime(2024, 11, 23, 7)),
        (datetime(2026, 3, 31, 7), 1, datetime(2026, 2, 28, 7)),
        (datetime(2026, 1, 15, 7), 1, datetime(2025, 12, 15, 7)),
    ],
)
def test_the_retention_cutoff_counts_whole_months_back(at, months, cutoff):
    assert removal.retention_cutoff(at, months) == cutoff


def test_no_retention_cutoff_when_the_school_keeps_files():
    assert removal.retention_cutoff(datetime(2026, 11, 23), 0) is None


def test_the_daily_job_deletes_files_of_calls_closed_past_the_retention(app, db, make_call, clock):
    old, recent = make_call(summary="Old"), make_call(summary="Recent")
    [old_row] = add(app, db, old, clock, ("old.jpg", jpeg()))
    [new_row] = add(app, db, recent, clock, ("new.jpg", jpeg()))
    db["calls"].update(old, {"status": "Closed", "closed_at": "2024-10-01 10:00:00"})
    db["calls"].update(recent, {"status": "Closed", "closed_at": "2025-01-01 10:00:00"})
    report = daily_for_app(app)
    assert report.files_deleted == 1
    assert not files.path_of(app.instance_path, old_row["stored_name"]).exists()
    assert not files.path_of(app.instance_path, old_row["thumb_name"]).exists()
    assert files.path_of(app.instance_path, new_row["stored_name"]).exists()
    assert "Attachments deleted under the retention rule: 1" in str(report)
    assert daily_for_app(app).files_deleted == 0  # nothing twice


def test_the_call_page_says_a_file_was_deleted_under_the_retention_rule(
    app, db, make_call, clock, login, client
):
    call_id = make_call()
    add(app, db, call_id, clock, ("old.jpg", jpeg()))
    db["calls"].update(call_id, {"status": "Closed", "closed_at": "2024-10-01 10:00:00"})
    daily_for_app(app)
    login("desk")
    page = client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "deleted" in page and "retention rule" in page
    assert client.get(f"/calls/{call_id}/attachments/1").status_code == 404


def test_a_school_that_keeps_files_for_ever_loses_none(app, db, make_call, clock):
    settings.put(db, "attachment_retention_months", 0, user_id=None, at="2026-11-23 09:00:00")
    call_id = make_call()
    add(app, db, call_id, clock, ("old.jpg", jpeg()))
    db["calls"].update(call_id, {"status": "Closed", "closed_at": "2010-10-01 10:00:00"})
    assert daily_for_app(app).files_deleted == 0


def test_the_csv_export_counts_each_calls_kept_files(
    app, db, make_call, clock, login, client, users
):
    call_id = make_call()
    add(app, db, call_id, clock, ("a.jpg", jpeg()), ("b.jpg", jpeg()))
    removal.remove(db, call_id, 1, user_id=users["desk"], reason="Wrong call", at=clock())
    login("admin")
    text = client.get("/reports/export/calls.csv").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    assert row[header.index("Attachments")] == "1"


def test_the_settings_page_offers_the_kinds_and_limits(app, db, login, client):
    login("admin")
    page = client.get("/admin/settings/").get_data(as_text=True)
    assert "Files the kit keeps" in page and "HEIC photo (iPhone)" in page
    assert "Delete files of calls closed more than (months) ago" in page


def test_a_kind_the_kit_does_not_know_cannot_be_set():
    from kit.setup import checks

    assert checks.check("attachment_kinds", ["pdf", "jpeg"]) == ["jpeg", "pdf"]
    with pytest.raises(ValueError):
        checks.check("attachment_kinds", ["exe"])
    with pytest.raises(ValueError):
        checks.check("attachment_kinds", [])

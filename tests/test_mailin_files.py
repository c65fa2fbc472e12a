"""Files that come with mail: kept with the call under the mail limits (settings), what
is not kept named on the call with why; held mail keeps its files until the desk logs it."""

from __future__ import annotations

import pytest
from mailin_support import add_staff, png, run_fetch, with_files

from kit import settings
from kit.attachments import store as attached
from kit.calls import history_store
from kit.calls import store as calls

AT = "2026-11-23 09:00:00"


@pytest.fixture
def staff(db, users):
    users["admin"]
    return add_staff(db)


def _only_call(db):
    [call] = list(db["calls"].rows)
    return calls.get_call(db, call["id"])


def _not_kept(db, call_id) -> str:
    return " ".join(
        e["text"] or ""
        for e in history_store.history(db, call_id)
        if e["kind"] in ("attachments_added", "attachments_refused")
    )


def test_a_mail_with_more_files_than_the_web_form_takes_keeps_them_all(app, db, mailbox, staff):
    photos = [
        (f"photo{n}.png", png(colour=c))
        for n, c in enumerate(["red", "blue", "green", "gray", "navy"])
    ]
    mailbox.deliver(with_files(photos))
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    kept = attached.for_call(db, call["id"])
    assert sorted(f["name"] for f in kept) == [f"photo{n}.png" for n in range(5)]
    assert "Not kept" not in _not_kept(db, call["id"])


def test_files_past_the_mail_limit_are_named_on_the_call_and_the_first_are_kept(
    app, db, mailbox, staff
):
    settings.put(db, "attachment_mail_files", 2, user_id=None, at=AT)
    mailbox.deliver(with_files([(f"photo{n}.png", png()) for n in range(4)]))
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert sorted(f["name"] for f in attached.for_call(db, call["id"])) == [
        "photo0.png",
        "photo1.png",
    ]
    said = _not_kept(db, call["id"])
    assert "“photo2.png” was not kept: one mail adds at most 2 files" in said
    assert "“photo3.png” was not kept" in said


def test_a_file_over_the_mail_size_limit_is_named_and_the_others_are_kept(app, db, mailbox, staff):
    import os

    settings.put(db, "attachment_mail_file_mb", 1, user_id=None, at=AT)
    mailbox.deliver(with_files([("big.png", os.urandom(1024 * 1024 + 10)), ("small.png", png())]))
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert [f["name"] for f in attached.for_call(db, call["id"])] == ["small.png"]
    said = _not_kept(db, call["id"])
    assert "“big.png” is larger than the limit of 1.0 MB a file." in said
    assert "send a smaller copy" not in said  # advice for a form's sender, not the desk


def test_a_program_in_a_mail_is_not_kept_and_the_call_says_so(app, db, mailbox, staff):
    mailbox.deliver(with_files([("setup.exe", b"MZ\x90\x00" + b"\x00" * 200)]))
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert attached.for_call(db, call["id"]) == []
    assert _not_kept(db, call["id"]).startswith("Files in the mail that were not kept: “setup.exe”")


STRANGER = "sales@elsewhere.example"


def _hold_with_photos(app, db, mailbox, n: int = 2, message_id: str = "<held1@elsewhere.example>"):
    photos = [(f"screen{i}.png", png(colour="blue")) for i in range(n)]
    mailbox.deliver(with_files(photos, sender=STRANGER, message_id=message_id))
    run_fetch(app, db, mailbox)
    return db.execute("SELECT id FROM mail_in WHERE message_id = ?", [message_id]).fetchone()[0]


def _log_held(post, db, message_id: str):
    from kit.mailin.routes import held_key

    category = db.execute("SELECT id FROM categories WHERE name = 'Printer or copier'").fetchone()
    form = {
        "caller_name": "A Parent",
        "caller_email": STRANGER,
        "channel": "Email",
        "category_id": str(category[0]),
        "location_id": "0",
        "summary": "Photos of the broken projector",
        "details": "The projector in S12 shows stripes.",
        "submission_key": held_key(message_id),
    }
    return post("/calls/new", form, token_from="/calls/new")


def test_held_mail_keeps_its_files_until_the_desk_logs_it_then_they_go_with_the_call(
    app, db, mailbox, staff, login, post
):
    held = _hold_with_photos(app, db, mailbox)
    client = login("desk")
    page = client.get(f"/mail/held/{held}").get_data(as_text=True)
    assert "logging it as a call keeps them with the call" in page
    assert _log_held(post, db, "<held1@elsewhere.example>").status_code == 302
    call = _only_call(db)
    assert sorted(f["name"] for f in attached.for_call(db, call["id"])) == [
        "screen0.png",
        "screen1.png",
    ]
    row = db["mail_in"].get(held)
    assert row["state"] == "logged" and row["raw"] is None  # the copy is no longer needed


def test_held_mail_past_the_space_set_aside_keeps_no_copy_and_says_so(
    app, db, mailbox, staff, monkeypatch
):
    from kit.mailin import intake

    first = _hold_with_photos(app, db, mailbox, n=1, message_id="<a@elsewhere.example>")
    monkeypatch.setattr(intake, "HELD_RAW_BUDGET", len(db["mail_in"].get(first)["raw"]) + 100)
    second = _hold_with_photos(app, db, mailbox, n=1, message_id="<b@elsewhere.example>")
    assert db["mail_in"].get(first)["raw"]
    kept = db["mail_in"].get(second)
    assert kept["raw"] is None and "No copy of it was kept" in kept["reason"]
    assert "it is in the desk's mailbox" in kept["reason"]


def test_the_daily_job_deletes_copies_of_settled_and_long_held_mail(app, db, mailbox, staff, clock):
    from datetime import timedelta

    from kit.daily import run_daily
    from kit.mailin import store

    old = _hold_with_photos(app, db, mailbox, n=1, message_id="<old@elsewhere.example>")
    clock.set(clock() + timedelta(days=59))
    recent = _hold_with_photos(app, db, mailbox, n=1, message_id="<recent@elsewhere.example>")
    gone = _hold_with_photos(app, db, mailbox, n=1, message_id="<gone@elsewhere.example>")
    store.settle(db, gone, "discarded", user_id=None, at=clock())
    clock.set(clock() + timedelta(days=2))  # the first is now 61 days held
    report = run_daily(db, app.config, clock(), settings.calendar(db))
    assert report.mail_copies_deleted == 2
    assert db["mail_in"].get(old)["raw"] is None and db["mail_in"].get(gone)["raw"] is None
    assert db["mail_in"].get(recent)["raw"]
    assert "Copies of held mail deleted: 2" in str(report)


def test_mail_keeps_only_pictures_and_pdfs_since_its_sender_is_not_proven(app, db, mailbox, staff):
    mailbox.deliver(
        with_files([("error.txt", b"Error 0x80070005 access denied\n"), ("s.png", png())])
    )
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert [f["name"] for f in attached.for_call(db, call["id"])] == ["s.png"]
    assert "“error.txt” is a text file or log, which this school does not keep here" in _not_kept(
        db, call["id"]
    )


def test_files_the_kit_fails_on_are_named_as_not_kept_and_the_fetch_goes_on(
    app, db, mailbox, staff, monkeypatch
):
    from kit.attachments import api

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in picture handling")

    monkeypatch.setattr(api, "prepare_one", broken)
    mailbox.deliver(with_files([("s.png", png())]))
    mailbox.deliver(with_files([("t.png", png())], message_id="<files2@school.example>"))
    report = run_fetch(app, db, mailbox)
    assert report.ok and len(report.calls) == 2
    for call in db["calls"].rows:
        said = _not_kept(db, call["id"])
        assert "The 1 file(s) in the mail could not be kept: the kit failed on them" in said
    assert all(b"\\Seen" in flags for flags in mailbox.flags().values())

"""Mail in against a real IMAP server (Dovecot): each mail becomes one call, a note, held
or ignored, exactly once, and is marked seen only after that is saved."""

from __future__ import annotations

import pytest
from mailin_support import DESK, add_staff, plain, run_fetch, sample

from kit.calls import history_store
from kit.calls import store as calls


@pytest.fixture
def staff(db, users):
    users["admin"]
    return add_staff(db)


def _only_call(db):
    [call] = list(db["calls"].rows)
    return calls.get_call(db, call["id"])


def test_a_mail_from_staff_becomes_one_call_for_the_desk_to_check(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"))
    report = run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert report.calls == [call["ref"]] and report.ok
    assert (call["channel"], call["status"], call["call_type"]) == ("Email", "Logged", "Incident")
    assert call["category"] == "Fault reported on the web form"  # the outside faults' triage
    assert call["summary"] == "Projector in S12 says No signal"
    assert call["caller_id"] == staff["ann"] and call["caller_name"] == "Ann Teacher"
    assert call["caller_phone"] == "214" and call["logged_by"] is None
    assert call["submission_key"].startswith("mail:<AM7PR01MB6547C1E2")
    assert "tried the other HDMI cable" in call["details"]


def test_a_mail_asking_for_something_new_is_a_request_as_on_the_web_form(app, db, mailbox, staff):
    mailbox.deliver(plain(subject="New login", body="Could I have a login for our new TA?"))
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert (call["call_type"], call["category"]) == ("Request", "Information or advice")


def test_the_signature_is_cut_from_the_call(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    details = _only_call(db)["details"]
    assert details.endswith("Thanks,\nAnn") and "Head of Year 8" not in details


def test_a_new_call_by_mail_is_acknowledged_with_its_reference_and_link(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    [ack] = list(db["outbox"].rows_where("kind = 'logged'"))
    assert ack["to_addr"] == "ann.teacher@school.example"
    assert f"[Call {call['ref']}]" in ack["subject"]
    assert "/my-call/" in ack["body"]
    assert ack["in_reply_to"].startswith("<AM7PR01MB6547C1E2")


def test_the_mail_is_marked_seen_after_the_call_is_saved_and_never_deleted(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    assert [b"\\Seen" in flags for flags in mailbox.flags().values()] == [True]
    assert mailbox.count() == 1


def test_a_mail_marked_unread_again_is_not_logged_twice(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    mailbox.mark_all_unseen()
    report = run_fetch(app, db, mailbox)
    assert db["calls"].count == 1 and report.calls == [] and report.already == 1
    assert db["outbox"].count_where("kind = 'logged'") == 1
    assert all(b"\\Seen" in flags for flags in mailbox.flags().values())


def test_the_same_mail_twice_in_the_mailbox_is_one_call(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"))
    mailbox.deliver(sample("outlook_new.eml"))
    report = run_fetch(app, db, mailbox)
    assert db["calls"].count == 1 and len(report.calls) == 1 and report.already == 1


def test_a_crash_after_the_call_but_before_the_record_logs_nothing_twice(app, db, mailbox, staff):
    """The call was committed, then the kit died before recording the mail and flagging it."""
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox)
    db.execute("DELETE FROM mail_in")
    mailbox.mark_all_unseen()
    run_fetch(app, db, mailbox)
    assert db["calls"].count == 1
    assert db["outbox"].count_where("kind = 'logged'") == 1


def test_the_done_folder_receives_handled_mail(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"))
    run_fetch(app, db, mailbox, IMAP_DONE_FOLDER="Logged")
    assert mailbox.count("INBOX") == 0 and mailbox.count("Logged") == 1


def test_mail_already_read_by_a_person_is_left_alone(app, db, mailbox, staff):
    mailbox.deliver(sample("outlook_new.eml"), seen=True)
    assert run_fetch(app, db, mailbox).calls == [] and db["calls"].count == 0


def test_html_only_mail_becomes_readable_text(app, db, mailbox, staff, users):
    from kit.directory import store as directory

    directory.add_person(db, name="Dee Office", email="dee.office@school.example")
    mailbox.deliver(sample("html_only.eml"))
    run_fetch(app, db, mailbox)
    details = _only_call(db)["details"]
    assert "* Canon in the main office" in details and "Neither prints" in details
    assert "alert" not in details and "color" not in details and "tracker" not in details


def test_a_mail_with_a_photo_keeps_it_with_the_call(app, db, mailbox, staff):
    from kit.attachments import store as attached

    mailbox.deliver(sample("apple_mail_photo.eml"))
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert call["details"] == (
        "No wifi on any of the library laptops since lunch. Photo of the error attached."
    )
    [photo] = attached.for_call(db, call["id"])
    assert photo["kind"] == "jpeg" or photo["mime"] == "image/jpeg"


def test_a_file_the_kit_does_not_keep_is_named_in_the_calls_history(app, db, mailbox, staff):
    raw = (
        b"From: ann.teacher@school.example\r\nTo: d@school.example\r\nSubject: Macro\r\n"
        b"Message-ID: <exe1@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/plain\r\n\r\nSee the file.\r\n--B\r\n"
        b'Content-Type: application/octet-stream; name="setup.exe"\r\n'
        b'Content-Disposition: attachment; filename="setup.exe"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA\r\n--B--\r\n"
    )
    mailbox.deliver(raw)
    run_fetch(app, db, mailbox)
    call = _only_call(db)
    events = [e for e in history_store.history(db, call["id"]) if "setup.exe" in (e["text"] or "")]
    assert events and db["attachments"].count == 0


def test_staff_at_the_school_domain_but_not_in_the_directory_get_a_call(app, db, mailbox, staff):
    mailbox.deliver(plain(sender="New Teacher <new.teacher@school.example>"))
    report = run_fetch(app, db, mailbox)
    call = _only_call(db)
    assert len(report.calls) == 1 and call["caller_id"] is None
    assert call["caller_name"] == "New Teacher"


def test_a_stranger_is_held_and_sent_nothing(app, db, mailbox, staff):
    mailbox.deliver(sample("stranger.eml"))
    report = run_fetch(app, db, mailbox)
    assert report.held == 1 and db["calls"].count == 0 and db["outbox"].count == 0
    [held] = list(db["mail_in"].rows_where("state = 'held'"))
    assert held["sender"] == "offers@elsewhere.example" and "not in the staff" in held["reason"]
    assert all(b"\\Seen" in flags for flags in mailbox.flags().values())


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (sample("outlook_auto_reply.eml"), "Auto-Submitted"),
        (sample("bounce.eml"), "mailer-daemon"),
        (plain(headers="X-Autoreply: yes\r\n"), "automatic reply"),
        (plain(headers="X-Autorespond: yes\r\n"), "automatic reply"),
        (plain(headers="Precedence: bulk\r\n"), "bulk"),
        (plain(headers="Precedence: junk\r\n"), "junk"),
        (plain(headers="Precedence: list\r\n"), "list"),
        (plain(headers="Precedence: auto_reply\r\n"), "auto_reply"),
        (plain(sender=f"Desk <{DESK}>"), "own address"),
        (plain(sender="postmaster@school.example"), "postmaster"),
    ],
    ids=[
        "auto-submitted",
        "bounce",
        "x-autoreply",
        "x-autorespond",
        "bulk",
        "junk",
        "list",
        "auto_reply",
        "own-address",
        "postmaster",
    ],
)
def test_automatic_mail_is_never_logged_nor_answered(app, db, mailbox, staff, raw, why):
    mailbox.deliver(raw)
    report = run_fetch(app, db, mailbox)
    assert report.ignored == 1 and db["calls"].count == 0 and db["outbox"].count == 0
    [row] = list(db["mail_in"].rows)
    assert row["outcome"] == "ignored" and why.lower() in row["reason"].lower()


def test_auto_submitted_no_is_a_person(app, db, mailbox, staff):
    mailbox.deliver(plain(headers="Auto-Submitted: no\r\n"))
    assert len(run_fetch(app, db, mailbox).calls) == 1


def test_no_sender_gets_more_than_three_acknowledgements_an_hour(app, db, mailbox, staff):
    for n in range(5):
        mailbox.deliver(plain(subject=f"Fault {n}", message_id=f"<fault{n}@school.example>"))
    report = run_fetch(app, db, mailbox)
    assert len(report.calls) == 5
    assert db["outbox"].count_where("kind = 'logged'") == 3


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (sample("broken_mime.eml"), "MIME structure is broken"),
        (sample("unknown_charset.eml"), "character set"),
        (b"Subject: nobody sent this\r\nMessage-ID: <nosender@x>\r\n\r\nhello\r\n", "no sender"),
        (plain(subject="x" * 10_000), "10,000 characters"),
    ],
    ids=["broken-mime", "unknown-charset", "no-sender", "huge-subject"],
)
def test_a_mail_that_cannot_be_read_is_held_with_its_reason_and_raw_form(
    app, db, mailbox, staff, raw, why
):
    mailbox.deliver(raw)
    mailbox.deliver(sample("outlook_new.eml"))
    report = run_fetch(app, db, mailbox)
    assert report.failed == 1 and len(report.calls) == 1
    [held] = list(db["mail_in"].rows_where("outcome = 'failed'"))
    assert held["state"] == "held" and why in held["reason"]
    assert bytes(held["raw"]).replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")


def test_thirty_megabytes_of_base64_is_held_not_read(app, db, mailbox, staff):
    import base64
    import os

    blob = base64.encodebytes(os.urandom(23 * 1024 * 1024)).replace(b"\n", b"\r\n")
    raw = plain(body="see attached").replace(b"see attached", blob)
    mailbox.deliver(raw)
    report = run_fetch(app, db, mailbox)
    assert report.failed == 1 and db["calls"].count == 0
    [held] = list(db["mail_in"].rows)
    assert "MB" in held["reason"]


def test_a_second_fetch_while_one_holds_the_lease_takes_nothing(app, db, mailbox, staff, clock):
    from kit.mailin import store

    mailbox.deliver(sample("outlook_new.eml"))
    token = store.take_lease(db, clock(), 300)
    report = run_fetch(app, db, mailbox)
    assert report.busy and not report.ok and db["calls"].count == 0
    assert all(b"\\Seen" not in flags for flags in mailbox.flags().values())
    store.release_lease(db, token)
    assert len(run_fetch(app, db, mailbox).calls) == 1


def test_a_lease_left_by_a_fetch_that_died_runs_out(app, db, mailbox, staff, clock):
    from datetime import timedelta

    from kit.mailin import store

    mailbox.deliver(sample("outlook_new.eml"))
    store.take_lease(db, clock(), 300)
    clock.set(clock() + timedelta(seconds=301))
    assert len(run_fetch(app, db, mailbox).calls) == 1


def test_two_fetches_at_once_log_each_mail_once(app, mailbox, staff):
    import threading

    from kit.db import connect

    for n in range(20):
        mailbox.deliver(plain(subject=f"Fault {n}", message_id=f"<both{n}@school.example>"))
    reports = []

    def one_fetch():
        own = connect(app.config["DATABASE"])
        try:
            reports.append(run_fetch(app, own, mailbox))
        finally:
            own.conn.close()

    threads = [threading.Thread(target=one_fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    check = connect(app.config["DATABASE"])
    keys = [r[0] for r in check.execute("SELECT submission_key FROM calls").fetchall()]
    check.conn.close()
    assert sorted(keys) == sorted({f"mail:<both{n}@school.example>" for n in range(20)})
    assert sum(len(r.calls) for r in reports) == 20


def test_a_mail_deleted_by_a_person_while_the_fetch_runs_is_skipped_not_held(
    app, db, mailbox, staff, monkeypatch
):
    from kit.mailin import imap

    mailbox.deliver(plain(message_id="<one@school.example>"))
    mailbox.deliver(plain(message_id="<two@school.example>", subject="Second"))
    unseen = imap.unseen
    monkeypatch.setattr(imap, "unseen", lambda client: [*unseen(client), 999])  # gone since
    report = run_fetch(app, db, mailbox)
    assert len(report.calls) == 2 and report.failed == 0 and report.ok
    assert db["mail_in"].count == 2


def test_a_full_disk_leaves_the_mail_unread_for_the_next_poll(app, db, mailbox, staff, monkeypatch):
    """A mail the database could not take (disk full, locked too long) is not the mail's
    fault: it is not recorded as failed, stays unread, and the next poll logs it."""
    import sqlite3

    from kit.mailin import intake

    mailbox.deliver(plain())
    handle = intake.handle

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(intake, "handle", disk_full)
    report = run_fetch(app, db, mailbox)
    assert "disk is full" in report.error
    assert db["mail_in"].count == 0
    assert all(b"\\Seen" not in flags for flags in mailbox.flags().values())

    monkeypatch.setattr(intake, "handle", handle)
    report = run_fetch(app, db, mailbox)
    assert len(report.calls) == 1 and db["calls"].count == 1
    assert all(b"\\Seen" in flags for flags in mailbox.flags().values())


def test_a_lease_a_full_disk_kept_from_being_released_does_not_stop_the_next_fetch(
    app, db, mailbox, staff, monkeypatch
):
    """The fetch could not give its lease back (the disk was full at that moment): the
    same process's next fetch takes it again instead of reading no mail for five minutes."""
    import sqlite3

    from kit.mailin import fetch, store

    release = store.release_lease

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    mailbox.deliver(plain(message_id="<first@school.example>"))
    monkeypatch.setattr(store, "release_lease", disk_full)
    assert len(run_fetch(app, db, mailbox).calls) == 1
    assert db["mail_in_lease"].count == 1 and fetch.LEFT_BEHIND

    monkeypatch.setattr(store, "release_lease", release)
    mailbox.deliver(plain(message_id="<second@school.example>", subject="Screen flickers"))
    report = run_fetch(app, db, mailbox)
    assert not report.busy and len(report.calls) == 1
    assert db["mail_in_lease"].count == 0 and not fetch.LEFT_BEHIND


def test_a_lease_held_by_a_process_that_was_killed_does_not_stop_the_next_fetch(
    app, db, mailbox, staff, clock
):
    """kill -9 in the middle of a fetch leaves its lease behind (nothing of that fetch was
    flagged read): the next fetch takes it at once instead of waiting five minutes."""
    import subprocess
    from datetime import timedelta

    from kit.db import stamp

    gone = subprocess.Popen(["true"])  # a process that has ended
    gone.wait()
    db["mail_in_lease"].insert(
        {
            "name": "fetch",
            "holder": f"{gone.pid}-0123456789abcdef",
            "expires_at": stamp(clock() + timedelta(minutes=5)),
        }
    )
    mailbox.deliver(plain())
    report = run_fetch(app, db, mailbox)
    assert not report.busy and len(report.calls) == 1

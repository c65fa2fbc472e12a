"""`kit print jobs`: a batch of job sheets on the command line, with its progress shown."""

from __future__ import annotations

from pypdf import PdfReader

from kit.calls import log_store as calls
from kit.cli import main


def run(app, *args):
    return app.test_cli_runner().invoke(main, ["print", "jobs", *args])


def test_todays_new_jobs_are_printed_one_sheet_after_another_behind_a_progress_bar(
    app, db, make_call, users, tmp_path
):
    first = db["calls"].get(make_call(summary="Projector shows no picture"))
    second = db["calls"].get(make_call(summary="Printer jams on every page"))
    out = tmp_path / "today.pdf"
    result = run(app, str(out), "--for", "desk", "--today")
    assert result.exit_code == 0, result.output
    assert "Rendering job sheets" in result.output
    assert f"2 job sheets written to {out}." in result.output
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert first["ref"] in text and second["ref"] in text
    assert text.index(first["ref"]) != text.index(second["ref"])


def test_a_technician_gets_only_calls_routed_to_them(app, db, make_call, users, tmp_path):
    users["technician"]
    make_call()  # logged and owned by the desk: not routed to the technician
    result = run(app, str(tmp_path / "mine.pdf"), "--for", "technician", "--today")
    assert result.exit_code == 1 and "There are no calls to print." in result.output
    assert not (tmp_path / "mine.pdf").exists()


def test_someone_who_may_not_print_batches_and_an_unknown_account_are_refused(app, users, tmp_path):
    users["leader"]
    assert "may not print batches" in run(app, str(tmp_path / "x.pdf"), "--for", "leader").output
    assert "no account called" in run(app, str(tmp_path / "x.pdf"), "--for", "nobody").output


def test_the_batch_is_the_print_pages_my_jobs(app, db, make_call, users):
    from kit.auth import store as accounts
    from kit.printing.commands import _filter

    make_call()
    desk = accounts.load_user(db, accounts.find_by_username(db, "desk"))
    found, _total = calls.search_calls(db, _filter(desk, today=False), sort="queue")
    assert found and all(c["assignee_id"] == desk.id for c in found)

"""`kit mail fetch` at a terminal: a progress bar on standard error that counts the mails
as their batches are committed, on a real Dovecot mailbox; cron's log gets only the summary."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from mailin_support import DESK, plain

from kit.mailin.fetch import BATCH

MAILS = BATCH + 10


@pytest.fixture
def instance(tmp_path, mailbox):
    folder = tmp_path / "instance"
    folder.mkdir()
    values = {**mailbox.config(), "MAIL_FROM": DESK}
    (folder / "config.py").write_text("".join(f"{k} = {v!r}\n" for k, v in values.items()))
    return folder


@pytest.fixture
def terminal(monkeypatch):
    """Standard error is a terminal, as when a person runs the command."""
    import click._termui_impl

    monkeypatch.setattr(click._termui_impl, "isatty", lambda stream: True)


def _deliver(mailbox, count: int) -> None:
    with mailbox.client() as client:
        for n in range(count):
            client.append(
                "INBOX",
                plain(
                    sender=f"teacher{n}@school.example",
                    subject=f"Fault {n}",
                    message_id=f"<cli{n}@school.example>",
                ),
            )


def _fetch(instance, *args: str):
    from kit.cli import main

    return CliRunner().invoke(main, ["mail", "fetch", *args], env={"KIT_INSTANCE": str(instance)})


def test_the_progress_bar_counts_each_batch_as_it_is_saved_up_to_every_mail(
    instance, mailbox, terminal
):
    _deliver(mailbox, MAILS)
    result = _fetch(instance, "--progress")
    assert result.exit_code == 0, result.output
    frames = [f.strip() for f in result.stderr.split("\r") if f.strip()]
    assert frames[0].startswith("Reading mail") and f"0/{MAILS}" in frames[0]
    assert any(f"{BATCH}/{MAILS}" in f for f in frames)  # the first batch, once committed
    assert f"{MAILS}/{MAILS}" in frames[-1] and "100%" in frames[-1]
    assert f"{MAILS} new call(s)" in result.stdout and "Reading mail" not in result.stdout


def test_from_cron_there_is_no_bar_only_the_summary(instance, mailbox):
    _deliver(mailbox, 3)
    result = _fetch(instance)  # standard error is not a terminal
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and "3 new call(s)" in result.stdout


def test_no_progress_turns_the_bar_off_at_a_terminal(instance, mailbox, terminal):
    _deliver(mailbox, 3)
    result = _fetch(instance, "--no-progress")
    assert result.stderr == "" and "3 new call(s)" in result.stdout


def test_an_empty_mailbox_shows_no_bar(instance, mailbox, terminal):
    result = _fetch(instance, "--progress")
    assert result.exit_code == 0 and result.stderr == ""
    assert "0 new call(s)" in result.stdout


@pytest.fixture
def silent_server():
    """A server that takes the connection and never says a word (a hung mail server)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    yield listener.getsockname()[1]
    listener.close()


def test_a_server_that_never_answers_is_one_line_after_the_timeout(
    tmp_path, silent_server, app, db, users, login
):
    folder = tmp_path / "silent"
    folder.mkdir()
    (folder / "config.py").write_text(
        f"IMAP_HOST = '127.0.0.1'\nIMAP_PORT = {silent_server}\nIMAP_SECURITY = 'none'\n"
        "IMAP_USERNAME = 'desk'\nIMAP_PASSWORD = 'x'\nIMAP_TIMEOUT = 1\n"
    )
    result = _fetch(folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == (
        f"The mail server 127.0.0.1:{silent_server} did not answer in time. "
        "(0 new call(s), 0 reply(ies) added to calls, 0 held for the desk, "
        "0 ignored (automatic mail), 0 could not be read before it stopped)"
    )


def test_the_admins_mail_page_says_the_last_fetch_failed_and_why(
    app, db, users, login, silent_server
):
    from kit.db import now
    from kit.mailin.fetch import fetch

    values = config_for(silent_server)
    app.config.update(values)  # the school's config.py names this server
    with app.app_context():
        fetch(db, values, now)
    page = login("admin").get("/mail/setup").get_data(as_text=True)
    assert "never read successfully yet; the latest try failed" in page
    assert f"The mail server 127.0.0.1:{silent_server} did not answer in time." in page


def config_for(port: int) -> dict:
    from kit.mailin import config

    return config.effective(
        {
            "IMAP_HOST": "127.0.0.1",
            "IMAP_PORT": port,
            "IMAP_SECURITY": "none",
            "IMAP_USERNAME": "desk",
            "IMAP_PASSWORD": "x",
            "IMAP_TIMEOUT": 1,
        }
    )

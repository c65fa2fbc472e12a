"""The admin's mail page, "test the connection" against real servers (Dovecot, aiosmtpd),
the Microsoft 365 sign-in (msal against a local HTTPS token server, then XOAUTH2 on the
real servers), and `kit mail fetch` when the server is down."""

from __future__ import annotations

import base64
import json
import os
import stat

import pytest
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from mailin_support import add_staff, run_fetch, sample
from oauth_support import TokenServer, token_server
from smtp_support import Collector, free_port, running

from kit.mailin import config


@pytest.fixture
def admin(login):
    return login("admin")


def _setup_form(**changes) -> dict:
    form = {
        "imap_host": "imap.school.example",
        "imap_port": "993",
        "imap_security": "ssl",
        "imap_username": "desk@school.example",
        "imap_password": "",
        "imap_folder": "INBOX",
        "imap_done_folder": "",
        "imap_poll_seconds": "60",
        "smtp_host": "",
        "smtp_port": "587",
        "smtp_username": "",
        "smtp_password": "",
        "mail_from": "desk@school.example",
        "mail_oauth_tenant": "",
        "mail_oauth_client_id": "",
        "mail_oauth_client_secret": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _save(post, **changes):
    return post("/mail/setup", _setup_form(**changes), token_from="/mail/setup")


def _saved(app) -> dict:
    return json.loads(config.saved_path(app.instance_path).read_text())


def test_saved_secrets_are_readable_by_the_kit_only_and_never_shown_back(app, admin, post):
    response = _save(post, imap_password="very-secret-password")
    assert response.status_code == 302
    path = config.saved_path(app.instance_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert _saved(app)["IMAP_PASSWORD"] == "very-secret-password"
    page = admin.get("/mail/setup").get_data(as_text=True)
    assert "very-secret-password" not in page and "A password is saved" in page
    assert "very-secret-pass" not in page


def test_an_empty_password_box_keeps_the_saved_password(app, admin, post):
    _save(post, imap_password="very-secret-password")
    _save(post, imap_host="imap2.school.example")
    assert _saved(app)["IMAP_PASSWORD"] == "very-secret-password"
    assert _saved(app)["IMAP_HOST"] == "imap2.school.example"


def test_forgetting_the_secrets_clears_them(app, admin, post):
    _save(post, imap_password="very-secret-password", mail_oauth_client_secret="abc")
    _save(post, clear_secrets="y")
    assert _saved(app)["IMAP_PASSWORD"] == "" and _saved(app)["MAIL_OAUTH_CLIENT_SECRET"] == ""


def test_a_bad_port_is_refused_with_what_was_typed_kept(admin, post):
    response = _save(post, imap_port="99999", imap_host="typed.school.example")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="typed.school.example"' in html
    assert "Number must be between" in html


def test_saved_settings_come_before_config(app, admin, post):
    app.config["IMAP_HOST"] = "from-config.example"
    assert config.for_app(app)["IMAP_HOST"] == "from-config.example"
    _save(post, imap_host="from-page.example")
    assert config.for_app(app)["IMAP_HOST"] == "from-page.example"


def _test_in(post, mailbox, password=None, port=None):
    _save(
        post,
        imap_host="127.0.0.1",
        imap_port=str(port or mailbox.server.port),
        imap_security="none",
        imap_username=mailbox.user,
        imap_password=password or mailbox.password,
    )
    return post("/mail/setup/test-in", {}, token_from="/mail/setup").get_data(as_text=True)


def test_testing_mail_in_reports_the_servers_welcome_and_the_folder(admin, post, mailbox):
    mailbox.deliver(sample("stranger.eml"))
    html = _test_in(post, mailbox)
    assert "Mail in: it works" in html and "Dovecot" in html
    assert "INBOX holds 1 mails, 1 unread" in html


def test_testing_mail_in_with_a_wrong_password_says_so_plainly(admin, post, mailbox):
    html = _test_in(post, mailbox, password="wrong-password")
    assert "it does not work yet" in html and "refused the user name or password" in html
    assert "Traceback" not in html


def test_testing_mail_in_with_no_server_says_nothing_answers(admin, post, mailbox):
    html = _test_in(post, mailbox, port=free_port())
    assert "Nothing answers at 127.0.0.1" in html


def test_testing_mail_out_reports_the_servers_answer(admin, post):
    with running() as server:
        _save(post, smtp_host="127.0.0.1", smtp_port=str(server.port))
        html = post("/mail/setup/test-out", {}, token_from="/mail/setup").get_data(as_text=True)
    assert "Mail out: it works" in html and "answers 250" in html and not server.envelopes


def test_testing_mail_out_with_no_server_says_nothing_answers(admin, post):
    _save(post, smtp_host="127.0.0.1", smtp_port=str(free_port()))
    html = post("/mail/setup/test-out", {}, token_from="/mail/setup").get_data(as_text=True)
    assert "it does not work yet" in html and "Nothing answers" in html


# --- Microsoft 365: msal's client-credentials token, then XOAUTH2 -------------------------


@pytest.fixture
def oauth_values(tmp_path):
    with token_server(tmp_path) as (authority, ca_file):
        yield {
            "MAIL_OAUTH_TENANT": "school-tenant",
            "MAIL_OAUTH_CLIENT_ID": "kit-app",
            "MAIL_OAUTH_CLIENT_SECRET": TokenServer.secret,
            "MAIL_OAUTH_AUTHORITY": authority,
            "MAIL_OAUTH_CA_FILE": ca_file,
        }


def test_mail_in_signs_in_with_xoauth2_using_the_apps_token(
    app, db, mailbox, dovecot, users, oauth_values
):
    users["admin"]
    add_staff(db)
    dovecot.accept_token(TokenServer.token, mailbox.user)
    mailbox.deliver(sample("outlook_new.eml"))
    report = run_fetch(app, db, mailbox, IMAP_PASSWORD="", **oauth_values)
    assert report.ok and len(report.calls) == 1
    [asked] = TokenServer.requests
    assert asked["grant_type"] == ["client_credentials"] and asked["client_id"] == ["kit-app"]
    assert asked["scope"][0].startswith("https://outlook.office365.com/.default")
    assert TokenServer.token in dovecot.tokens_asked
    assert f"user=<{mailbox.user}>, method=XOAUTH2" in dovecot.log()


def test_a_refused_app_sign_in_is_one_line_and_no_mail_is_read(
    app, db, mailbox, users, oauth_values
):
    users["admin"]
    mailbox.deliver(sample("outlook_new.eml"))
    values = {**oauth_values, "MAIL_OAUTH_CLIENT_SECRET": "wrong"}
    report = run_fetch(app, db, mailbox, **values)
    assert not report.ok and "Invalid client secret" in report.error
    assert "\n" not in report.error and db["calls"].count == 0


def test_mail_out_authenticates_with_xoauth2(db, make_call, clock, oauth_values, users):
    from kit.calls import workflow as wf
    from kit.mail.smtp import send_pending

    seen = []

    class XOAuthCollector(Collector):
        async def auth_XOAUTH2(self, server, args):  # noqa: N802 (aiosmtpd's name)
            seen.append(base64.b64decode(args[1]).decode())
            return AuthResult(success=True)

    call_id = make_call()
    group = db.execute("SELECT id FROM support_groups WHERE name = 'Service Delivery'").fetchone()
    wf.assign(
        db, call_id, group_id=group[0], assignee_id=users["technician"], user=None, at=clock()
    )
    with running(XOAuthCollector(), auth_require_tls=False) as server:
        values = {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": server.port,
            "MAIL_FROM": "desk@school.example",
            **oauth_values,
            "MAIL_OAUTH_SCOPE": "https://outlook.office365.com/.default",
        }
        report = send_pending(db, values, clock())
    assert report.sent and seen == [
        f"user=desk@school.example\x01auth=Bearer {TokenServer.token}\x01\x01"
    ]


# --- kit mail fetch ------------------------------------------------------------------------


def test_kit_mail_fetch_with_the_server_down_prints_one_line_and_no_traceback(tmp_path):
    from kit.cli import main

    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        f"IMAP_HOST = '127.0.0.1'\nIMAP_PORT = {free_port()}\nIMAP_SECURITY = 'none'\n"
        "IMAP_USERNAME = 'desk'\nIMAP_PASSWORD = 'x'\n"
    )
    result = CliRunner().invoke(main, ["mail", "fetch"], env={"KIT_INSTANCE": str(instance)})
    assert result.exit_code == 1
    assert "Nothing answers at 127.0.0.1" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_kit_mail_fetch_prints_what_it_did(tmp_path, mailbox):
    from kit.cli import main

    instance = tmp_path / "instance"
    instance.mkdir()
    settings = mailbox.config()
    (instance / "config.py").write_text(
        "".join(f"{key} = {value!r}\n" for key, value in settings.items())
    )
    mailbox.deliver(sample("stranger.eml"))
    mailbox.deliver(sample("bounce.eml"))
    result = CliRunner().invoke(main, ["mail", "fetch"], env={"KIT_INSTANCE": str(instance)})
    assert result.exit_code == 0, result.output
    assert "0 new call(s)" in result.output and "1 held for the desk" in result.output
    assert "1 ignored (automatic mail)" in result.output and "0 could not be read" in result.output


# --- kit serve's background poll -----------------------------------------------------------


def test_the_background_poll_logs_new_mail_without_a_command(app, db, mailbox, users):
    import time

    from kit.mailin.poller import Poller

    users["admin"]
    add_staff(db)
    app.config.update(mailbox.config(MAIL_FROM="servicedesk@school.example"))
    said = []
    poller = Poller(app, interval=lambda: 0.2, say=said.append).start()
    try:
        mailbox.deliver(sample("outlook_new.eml"))
        deadline = time.monotonic() + 15
        while db["calls"].count == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        poller.stop()
    assert db["calls"].count == 1 and any("1 new call(s)" in line for line in said)


def test_the_background_poll_reports_a_server_that_is_down_and_keeps_going(app, users):
    from kit.mailin.poller import Poller

    app.config.update(IMAP_HOST="127.0.0.1", IMAP_PORT=free_port(), IMAP_SECURITY="none")
    said = []
    poller = Poller(app, interval=lambda: 0.1, say=said.append)
    poller.poll_once()
    poller.poll_once()
    assert len(said) == 2 and all("Nothing answers" in line for line in said)


def test_the_daily_job_reports_the_last_successful_fetch(app, db, mailbox, users, clock):
    from kit.daily import daily_for_app

    users["admin"]
    app.config.update(mailbox.config())
    run_fetch(app, db, mailbox)
    report = daily_for_app(app)
    assert "Mail in: last read successfully at 2026-11-23 09:30" in str(report)

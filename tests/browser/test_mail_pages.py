"""Held mail and the admin's mail set-up, as the desk and the admin see them in Chromium,
with mail read from a real Dovecot."""

from __future__ import annotations

import pytest

from kit.mailin import config
from kit.mailin.fetch import fetch
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.mailin_support import add_staff, plain, sample

pytestmark = pytest.mark.browser


@pytest.fixture
def held_mail(app, db, users, mailbox):
    users["desk"]
    users["admin"]
    add_staff(db)
    mailbox.deliver(sample("stranger.eml"))
    mailbox.deliver(
        plain(
            sender="Pat Parent <pat.parent@home.example>",
            subject="Laptop from school will not charge",
            body="Hello,\n\nMy son's school laptop will not charge since Friday.\n\nPat",
            message_id="<p1@home.example>",
        )
    )
    mailbox.deliver(sample("broken_mime.eml"))
    values = config.effective({**mailbox.config(), "MAIL_FROM": "servicedesk@school.example"})
    fetch(db, values, app.config["NOW"], instance_path=app.instance_path)


def test_the_desk_logs_a_held_mail_as_a_call(held_mail, live_server, page, shot, axe_check):
    log_in(page, live_server, "desk", PASSWORD)
    page.get_by_role("link", name="Held mail").click()
    page.wait_for_url("**/mail/held")
    assert page.get_by_text("3 held mails").is_visible()
    axe_check(page, "held mail")
    shot("mail-held-list")
    page.get_by_role("link", name="Laptop from school will not charge").click()
    assert page.get_by_text("My son's school laptop will not charge").is_visible()
    axe_check(page, "one held mail")
    shot("mail-held-one")
    page.get_by_role("link", name="Log it as a call").click()
    page.wait_for_url("**/calls/new?mail=*")
    assert page.get_by_label("Caller", exact=True).input_value() == "Pat Parent"
    assert page.get_by_label("Summary").input_value() == "Laptop from school will not charge"
    page.get_by_label("Category").select_option(label="Computer or laptop fault")
    page.get_by_role("button", name="Log the call").click()
    page.wait_for_url("**/calls/*")
    page.get_by_role("link", name="Held mail").click()
    assert page.get_by_text("2 held mails").is_visible()


def test_the_admin_sets_up_mail_in_and_tests_it(
    app, users, mailbox, live_server, page, shot, axe_check
):
    users["admin"]
    log_in(page, live_server, "admin", PASSWORD)
    page.get_by_role("link", name="Mail set-up").click()
    page.wait_for_url("**/mail/setup")
    page.get_by_label("Mail server for mail in (IMAP)").fill("127.0.0.1")
    page.get_by_label("IMAP port").fill(str(mailbox.server.port))
    page.get_by_label("IMAP security").select_option("none")
    page.get_by_label("Mailbox user name").fill(mailbox.user)
    page.get_by_label("Mailbox password (or app password)").fill(mailbox.password)
    page.get_by_role("button", name="Save mail settings").click()
    page.get_by_role("button", name="Test mail in").click()
    assert page.get_by_text("Mail in: it works").is_visible()
    assert mailbox.password not in page.content()
    axe_check(page, "mail set-up")
    shot("mail-setup-tested")


def test_held_mail_with_photos_brings_them_to_the_call_the_desk_logs(
    app, db, users, mailbox, live_server, page, shot, axe_check
):
    from tests.mailin_support import png, with_files

    users["desk"]
    users["admin"]
    add_staff(db)
    photos = [("screen-front.png", png(320, 240, "navy")), ("screen-back.png", png(320, 240))]
    mailbox.deliver(with_files(photos, sender="Pat Parent <pat.parent@home.example>"))
    values = config.effective({**mailbox.config(), "MAIL_FROM": "servicedesk@school.example"})
    fetch(db, values, app.config["NOW"], instance_path=app.instance_path)
    log_in(page, live_server, "desk", PASSWORD)
    page.goto(f"{live_server}/mail/held")
    page.get_by_role("link", name="Photos of the broken projector").click()
    assert page.get_by_text("logging it as a call keeps them with the call").is_visible()
    axe_check(page, "held mail with files")
    shot("mail-held-with-files")
    page.get_by_role("link", name="Log it as a call").click()
    page.wait_for_url("**/calls/new?mail=*")
    page.get_by_label("Category").select_option(label="Projector or interactive display")
    page.get_by_role("button", name="Log the call").click()
    page.wait_for_url("**/calls/*")
    assert page.get_by_text("screen-front.png").first.is_visible()
    assert page.get_by_text("screen-back.png").first.is_visible()
    shot("mail-held-logged-with-files")

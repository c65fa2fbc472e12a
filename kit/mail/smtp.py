"""Send what waits in the outbox, by SMTP, when the school has configured a mail server.

With no `SMTP_HOST` nothing is sent and nothing changes: every message stays pending, so
the outbox shows what would have gone and a school that adds a server later loses nothing.
Each run is one attempt per pending message. A failure is recorded on the message (attempts,
last error) and retried by the next run; after `max_attempts` it is marked failed so a bad
address does not retry for ever. Before sending, a run claims the message's next attempt
with a conditional update that marks it "sending", so two runs at once (the daily job and
"send now") never send the same message twice, and nor does a run after one that died
(kill -9, a full disk) between the server taking a message and the kit noting it sent: such
a message stays "sending" and, after `STALE_SENDING`, is marked failed with a note that it
may have gone; the admin checks and retries it. A message is sent at most once.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlite_utils import Database

from kit.db import stamp
from kit.mail.outbox import attachments

DEFAULT_TIMEOUT = 20  # seconds per SMTP conversation step
DEFAULT_FROM = "servicedesk@school.example"


@dataclass
class SendReport:
    """What one run did: `configured` is False when no server is set (nothing was tried)."""

    configured: bool = True
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)  # failed this time, will be tried again
    failed: list[int] = field(default_factory=list)  # failed for the last time
    pending: int = 0  # still waiting after this run

    @property
    def summary(self) -> str:
        if not self.configured:
            return (
                f"No mail server is set up, so nothing was sent; {self.pending} message(s) "
                "wait in the outbox."
            )
        return (
            f"{len(self.sent)} sent, {len(self.retrying)} will be retried, "
            f"{len(self.failed)} failed for good."
        )


def build_message(
    row: Mapping[str, Any], sender: str, files: Sequence[Mapping[str, Any]] = ()
) -> EmailMessage:
    """The email for an outbox row and its attached `files` (kit.mail.outbox.attachments);
    raises ValueError for a header that would be unsafe."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row["to_addr"]
    if row["cc"]:
        msg["Cc"] = row["cc"]
    msg["Subject"] = row["subject"]
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = row.get("message_id") or make_msgid(idstring=f"outbox{row['id']}")
    if row.get("in_reply_to"):
        msg["In-Reply-To"] = row["in_reply_to"]
        msg["References"] = row["in_reply_to"]
    # RFC 3834: nothing the kit sends is a person's mail, so no one's autoresponder answers
    # it; an acknowledgement answers a mail ("auto-replied"), the rest are "auto-generated".
    msg["Auto-Submitted"] = "auto-replied" if row.get("in_reply_to") else "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(row["body"])
    for item in files:
        maintype, _, subtype = item["content_type"].partition("/")
        msg.add_attachment(
            bytes(item["content"]), maintype=maintype, subtype=subtype, filename=item["filename"]
        )
    return msg


def _pending(db: Database) -> list[dict[str, Any]]:
    return list(db["outbox"].rows_where("status = 'pending'", order_by="id"))


STALE_SENDING = timedelta(minutes=10)  # far past any one message's SMTP timeouts
MAYBE_SENT = (
    "The kit stopped while sending this message, so it may or may not have gone. "
    "Ask the recipient; Retry sends it again."
)


def _claim(db: Database, row: Mapping[str, Any], at: datetime) -> bool:
    """Take this message's next attempt; False when another run took it first."""
    cursor = db.execute(
        "UPDATE outbox SET attempts = attempts + 1, status = 'sending', claimed_at = ? "
        "WHERE id = ? AND status = 'pending' AND attempts = ?",
        [stamp(at), row["id"], row["attempts"]],
    )
    return cursor.rowcount == 1


def _give_up_on_stale(db: Database, at: datetime) -> None:
    """Messages a dead run left "sending": failed, for a person to check, never resent."""
    db.execute(
        "UPDATE outbox SET status = 'failed', last_error = ? "
        "WHERE status = 'sending' AND claimed_at < ?",
        [MAYBE_SENT, stamp(at - STALE_SENDING)],
    )


def connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    """A connection to the configured server, logged in: with XOAUTH2 when the Microsoft 365
    app sign-in is set up (kit.mailin.oauth), else with the user name and password if any."""
    from kit.mailin import oauth
    from kit.mailin.config import uses_oauth

    timeout = config.get("SMTP_TIMEOUT") or DEFAULT_TIMEOUT
    server = smtplib.SMTP(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), timeout=timeout)
    try:
        if config.get("SMTP_STARTTLS"):
            server.starttls(context=ssl.create_default_context())
        if uses_oauth(config):
            user = config.get("SMTP_USERNAME") or config.get("MAIL_FROM") or ""
            token = oauth.access_token(config)
            server.ehlo_or_helo_if_needed()
            server.auth(
                "XOAUTH2",
                lambda _challenge=None: oauth.xoauth2_string(user, token),
                initial_response_ok=True,
            )
        elif config.get("SMTP_USERNAME"):
            server.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
    except BaseException:
        server.close()
        raise
    return server


def _record_failure(
    db: Database, row: Mapping[str, Any], error: str, max_attempts: int, report: SendReport
) -> None:
    attempts = row["attempts"] + 1
    status = "failed" if attempts >= max_attempts else "pending"
    db["outbox"].update(row["id"], {"status": status, "last_error": error[:500]})
    (report.failed if status == "failed" else report.retrying).append(row["id"])


def send_pending(
    db: Database, config: Mapping[str, Any], at: datetime, max_attempts: int = 5
) -> SendReport:
    """Send every pending message once; see the module docstring for what is promised.

    One connection serves the whole run. When the server cannot be reached every message
    of the run records that error as its attempt, instead of waiting for one timeout each.
    """
    if not config.get("SMTP_HOST"):
        return SendReport(configured=False, pending=len(_pending(db)))
    report = SendReport()
    _give_up_on_stale(db, at)
    rows = _pending(db)
    server: smtplib.SMTP | None = None
    try:
        for index, row in enumerate(rows):
            if server is None:
                try:
                    server = connect(config)
                except (
                    smtplib.SMTPException,
                    OSError,
                    RuntimeError,
                ) as exc:  # RuntimeError: no token
                    _fail_all(db, rows[index:], _describe(exc), max_attempts, report, at)
                    break
            if not _claim(db, row, at):
                continue
            failure = _send_one(server, row, config, attachments(db, row["id"]))
            if failure is None:
                db["outbox"].update(
                    row["id"], {"status": "sent", "sent_at": stamp(at), "last_error": ""}
                )
                report.sent.append(row["id"])
                continue
            error, connection_broken = failure
            _record_failure(db, row, error, max_attempts, report)
            if connection_broken:
                server = _drop(server)  # unusable now: the next message reconnects
    finally:
        _drop(server)
    report.pending = len(_pending(db))
    return report


def _send_one(
    server: smtplib.SMTP,
    row: Mapping[str, Any],
    config: Mapping[str, Any],
    files: Sequence[Mapping[str, Any]] = (),
) -> tuple[str, bool] | None:
    """Send one message: None when sent, else (the error, whether the connection broke)."""
    try:
        server.send_message(build_message(row, config.get("MAIL_FROM") or DEFAULT_FROM, files))
    except (
        ValueError,
        smtplib.SMTPRecipientsRefused,
        smtplib.SMTPSenderRefused,
        smtplib.SMTPDataError,
    ) as exc:  # this message is at fault, the connection is fine
        return _describe(exc), False
    except (smtplib.SMTPException, OSError) as exc:
        return _describe(exc), True
    return None


def _fail_all(
    db: Database,
    rows: list[dict[str, Any]],
    error: str,
    max_attempts: int,
    report: SendReport,
    at: datetime,
) -> None:
    for row in rows:
        if _claim(db, row, at):
            _record_failure(db, row, error, max_attempts, report)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _drop(server: smtplib.SMTP | None) -> None:
    """Say goodbye to the server if there is one (a dead connection is just closed)."""
    if server is None:
        return None
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()
    return None

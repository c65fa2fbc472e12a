""" "Test the connection" for mail in and mail out: what the server answered, in plain words.

Each check logs in as the kit would, reads nothing and sends nothing, and never raises:
it returns (worked, one line for the admin).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping
from typing import Any

from kit.mail import smtp
from kit.mailin import imap, oauth


def check_mail_in(values: Mapping[str, Any]) -> tuple[bool, str]:
    try:
        return True, imap.greeting_and_login(values)
    except imap.MailboxError as exc:
        return False, str(exc)


def check_mail_out(values: Mapping[str, Any]) -> tuple[bool, str]:
    host, port = values.get("SMTP_HOST"), values.get("SMTP_PORT")
    if not host:
        return False, "No mail server for mail out is set up: messages wait in the outbox."
    try:
        server = smtp.connect(values)
    except smtplib.SMTPAuthenticationError as exc:
        return False, f"The mail server {host}:{port} refused the login: {_said(exc)}"
    except smtplib.SMTPException as exc:
        return False, f"The mail server {host}:{port} said: {_said(exc)}"
    except oauth.TokenError as exc:
        return False, f"No sign-in token for {host}:{port}: {exc}"
    except TimeoutError:
        return False, f"The mail server {host}:{port} did not answer in time."
    except ConnectionRefusedError:
        return (
            False,
            f"Nothing answers at {host}:{port}: the server is down or the address is wrong.",
        )
    except socket.gaierror:
        return False, f"There is no mail server called {host}: check the address."
    except (ssl.SSLError, OSError) as exc:
        return False, f"Could not talk to {host}:{port}: {exc}"
    try:
        code, answer = server.noop()
        greeting = " ".join((server.ehlo_resp or b"").decode("utf-8", "replace").split())[:120]
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return True, (
        f"Connected{' and logged in' if _logs_in(values) else ''}. The server said "
        f"“{greeting}” and answers {code}. Nothing was sent."
    )


def _logs_in(values: Mapping[str, Any]) -> bool:
    from kit.mailin.config import uses_oauth

    return bool(values.get("SMTP_USERNAME")) or uses_oauth(values)


def _said(exc: smtplib.SMTPException) -> str:
    error = getattr(exc, "smtp_error", None)
    if isinstance(error, bytes):
        return f"{getattr(exc, 'smtp_code', '')} {error.decode('utf-8', 'replace')}".strip()
    return str(exc)

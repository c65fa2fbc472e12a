"""Talking to the desk's mailbox with imapclient: connect, log in, list, read, flag, move.

Everything that can go wrong on the way to the server becomes `MailboxError` with one
line in plain words (never a traceback), for the fetch's output and the admin's page.
"""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from kit.mailin import oauth
from kit.mailin.config import uses_oauth


class MailboxError(RuntimeError):
    """The mailbox cannot be read now; the message is one line for a person."""


def describe(exc: BaseException, host: str, port: int) -> str:
    """One plain line for what went wrong talking to the server."""
    where = f"{host}:{port}"
    if isinstance(exc, LoginError):
        return f"The mail server {where} refused the user name or password: {_words(exc)}"
    if isinstance(exc, oauth.TokenError):
        return f"No sign-in token for {where}: {exc}"
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"The mail server {where} did not answer in time."
    if isinstance(exc, ConnectionRefusedError):
        return f"Nothing answers at {where}: the mail server is down or the address is wrong."
    if isinstance(exc, socket.gaierror):
        return f"There is no mail server called {host}: check the address."
    if isinstance(exc, ssl.SSLError):
        return f"A secure connection to {where} failed ({exc.reason or exc}): check the security setting."
    if isinstance(exc, IMAPClientError):
        return f"The mail server {where} said: {_words(exc)}"
    return f"Could not talk to the mail server {where}: {_words(exc) or type(exc).__name__}"


def _words(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return " ".join(text.split())[:300]


@contextmanager
def connect(values: Mapping[str, Any]) -> Iterator[IMAPClient]:
    """A logged-in client with the folder selected; raises MailboxError."""
    host, port = values["IMAP_HOST"], int(values["IMAP_PORT"])
    if not host:
        raise MailboxError("No mail server for mail in is set up (IMAP_HOST).")
    client = None
    try:
        security = values["IMAP_SECURITY"]
        client = IMAPClient(
            host,
            port=port,
            ssl=security == "ssl",
            # 40 ms to load the system's certificates: only for a server that uses them
            ssl_context=ssl.create_default_context() if security == "ssl" else None,
            timeout=values["IMAP_TIMEOUT"],
        )
        if security == "starttls":
            client.starttls(ssl.create_default_context())
        user = values["IMAP_USERNAME"]
        if uses_oauth(values):
            client.oauth2_login(user, oauth.access_token(values))
        else:
            client.login(user, values["IMAP_PASSWORD"] or "")
        client.select_folder(values["IMAP_FOLDER"] or "INBOX")
    except (IMAPClientError, OSError, oauth.TokenError) as exc:
        _close(client)
        raise MailboxError(describe(exc, host, port)) from exc
    try:
        yield client
    except (IMAPClientError, OSError) as exc:
        raise MailboxError(describe(exc, host, port)) from exc
    finally:
        _close(client)


def _close(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.logout()
    except (IMAPClientError, OSError):
        try:
            client.shutdown()
        except (IMAPClientError, OSError):
            pass


def unseen(client: IMAPClient) -> list[int]:
    """The UIDs of mail nobody has read yet, oldest first."""
    return sorted(client.search(["UNSEEN"]))


def read(client: IMAPClient, uids: list[int]) -> dict[int, bytes]:
    """The raw mails, without marking them seen (BODY.PEEK)."""
    found = client.fetch(uids, ["BODY.PEEK[]"])
    return {uid: data.get(b"BODY[]", b"") for uid, data in found.items()}


def done(client: IMAPClient, uids: list[int], done_folder: str = "") -> None:
    """Mark mails seen and, when a done folder is set, move them there (never delete)."""
    if not uids:
        return
    client.add_flags(uids, [b"\\Seen"])
    if done_folder:
        if not client.folder_exists(done_folder):
            client.create_folder(done_folder)
        client.move(uids, done_folder)


def greeting_and_login(values: Mapping[str, Any]) -> str:
    """For the admin's "test the connection": what the server said, in plain words."""
    with connect(values) as client:
        welcome = client.welcome.decode("utf-8", "replace") if client.welcome else ""
        status = client.folder_status(values["IMAP_FOLDER"] or "INBOX", ["MESSAGES", "UNSEEN"])
    folder = values["IMAP_FOLDER"] or "INBOX"
    said = " ".join(re.sub(r"\[[^\]]*\]", " ", welcome).split())[:160]  # no capability list
    return (
        f"Connected and logged in. The server said “{said}”. "
        f"{folder} holds {status.get(b'MESSAGES', 0)} mails, {status.get(b'UNSEEN', 0)} unread."
    )

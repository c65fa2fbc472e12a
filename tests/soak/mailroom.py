"""Mail arriving in the desk's mailbox all day: a real Dovecot, fed with IMAP APPEND.

Every few seconds one mail: a new problem from a member of staff, a reply to a call (its
reference in the subject, as a person answering the kit's mail writes it), an
out-of-office auto-reply, or a broken mail (a multipart without its closing boundary, an
unknown charset, base64 that is not). While the IMAP server is stopped the mail waits, as
it would in the school's mail system, and goes in once it is back. Each mail is written in
the ledger with its kind when it is in the mailbox.
"""

from __future__ import annotations

import random
import threading
import time
import uuid

from tests.imap_support import Dovecot, Mailbox
from tests.soak.ledger import Ledger

DESK = "servicedesk@school.example"
STAFF = [f"soak.staff{n}@school.example" for n in range(1, 6)]
KINDS = ("new", "new", "new", "reply", "reply", "auto", "broken")


def _head(sender: str, subject: str, message_id: str, extra: str = "") -> str:
    return (
        f"From: {sender}\r\nTo: {DESK}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
        f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n{extra}"
    )


def new_problem(n: int, sender: str, message_id: str) -> bytes:
    return (
        _head(sender, f"Mail call {n}: the projector flickers", message_id)
        + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + f"The projector in room {n % 9 + 1} flickers during lessons ({message_id}).\r\n"
    ).encode()


def reply_to(ref: str, sender: str, message_id: str, n: int) -> bytes:
    return (
        _head(sender, f"Re: [Call {ref}] your call", message_id)
        + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + f"Mail reply {n}: still happening this morning.\r\n\r\n> earlier text\r\n"
    ).encode()


def auto_reply(sender: str, message_id: str) -> bytes:
    return (
        _head(
            sender,
            "Automatic reply: out of the office",
            message_id,
            "Auto-Submitted: auto-replied\r\n",
        )
        + "Content-Type: text/plain; charset=utf-8\r\n\r\nI am away until Monday.\r\n"
    ).encode()


def broken(n: int, sender: str, message_id: str) -> bytes:
    variant = n % 3
    if variant == 0:  # a multipart whose closing boundary never comes
        return (
            _head(sender, f"Broken mail {n}", message_id)
            + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n'
            + "--zz\r\nContent-Type: text/plain\r\n\r\nThe scanner is stuck\r\n--zz\r\n"
            + "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ"
        ).encode()
    if variant == 1:  # a charset nobody knows, and bytes that are not in it
        return (
            _head(sender, f"Broken mail {n}", message_id)
            + "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
        ).encode() + b"Caf\xe9 till \xff\xfe broken\r\n"
    return (  # base64 that is not base64
        _head(sender, f"Broken mail {n}", message_id)
        + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + "!!!! not base64 at all ####\r\n"
    ).encode()


class Mailroom:
    """Delivers a mail every `every` seconds until stopped; `pause()` while IMAP is down."""

    def __init__(self, mailbox: Mailbox, ledger: Ledger, refs: list[str], every: float) -> None:
        self.mailbox = mailbox
        self.ledger = ledger
        self.refs = refs
        self.every = every
        self.stop = threading.Event()
        self.up = threading.Event()
        self.up.set()
        self.rnd = random.Random(18)
        self.thread = threading.Thread(target=self._run, name="soak-mailroom", daemon=True)

    def start(self) -> Mailroom:
        self.thread.start()
        return self

    def _run(self) -> None:
        n = 0
        while not self.stop.wait(self.rnd.uniform(0.5, 1.5) * self.every):
            n += 1
            kind = self.rnd.choice(KINDS)
            if kind == "reply" and not self.refs:
                kind = "new"
            message_id = f"<soak-{n}-{uuid.uuid4().hex[:10]}@school.example>"
            sender = self.rnd.choice(STAFF)
            ref = self.rnd.choice(self.refs[-40:]) if kind == "reply" else ""
            raw = self.compose(kind, n, sender, message_id, ref)
            self._deliver(raw)
            self.ledger.add("mails", (message_id, (kind, ref)))

    @staticmethod
    def compose(kind: str, n: int, sender: str, message_id: str, ref: str) -> bytes:
        if kind == "new":
            return new_problem(n, sender, message_id)
        if kind == "reply":
            return reply_to(ref, sender, message_id, n)
        if kind == "auto":
            return auto_reply(sender, message_id)
        return broken(n, sender, message_id)

    def _deliver(self, raw: bytes) -> None:
        """In the mailbox once, whatever it takes: a stopped server is waited for."""
        while True:
            self.up.wait()
            try:
                self.mailbox.deliver(raw)
                return
            except Exception:  # the server went down between the check and the APPEND
                time.sleep(1.0)

    def close(self) -> None:
        self.stop.set()
        self.up.set()
        self.thread.join(30)


def imap_outage(dovecot: Dovecot, mailroom: Mailroom, seconds: float, stop: threading.Event):
    """Stop the IMAP server for `seconds`, then start it again on the same port."""
    mailroom.up.clear()
    dovecot.stop()
    stop.wait(seconds)
    restart(dovecot)
    mailroom.up.set()


def restart(dovecot: Dovecot) -> None:
    """Dovecot again, on the port the kit was told about, with the same mail folders."""
    import subprocess

    from tests.imap_support import DOVECOT

    dovecot.process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(dovecot.dir / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if not dovecot._ready(30):
        raise RuntimeError("Dovecot did not start again after the outage")

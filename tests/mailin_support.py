"""Helpers for the mail-in tests: sample mails, the school's staff, one fetch."""

from __future__ import annotations

from pathlib import Path

from kit.directory import store as directory
from kit.mailin import config
from kit.mailin.fetch import fetch

SAMPLES = Path(__file__).parent / "data" / "mail"
DESK = "servicedesk@school.example"


def sample(name: str, **replace: str) -> bytes:
    """A sample mail from tests/data/mail, with CALLREF, INREPLYTO... filled in."""
    raw = (SAMPLES / name).read_bytes()
    for key, value in replace.items():
        raw = raw.replace(key.upper().encode(), value.encode())
    return raw


def plain(
    sender: str = "ann.teacher@school.example",
    subject: str = "Printer jams",
    body: str = "The printer in the staff room jams.",
    message_id: str = "<m1@school.example>",
    headers: str = "",
) -> bytes:
    return (
        f"From: {sender}\r\nTo: {DESK}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
        f"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def add_staff(db) -> dict[str, int]:
    """Staff in the directory, as a school's import would make them."""
    return {
        "ann": directory.add_person(
            db,
            name="Ann Teacher",
            email="Ann.Teacher@school.example",
            phone="214",
            department="Science",
        ),
        "bob": directory.add_person(db, name="Bob Head", email="bob.head@school.example"),
        "carl": directory.add_person(
            db, name="Carl Caretaker", email="carl.caretaker@school.example"
        ),
    }


def run_fetch(app, db, mailbox, **extra):
    values = config.effective({**mailbox.config(**extra), "MAIL_FROM": DESK})
    return fetch(db, values, app.config["NOW"], instance_path=app.instance_path)


def png(width: int = 40, height: int = 30, colour: str = "red") -> bytes:
    """A small real picture, as a phone's screenshot would be (only smaller)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def with_files(
    files: list[tuple[str, bytes]],
    sender: str = "ann.teacher@school.example",
    message_id: str = "<files1@school.example>",
    subject: str = "Photos of the broken projector",
) -> bytes:
    """A mail carrying `files` (name, bytes), built as a mail program builds one."""
    from email.message import EmailMessage
    from email.policy import SMTP

    message = EmailMessage()
    message["From"] = sender
    message["To"] = DESK
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    message.set_content("The projector in S12 shows stripes; photos attached.")
    for name, data in files:
        kind = ("image", "png") if name.endswith(".png") else ("application", "octet-stream")
        message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return message.as_bytes(policy=SMTP)

"""One mail as the desk needs it: who sent it, what it is about, the text, its threading.

Parsed with the standard library's `email` package and its modern policy; a part whose
charset is unknown is decoded with replacement characters rather than refused. HTML-only
mail becomes text with inscriptis (paragraphs and lists kept; scripts, styles and images
dropped). What cannot be used at all raises `Unreadable` with a reason in plain words,
and the fetch holds that mail with its raw form kept.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

MAX_BYTES = 25 * 1024 * 1024  # bigger mail is held for a person, not parsed
MAX_SUBJECT = 2000  # a longer subject is not a person's subject
MAX_TEXT = 20_000  # what goes into a call's details or a note
BROKEN_MIME = {
    "NoBoundaryInMultipartDefect",
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "MultipartInvariantViolationDefect",
}
# The headers the loop guards and the threading read (kit.rules.mail.automatic_reason).
GUARD_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "x-autoresponder",
    "precedence",
    "content-type",
    "return-path",
    "in-reply-to",
    "references",
)
MSGID = re.compile(r"<[^<>\s]{1,500}>")
FOLD = re.compile(r"\r?\n(?=[ \t])")  # a header's line breaks, unfolded (RFC 5322 2.2.3)
# Headers only searched for <message-ids>: read as they arrived when they are plain ASCII.
ID_HEADERS = ("in-reply-to", "references")


class _Headers(HeaderRegistry):
    """The modern policy's header objects, each made once: the policy parses a header again
    on every read (a plain mail's Content-Type was parsed nine times), and many headers
    repeat from mail to mail. The objects are immutable strings, so sharing them is safe;
    the cache is bounded."""

    SIZE = 4096

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[tuple[str, str], object] = {}

    def __call__(self, name: str, value: str):  # type: ignore[override]
        key = (name, value)
        found = self._made.get(key)
        if found is None:
            if len(self._made) >= self.SIZE:
                self._made.clear()
            found = self._made[key] = super().__call__(name, value)
        return found


POLICY = email.policy.default.clone(header_factory=_Headers())


class Unreadable(ValueError):
    """The mail cannot become a call or a note; the message says why, for the admin."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class Mail:
    message_id: str  # "<...>" as in the header, or "<sha256...@no-message-id>" when missing
    sender: str  # the From address, lower-case
    sender_name: str
    subject: str
    text: str  # the readable body, before quotes and signatures are cut
    headers: dict[str, str]  # GUARD_HEADERS present: lower-case name -> value
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def message_ids(value: str | None) -> list[str]:
    """The Message-IDs named in an In-Reply-To or References header, in order."""
    return MSGID.findall(value or "")


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError) as exc:  # a header the policy cannot parse
        raise Unreadable(f"its {name} header cannot be read ({exc})") from exc
    return str(value or "")


def _sender(message: EmailMessage) -> tuple[str, str]:
    try:
        value = message.get("From")
        addresses = getattr(value, "addresses", None)
    except (ValueError, IndexError, TypeError):
        addresses = None
    if addresses:
        first: Address = addresses[0]
        return (first.addr_spec or "").strip().lower(), first.display_name or ""
    raw = message.get_all("From", failobj=[]) or []
    found = getaddresses([str(v) for v in raw]) or [parseaddr("")]
    name, address = found[0]
    return address.strip().lower(), name


def _html_to_text(html: str) -> str:
    from inscriptis import get_text
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.model.config import ParserConfig

    return get_text(html, ParserConfig(css=CSS_PROFILES["strict"], display_images=False))


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except LookupError as exc:
        raise Unreadable(
            f"its text is in a character set the kit does not know ({part.get_content_charset()})"
        ) from exc
    except (UnicodeError, AssertionError, ValueError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        content = bytes(content).decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        content = _html_to_text(content)
    return content[:MAX_TEXT]


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        found.append(
            Attachment(
                filename=part.get_filename() or "attachment",
                content_type=part.get_content_type(),
                content=payload,
            )
        )
    return found


def parse(raw: bytes) -> Mail:
    """The mail in `raw` (RFC 5322 bytes as the server holds them); raises Unreadable."""
    if len(raw) > MAX_BYTES:
        raise Unreadable(f"it is {len(raw) // (1024 * 1024)} MB, more than the kit reads")
    message = email.message_from_bytes(raw, policy=POLICY)
    if message.defects and not message.keys():
        raise Unreadable("it has no headers: it is not a mail")
    broken = [d for d in message.defects if type(d).__name__ in BROKEN_MIME]
    if broken:
        raise Unreadable(f"its MIME structure is broken ({type(broken[0]).__name__})")
    sender, name = _sender(message)
    if not sender or "@" not in sender:
        raise Unreadable("it has no sender address")
    arrived = _as_arrived(message)
    subject = " ".join(_subject(message, arrived.get("subject")).split())
    if len(subject) > MAX_SUBJECT:
        raise Unreadable(f"its subject is {len(subject):,} characters long")
    try:
        text = _body(message)
        attachments = _attachments(message)
    except Unreadable:
        raise
    except (LookupError, UnicodeError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise Unreadable(f"its contents cannot be read ({type(exc).__name__}: {exc})") from exc
    headers = {
        k: arrived[k] if k in ID_HEADERS and arrived[k].isascii() else _safe(message, k)
        for k in GUARD_HEADERS
        if k in arrived
    }
    said = arrived.get("message-id", "")
    ids = message_ids(said if said.isascii() else _safe(message, "Message-ID"))
    return Mail(
        message_id=ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>",
        sender=sender,
        sender_name=name.strip(),
        subject=subject,
        text=text,
        headers=headers,
        in_reply_to=message_ids(headers.get("in-reply-to")),
        references=message_ids(headers.get("references")),
        attachments=attachments,
    )


def _subject(message: EmailMessage, arrived: str | None) -> str:
    """The subject; one in plain ASCII without encoded words (=?...?=) reads as it arrived
    (the parse would give the same text, its whitespace aside, at a fifth of the cost)."""
    if arrived is not None and arrived.isascii() and "=?" not in arrived:
        return arrived
    return _header(message, "Subject")


def _as_arrived(message: EmailMessage) -> dict[str, str]:
    """Each header's first value as it arrived (lower-case names), without the modern
    policy's parse: for the headers where the kit only looks for <message-ids>, a parse
    would cost a third of a plain mail's (every Message-ID is new, so none is cached)."""
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        found.setdefault(name.lower(), FOLD.sub("", value))
    return found


def _safe(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name) or "")
    except (ValueError, IndexError, TypeError):
        return ""

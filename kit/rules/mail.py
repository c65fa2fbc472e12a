"""Rules for mail that comes in to the desk's mailbox: what is automatic, what is a reply,
what is the person's own text, and how often one sender may be answered.

Pure functions of headers and text, no Flask, no database. Edge conventions:
- Automatic mail follows RFC 3834 and the habits of mail servers that predate it: any
  `Auto-Submitted` other than `no`, `X-Autoreply`/`X-Autorespond` present, `Precedence` bulk,
  junk, list or auto_reply, a `multipart/report` (delivery or read report), an empty or
  MAILER-DAEMON / postmaster sender, or the desk's own address. Such mail is never answered.
- A call reference is found only inside `[Call YY-NNNN]` in the subject, so a reference
  typed in passing in a new mail's subject ("like 26-0042 last week") starts no reply.
- Quoted text is cut at the first line that starts an earlier message ("On ... wrote:",
  Outlook's "From: ... Sent: ..." block, "-----Original Message-----") or a signature
  marker ("-- "); "> " lines are dropped wherever they are. What is left is never empty if
  the mail had any text: a mail that is all quote keeps its first part.
- Acknowledgements: at most `limit` per sender in a sliding `window` (an hour by default).
Cost: linear in the text, with the line scan capped at `MAX_LINES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

CALL_TAG = re.compile(r"\[\s*Call\s+(\d{2})\s*-\s*(\d{1,6})\s*\]", re.IGNORECASE)
REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv|vs|antw|wg)\s*(\[\d+\])?\s*:\s*)+", re.I)
NULL_SENDERS = ("mailer-daemon", "postmaster", "noreply-dmarc-support")
BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
MAX_SUMMARY = 200
MAX_LINES = 5000

# The line that begins an earlier message in a reply, as Gmail, Apple Mail, Outlook and
# Thunderbird write it.
QUOTE_STARTS = (
    re.compile(r"^\s*On\s.{0,300}\bwrote:\s*$", re.I),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"^\s*Le\s.{0,300}\ba écrit\s*:\s*$", re.I),
    re.compile(r"^\s*Am\s.{0,300}\bschrieb\b.{0,100}:\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above its From/Sent block
    re.compile(r"^\s*Begin forwarded message:\s*$", re.I),
)
ON_LINE = re.compile(r"^\s*(On|Le|Am)\s", re.I)
SIGN_OFF = re.compile(
    r"^\s*(thanks|thank you|many thanks|thanks again|regards|kind regards|best regards|"
    r"warm regards|best wishes|best|cheers|all the best|yours sincerely|sincerely)[,.!]?\s*$",
    re.I,
)
SIGNATURE_LINES = 10  # at most this many short lines after a sign-off are a signature
OUTLOOK_FROM = re.compile(r"^\s*\**From:\**\s+\S")
OUTLOOK_SENT = re.compile(r"^\s*\**(Sent|Date):\**\s+\S", re.I)
SIGNATURE_STARTS = (
    re.compile(r"^-- ?$"),
    re.compile(r"^\s*Sent from my (iPhone|iPad|Android|mobile|Samsung|Galaxy)\b", re.I),
    re.compile(r"^\s*Get Outlook for (iOS|Android)\s*$", re.I),
)


def automatic_reason(headers: Mapping[str, str], sender: str, own_addresses: Iterable[str]) -> str:
    """Why this mail must not be answered or logged (empty when a person wrote it).

    `headers` maps lower-case header names to their values; `sender` is the From address.
    """
    own = {a.strip().lower() for a in own_addresses if a and a.strip()}
    address = (sender or "").strip().lower()
    if not address:
        return "it has no sender address"
    if address in own:
        return "it came from the desk's own address"
    if address.split("@")[0] in NULL_SENDERS:
        return f"it came from {address.split('@')[0]} (a mail server's automatic message)"
    auto = (headers.get("auto-submitted") or "").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"it says it is automatic (Auto-Submitted: {auto[:40]})"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder"):
        if name in headers:
            return f"it is an automatic reply ({name.title()})"
    precedence = (headers.get("precedence") or "").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"it is bulk or list mail (Precedence: {precedence})"
    if (headers.get("content-type") or "").strip().lower().startswith("multipart/report"):
        return "it is a delivery or read report"
    if headers.get("return-path", "").strip() == "<>":
        return "it has a null sender (a bounce)"
    return ""


def call_ref_in(subject: str) -> str | None:
    """The call reference of a `[Call 26-0042]` tag in a subject, normalised ("26-0042")."""
    match = CALL_TAG.search(subject or "")
    if not match:
        return None
    return f"{match.group(1)}-{int(match.group(2)):04d}"


def summary_from(subject: str, text: str = "") -> str:
    """A call's one-line summary: the subject without Re:/Fwd: and call tags; the first
    line of the text when the subject is empty; never longer than MAX_SUMMARY."""
    summary = CALL_TAG.sub(" ", subject or "")
    summary = REPLY_PREFIX.sub("", summary)
    summary = " ".join(summary.split())
    if not summary:
        first = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
        summary = first or "(no subject)"
    if len(summary) > MAX_SUMMARY:
        summary = summary[: MAX_SUMMARY - 1].rstrip() + "…"
    return summary


def _starts_quote(lines: list[str], index: int) -> bool:
    line = lines[index]
    if any(p.match(line) for p in QUOTE_STARTS):
        return True
    if ON_LINE.match(line) and index + 1 < len(lines):  # Gmail wraps "On ... <address>\nwrote:"
        return any(p.match(f"{line} {lines[index + 1]}") for p in QUOTE_STARTS[:3])
    if OUTLOOK_FROM.match(line):  # "From: X" followed within 3 lines by "Sent:" or "Date:"
        return any(OUTLOOK_SENT.match(following) for following in lines[index + 1 : index + 4])
    return False


def own_words(text: str) -> str:
    """The writer's own words: quoted earlier messages and the signature cut off.

    Lines starting "> " are dropped. A mail with nothing but quotes keeps the quote, so no
    mail is ever logged as empty.
    """
    lines = (text or "").replace("\r\n", "\n").split("\n")[:MAX_LINES]
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _starts_quote(lines, index) or any(p.match(line) for p in SIGNATURE_STARTS):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    words = "\n".join(_without_signature(kept)).strip()
    words = re.sub(r"\n{3,}", "\n\n", words)
    return words or (text or "").strip()


def _without_signature(lines: list[str]) -> list[str]:
    """Cut the block under a sign-off ("Thanks,", "Kind regards") keeping the name line,
    when what follows is a few short lines (a name, a job title, a phone number)."""
    for index, line in enumerate(lines):
        if not SIGN_OFF.match(line):
            continue
        rest = [r for r in lines[index + 1 :] if r.strip()]
        if len(rest) <= SIGNATURE_LINES and all(len(r) < 80 for r in rest):
            return lines[: index + 1] + rest[:1]
    return lines


def may_acknowledge(
    sent_at: Iterable[datetime], at: datetime, limit: int = 3, window: timedelta | None = None
) -> bool:
    """True while fewer than `limit` acknowledgements went to this sender within `window`
    before `at` (the window's start is included)."""
    window = window or timedelta(hours=1)
    recent = [moment for moment in sent_at if at - window <= moment <= at]
    return len(recent) < limit


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()


def is_school_address(address: str, domains: Iterable[str]) -> bool:
    """True for an address at one of the school's own mail domains (subdomains included)."""
    domain = domain_of(address)
    if not domain:
        return False
    for own in domains:
        own = own.strip().lower().lstrip("@")
        if own and (domain == own or domain.endswith("." + own)):
            return True
    return False

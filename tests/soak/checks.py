"""The end of the day: what was acknowledged against what the kit holds.

Checked from the database (read directly, after the server stopped), the outbox (what the
SMTP server received), the mailbox (Dovecot) and the attachment folder:
- every acknowledged write is there exactly once: calls (by submission key and
  reference), their photos (row and file), notes, customers' replies, calls passed on and
  resolved, and every mail put in the mailbox (a new problem became a call, a reply a note
  on the call it names, an auto-reply was ignored, a broken mail was recorded somehow);
- no mail is read twice and none is left unread; no outbox message was received twice,
  and every one marked sent was received;
- references and submission keys are unique; `PRAGMA integrity_check` is ok;
- the call search table holds exactly the rows the database gives for every call;
- every write refused while the disk was full was told plainly (a 503 with the message;
  a 500 is a failure), and writes were acknowledged again once there was room, before
  the next kill.
"""

from __future__ import annotations

import email
import email.policy
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.smtp_support import Collector
from tests.soak.ledger import Ledger
from tests.soak.web import Browser


@dataclass
class Result:
    writes: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    refused: int = 0
    kills: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    peak_mb: float = 0.0
    minutes: float = 0.0
    clients: int = 0
    figures: dict[str, int] = field(default_factory=dict)

    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.failed)

    def last_line(self) -> str:
        return (
            f"soak: {self.minutes:g} minutes, {self.clients} clients, {self.writes} writes "
            f"acknowledged, {len(self.lost)} lost, {len(self.duplicated)} duplicated, "
            f"{len(self.failed)} failed ({self.refused} refused while full), {self.kills} kills, "
            f"p50/p99 {self.p50_ms:.0f}/{self.p99_ms:.0f} ms, peak memory {self.peak_mb:.0f} MB"
        )

    def report(self) -> str:
        lines = [f"  {name}: {value}" for name, value in sorted(self.figures.items())]
        for title, items in (("LOST", self.lost), ("DUPLICATED", self.duplicated)):
            lines += [f"  {title}: {item}" for item in items[:20]]
        lines += [f"  FAILED: {item}" for item in self.failed[:40]]
        return "\n".join(lines)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def wait_for_mail(db_path: Path, ledger: Ledger, timeout: float) -> None:
    """Until the kit has read every mail put in the mailbox (it polls every 10 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = _connect(db_path)
        try:
            read = {r[0] for r in conn.execute("SELECT message_id FROM mail_in")}
        finally:
            conn.close()
        if set(ledger.mails) <= read:
            return
        time.sleep(2)


def catch_up_search(port: int, ledger: Ledger) -> None:
    """One last search, which brings the call search table up to date."""
    from tests.soak.people import login

    browser = Browser(port, "soakcoord1", ledger)
    login(browser, "soakcoord1")
    browser.get("/calls/?q=printer", "the last search")
    browser.close()


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def check(instance: Path, ledger: Ledger, outbox: Collector, mailbox) -> Result:
    result = Result(
        writes=ledger.writes() + len(ledger.mails),
        refused=len(ledger.refused_full),
        kills=ledger.kills,
        p50_ms=percentile(ledger.latencies, 50) * 1000,
        p99_ms=percentile(ledger.latencies, 99) * 1000,
    )
    result.failed += ledger.failures
    conn = _connect(instance / "kit.sqlite3")
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            result.failed.append(f"integrity_check: {integrity[:5]}")
        _calls(conn, ledger, result)
        _photos(conn, instance, ledger, result)
        _events(conn, ledger, result)
        _mail_in(conn, ledger, result)
        _outbox(conn, outbox, result)
        _search(conn, result)
    finally:
        conn.close()
    _mailbox(mailbox, result)
    _full_disk(ledger, result)
    result.figures.update(
        {
            "requests answered": len(ledger.latencies),
            "no answer (server killed)": ledger.unanswered,
            "forms sent again with the same key": ledger.resent,
            "503 busy, sent again": ledger.busy,
            **{f"acknowledged {name}": len(getattr(ledger, name)) for name in _WRITES},
            "mails put in the mailbox": len(ledger.mails),
            **{f"read: {kind}": n for kind, n in ledger.reads.items()},
            **{
                f"refused while full: {what}": n
                for what, n in Counter(r.split(" ", 1)[1] for r in ledger.refused_full).items()
            },
        }
    )
    return result


_WRITES = ("calls", "photos", "notes", "replies", "handoffs", "resolved")


def _calls(conn, ledger: Ledger, result: Result) -> None:
    by_key = dict(conn.execute("SELECT submission_key, ref FROM calls WHERE submission_key > ''"))
    for key, ref in ledger.calls.items():
        if by_key.get(key) != ref:
            result.lost.append(f"call {ref} (key {key}): database has {by_key.get(key)!r}")
    twice = conn.execute(
        "SELECT COUNT(*) - COUNT(DISTINCT ref), COUNT(submission_key) - "
        "COUNT(DISTINCT submission_key) FROM calls"
    ).fetchone()
    if twice[0]:
        result.duplicated.append(f"{twice[0]} references held by two calls")
    if twice[1]:
        result.duplicated.append(f"{twice[1]} submission keys held by two calls")
    result.figures["calls in the database"] = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[
        0
    ]


def _photos(conn, instance: Path, ledger: Ledger, result: Result) -> None:
    rows = conn.execute(
        "SELECT c.ref, a.uploaded_name, a.stored_name, a.size FROM attachments a "
        "JOIN calls c ON c.id = a.call_id WHERE a.removed_at IS NULL"
    ).fetchall()
    held = Counter((ref, name) for ref, name, _s, _z in rows)
    folder = instance / "attachments"
    for ref, name, stored, size in rows:
        path = folder / stored
        if not path.exists() or path.stat().st_size != size:
            result.lost.append(f"file of {name} on {ref}: missing or cut short on disk")
    for ref, name in ledger.photos.items():
        if held[(ref, name)] == 0:
            result.lost.append(f"photo {name} on {ref}")
        elif held[(ref, name)] > 1:
            result.duplicated.append(f"photo {name} on {ref} kept {held[(ref, name)]} times")
    stored = {r[2] for r in rows} | {
        r[0] for r in conn.execute("SELECT thumb_name FROM attachments WHERE thumb_name > ''")
    }
    on_disk = {p.name for p in folder.iterdir()} if folder.exists() else set()
    result.figures["files on disk no call holds"] = len(on_disk - stored)


def _events(conn, ledger: Ledger, result: Result) -> None:
    notes = Counter(conn.execute("SELECT call_id, text FROM call_events WHERE kind = 'note'"))
    for call_id, text in ledger.notes:
        if notes[(call_id, text)] != 1:
            bucket = result.lost if notes[(call_id, text)] == 0 else result.duplicated
            bucket.append(f"note {text!r} on call {call_id}: {notes[(call_id, text)]} times")
    refs = dict(conn.execute("SELECT id, ref FROM calls"))
    texts = Counter(
        (refs[call_id], text)
        for call_id, text in conn.execute(
            "SELECT call_id, text FROM call_events WHERE text LIKE '%reply %: it happened again%'"
        )
    )
    for ref, text in ledger.replies:
        found = sum(n for (r, t), n in texts.items() if r == ref and t.endswith(text))
        if found != 1:
            (result.lost if found == 0 else result.duplicated).append(
                f"reply {text!r} on {ref}: {found} times"
            )
    for kind, ids in (("assigned", ledger.handoffs), ("resolved", ledger.resolved)):
        held = Counter(
            r[0] for r in conn.execute("SELECT call_id FROM call_events WHERE kind = ?", [kind])
        )
        for call_id in ids:
            if held[call_id] != 1:
                (result.lost if held[call_id] == 0 else result.duplicated).append(
                    f"call {call_id} {kind} {held[call_id]} times"
                )


def _mail_in(conn, ledger: Ledger, result: Result) -> None:
    rows = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT m.message_id, m.outcome, c.ref FROM mail_in m "
            "LEFT JOIN calls c ON c.id = m.call_id"
        )
    }
    keyed = Counter(
        r[0]
        for r in conn.execute(
            "SELECT submission_key FROM calls WHERE submission_key LIKE 'mail:%' UNION ALL "
            "SELECT submission_key FROM call_events WHERE submission_key LIKE 'mail:%'"
        )
    )
    expected = {"new": "call", "reply": "note", "auto": "ignored"}
    outcomes: Counter = Counter()
    for message_id, (kind, ref) in ledger.mails.items():
        if message_id not in rows:
            result.lost.append(f"mail {message_id} ({kind}) never read")
            continue
        outcome, call_ref = rows[message_id]
        outcomes[f"mail in: {kind} -> {outcome}"] += 1
        if kind in expected and outcome != expected[kind]:
            result.failed.append(f"mail {message_id} ({kind}) became {outcome!r}")
        if kind == "reply" and call_ref != ref:
            result.failed.append(f"reply {message_id} about {ref} went to {call_ref}")
        if keyed["mail:" + message_id] > 1:
            result.duplicated.append(
                f"mail {message_id} logged {keyed['mail:' + message_id]} times"
            )
    result.figures.update(outcomes)


def _outbox(conn, outbox: Collector, result: Result) -> None:
    received = Counter()
    for envelope in list(outbox.envelopes):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        received[str(message.get("Message-ID", "")).strip()] += 1
    for message_id, n in received.items():
        if n > 1:
            result.duplicated.append(f"outbox message {message_id} sent {n} times")
    sent = [r[0] for r in conn.execute("SELECT message_id FROM outbox WHERE status = 'sent'")]
    for message_id in sent:
        if message_id and received[message_id] == 0:
            result.lost.append(f"outbox message {message_id} marked sent, never received")
    result.figures["outbox messages sent"] = len(sent)
    result.figures["outbox messages received by the SMTP server"] = sum(received.values())
    result.figures["outbox messages still waiting"] = conn.execute(
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"
    ).fetchone()[0]


def _search(conn, result: Result) -> None:
    from kit.calls.search_store import SOURCE, _row

    pending = conn.execute("SELECT COUNT(*) FROM call_search_pending").fetchone()[0]
    if pending:
        result.failed.append(f"{pending} calls still waiting for the search table")
    conn.row_factory = sqlite3.Row
    everything = SOURCE.split("WHERE calls.id IN")[0]
    expected = {row["id"]: _row(row) for row in conn.execute(everything)}
    held = {
        row["rowid"]: dict(row)
        for row in conn.execute(
            "SELECT rowid, ref, caller, place, equipment, category, body FROM call_search"
        )
    }
    conn.row_factory = None
    if set(held) != set(expected):
        result.failed.append(
            f"search table rows {len(held)} vs calls {len(expected)}: "
            f"{sorted(set(expected) ^ set(held))[:10]}"
        )
    wrong = [i for i in expected if i in held and held[i] != expected[i]]
    if wrong:
        result.failed.append(f"search rows out of date for calls {wrong[:10]}")


def _mailbox(mailbox, result: Result) -> None:
    with mailbox.client() as client:
        client.select_folder("INBOX", readonly=True)
        unread = client.search(["UNSEEN"])
        total = len(client.search(["ALL"]))
    result.figures["mails in the mailbox"] = total
    if unread:
        result.failed.append(f"{len(unread)} mails left unread in the mailbox")


def _full_disk(ledger: Ledger, result: Result) -> None:
    if not ledger.full_window:
        result.failed.append("the disk was never made full")
    elif not ledger.refused_full:
        result.failed.append("no write was refused while the disk was full: the fault missed")
    elif ledger.acked_after_full == 0:
        result.failed.append("no write was acknowledged after room was made again")
    result.figures["writes acknowledged after room was made"] = ledger.acked_after_full

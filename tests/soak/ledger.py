"""What the soak's people and mailroom were told, kept as they are told it.

Everything the end checks compare with the database starts here: a write is recorded only
once its answer said it was saved (a redirect to the saved thing, or the page showing it).
A refusal while the disk was full, a 500, an unexpected status and a client that gave up
are recorded too, with what was being done, so the last line can say which was which.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Ledger:
    # acknowledged writes
    calls: dict[str, str] = field(default_factory=dict)  # submission key -> reference
    photos: dict[str, str] = field(default_factory=dict)  # reference -> uploaded file name
    notes: list[tuple[int, str]] = field(default_factory=list)  # (call id, text)
    replies: list[tuple[str, str]] = field(default_factory=list)  # (reference, text)
    handoffs: list[int] = field(default_factory=list)  # call ids passed to a technician
    resolved: list[int] = field(default_factory=list)  # call ids resolved
    # mail put into the mailbox: Message-ID -> (kind, reference replied to or "")
    mails: dict[str, tuple[str, str]] = field(default_factory=dict)
    # what went wrong, or was refused
    failures: list[str] = field(default_factory=list)
    refused_full: list[str] = field(default_factory=list)  # 503 "disk is full", told clearly
    busy: int = 0  # 503 "busy": sent again, as the page asks
    unanswered: int = 0  # no answer at all (the server was being killed)
    resent: int = 0  # forms sent again with the same one-time key after a lost answer
    reads: Counter = field(default_factory=Counter)  # pages and PDFs read, by kind
    latencies: list[float] = field(default_factory=list)  # seconds, every answered request
    kills: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # the full-disk window, as monotonic times (start, end); end is None while full
    full_window: list[float | None] = field(default_factory=list)
    acked_after_full: int = 0  # writes acknowledged after room was made again

    def add(self, name: str, item) -> None:
        with self.lock:
            target = getattr(self, name)
            if isinstance(target, list):
                target.append(item)
            else:
                key, value = item
                target[key] = value
            if name in WRITES and self.full_window and self.full_window[-1] is not None:
                self.acked_after_full += 1

    def count(self, name: str, n: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + n)

    def latency(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def read(self, kind: str) -> None:
        with self.lock:
            self.reads[kind] += 1

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(f"{time.strftime('%H:%M:%S')} {text}")

    def writes(self) -> int:
        """Writes acknowledged to a person, plus mail the kit took from the mailbox."""
        return sum(len(getattr(self, name)) for name in WRITES)

    def disk_full(self) -> bool:
        return bool(self.full_window) and self.full_window[-1] is None

    def was_full_between(self, start: float, end: float) -> bool:
        if not self.full_window:
            return False
        began, ended = self.full_window
        return began <= end and (ended is None or ended >= start)


# The ledger's lists and dicts that count as acknowledged writes.
WRITES = ("calls", "photos", "notes", "replies", "handoffs", "resolved")

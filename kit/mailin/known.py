"""What a batch of mail asks the database, read once for the whole batch.

Each mail asks three things: is its Message-ID recorded already, is its sender in the
directory, how many acknowledgements has that sender had this hour. Asked mail by mail,
that is three statements a mail. Inside the batch's transaction (`kit.mailin.fetch`: a
BEGIN IMMEDIATE, so no other connection writes until it ends) `Known.read` asks them for
every mail of the batch in three statements, and the batch keeps the answers in step with
what it records itself. A question it was not asked in advance goes to the database, so
the answers are the same as asking mail by mail.

One difference, on the safe side: an acknowledgement counted for a mail whose savepoint is
then undone stays counted for the rest of the batch (a sender gets fewer, never more).
"""

from __future__ import annotations

import string
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from kit.mailin import store

# SQLite's NOCASE folds only the 26 ASCII capitals; addresses are matched the same way here.
_NOCASE = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _fold(address: str) -> str:
    return address.translate(_NOCASE)


@dataclass
class Known:
    checked: set[str] = field(default_factory=set)  # Message-IDs whose answer is below
    seen_ids: set[str] = field(default_factory=set)
    people: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # by _fold(address)
    acks: dict[str, list[datetime]] = field(default_factory=dict)
    acks_from: datetime | None = None

    @classmethod
    def read(
        cls, db: Database, message_ids: Collection[str], senders: Collection[str], since: datetime
    ) -> Known:
        """The answers for a batch: `since`, the earliest start of an acknowledgement window
        any mail of the batch will ask about."""
        ids, senders = set(message_ids), set(senders)
        known = cls(checked=ids, seen_ids=store.seen_of(db, ids), acks_from=since)
        for person in store.people_by_email(db, senders):  # oldest first: the first wins
            known.people.setdefault(_fold(person["email"]), person)
        for sender in senders:
            known.people.setdefault(_fold(sender), None)
            known.acks[sender] = []
        for sender, at in store.acks_of(db, senders, since):
            known.acks[sender].append(at)
        return known

    def seen(self, db: Database, message_id: str) -> bool:
        if message_id in self.checked:
            return message_id in self.seen_ids
        return store.seen(db, message_id)

    def recorded(self, message_id: str) -> None:
        """The batch recorded this mail (its savepoint is released)."""
        self.checked.add(message_id)
        self.seen_ids.add(message_id)

    def person(self, db: Database, address: str) -> dict[str, Any] | None:
        key = _fold(address)
        if key in self.people:
            found = self.people[key]
            return dict(found) if found else None
        return store.person_by_email(db, address)

    def acks_since(self, db: Database, sender: str, since: datetime) -> list[datetime]:
        if self.acks_from is None or since < self.acks_from or sender not in self.acks:
            return store.acks_since(db, sender, since)
        start = since.replace(microsecond=0)  # stored to the second, compared as stored
        return [at for at in self.acks[sender] if at >= start]

    def acknowledged(self, sender: str, at: datetime) -> None:
        if sender in self.acks:
            self.acks[sender].append(at)

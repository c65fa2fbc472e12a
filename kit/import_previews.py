"""Where an import's previewed file waits until the admin confirms it (the directory's lists
and past calls alike).

The file is kept in the instance folder's `imports/` under a random name, and the preview
page carries only that name: a form field could carry the file back, but Flask refuses form
fields over 500 kB and an import may be 2 MB. A preview not confirmed in time is removed
when the next one is kept, with any other files kept beside them (`sweep`).
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app


@dataclass(frozen=True)
class Previews:
    """One kind of import's previewed files: `<prefix><token>.csv`, kept `hours`."""

    prefix: str
    hours: int
    sweep: tuple[str, ...] = ()  # other files of this import removed on the same terms

    @property
    def folder(self) -> Path:
        return Path(current_app.instance_path) / "imports"

    def path_of(self, token: str) -> Path:
        """Where the file of the preview `token` is kept."""
        return self.folder / f"{self.prefix}{token}.csv"

    def keep(self, text: str) -> str:
        """Keep a previewed file; the token to confirm it by. Older unconfirmed files go."""
        self.folder.mkdir(exist_ok=True)
        for pattern in (f"{self.prefix}*.csv", *self.sweep):
            for old in self.folder.glob(pattern):
                if old.stat().st_mtime < time.time() - self.hours * 3600:
                    old.unlink(missing_ok=True)
        token = secrets.token_hex(16)
        self.path_of(token).write_bytes(text.encode("utf-8"))
        return token

    def take(self, token: str) -> str | None:
        """The previewed file for `token`; None for a token the kit never made, or expired."""
        if not re.fullmatch(r"[0-9a-f]{32}", token):
            return None
        try:
            return self.path_of(token).read_bytes().decode("utf-8")
        except FileNotFoundError:
            return None

    def drop(self, token: str) -> None:
        """Forget a preview once it is imported."""
        self.path_of(token).unlink(missing_ok=True)

"""The faults of the soak's day, and when they come.

A real full disk, not a simulated one: the instance folder (database, its WAL, uploads,
the knowledge base index) lives on a small filesystem of its own, a tmpfs mounted for the
soak; to fill it a ballast file takes every free byte, topped up while the window lasts,
and deleting it makes room again. Mounting needs root (CI and this machine run the tests
as root); elsewhere the soak says so plainly instead of pretending.
"""

from __future__ import annotations

import errno
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Schedule:
    """Seconds from the start of the day at which each fault comes, and how long it lasts."""

    seconds: float
    kills: list[float]
    imap_down_at: float
    imap_down_for: float
    full_at: float
    full_for: float
    daily_every: float
    mail_every: float

    @classmethod
    def for_minutes(cls, minutes: float) -> Schedule:
        seconds = minutes * 60
        if minutes >= 10:  # the real day: a kill every 5 minutes, a minute each fault
            every, outage, full, daily = 300.0, 60.0, 60.0, 180.0
        else:  # the short version in `make test`: the same faults, squeezed
            every, outage, full, daily = seconds / 3, seconds / 6, seconds / 6, seconds / 4
        kills = [every * k for k in range(1, int(seconds // every) + 1) if every * k < seconds]
        return cls(
            seconds=seconds,
            kills=kills,
            imap_down_at=seconds * 0.15,
            imap_down_for=outage,
            # between two kills, so the kit must carry on by itself once there is room
            full_at=(kills[0] + (kills[1] if len(kills) > 1 else seconds)) / 2 - full / 2,
            full_for=full,
            daily_every=daily,
            mail_every=3.0,
        )


class SmallDisk:
    """A tmpfs of `megabytes` mounted on `folder`, which can be filled and emptied."""

    def __init__(self, folder: Path, megabytes: int) -> None:
        if os.geteuid() != 0:
            raise RuntimeError(
                "The soak fills a disk of its own (a tmpfs) and needs root to mount it: "
                "run it as root, as CI does."
            )
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "soak-instance", str(folder)],
            check=True,
            capture_output=True,
        )
        self.ballast = folder / "ballast.bin"
        self.lock = threading.Lock()

    def fill(self) -> None:
        """Take every free byte (again: the kit frees some as it deletes or truncates)."""
        with self.lock:
            fd = os.open(self.ballast, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                for size in (1 << 20, 1 << 12, 1):
                    try:
                        while os.write(fd, b"\0" * size):
                            pass
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
            finally:
                os.close(fd)

    def make_room(self) -> None:
        with self.lock:
            self.ballast.unlink(missing_ok=True)

    def free_mb(self) -> float:
        stat = os.statvfs(self.folder)
        return stat.f_bavail * stat.f_frsize / 1e6

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.folder)], check=False, capture_output=True)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

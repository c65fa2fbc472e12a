"""Backups a school can trust: the database, settings and uploads in one zip file.

The database is copied with SQLite's online backup API, which is consistent while the
kit is serving (a plain copy of the .db file misses what is still in the -wal file).
The knowledge base index is left out: it is rebuilt from the database.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "kit.sqlite3"
SKIP = {"kb_index"}  # rebuilt from the database after a restore


class BackupError(Exception):
    """A backup file that cannot be restored, with the reason in plain words."""


@dataclass
class BackupReport:
    path: Path
    files: int
    calls: int


def backup(instance: Path, db_path: Path, target: Path) -> BackupReport:
    """Write a zip of the instance: a consistent database copy plus settings and uploads."""
    target = Path(target)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / DB_NAME
        source = sqlite3.connect(db_path)
        dest = sqlite3.connect(copy)
        try:
            source.backup(dest)
        finally:
            source.close()
        calls = dest.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
        dest.close()
        files = 1
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(copy, DB_NAME)
            for path in sorted(Path(instance).rglob("*")):
                rel = path.relative_to(instance)
                if path.is_dir() or rel.parts[0] in SKIP or rel.name.startswith(DB_NAME):
                    continue
                zf.write(path, str(rel))
                files += 1
    return BackupReport(target, files, calls)


def check(archive: Path) -> None:
    """Refuse a file that is not a kit backup or whose database fails integrity_check."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, FileNotFoundError) as exc:
        raise BackupError(f"{archive} is not a kit backup: {exc}") from exc
    with zf, tempfile.TemporaryDirectory() as tmp:
        if DB_NAME not in zf.namelist():
            raise BackupError(f"{archive} holds no {DB_NAME}.")
        for name in zf.namelist():
            if name.startswith("/") or ".." in Path(name).parts:
                raise BackupError(f"{archive} contains an unsafe path: {name}")
        zf.extract(DB_NAME, tmp)
        conn = sqlite3.connect(Path(tmp) / DB_NAME)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"The database in {archive} is damaged: {exc}") from exc
        finally:
            conn.close()
        if result != "ok":
            raise BackupError(f"The database in {archive} failed its integrity check: {result}")


def restore(archive: Path, instance: Path, db_path: Path) -> None:
    """Put a checked backup in place of the instance's database and files.

    Run with the kit stopped. The old database is kept beside it as `.before-restore`.
    """
    check(archive)
    instance = Path(instance)
    instance.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        shutil.copy2(db_path, db_path.with_name(db_path.name + ".before-restore"))
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    with zipfile.ZipFile(archive) as zf:
        for name in zf.namelist():
            target = db_path if name == DB_NAME else instance / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(name) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    shutil.rmtree(instance / "kb_index", ignore_errors=True)

"""The Whoosh index of articles, kept in the instance folder and rebuilt from SQLite at will.

The index is only a way to find articles: when it is missing, corrupt or behind the
database it is rebuilt, and while that cannot happen (another writer holds it) search
falls back to SQL rather than failing. Web requests write through `AsyncWriter` so a save
never waits for, or loses an update to, a locked index; `kit reindex` and tests use a
blocking writer with a timeout so their results are deterministic.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context
from sqlite_utils import Database
from whoosh import index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.index import LockError
from whoosh.scoring import BM25F
from whoosh.writing import CLEAR, AsyncWriter

from kit.db import connect
from kit.kb import analysis, queries
from kit.kb.analysis import SchoolAnalyzer
from kit.rules.words import stem_word  # noqa: F401  (indexes built before 2026-12 pickled it here)

WRITER_TIMEOUT = 10.0  # seconds a blocking writer (reindex, tests) waits for the lock

_rebuilding = threading.Lock()


class IndexUnavailable(Exception):
    """The index cannot be used right now (being rebuilt elsewhere): use the SQL search."""


def make_schema() -> Schema:
    text = SchoolAnalyzer(analysis.version())
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, stored=True),
        symptoms=TEXT(analyzer=text),
        cause=TEXT(analyzer=text),
        fix=TEXT(analyzer=text),
        tags=TEXT(analyzer=text),
        applies=TEXT(analyzer=text),  # category names and equipment types, as words
        errors=TEXT(analyzer=text),
        spell=TEXT(analyzer=StandardAnalyzer(), phrase=False),  # unstemmed words: "did you mean"
        category=KEYWORD(commas=True),
        equipment_type=KEYWORD(commas=True, lowercase=True),
        location=KEYWORD(commas=True),
        audience=KEYWORD,
        status=KEYWORD,
    )


def document(article: dict[str, Any]) -> dict[str, str]:
    """One article as the index stores it (every field a string, never None)."""
    words = [
        article["title"],
        article["symptoms"],
        article["cause"],
        article["fix"],
        article["tags"],
        article["category_names"] or "",
    ]
    return {
        "id": str(article["id"]),
        "title": article["title"],
        "symptoms": article["symptoms"],
        "cause": article["cause"],
        "fix": article["fix"],
        "tags": article["tags"],
        "applies": " ".join([article["category_names"] or "", *article["equipment_list"]]),
        "errors": "\n".join(article["error_list"]),
        "spell": "\n".join(words + article["error_list"]),
        "category": ",".join(str(c) for c in article["category_ids"]),
        "equipment_type": ",".join(article["equipment_list"]),
        "location": ",".join(str(c) for c in article["location_ids"]),
        "audience": article["audience"],
        "status": article["status"],
    }


def index_dir(app: Flask | None = None) -> Path:
    """Where the app keeps its index: `KB_INDEX_DIR`, or `kb_index` in the instance folder."""
    app = app or current_app
    configured = app.config.get("KB_INDEX_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "kb_index"


def rebuild_index(
    source: Flask | Database,
    folder: str | Path | None = None,
    *,
    timeout: float = WRITER_TIMEOUT,
    progress: Callable[[list], Iterable] | None = None,
) -> int:
    """Index every article afresh (creating the folder if needed); returns how many.

    `source` is the app (its database and index folder are used) or an open database;
    `progress` wraps the rows as they are indexed (`kit reindex` shows a progress bar).
    """
    if isinstance(source, Flask):
        folder = folder or index_dir(source)
        db = connect(source.config["DATABASE"])
        try:
            return rebuild_index(db, folder, timeout=timeout, progress=progress)
        finally:
            db.conn.close()
    if folder is None:
        raise ValueError("rebuild_index needs the index folder when given a database")
    ix = _open_or_create(Path(folder))
    rows = queries.index_rows(source)
    writer = ix.writer(timeout=timeout)
    try:
        for row in progress(rows) if progress else rows:
            writer.add_document(**document(row))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR)
    return len(rows)


def _open_or_create(folder: Path) -> index.Index:
    """Open the index, replacing it with an empty one when missing, unreadable or outdated."""
    ix = _try_open(folder)
    if ix is not None:
        return ix
    if folder.exists():  # damaged or from an older kit: move it aside, then remove it
        aside = folder.with_name(folder.name + ".old")
        shutil.rmtree(aside, ignore_errors=True)
        folder.rename(aside)
        shutil.rmtree(aside, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return index.create_in(folder, make_schema())


def _try_open(folder: Path) -> index.Index | None:
    """The index if it is there, every segment can be read and its fields are current."""
    if not folder.is_dir():
        return None
    try:
        if not index.exists_in(folder):  # this too raises on a damaged table of contents
            return None
        ix = index.open_dir(folder)
        with ix.reader() as reader:
            reader.doc_count()
        return ix if _current(ix.schema) else None
    except Exception:  # a damaged index: the caller rebuilds it
        return None


def _current(schema: Schema) -> bool:
    """Whether an index was built with today's fields, analyser and synonym table."""
    analyzer = schema["title"].analyzer if "title" in schema else None
    return (
        schema.names() == make_schema().names()
        and getattr(analyzer, "version", None) == analysis.version()
    )


def _stale_mark(folder: Path) -> Path:
    return folder.with_name(folder.name + ".stale")


def open_index(folder: Path, db: Database) -> index.Index:
    """A usable index in step with the database, rebuilding it first when it is not.

    Behind means a different number of articles (an import, a lost write) or a change
    that could not be written (`mark_stale`). While another thread rebuilds, a readable
    old index is used; with none, `IndexUnavailable` tells the caller to search with SQL.
    An index found usable is kept for the process while what it holds (`version`) and the
    number of articles are unchanged: checking it opened every segment twice per search.
    """
    seen, count = version(folder), queries.article_count(db)
    kept = _kept.get(str(folder))
    if kept is not None and seen is not None and not seen[2] and kept[:2] == (seen, count):
        return kept[2]
    ix = _try_open(folder)
    if ix is not None and not _stale_mark(folder).exists() and ix.doc_count() == count:
        _keep(folder, (seen, count, ix))
        return ix
    if not _rebuilding.acquire(blocking=False):
        if ix is not None:
            return ix
        raise IndexUnavailable("the knowledge base index is being rebuilt")
    try:
        _stale_mark(folder).unlink(missing_ok=True)
        rebuild_index(db, folder, timeout=0)
        return index.open_dir(folder)
    except LockError as exc:
        _stale_mark(folder).touch()
        if ix is not None:
            return ix
        raise IndexUnavailable("the knowledge base index is locked") from exc
    finally:
        _rebuilding.release()


# Per process: each index folder's last usable index, under (version, article count).
_kept: dict[str, tuple[tuple | None, int, index.Index]] = {}
# Per thread: its searcher on a kept index, used by one request at a time.
_local = threading.local()


def _keep(folder: Path, entry: tuple[tuple | None, int, index.Index]) -> None:
    if len(_kept) > 16:  # a process serves one school; tests make many folders
        _kept.clear()
    _kept[str(folder)] = entry


def forget_kept(folder: Path) -> None:
    """Check the index afresh on the next search (reading it failed)."""
    _kept.pop(str(folder), None)
    kept = getattr(_local, "searcher", None)
    _local.searcher = None
    in_use = has_app_context() and g.get("kb_searcher") is not None
    if kept is not None and not (in_use and g.kb_searcher is kept[1]):
        kept[1].close()  # else this request's teardown closes it


def version(folder: Path) -> tuple | None:
    """What the index holds now, cheaply (no index is opened): its table-of-contents file
    names, which change with every commit and rebuild in any process, and whether it is
    marked behind. None when there is no index. Results read from an index stay valid
    while this, and the number of articles in the database, are unchanged."""
    try:
        tocs = tuple(sorted(name for name in os.listdir(folder) if name.endswith(".toc")))
    except OSError:
        return None
    if not tocs:
        return None
    return (str(folder), tocs, _stale_mark(folder).exists())


def mark_stale(folder: Path) -> None:
    """Ask for a rebuild on the next search (a change could not reach the index)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    _stale_mark(folder).touch()


def write_articles(
    ix: index.Index, db: Database, ids: list[int], *, timeout: float | None = None
) -> None:
    """Bring these articles up to date in the index (deleted ones are removed).

    Without `timeout` this goes through `AsyncWriter`: if another writer holds the lock,
    the changes wait in memory and a thread applies them as soon as it is free.
    """
    rows = {r["id"]: r for r in queries.index_rows(db, ids)}
    writer = AsyncWriter(ix) if timeout is None else ix.writer(timeout=timeout)
    try:
        for article_id in ids:
            if article_id in rows:
                writer.update_document(**document(rows[article_id]))
            else:
                writer.delete_by_term("id", str(article_id))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def request_index() -> index.Index:
    """The index for this request (opened once, rebuilt if needed)."""
    if "kb_index" not in g:
        from kit.db import get_db

        g.kb_index = open_index(index_dir(), get_db())
    return g.kb_index


def request_searcher() -> Any:
    """This request's one searcher. On an index kept for the process (`open_index`), each
    thread keeps its searcher from request to request (a server thread serves one request
    at a time), so a search opens no segment; otherwise `close_searcher` closes it."""
    if "kb_searcher" not in g:
        ix = request_index()
        kept = getattr(_local, "searcher", None)
        if kept is not None and kept[0] is ix:
            g.kb_searcher = kept[1]
        else:
            g.kb_searcher = ix.searcher(weighting=BM25F(B=0.75, K1=1.2))
            if any(entry[2] is ix for entry in _kept.values()):
                _local.searcher = (ix, g.kb_searcher)
                if kept is not None:
                    kept[1].close()  # its index has changed since
    return g.kb_searcher


def close_searcher(_exc: BaseException | None = None) -> None:
    searcher = g.pop("kb_searcher", None)
    kept = getattr(_local, "searcher", None)
    if searcher is not None and (kept is None or kept[1] is not searcher):
        searcher.close()
    g.pop("kb_index", None)


def reindex_articles(ids: list[int]) -> None:
    """After a save in a web request: update these articles in the index, never failing it.

    Only these documents are written (a save never waits for a whole rebuild). The
    database already holds the change; if the index is missing or cannot take it now,
    it is marked behind and the next search rebuilds it.
    """
    from kit.db import get_db

    folder = index_dir()
    try:
        ix = _try_open(folder)
        if ix is None:
            mark_stale(folder)
            return
        write_articles(ix, get_db(), ids)
    except Exception:  # the index must never fail a save that the database has made
        current_app.logger.exception("knowledge base index not updated; rebuilding on next use")
        mark_stale(folder)

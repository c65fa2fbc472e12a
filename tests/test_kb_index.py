"""The search index: kept in step with the database, rebuilt when missing, damaged or behind."""

from __future__ import annotations

import shutil
import threading
import time

from kb_support import AT, add_article, reindex, titles
from whoosh.query import Term

from kit.db import connect
from kit.kb import index, search, store


def _doc_titles(app, db) -> set[str]:
    ix = index.open_index(index.index_dir(app), db)
    with ix.searcher() as searcher:
        return {fields["title"] for fields in searcher.all_stored_fields()}


def test_index_lives_in_the_instance_folder(app, db, tmp_path):
    add_article(db, "Printer offline")
    reindex(app)
    assert index.index_dir(app) == tmp_path / "instance" / "kb_index"
    assert (tmp_path / "instance" / "kb_index").is_dir()


def test_a_deleted_index_is_rebuilt_on_the_next_search(app, db, login, client):
    add_article(db, "Printer offline")
    reindex(app)
    shutil.rmtree(index.index_dir(app))
    login("desk")
    assert "Printer offline" in client.get("/kb/?q=printer").get_data(as_text=True)
    assert index.index_dir(app).is_dir()


def test_a_damaged_index_is_rebuilt(app, db):
    add_article(db, "Printer offline")
    reindex(app)
    for path in index.index_dir(app).iterdir():
        path.write_bytes(b"not an index")
    assert titles(app, db, "printer") == ["Printer offline"]


def test_an_index_behind_the_database_catches_up(app, db):
    add_article(db, "Printer offline")
    reindex(app)
    add_article(db, "Printer out of toner")  # straight into SQLite, as an import does
    assert set(titles(app, db, "printer")) == {"Printer offline", "Printer out of toner"}


def test_search_falls_back_to_sql_while_the_index_is_being_rebuilt(app, db, login, client):
    add_article(db, "Printer offline")
    login("desk")
    with index._rebuilding:  # another thread is rebuilding and there is no index yet
        html = client.get("/kb/?q=printer").get_data(as_text=True)
    assert "Printer offline" in html and "being rebuilt" in html


def test_editing_through_the_page_updates_the_index(app, db, login, post):
    article_id = add_article(db, "Projector lamp")
    reindex(app)
    login("coordinator")
    response = post(
        f"/kb/{article_id}/edit",
        {"title": "Projector fan noise", "audience": "staff", "base_revision": "1"},
        token_from="/kb/new",
    )
    assert response.status_code == 302
    assert _doc_titles(app, db) == {"Projector fan noise"}


def test_a_locked_index_does_not_lose_an_update(app, db):
    article_id = add_article(db, "Projector lamp")
    reindex(app)
    ix = index.open_index(index.index_dir(app), db)
    holder = ix.writer(timeout=5)  # someone else is writing
    data = store.ArticleInput(title="Projector lamp replaced", audience="staff")
    store.update_article(db, article_id, data, user_id=None, at=AT)
    index.write_articles(ix, db, [article_id])  # AsyncWriter: waits for the lock in a thread
    holder.cancel()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "Projector lamp replaced" not in _doc_titles(app, db):
        time.sleep(0.05)
    assert _doc_titles(app, db) == {"Projector lamp replaced"}


def test_retired_article_is_updated_not_duplicated(app, db):
    article_id = add_article(db, "Projector lamp")
    reindex(app)
    store.set_status(db, article_id, "retired", user_id=None, at=AT)
    ix = index.open_index(index.index_dir(app), db)
    index.write_articles(ix, db, [article_id], timeout=5)
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 1
        assert len(searcher.search(Term("status", "retired"))) == 1


def test_concurrent_edits_and_searches_lose_nothing(app, db):
    ids = [add_article(db, f"Article {n}", symptoms="printer fault") for n in range(4)]
    reindex(app)
    folder = index.index_dir(app)
    errors: list[BaseException] = []

    def edit(article_id: int) -> None:
        conn = connect(app.config["DATABASE"])
        try:
            ix = index.open_index(folder, conn)
            for round_ in range(5):
                data = store.ArticleInput(
                    title=f"Article {article_id} v{round_}",
                    symptoms="printer fault",
                    audience="staff",
                )
                store.update_article(conn, article_id, data, user_id=None, at=AT)
                index.write_articles(ix, conn, [article_id], timeout=20)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            conn.conn.close()

    def read() -> None:
        conn = connect(app.config["DATABASE"])
        try:
            ix = index.open_index(folder, conn)
            for _ in range(10):
                with ix.searcher() as searcher:
                    search.search(searcher, conn, "printer")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            conn.conn.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in ids]
    threads += [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert _doc_titles(app, db) == {f"Article {i} v4" for i in ids}


def test_saving_an_article_writes_only_that_article(app, db, login, post, monkeypatch):
    add_article(db, "Projector lamp")
    reindex(app)

    def no_rebuild(*_args, **_kwargs):
        raise AssertionError("a save must not rebuild the whole index")

    monkeypatch.setattr(index, "rebuild_index", no_rebuild)
    login("coordinator")
    response = post(
        "/kb/new", {"title": "Printer offline", "audience": "staff"}, token_from="/kb/new"
    )
    assert response.status_code == 302
    with index.index.open_dir(index.index_dir(app)).searcher() as searcher:
        assert {f["title"] for f in searcher.all_stored_fields()} == {
            "Projector lamp",
            "Printer offline",
        }


def test_a_save_with_no_index_leaves_it_for_the_next_search(app, db, login, post):
    login("coordinator")
    post("/kb/new", {"title": "Printer offline", "audience": "staff"}, token_from="/kb/new")
    assert titles(app, db, "printer") == []  # a draft; but the index was built on demand
    assert index.index_dir(app).is_dir()

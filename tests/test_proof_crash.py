"""kill -9 the production server in the middle of the desk's work, three times.

Eight desk clients log calls, add notes and search the knowledge base while the server is
killed (SIGKILL: no shutdown, as in a power cut) once a dozen more calls have been
acknowledged, then restarted on the same instance; before each kill the knowledge base
index is marked stale, so searches are rebuilding it when the kill lands. A call
whose answer was lost is sent again with the same one-time submission key, as a person
pressing the button again would. After each kill the database passes `integrity_check`
and holds every write acknowledged so far; at the end no call was logged twice, the
knowledge base index opens and finds articles, and the restarted server answers.
"""

from __future__ import annotations

import random
import sqlite3
import time

import pytest
from whoosh.qparser import QueryParser

from kit.db import connect
from kit.kb import index
from tests.proof_support import (
    DeskClient,
    KitServer,
    Tally,
    check_database,
    make_instance,
    run_desk,
)

CLIENTS = 8
CYCLES = 3
CALLS_BEFORE_KILL = 12  # acknowledged since the last restart, so each kill hits busy work


def _wait_for_calls(tally: Tally, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(tally.calls) < count:
        assert time.monotonic() < deadline, f"only {len(tally.calls)} calls of {count}"
        time.sleep(0.05)


def _missing_after_kill(db_path, tally: Tally) -> int:
    """Acknowledged calls and notes missing from the database (checked while it is down)."""
    with tally.lock:
        calls = dict(tally.calls)
        notes = list(tally.notes)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        by_key = dict(conn.execute("SELECT submission_key, ref FROM calls"))
        saved = set(conn.execute("SELECT call_id, text FROM call_events WHERE kind = 'note'"))
    finally:
        conn.close()
    return sum(by_key.get(k) != ref for k, ref in calls.items()) + sum(
        n not in saved for n in notes
    )


@pytest.mark.timeout(180)
def test_kill_9_loses_no_acknowledged_write(tmp_path):
    instance = make_instance(tmp_path / "instance", CLIENTS)
    db_path = instance / "kit.sqlite3"
    kb_folder = instance / "kb_index"
    server = KitServer(instance, threads=CLIENTS)
    tally = Tally()
    rnd = random.Random(2026)
    lost_after_kill = []
    index_readable = []  # whether the index as the kill left it opened (else: rebuilt)
    started = time.monotonic()
    run = None
    try:
        server.start()
        run = run_desk(server.port, CLIENTS, 10_000, tally, search=True)
        for _ in range(CYCLES):
            index.mark_stale(kb_folder)  # the next searches rebuild the index: kill into that
            _wait_for_calls(tally, len(tally.calls) + CALLS_BEFORE_KILL, timeout=30)
            time.sleep(rnd.uniform(0.0, 0.5))  # land anywhere in a request
            server.kill()
            lost_after_kill.append(_missing_after_kill(db_path, tally))
            index_readable.append(index._try_open(kb_folder) is not None)
            server.start()
        _wait_for_calls(tally, len(tally.calls) + CALLS_BEFORE_KILL, timeout=30)
        run.stop.set()
        run.join(timeout=60)
        answers = DeskClient(server.port, "desk1", Tally())
        answers.login()
        articles_found = answers.search_kb("printer")
        answers.close()
    finally:
        if run is not None:
            run.stop.set()
        server.stop()
    seconds = time.monotonic() - started
    figures = check_database(db_path, tally)
    print(
        f"\ncrash: clients={CLIENTS} kill cycles={CYCLES} calls={figures['calls']}"
        f" notes={figures['notes']} failures={figures['failures']}"
        f" unanswered={tally.unanswered} resent calls={tally.retried_calls}"
        f" lost={figures['lost']} (after each kill: {lost_after_kill})"
        f" duplicates={figures['duplicates']} in database={figures['calls in database']}"
        f" index readable after each kill: {index_readable} seconds={seconds:.1f}"
    )
    assert not run.errors, run.errors[:3]
    assert tally.failures == []
    assert figures["calls"] > 0 and figures["notes"] > 0
    assert lost_after_kill == [0] * CYCLES
    assert figures["lost"] == 0
    assert figures["duplicates"] == 0
    assert articles_found > 0
    db = connect(str(db_path))
    try:
        ix = index.open_index(kb_folder, db)
        with ix.searcher() as searcher:
            hits = searcher.search(QueryParser("title", ix.schema).parse("printer"))
            assert len(hits) > 0
    finally:
        db.conn.close()

"""The knowledge base with 10,000 articles: the search page's search against a bare Whoosh
query with highlighting on the same index, and a full reindex against a bare Whoosh writer
adding the same documents.

Articles come from the generator when it makes them; otherwise (or when there are fewer
than 10,000) this tops the school up with variations of the starter articles, written
through the knowledge base's own store so the rows are what the app would hold.
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlite_utils import Database
from whoosh import highlight
from whoosh import index as whoosh_index
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.scoring import BM25F

from kit import create_app
from kit.assets import find
from kit.db import connect, get_db, now
from kit.kb import files, index, queries, search, store
from kit.kb.query import FIELD_BOOSTS
from tests.bench.common import report

ARTICLES = 10_000
QUERIES = (
    "projector no picture",
    "printer says offline",
    "prnter ofline",
    "paper jammed in copier",
    "0x80070005",
    '"Access is denied" outlook',
    "wifi not connecting",
    "laptop wont charge",
    "cant take register sims",
    "the network path was not found",
    "smartboard wont calibrate",
    "toner low streaks",
    "projector lamp overheating",
    "teams camera not working",
    "new phone authenticator",
    "website blocked",
    "onedrive sync conflict",
    "There is not enough space on the disk",
    "usb stick not recognised",
    "stuck on working on updates",
)
FILLER = (
    "room block classroom staff pupils lesson office hall library laptop desktop board "
    "display cable socket adapter screen model make asset tag restart settings account "
    "network printer copier tray toner sound speaker camera teams update login"
).split()


def run(instance: Path) -> list[str]:
    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"})
    db = connect(app.config["DATABASE"])
    added = top_up(app, db, ARTICLES)
    count = queries.article_count(db)
    print(f"Knowledge base: {count} articles ({added} added for this benchmark)", flush=True)
    folder = index.index_dir(app)
    bare_folder = instance / "kb_index_bench_bare"
    docs = [index.document(row) for row in queries.index_rows(db)]
    lines = _indexing(db, folder, bare_folder, docs)
    lines += _searching(app, db, folder, {d["id"]: d for d in docs}, count)
    shutil.rmtree(bare_folder, ignore_errors=True)
    db.conn.close()
    return lines


def _indexing(db: Database, folder: Path, bare_folder: Path, docs: list[dict]) -> list[str]:
    """Full reindex (`kit reindex`) against a bare writer given the finished documents."""

    def bare() -> None:
        writer = whoosh_index.create_in(_fresh(bare_folder), index.make_schema()).writer()
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()

    bare_stemming_warmup = docs[:500]  # fill the shared stem cache before timing either
    writer = whoosh_index.create_in(_fresh(bare_folder), index.make_schema()).writer()
    for doc in bare_stemming_warmup:
        writer.add_document(**doc)
    writer.cancel()
    measured, baseline = interleaved(lambda: index.rebuild_index(db, folder), bare, repeat=3)
    n = len(docs)
    lines = _report(f"kb full reindex, {n} articles", measured, baseline)
    rates = (
        f"{'kb indexing throughput':<48} {n / measured.wall:8.0f} articles/s vs bare "
        f"{n / baseline.wall:8.0f} articles/s"
    )
    print(rates, flush=True)
    return [*lines, rates]


def _searching(
    app: Flask, db: Database, folder: Path, docs: dict[str, dict], count: int
) -> list[str]:
    """Per query: the search page's `find` in a request, the kit's `search` on an open
    searcher, and a bare Whoosh query with the same boosts and highlighting."""
    ix = whoosh_index.open_dir(folder)
    parser = MultifieldParser(
        list(FIELD_BOOSTS),
        ix.schema,
        fieldboosts=FIELD_BOOSTS,
        group=OrGroup.factory(0.9),
    )

    def page_search() -> None:
        for text in QUERIES:
            with app.test_request_context("/kb/"):
                search.find(get_db(), text, search.Filters())

    def kit_search(searcher: Any) -> None:
        for text in QUERIES:
            search.search(searcher, db, text)

    def bare_search() -> None:
        for text in QUERIES:
            with ix.searcher(weighting=BM25F(B=0.75, K1=1.2)) as searcher:
                _bare_page(searcher, parser.parse(text), docs)

    n = len(QUERIES)
    with ix.searcher(weighting=BM25F(B=0.75, K1=1.2)) as searcher:
        page, open_searcher, baseline = interleaved(
            page_search, lambda: kit_search(searcher), bare_search, repeat=7, warmup=1
        )
    _check_results(app, n)
    return [
        *_report(f"kb search page (find), {count} articles, per query", page, baseline, n),
        *_report(f"kb search() on an open searcher, {count} articles", open_searcher, baseline, n),
    ]


def interleaved(*fns: Callable[[], object], repeat: int, warmup: int = 0) -> list[Timing]:
    """Median wall and CPU time of each, run turn about, so a busy machine slows them alike
    (CPU time of this process is the steadier figure when other work shares the machine)."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    rounds: list[list[tuple[float, float]]] = [[] for _ in fns]
    for _ in range(repeat):
        for n, fn in enumerate(fns):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            rounds[n].append((time.perf_counter() - start, time.process_time() - start_cpu))
    return [
        Timing(statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for r in rounds
    ]


@dataclass
class Timing:
    wall: float
    cpu: float


def _report(name: str, measured: Timing, baseline: Timing, per: int = 1) -> list[str]:
    line = report(name, measured.wall / per, baseline.wall / per)
    cpu = (
        f"{'  same, CPU time of this process':<48} {measured.cpu / per * 1000:8.1f} ms vs bare "
        f"{baseline.cpu / per * 1000:8.1f} ms = {measured.cpu / baseline.cpu:4.2f}x"
    )
    print(cpu, flush=True)
    return [line, cpu]


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _bare_page(searcher: Any, query: Any, docs: dict[str, dict]) -> None:
    """Whoosh alone: one page of ten hits, a highlighted snippet for each."""
    page = searcher.search_page(query, 1, pagelen=search.PAGE_SIZE, terms=True)
    page.results.fragmenter = highlight.ContextFragmenter(maxchars=220, surround=50)
    page.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    for hit in page:
        doc = docs[hit["id"]]
        for name in search.SNIPPET_FIELDS:
            if doc[name] and hit.highlights(name, text=doc[name], top=2):
                break


def _check_results(app: Flask, n: int) -> None:
    """A benchmark of searches that find nothing would flatter the kit: check they find."""
    with app.test_request_context("/kb/"):
        found = [search.find(get_db(), text, search.Filters()).total for text in QUERIES]
    empty = [q for q, total in zip(QUERIES, found, strict=True) if not total]
    print(
        f"{'kb queries with results':<48} {n - len(empty)} of {n}, "
        f"median {statistics.median(found):.0f} matches",
        flush=True,
    )


def top_up(app: Flask, db: Database, wanted: int) -> int:
    """Add published variations of the starter articles until there are `wanted`."""
    have = queries.article_count(db)
    if have >= wanted:
        return 0
    rnd = random.Random(11)
    starters = [files.read_article(db, p) for p in sorted(find("knowledge_base").glob("*.md"))]
    with app.app_context():
        at = now()
    start = time.perf_counter()
    for n in range(have, wanted):
        slug, _status, base = starters[n % len(starters)]
        store.create_article(
            db,
            _variant(base, rnd),
            user_id=None,
            at=at,
            status="published",
            slug=f"{slug}-bench-{n:05d}",  # unique, so no search for a free slug
        )
    print(
        f"Added {wanted - have} articles in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    return wanted - have


def _variant(base: store.ArticleInput, rnd: random.Random) -> store.ArticleInput:
    """The starter article for another room and model, with a few words of its own."""
    where = f"Block {rnd.randrange(6)}, model {rnd.randrange(40)}"
    extra = " ".join(rnd.choices(FILLER, k=rnd.randrange(10, 40)))
    return store.ArticleInput(
        title=f"{base.title} ({where})",
        symptoms=f"{base.symptoms}\n\nSeen in {where}: {extra}.",
        cause=base.cause,
        fix=base.fix,
        error_messages=base.error_messages,
        tags=base.tags + rnd.sample(FILLER, 2),
        equipment_types=base.equipment_types,
        category_ids=base.category_ids,
        audience=base.audience,
        last_reviewed=base.last_reviewed,
    )

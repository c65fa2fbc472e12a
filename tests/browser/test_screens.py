"""The screens a desk and a technician use most, at the widths they use them.

At 360 (a technician's phone), 768 (a tablet), 1280 (a school laptop) and 1920 px the call
log never scrolls sideways, its table fits its box from 768 px up (every desk column visible)
and becomes cards on a phone; the call page puts the actions first, the facts beside the
history next and the suggestions last, with nothing listed twice. Screenshots of every
width are saved in tests/browser/shots/ for people to look at.
"""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from werkzeug.serving import make_server

from kit import create_app, demo
from kit.db import connect
from kit.kb.files import load_starter_articles
from tests.browser.conftest import SHOTS, log_in
from tests.conftest import Clock

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 23, 9, 30)
WIDTHS = (360, 768, 1280, 1920)
PASSWORD = "demo-school-2026"


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    from kit.assets import find

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("screens") / "instance"),
            "SECRET_KEY": "test",
            "NOW": Clock(NOW),
        }
    )
    db = connect(app.config["DATABASE"])
    demo.load(db, at=NOW)
    load_starter_articles(db, find("knowledge_base"), None, NOW)
    call_id = db.execute(
        "SELECT id FROM calls WHERE status = 'Logged' AND equipment_id IS NOT NULL"
    ).fetchone()[0]
    db.conn.close()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"base": f"http://127.0.0.1:{server.server_port}", "call": call_id}
    server.shutdown()


def _page(browser, school, width, username="office"):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, school["base"], username, PASSWORD)
    return context, page


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_call_log_fits_every_width(browser, school, width):
    context, page = _page(browser, school, width)
    try:
        page.goto(f"{school['base']}/calls/?status=")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"screens-call-log-{width}.png"), full_page=True)
        assert _overflow(page) == 0
        wrap = page.locator(".table-wrap").first
        inner = wrap.evaluate("w => w.scrollWidth - w.clientWidth")
        header_shown = page.locator("table.calls thead").evaluate(
            "t => t.getBoundingClientRect().width > 10"
        )
        if width >= 768:
            assert inner == 0, f"the call log scrolls {inner} px sideways in its box"
            assert header_shown
        else:
            assert not header_shown  # cards: each cell carries its own label
            row = page.locator("table.calls tbody tr").first
            assert row.evaluate("r => getComputedStyle(r).display") == "block"
            assert inner == 0
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_call_page_puts_actions_first_and_suggestions_last(browser, school, width):
    context, page = _page(browser, school, width)
    try:
        page.goto(f"{school['base']}/calls/{school['call']}")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"screens-call-page-{width}.png"), full_page=True)
        assert _overflow(page) == 0

        def top(selector: str) -> float:
            return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().top")

        assert top("#actions-h") < top("#handoff-h") < top("#about-h")
        assert top("#about-h") < top("#suggestions-h") and top("#history-h") < top("#kb-call-h")
        articles = page.locator("main a[href*='/kb/']").evaluate_all(
            "links => links.map(a => a.pathname).filter(p => /^\\/kb\\/\\d+$/.test(p))"
        )
        assert articles and len(articles) == len(set(articles)), articles
        if width == 1280:
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height < 2765 - 300, f"the call page is {height} px tall at 1280 px"
    finally:
        context.close()

"""axe-core on every main page of every role, on the demo school.

Each role logs in and visits its main pages (between the roles, every link of every menu,
plus a call, a search, an article, reports, the letter, the charter and a review); the
customer's pages and the login page are checked without logging in, and the pages most
used on a phone are checked again at 360 px, where nothing may scroll sideways. A serious or
critical WCAG 2.x A/AA violation fails the test, and every page's problems are listed
together so one run shows all there is to fix.

One demo school is served for the whole module: loading it hashes six passwords.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from kit import create_app, demo
from kit.customer import links
from kit.db import connect
from kit.kb.files import load_starter_articles
from tests.browser.conftest import AXE_FAILS_ON, axe_violations, describe, log_in
from tests.conftest import Clock

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 23, 9, 30)  # a Monday in term


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """The demo school served on a free port: its base URL, a call's id and a customer link."""
    from kit.assets import find

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("a11y") / "instance"),
            "SECRET_KEY": "test",
            "NOW": Clock(NOW),
            "RATELIMIT_ENABLED": False,
        }
    )
    db = connect(app.config["DATABASE"])
    demo.load(db, at=NOW)
    load_starter_articles(db, find("knowledge_base"), None, NOW)
    call_id = db.execute("SELECT id FROM calls WHERE status = 'With Customer'").fetchone()[0]
    tech_call = db.execute(
        "SELECT calls.id FROM calls JOIN users ON users.id = assignee_id "
        "WHERE username = 'tech' AND status != 'Closed'"
    ).fetchone()[0]
    article_id = db.execute("SELECT MIN(id) FROM articles").fetchone()[0]
    link = links.issue_link(db, call_id, NOW)
    db.conn.close()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {
        "base": f"http://127.0.0.1:{server.server_port}",
        "call": call_id,
        "tech_call": tech_call,
        "article": article_id,
        "link": link,
    }
    server.shutdown()


# Each role's pages; between them they cover every role's menu (checked below), and a page
# several roles share is checked once, by the role it matters most to.
PAGES = {
    "desk": [
        "/",
        "/calls/new",
        "/calls/",
        "/calls/?q=projector&status=open",
        "/calls/{call}",
        "/calls/mine",
        "/calls/hot-swaps",
        "/calls/exceptions",
        "/mail/held",
        "/kb/?q=printer",
        "/kb/{article}",
    ],
    "technician": ["/", "/calls/mine", "/calls/{tech_call}", "/visits/", "/print/"],
    "coordinator": ["/", "/kb/", "/kb/faq", "/kb/{article}", "/kb/{article}/edit", "/problems/"],
    "leader": [
        "/reports/",
        "/reports/workload",
        "/reports/outstanding",
        "/leaders/",
        "/leaders/letter",
        "/leaders/charter",
        "/leaders/reviews/new",
        "/surveys/",
    ],
    "admin": [
        "/admin/settings/",
        "/directory/",
        "/directory/people/",
        "/directory/locations/import",
        "/admin/accounts/",
        "/admin/accounts/new",
        "/admin/mail/",
        "/admin/mail/1",
        "/admin/mail/templates",
        "/mail/setup",
        "/reports/times",
        "/leaders/letter/edit",
    ],
}
CHECKED = {path.split("?")[0] for paths in PAGES.values() for path in paths}
LOGINS = {
    "desk": "office",
    "technician": "tech",
    "coordinator": "coordinator",
    "leader": "head",
    "admin": "admin",
}


def check_pages(page, base: str, paths: list[str], script: Path) -> list[str]:
    """axe-core on each page in turn; returns one block of text per page with problems."""
    problems = []
    for path in paths:
        response = page.goto(base + path)
        assert response.ok, f"{path} answered {response.status}"
        bad = [v for v in axe_violations(page, script) if v["impact"] in AXE_FAILS_ON]
        if bad:
            problems.append(f"{path}:\n{describe(bad)}")
    return problems


def menu(page) -> list[str]:
    """The links of the main menu, as paths."""
    return page.eval_on_selector_all(
        "nav[aria-label=Main] a", "links => links.map(a => new URL(a.href).pathname)"
    )


@pytest.mark.parametrize("role", list(LOGINS))
def test_every_main_page_of_the_role_passes_axe(role, school, page, axe_script, shot):
    base = school["base"]
    log_in(page, base, LOGINS[role], demo.DEMO_PASSWORD)
    unchecked = set(menu(page)) - CHECKED
    assert not unchecked, f"menu pages of {role} that no role checks: {sorted(unchecked)}"
    problems = check_pages(page, base, [p.format(**school) for p in PAGES[role]], axe_script)
    if role == "leader":  # a saved review has its own page
        page.goto(base + "/leaders/reviews/new")
        page.get_by_role("button", name="Save the review").click()
        page.wait_for_url("**/leaders/reviews/*")
        problems += check_pages(page, base, [page.url.removeprefix(base)], axe_script)
    shot(f"a11y-{role}")
    assert not problems, f"axe-core, logged in as {role}:\n" + "\n".join(problems)


PHONE_PAGES = {
    "technician": ["/calls/mine", "/calls/{tech_call}"],
    # Wide tables and grids that once pushed the page sideways on a phone.
    "admin": [
        "/setup/levels",
        "/setup/import",
        "/priority/matrix",
        "/leaders/",
        "/leaders/letter",
        "/leaders/reviews/new",
        "/reports/times",
    ],
}


@pytest.mark.parametrize("role", list(PHONE_PAGES))
def test_pages_fit_a_phone(role, school, page, axe_script, shot):
    """At 360 px (technicians read their jobs on a phone): no sideways scrolling, no violations."""
    base = school["base"]
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, base, LOGINS[role], demo.DEMO_PASSWORD)
    problems = []
    for path in [p.format(**school) for p in PHONE_PAGES[role]]:
        problems += check_pages(page, base, [path], axe_script)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide on a 360 px phone"
    shot(f"a11y-phone-{role}")
    assert not problems, "axe-core on a phone:\n" + "\n".join(problems)


def test_pages_without_a_login_pass_axe(school, page, axe_script):
    """The login page and the customer's own pages (status by private link, web form)."""
    paths = ["/auth/login", school["link"], "/my-call/new"]
    problems = check_pages(page, school["base"], paths, axe_script)
    assert not problems, "axe-core, not logged in:\n" + "\n".join(problems)

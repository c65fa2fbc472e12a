"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a live kit.

The flags keep Chromium off the network: this machine has none, and without them Chromium
stalls trying to reach Google's services. In CI a missing Chromium fails the run.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).parent / "shots"
ROOT = Path(__file__).resolve().parents[2]
# `make test` installs axe-core from the npm registry here (see the Makefile).
AXE = ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILS_ON = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
        pytest.skip("Chromium is not installed (run `make test` to install it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app served on a free port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(browser):
    # bypass_csp lets the test evaluate its own checks (and axe-core); the app still sends CSP.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def another_browser(browser):
    """another_browser(width=1280, height=900): a second person's browser (its own cookies)."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        contexts.append(context)
        other = context.new_page()
        other.set_default_timeout(10_000)
        return other

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def shot(page):
    """shot("name") saves a PNG of the page for people to look at (tests/browser/shots);
    shot("name", other_page) saves another page (a second person's browser)."""

    def take(name: str, of=None) -> Path:
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / f"{name}.png"
        (of or page).screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script; a missing one fails in CI and skips elsewhere."""
    if not AXE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing ({AXE}): `make test` installs it with npm.")
        pytest.skip("axe-core is not installed (run `make test` to install it with npm)")
    return AXE


def axe_violations(page, script: Path) -> list[dict]:
    """axe-core's WCAG 2.x A and AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    """Violations as lines a person can act on: the rule, then the first few elements."""
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"      {', '.join(map(str, node['target']))}: {node['html'][:160]}")
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.fixture
def axe_check(axe_script):
    """axe_check(page, name) fails the test on serious or critical WCAG 2.x A/AA violations."""

    def check(page, name: str) -> list[dict]:
        violations = axe_violations(page, axe_script)
        bad = [v for v in violations if v["impact"] in AXE_FAILS_ON]
        if bad:
            pytest.fail(f"axe-core on {name} ({page.url}):\n{describe(bad)}", pytrace=False)
        return violations

    return check

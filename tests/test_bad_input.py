"""A bad-input corpus against every form and every query parameter of the app.

The forms are not listed by hand: every page of the permission table that an admin may open
(and the customer's link pages) is fetched, and every ``<form>`` on it is parsed, so a new
form is covered when its page is in the table. Each form is sent with each payload in its
text fields (the rest at their defaults, so the value is stored), with each payload in every
field, with wrong types in each non-text field, and without its CSRF token. Query parameters
come from the pages' GET forms and from the list below of those a view reads directly.

Every answer must be a 4xx or a safe page: never a 500, never the payload's markup unescaped.
Then the pages that show stored values (the call, the call log, articles, problems, accounts,
the customer's page...) are read back and must not contain it either.
"""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from permission_table import OK, TABLE, World, build_world

from kit.db import connect

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MARKERS = (SCRIPT.encode(), b"<img src=x onerror")
ESCAPED = b"&lt;script&gt;alert(1)&lt;/script&gt;"
PAYLOADS: list[str | bytes] = [
    SCRIPT,
    IMG,
    "' OR 1=1 --",
    "1; DROP TABLE calls",
    "{{7*7}}",
    "{0.__class__}",
    "%s%n",
    "../../etc/passwd",
    "A" * 100_000,
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    b"\xff\xfe\xc3\x28",  # not UTF-8
    "abc",
    "99999999999999999999",
    "-1",
    "2026-02-30",
]
# In every field at once (text payloads go in the text fields one by one, below).
EVERY_FIELD: list[str | bytes] = [SCRIPT, IMG, "{{7*7}}", "../../etc/passwd", "A" * 100_000]
# In each non-text field (select, hidden, number, date, checkbox) on its own.
WRONG_TYPES: list[str | bytes] = [
    "abc",
    "99999999999999999999",
    "-1",
    "1.5",
    "2026-02-30",
    b"\xff",
    "",
]
TEXT_TYPES = {"", "text", "email", "search", "tel", "url", "password"}
KEPT = {"csrf_token", "base_revision"}
# Forms that would end the session or lock the admin out; everything else is sent.
SKIPPED_ACTIONS = ("/auth/logout", "/disable")
# Call and link actions that end a call's open life go last, so the others still store.
LAST = ("void", "close", "fixed-itself", "resolve", "confirm", "reassign", "assign", "category")
# Query parameters views read without a GET form on a page (grep request.args in kit/).
EXTRA_QUERY = {
    "/auth/login": ["next"],
    "/kb/": ["call", "q", "category_id", "audience", "status"],
    "/kb/suggest.json": ["q", "category_id"],
    "/kb/faq": ["q"],
    "/calls/new": ["location_id", "linked"],
    "/calls/open-in-location.json": ["location_id"],
    "/calls/find": ["ref"],
    "/calls/": ["q", "sort", "direction", "date_from", "page"],
    "/print/call-log": ["q", "sort", "direction", "status", "date_from", "date_to"],
    "/directory/people/": ["q", "page"],
    "/directory/locations/": ["q", "page"],
    "/directory/people.json": ["q"],
    "/problems/": ["status"],
    "/admin/mail/": ["status"],
    "/reports/workload.csv": ["date_from", "date_to", "group", "technician", "by"],
    "/reports/outstanding.pdf": ["date_from", "site"],
    "/reports/governors": ["term", "month"],
    "/reports/governors.pdf": ["term", "month"],
    "/reports/export/calls.csv": ["date_from", "date_to"],
    "/leaders/reviews/new": ["date_from", "date_to"],
}


class FormParser(HTMLParser):
    """Every form on a page: its action, method and fields with their default values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.form: dict | None = None
        self.textarea: dict | None = None
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = {"action": a.get("action", ""), "method": a.get("method", "get").lower()}
            self.form["fields"] = []
            self.forms.append(self.form)
        elif self.form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = a.get("type", "").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                field = {
                    "name": a["name"],
                    "kind": kind,
                    "value": None,
                    "options": [a.get("value", "on")],
                }
            else:
                field = {
                    "name": a["name"],
                    "kind": kind,
                    "value": a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                }
                field["options"] = [field["value"]]
            self.form["fields"].append(field)
        elif tag == "textarea":
            self.textarea = {"name": a["name"], "kind": "textarea", "value": "", "options": []}
            self.form["fields"].append(self.textarea)
        elif tag == "select":
            self.select = {"name": a["name"], "kind": "select", "value": None, "options": []}
            self.select["multiple"] = "multiple" in a
            self.form["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select["options"].append(value)
            if "selected" in a or (self.select["value"] is None and not self.select["multiple"]):
                self.select["value"] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def _is_text(field: dict) -> bool:
    return field["kind"] == "textarea" or (
        field["kind"] in TEXT_TYPES and field["name"] not in KEPT | {"website"}
    )


class Corpus:
    """Sends requests, counts them and keeps every failure for one report at the end."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.count = 0
        self.failures: list[str] = []

    def check(self, response, where: str) -> None:
        self.count += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code}: {where}")
        content_type = response.headers.get("Content-Type", "")
        if "pdf" in content_type or "csv" in content_type:
            return  # not a page a browser runs
        body = response.get_data()
        for marker in MARKERS:
            if marker in body:
                self.failures.append(f"unescaped {marker[:12]!r} in {content_type}: {where}")

    def get(self, path: str, pairs: list[tuple[str, str | bytes]] | None = None, where=""):
        query = urlencode(pairs or [], doseq=True)
        url = f"{path}?{query}" if query else path
        return self._send(where or f"GET {url[:150]}", self.world.client.get, url)

    def post(self, path: str, pairs: list[tuple[str, str | bytes]], where: str):
        return self._send(
            where,
            self.world.client.post,
            path,
            data=urlencode(pairs, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )

    def _send(self, where: str, method, *args, **kwargs):
        try:  # TESTING propagates a view's exception: it is what a 500 would be
            response = method(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            self.count += 1
            self.failures.append(f"500 {type(exc).__name__}: {str(exc)[:80]}: {where}")
            return None
        self.check(response, where)
        return response


def _pages(world: World) -> list[str]:
    """Every page of the table an admin or the customer opens, with the table's data."""
    pages = []
    for row in TABLE:
        if row.method == "GET" and OK in (row.answers.get("admin"), row.answers.get("customer")):
            pages.append(row.path.format(**world.ids))
    return list(dict.fromkeys(pages))


def _forms(corpus: Corpus, method: str) -> list[tuple[str, dict]]:
    """(url, form) for each distinct form on the pages, as they stand now."""
    found: dict[tuple[str, str], tuple[str, dict]] = {}
    for page in _pages(corpus.world):
        response = corpus.world.client.get(page)
        if "html" not in response.headers.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            url = urljoin(page, form["action"]) if form["action"] else page
            if form["method"] != method or any(s in url for s in SKIPPED_ACTIONS):
                continue
            found.setdefault((urlsplit(url).path, method), (url, form))
    return sorted(found.values(), key=_goes_last)


def _goes_last(item: tuple[str, dict]) -> bool:
    return any(item[0].rstrip("/").endswith("/" + name) for name in LAST)


def _defaults(form: dict) -> list[tuple[str, str]]:
    pairs = []
    for field in form["fields"]:
        if field["name"] == "submission_key":
            pairs.append((field["name"], uuid.uuid4().hex))
        elif field["value"] is not None:
            pairs.append((field["name"], field["value"]))
    return pairs


def _with(form: dict, names: set[str], value: str | bytes) -> list[tuple[str, str | bytes]]:
    """The form's defaults with `value` in each field named in `names`."""
    pairs: list[tuple[str, str | bytes]] = []
    done: set[str] = set()
    for name, default in _defaults(form):
        if name in names:
            if name not in done:
                pairs.append((name, value))
                done.add(name)
        else:
            pairs.append((name, default))
    pairs.extend((name, value) for name in sorted(names - done))
    return pairs


def _label(value: str | bytes) -> str:
    text = repr(value)
    return text if len(text) < 40 else text[:30] + f"...({len(value)})"


@pytest.fixture
def corpus(tmp_path):
    return Corpus(build_world(tmp_path / "instance", "admin"))


def _stored_pages(world: World) -> list[str]:
    """The pages that show what the forms stored."""
    db = connect(world.app.config["DATABASE"])
    try:
        pages = [f"/calls/{row['id']}" for row in db["calls"].rows]
        pages += [f"/kb/{row['id']}" for row in db["articles"].rows]
        pages += [f"/kb/{row['id']}/history" for row in db["articles"].rows]
        pages += [f"/problems/{row['id']}" for row in db["problems"].rows]
        pages += [f"/admin/mail/{row['id']}" for row in db["outbox"].rows]
        pages += [f"/admin/accounts/{row['id']}/edit" for row in db["users"].rows]
        for kind in ("people", "locations", "equipment", "groups", "categories"):
            pages.append(f"/directory/{kind}/")
    finally:
        db.conn.close()
    pages += ["/calls/?q=alert", "/calls/?q=onerror", "/kb/?q=alert", "/kb/faq?q=alert"]
    return pages + _pages(world)


@pytest.mark.timeout(900)  # every form x the whole corpus: 260 s on a machine at load 13
def test_every_form_survives_the_corpus(corpus):
    forms = _forms(corpus, "post")
    assert len(forms) >= 40, [url for url, _form in forms]
    for url, form in forms:
        text = {f["name"] for f in form["fields"] if _is_text(f)}
        every = {f["name"] for f in form["fields"] if f["name"] not in KEPT}
        others = every - text - {"submission_key"}
        for value in PAYLOADS:
            label = _label(value)
            if text:
                corpus.post(url, _with(form, text, value), f"POST {url} text fields={label}")
            if every - text and value in EVERY_FIELD:
                corpus.post(url, _with(form, every, value), f"POST {url} all fields={label}")
        for name in sorted(others):
            for value in WRONG_TYPES:
                corpus.post(url, _with(form, {name}, value), f"POST {url} {name}={_label(value)}")
        missing = [(n, v) for n, v in _defaults(form) if n != "csrf_token"]
        response = corpus.post(url, missing, f"POST {url} without its CSRF token")
        if response is not None and response.status_code != 400:
            corpus.failures.append(f"{response.status_code} without a CSRF token: POST {url}")
    shown = 0  # pages showing a stored payload, escaped: the read-back looks at real values
    for page in _stored_pages(corpus.world):
        response = corpus.get(page, where=f"GET {page} (stored values)")
        shown += response is not None and ESCAPED in response.get_data()
    print(
        f"\nbad input: {corpus.count} form requests ({len(forms)} forms; stored payload shown"
        f" escaped on {shown} pages)",
        *corpus.failures,
        sep="\n",
    )
    assert not corpus.failures, "\n".join(corpus.failures[:80])
    assert shown >= 10, shown
    assert corpus.count >= 1350


def test_every_query_parameter_survives_the_corpus(corpus):
    params: dict[str, set[str]] = {path: set(names) for path, names in EXTRA_QUERY.items()}
    for url, form in _forms(corpus, "get"):
        path = urlsplit(url).path
        params.setdefault(path, set()).update(f["name"] for f in form["fields"])
    for path, names in params.items():
        for value in PAYLOADS:
            label = _label(value)
            for name in sorted(names):
                corpus.get(path, [(name, value)], f"GET {path}?{name}={label}")
            corpus.get(path, [(name, value) for name in sorted(names)], f"GET {path} all={label}")
    print(f"\nbad input: {corpus.count} query requests", *corpus.failures, sep="\n")
    assert not corpus.failures, "\n".join(corpus.failures[:80])
    assert corpus.count >= 1300

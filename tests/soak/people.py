"""The school's people during the soak, each one a loop of what their role does all day.

The desk logs calls (one in four with a photo), adds a note to each and passes half of
them to a technician; technicians start, note and resolve what was passed to them; the
coordinator searches the call log and the knowledge base; a leader opens reports and their
PDFs; customers report a problem on the web form and reply on status links (their own,
and the ones the kit mailed to staff). Every write goes through the page's own form and is
written in the ledger only once the kit's answer says it is saved.
"""

from __future__ import annotations

import io
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape

from tests.soak.forms import form, forms, has_form
from tests.soak.ledger import Ledger
from tests.soak.web import Browser, Failed, Unanswered, gist

PASSWORD = "soak-password-2026"
CATEGORY = "Printer or copier"
WORDS = ("printer", "projector", "wifi", "password", "laptop", "screen", "sound", "email")
_CALL_URL = re.compile(r"^/calls/(\d+)$")
_HEADING = re.compile(r'<h1>Call (\d{2}-\d{4,}) <span class="status">([^<]+)</span>')
_LINK = re.compile(r"/my-call/([A-Za-z0-9_-]{20,})")


@dataclass
class Day:
    """What the people share: where the kit is, the ledger, and what they learn."""

    port: int
    ledger: Ledger
    stop: threading.Event
    think: float  # seconds between one person's actions (randomised around it)
    refs: list[str] = field(default_factory=list)  # acknowledged calls, for searches and mail
    links: list[str] = field(default_factory=list)  # customers' status links
    mailed_links: Callable[[], list[str]] = lambda: []  # links in mail the kit sent

    def pause(self, rnd: random.Random, factor: float = 1.0) -> None:
        self.stop.wait(rnd.uniform(0.5, 1.5) * self.think * factor)


def photo(rnd: random.Random) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), tuple(rnd.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def login(b: Browser, username: str) -> None:
    page = b.get("/auth/login", "login page").text
    login_form = next(f for f in forms(page) if "username" in f.values)
    b.send("/auth/login", login_form.fill(username=username, password=PASSWORD).fields(), "log in")


def call_page(b: Browser, call_id: int, what: str) -> tuple[str, str, str]:
    """(reference, status, page) of a call as its page shows it."""
    page = b.get(f"/calls/{call_id}", what).text
    found = _HEADING.search(page)
    if not found:
        b.ledger.fail(f"{b.name} {what}: the call page shows no reference")
        raise Failed(what)
    return found[1], unescape(found[2]), page


def act(b: Browser, call_id: int, path: str, fields: dict, what: str, done: str) -> bool:
    """A button without a one-time key (pass on, start, resolve): after a lost answer the
    person reloads the call's page first and presses again only if the status did not
    change to `done`. True when the kit acknowledged it (or the reload showed it done)."""
    try:
        answer = b.request("POST", path, fields)
    except Unanswered:
        b.ledger.count("unanswered")
        b.wait_for_server(time.monotonic() + 120)
        if call_page(b, call_id, what)[1] == done:
            return True
        b.ledger.count("resent")
        answer = None
    if answer is None or answer.status == 503:
        return b.send(path, fields, what).status == 302
    if answer.status == 302:
        return True
    b.ledger.fail(f"{b.name} {what}: POST {path} {answer.status} {gist(answer)}")
    raise Failed(what)


def desk(b: Browser, day: Day, rnd: random.Random) -> None:
    login(b, b.name)
    jpeg = photo(rnd)
    n = 0
    while not day.stop.is_set():
        n += 1
        page = b.get("/calls/new", "log-a-call form").text
        f = form(page, form_id="log-call").choose("category_id", CATEGORY)
        f.fill(
            caller_name=f"Teacher of {b.name}",
            summary=f"{b.name} call {n}: {rnd.choice(WORDS)} fault",
            details=f"Seen by {b.name} at {time.strftime('%H:%M:%S')}.",
            desk_checked=True,
        )
        key = f.values["submission_key"]
        files = None
        if rnd.random() < 0.25:
            files = [("file", f"photo-{key[:12]}.jpg", jpeg, "image/jpeg")]
        answer = b.send("/calls/new", f.fields(), "log a call", files=files)
        call_id = int(_CALL_URL.match(answer.location)[1])
        ref, _status, page = call_page(b, call_id, "the new call")
        day.ledger.add("calls", (key, ref))
        if files:
            day.ledger.add("photos", (ref, files[0][1]))
        day.refs.append(ref)
        note = form(page, action=f"/calls/{call_id}/note")
        text = f"{b.name} note {n}: rang the caller back"
        b.send(note.action, note.fill(note_text=text).fields(), "add a note")
        day.ledger.add("notes", (call_id, text))
        if rnd.random() < 0.5:
            pass_on(b, day, rnd, call_id)
        day.pause(rnd)


def pass_on(b: Browser, day: Day, rnd: random.Random, call_id: int) -> None:
    _ref, _status, page = call_page(b, call_id, "call to pass on")
    action = f"/visits/calls/{call_id}/handoff"
    if not has_form(page, action):
        return
    f = form(page, action=action)
    techs = [v for v, label in f.options.get("technician_id", []) if label.startswith("Soak")]
    if not techs:
        return
    f.fill(technician_id=rnd.choice(techs), method="phone", handoff_note="Will call in today.")
    if act(b, call_id, action, f.fields(), "pass a call on", "Assigned"):
        day.ledger.add("handoffs", call_id)


def technician(b: Browser, day: Day, rnd: random.Random) -> None:
    login(b, b.name)
    n = 0
    while not day.stop.is_set():
        mine = b.get("/calls/mine", "my jobs").text
        ids = sorted({int(i) for i in re.findall(r'href="/calls/(\d+)"', mine)})
        rnd.shuffle(ids)
        for call_id in ids[:2]:
            n += 1
            work_on(b, day, call_id, n)
        day.pause(rnd, 2.0)


def work_on(b: Browser, day: Day, call_id: int, n: int) -> None:
    _ref, status, page = call_page(b, call_id, "a job")
    if status == "Assigned" and has_form(page, f"/calls/{call_id}/start"):
        start = form(page, action=f"/calls/{call_id}/start")
        act(b, call_id, start.action, start.fields(), "start work", "In Progress")
        _ref, status, page = call_page(b, call_id, "a job started")
    if status != "In Progress":
        return
    note = form(page, action=f"/calls/{call_id}/note")
    text = f"{b.name} note {n}: swapped the toner"
    b.send(note.action, note.fill(note_text=text).fields(), "add a work note")
    day.ledger.add("notes", (call_id, text))
    f = form(page, action=f"/calls/{call_id}/resolve")
    f.fill(
        resolution_summary=f"Fixed by {b.name}: toner replaced.",
        resolution_details="Replaced the toner cartridge and printed a test page.",
        closure_category=f.real_options("closure_category")[0],
        customer_confirmed=True,
        informed_how="phone",
        resolve_minutes="15",
    )
    if act(b, call_id, f.action, f.fields(), "resolve", "Resolved"):
        day.ledger.add("resolved", call_id)


def coordinator(b: Browser, day: Day, rnd: random.Random) -> None:
    login(b, b.name)
    while not day.stop.is_set():
        b.get(f"/calls/?q={rnd.choice(WORDS)}", "call log search")
        day.ledger.read("call log searches")
        if day.refs:
            ref = rnd.choice(day.refs[-50:])
            found = b.get(f"/calls/?q={ref}&status=", "search for a reference", ok=(200, 302))
            if found.status == 302:  # a reference typed whole opens its call
                found = b.get(found.location, "the call found")
            if ref not in found.text:
                day.ledger.fail(f"{b.name}: the call log search does not find {ref}")
            day.ledger.read("call log searches")
        page = b.get(f"/kb/?q={rnd.choice(WORDS)}", "knowledge base search").text
        day.ledger.read("knowledge base searches")
        articles = re.findall(r'href="(/kb/\d+)"', page)
        if articles:
            b.get(rnd.choice(articles), "an article")
            day.ledger.read("articles")
        day.pause(rnd)


LEADER_PAGES = ("/reports/", "/reports/workload", "/reports/governors", "/calls/")
LEADER_PDFS = ("/reports/outstanding.pdf", "/reports/monthly.pdf?month={month}")


def leader(b: Browser, day: Day, rnd: random.Random) -> None:
    login(b, b.name)
    n = 0
    while not day.stop.is_set():
        n += 1
        b.get(rnd.choice(LEADER_PAGES), "a report")
        day.ledger.read("reports")
        if n % 4 == 0:
            path = rnd.choice(LEADER_PDFS).format(month=time.strftime("%Y-%m"))
            pdf = b.get(path, "a report's PDF")
            if not pdf.body.startswith(b"%PDF"):
                day.ledger.fail(f"{b.name}: {path} is not a PDF ({pdf.content_type})")
            day.ledger.read("PDFs")
        day.pause(rnd, 2.0)


def customer(b: Browser, day: Day, rnd: random.Random, web_form_every: float) -> None:
    n = 0
    next_web_form = time.monotonic()
    while not day.stop.is_set():
        n += 1
        if time.monotonic() >= next_web_form:
            web_form(b, day, n)
            next_web_form = time.monotonic() + web_form_every
        links = day.links + day.mailed_links()
        if links:
            reply(b, day, rnd.choice(links[-30:]), n)
        day.pause(rnd, 2.0)


def web_form(b: Browser, day: Day, n: int) -> None:
    page = b.get("/my-call/new", "the web form").text
    f = [f for f in forms(page) if "submission_key" in f.values][0]
    f.fill(
        caller_name=f"Parent of {b.name}",
        email=f"{b.name}@home.example",
        summary=f"{b.name} web call {n}: laptop will not charge",
        happened="The charging light stays off.",
    )
    answer = b.send("/my-call/new", f.fields(), "report a problem on the web form", ok=(302, 429))
    if answer.status == 429:  # the hourly limit of one address, said in plain words
        day.ledger.read("web forms refused by the hourly limit")
        return
    status = b.get(answer.location, "my status page").text
    ref = re.search(r"Your call (\d{2}-\d{4,}) is logged", unescape(status))
    if not ref:
        day.ledger.fail(f"{b.name}: the status page does not give the call's reference")
        return
    day.ledger.add("calls", ("web:" + f.values["submission_key"], ref[1]))
    day.links.append(answer.location.removeprefix("/my-call/"))


def reply(b: Browser, day: Day, token: str, n: int) -> None:
    page = b.get(f"/my-call/{token}", "a status link", ok=(200, 404, 429)).text
    action = f"/my-call/{token}/reply"
    heading = re.search(r"\b(\d{2}-\d{4,})\b", page)
    if not heading or not has_form(page, action):
        return
    text = f"{b.name} reply {n}: it happened again at {time.strftime('%H:%M:%S')}"
    f = form(page, action=action).fill(text=text)
    answer = b.send(action, f.fields(), "reply on a status link", ok=(302, 429))
    if answer.status == 302:
        day.ledger.add("replies", (heading[1], text))
    else:
        day.ledger.read("replies refused by the hourly limit")


def links_in(messages: list[bytes]) -> list[str]:
    return sorted({m for raw in messages for m in _LINK.findall(raw.decode("latin-1"))})

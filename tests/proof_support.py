"""The kit under load: its production server as a subprocess, and desk clients driving it.

`KitServer` runs `kit serve` (waitress) on a temporary instance made with `kit init`;
`DeskClient` is one person at the desk with their own cookie session, who logs in through
the login form and then logs calls and adds notes through the real forms, as a browser
would: every POST carries the page's CSRF token, and the log-a-call form its one-time
submission key. A call or note whose answer was lost (the server died, the connection
broke) is sent again with the same key, so it can never be saved twice. `run_desk` runs several clients at once and `check_database` compares what
they were told with what the database holds.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BIN = Path(sys.executable).parent
KIT = str(BIN / "kit")
PASSWORD = "load-test-password-1"
CATEGORY = "Printer or copier"
_CALL_LOGGED = re.compile(r"Call (\d{2}-\d{4,}) logged")
_CALL_URL = re.compile(r"^/calls/(\d+)$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_instance(folder: Path, desk_users: int) -> Path:
    """An instance made with `kit init`, plus desk accounts desk1..deskN (through the store)."""
    from kit.auth import store as accounts
    from kit.db import connect

    env = {**os.environ, "KIT_INSTANCE": str(folder)}
    subprocess.run([KIT, "init"], env=env, check=True, capture_output=True, timeout=60)
    db = connect(str(folder / "kit.sqlite3"))
    try:
        for n in range(1, desk_users + 1):
            accounts.create_user(
                db, username=f"desk{n}", name=f"Desk {n}", password=PASSWORD, roles={"desk"}
            )
    finally:
        db.conn.close()
    return folder


class KitServer:
    """`kit serve` in a subprocess on a fixed port; `kill()` is kill -9, `start()` restarts."""

    def __init__(
        self,
        instance: Path,
        threads: int = 8,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.instance = instance
        self.env = env or {}
        self.threads = threads
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log = instance.parent / f"server-{self.port}.log"

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, **self.env, "KIT_INSTANCE": str(self.instance)}
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [KIT, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
                + ["--threads", str(self.threads)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kit serve exited: {self.log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/auth/login")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"kit serve did not answer within {timeout} s")

    def kill(self) -> None:
        """kill -9: no shutdown, no flushing, exactly as a power cut ends the process."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def hidden(html: str, name: str) -> str:
    """The value of a form's input called `name` (CSRF token, submission key)."""
    for tag in re.findall(r"<input[^>]*>", html):
        if re.search(rf'name="{re.escape(name)}"', tag):
            value = re.search(r'value="([^"]*)"', tag)
            return unescape(value.group(1)) if value else ""
    raise AssertionError(f"no input {name!r} on the page")


def option(html: str, select: str, label: str) -> str:
    """The value of the option shown as `label` in the select called `select`."""
    block = re.search(rf'<select[^>]*name="{select}"[^>]*>(.*?)</select>', html, re.S)
    assert block, f"no select {select!r} on the page"
    for value, text in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', block[1]):
        if unescape(text).strip() == label:
            return value
    raise AssertionError(f"no option {label!r} in {select!r}")


class Unanswered(Exception):
    """The request got no HTTP answer (connection refused, reset, or closed mid-answer)."""


@dataclass
class Tally:
    """What the desk was told: acknowledged calls (ref by submission key) and notes."""

    calls: dict[str, str] = field(default_factory=dict)  # submission key -> reference
    call_ids: dict[str, int] = field(default_factory=dict)  # reference -> call id
    notes: list[tuple[int, str]] = field(default_factory=list)  # (call id, text)
    failures: list[str] = field(default_factory=list)  # 4xx/5xx answers, with what was done
    unanswered: int = 0  # requests that got no answer (only expected while a server is down)
    retried_calls: int = 0  # call forms sent again with the same key after a lost answer
    lock: threading.Lock = field(default_factory=threading.Lock)


class DeskClient:
    """One person at the desk: their own cookie session and keep-alive connection."""

    def __init__(self, port: int, username: str, tally: Tally) -> None:
        self.port = port
        self.username = username
        self.tally = tally
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        """(status, location, body); raises `Unanswered` when no answer came back."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise Unanswered(f"{method} {path}: {exc!r}") from exc
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        location = urlsplit(response.getheader("Location") or "").path
        return response.status, location, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def expect(self, what: str, answer, *statuses: int):
        status = answer[0]
        if status not in statuses:
            with self.tally.lock:
                self.tally.failures.append(f"{self.username} {what}: {status} {answer[2][:200]!r}")
            raise AssertionError(f"{what}: {status}")
        return answer

    def login(self) -> None:
        page = self.expect("login page", self.request("GET", "/auth/login"), 200)[2]
        form = {
            "csrf_token": hidden(page, "csrf_token"),
            "username": self.username,
            "password": PASSWORD,
        }
        self.expect("login", self.request("POST", "/auth/login", form), 302)

    def log_call(self, n: int) -> int:
        """Fill in and send the log-a-call form; resend with the same key if unanswered."""
        page = self.expect("log-a-call form", self.request("GET", "/calls/new"), 200)[2]
        key = hidden(page, "submission_key")
        form = {
            "csrf_token": hidden(page, "csrf_token"),
            "submission_key": key,
            "caller_name": f"Teacher {self.username}",
            "caller_email": "",
            "caller_phone": "",
            "channel": "Phone",
            "location_id": "0",
            "asset_tag": "",
            "category_id": option(page, "category_id", CATEGORY),
            "summary": f"{self.username} call {n}: printer jams",
            "details": "Paper jams in tray 2.",
            "occurred_at": "",
        }
        while True:
            try:
                answer = self.request("POST", "/calls/new", form)
                break
            except Unanswered:
                with self.tally.lock:
                    self.tally.unanswered += 1
                    self.tally.retried_calls += 1
                self.wait_for_server()
        status, location, _ = self.expect("log a call", answer, 302)
        match = _CALL_URL.match(location)
        assert match, f"log a call redirected to {location!r}"
        call_id = int(match[1])
        page = self.expect("call page", self.request("GET", location), 200)[2]
        ref = _CALL_LOGGED.search(page)
        assert ref, "the call page does not show the new call's reference"
        with self.tally.lock:
            self.tally.calls[key] = ref[1]
            self.tally.call_ids[ref[1]] = call_id
        self.page = page
        return call_id

    def add_note(self, call_id: int, n: int) -> None:
        """The Note action on the call's page; resent with its key if unanswered."""
        text = f"{self.username} note {n}: tray 2 checked"
        note_form = re.search(rf'action="/calls/{call_id}/note".*?</form>', self.page, re.S).group(
            0
        )
        form = {
            "csrf_token": hidden(self.page, "csrf_token"),
            "submission_key": hidden(note_form, "submission_key"),
            "note_text": text,
        }
        while True:
            try:
                answer = self.request("POST", f"/calls/{call_id}/note", form)
                break
            except Unanswered:
                with self.tally.lock:
                    self.tally.unanswered += 1
                self.wait_for_server()
        self.expect("add a note", answer, 302)
        with self.tally.lock:
            self.tally.notes.append((call_id, text))

    def search_kb(self, words: str = "printer") -> int:
        """Search the knowledge base; returns how many articles the page links to."""
        page = self.expect("search", self.request("GET", f"/kb/?q={words}"), 200)[2]
        return len(set(re.findall(r'href="/kb/(\d+)"', page)))

    def wait_for_server(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the server did not come back")


def desk_session(
    client: DeskClient, calls: int, stop: threading.Event, search: bool = False
) -> None:
    """Log in, then log `calls` calls with a note on each (and a knowledge base search
    when `search`), until `stop` is set.

    A request that gets no answer (only while the server is being killed) is not a
    failure: the person logs in again once it is back and carries on.
    """
    n = 0
    logged_in = False
    while n < calls and not stop.is_set():
        try:
            if not logged_in:
                client.login()
                logged_in = True
            call_id = client.log_call(n)
            client.add_note(call_id, n)
            if search:
                client.search_kb()
            n += 1
        except Unanswered:
            with client.tally.lock:
                client.tally.unanswered += 1
            client.wait_for_server()
        except AssertionError:
            if stop.is_set():
                return
            raise
    client.close()


@dataclass
class DeskRun:
    threads: list[threading.Thread]
    errors: list[BaseException]
    stop: threading.Event

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self.stop.set()
        for t in self.threads:
            t.join(5)
        assert not any(t.is_alive() for t in self.threads), "a desk client hung"


def run_desk(port: int, clients: int, calls: int, tally: Tally, search: bool = False) -> DeskRun:
    """Start `clients` desk clients in threads, each logging `calls` calls with notes."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def body(n: int) -> None:
        try:
            desk_session(DeskClient(port, f"desk{n}", tally), calls, stop, search)
        except BaseException as exc:  # reported by the test, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(n,), daemon=True) for n in range(1, clients + 1)]
    for t in threads:
        t.start()
    return DeskRun(threads, errors, stop)


def check_database(db_path: Path, tally: Tally) -> dict[str, int]:
    """Compare the database with what the desk was told; returns the figures.

    lost = acknowledged calls or notes missing; duplicates = references or submission keys
    held by more than one call, and notes saved twice.
    """
    conn = sqlite3.connect(db_path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        assert integrity == [("ok",)], integrity
        by_key = dict(
            conn.execute("SELECT submission_key, ref FROM calls WHERE submission_key IS NOT NULL")
        )
        lost_calls = [k for k, ref in tally.calls.items() if by_key.get(k) != ref]
        notes = set(conn.execute("SELECT call_id, text FROM call_events WHERE kind = 'note'"))
        lost_notes = [n for n in tally.notes if n not in notes]
        duplicates = conn.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT ref) + COUNT(submission_key)"
            " - COUNT(DISTINCT submission_key) FROM calls"
        ).fetchone()[0]
        duplicates += conn.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT call_id || ' ' || text) FROM call_events"
            " WHERE kind = 'note'"
        ).fetchone()[0]
        total = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    finally:
        conn.close()
    return {
        "calls": len(tally.calls),
        "notes": len(tally.notes),
        "calls in database": total,
        "lost": len(lost_calls) + len(lost_notes),
        "duplicates": duplicates,
        "failures": len(tally.failures),
    }

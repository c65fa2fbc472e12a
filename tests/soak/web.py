"""One person's browser during the soak: a cookie session on its own connection.

`Browser.get` reads a page; `Browser.send` posts a form as a person does. When the answer
is lost (the server was killed mid-request) the person waits for the kit to come back and
presses the button again: the same form, so the same CSRF token and one-time submission
key, which is what makes a resend save nothing twice. A 503 "disk is full" is the kit
refusing the write in plain words with what was typed kept: the person is told, waits,
and sends it again (counted as refused). A 503 "busy" is sent again at once. Anything
else unexpected (a 500 above all) is a failure, recorded with what was being done.
"""

from __future__ import annotations

import http.client
import socket
import time
import uuid
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlencode, urlsplit

from kit.errors import BUSY, DISK_FULL
from tests.soak.ledger import Ledger

GIVE_UP_SECONDS = 240.0  # one form, however many resends; a kill, a restart, a full disk


class Unanswered(Exception):
    """No HTTP answer: connection refused, reset, or closed mid-answer."""


class Failed(Exception):
    """An answer nobody should get (recorded in the ledger already)."""


@dataclass
class Answer:
    status: int
    location: str
    text: str
    content_type: str
    body: bytes


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes, str]]):
    """(body, content type) for a form with files: (field, file name, bytes, mime)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, data, mime in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Browser:
    def __init__(self, port: int, name: str, ledger: Ledger) -> None:
        self.port = port
        self.name = name
        self.ledger = ledger
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, fields=None, files=None) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if files:
            body, headers["Content-Type"] = multipart(fields or {}, files)
        elif fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise Unanswered(f"{method} {path}: {exc!r}") from exc
        self.ledger.latency(time.perf_counter() - started)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie, _, rest = value.partition("=")
                self.cookies[cookie.strip()] = rest.split(";", 1)[0]
        if (response.getheader("Connection") or "").lower() == "close":
            self.close()
        kind = response.getheader("Content-Type") or ""
        text = data.decode("utf-8", "replace") if kind.startswith("text/") else ""
        location = urlsplit(response.getheader("Location") or "")
        where = location.path + (f"?{location.query}" if location.query else "")
        return Answer(response.status, where, text, kind, data)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def wait_for_server(self, until: float) -> None:
        while time.monotonic() < until:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)

    def get(self, path: str, what: str, ok: tuple[int, ...] = (200,)) -> Answer:
        """Read a page, reloading it after a lost answer or a refusal that asks for it."""
        return self._until_answered("GET", path, None, None, what, ok)

    def send(self, path: str, fields: dict, what: str, files=None, ok=(302,)) -> Answer:
        """Post a form; resend the same form until it is answered, as a person would."""
        return self._until_answered("POST", path, fields, files, what, ok)

    def _until_answered(self, method, path, fields, files, what, ok) -> Answer:
        give_up = time.monotonic() + GIVE_UP_SECONDS
        while time.monotonic() < give_up:
            try:
                answer = self.request(method, path, fields, files)
            except Unanswered:
                self.ledger.count("unanswered")
                if method == "POST":
                    self.ledger.count("resent")
                self.wait_for_server(give_up)
                continue
            if answer.status in ok:
                return answer
            if answer.status == 503 and DISK_FULL in unescape(answer.text):
                with self.ledger.lock:
                    self.ledger.refused_full.append(f"{self.name} {what}")
                time.sleep(2.0)  # told plainly; tries again a little later
                continue
            if answer.status == 503 and BUSY in unescape(answer.text):
                self.ledger.count("busy")
                time.sleep(0.2)
                continue
            self.ledger.fail(f"{self.name} {what}: {method} {path} {answer.status} {gist(answer)}")
            raise Failed(what)
        self.ledger.fail(f"{self.name} {what}: {method} {path} unanswered for {GIVE_UP_SECONDS} s")
        raise Failed(what)


def gist(answer: Answer) -> str:
    """What the page said, shortened: its first error or alert, else its title."""
    import re

    for pattern in (r'role="alert"[^>]*>(.*?)<', r'class="error[^"]*"[^>]*>(.*?)<', r"<h1>(.*?)<"):
        found = re.search(pattern, answer.text, re.S)
        if found and found[1].strip():
            return repr(unescape(found[1].strip())[:200])
    return repr(answer.text[:200] or answer.location)

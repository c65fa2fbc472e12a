"""`kit serve` in a process of its own, and a browser-like client for it.

For the tests that need more than one process on one instance folder: what one process
caches or counts must hold for the others.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
KIT = str(Path(sys.executable).with_name("kit"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`kit serve ARGS` on a free port for an instance folder; stopped by `stop()`."""

    def __init__(self, instance: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        command = [KIT, "serve", "--host", "127.0.0.1", "--port", str(self.port), *args]
        environment = {**os.environ, "KIT_INSTANCE": str(instance), **(env or {})}
        self.process = subprocess.Popen(
            command, env=environment, cwd=ROOT, stdout=self.log, stderr=self.log
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kit serve exited:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"kit serve did not start in 60 s:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def client(self) -> Browser:
        return Browser(self.port)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Browser:
    """A session cookie and fresh connections, as a browser keeps them."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form, doseq=True)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response.status, text

    def get(self, path: str) -> str:
        status, text = self.request("GET", path)
        assert status == 200, (path, status, text[:300])
        return text

    def post(self, path: str, form: dict, token_from: str) -> tuple[int, str]:
        page = self.get(token_from)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page
        )
        assert token, f"no CSRF token on {token_from}"
        return self.request("POST", path, {**form, "csrf_token": token[1]})

    def login(self, username: str, password: str) -> int:
        status, _ = self.post(
            "/auth/login", {"username": username, "password": password}, "/auth/login"
        )
        return status

"""A real IMAP server for tests: Debian's Dovecot on a free port on 127.0.0.1.

Each pytest worker starts its own Dovecot with its own configuration, base_dir (sockets and
master.pid) and instance name in a temporary folder, so it never meets a system Dovecot or
another worker's. Plain IMAP, a passwd-file, a static userdb (uid nobody, gid nogroup when
run as root, as CI does; `first_valid_uid = 1` lets it run as those). Each test gets a
mailbox of its own (a user of the passwd-file written at start, never used twice),
and mail is delivered with IMAP APPEND. XOAUTH2 logins are checked by Dovecot against a
token-info endpoint served here, where tests register the tokens they expect.
"""

from __future__ import annotations

import grp
import http.server
import itertools
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "mailbox-password-1"
MAILBOXES = 2000  # made at start: a worker's tests each take a fresh one


def _user(number: int) -> str:
    return f"desk{number}@school.example"


CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = kit-test-{name}
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
first_valid_uid = 1
default_login_user = {user}
default_internal_user = {user}
mail_location = maildir:{dir}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {dir}/oauth2.conf
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={dir}/home/%u
}}
"""


class TokenInfo(http.server.BaseHTTPRequestHandler):
    """Dovecot's oauth2 passdb asks here whether a bearer token is good, and for whom."""

    tokens: dict[str, str] = {}
    asked: list[str] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        token = parse_qs(urlparse(self.path).query).get("access_token", [""])[0]
        self.asked.append(token)
        user = self.tokens.get(token)
        body = json.dumps({"email": user} if user else {"error": "invalid_token"}).encode()
        self.send_response(200 if user else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """One test's mailbox on the shared server."""

    server: Dovecot
    user: str
    password: str = PASSWORD

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.server.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client

    def deliver(self, raw: bytes, folder: str = "INBOX", seen: bool = False) -> None:
        with self.client() as client:
            client.append(folder, raw, flags=[b"\\Seen"] if seen else [])

    def flags(self, folder: str = "INBOX") -> dict[int, set[bytes]]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            found = client.get_flags(client.search(["ALL"]))
        return {uid: set(flags) for uid, flags in found.items()}

    def count(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            if not client.folder_exists(folder):
                return 0
            return client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"]

    def mark_all_unseen(self) -> None:
        with self.client() as client:
            client.select_folder("INBOX")
            client.remove_flags(client.search(["ALL"]), [b"\\Seen"])

    def config(self, **extra) -> dict:
        """The kit's settings for reading this mailbox."""
        return {
            "IMAP_HOST": "127.0.0.1",
            "IMAP_PORT": self.server.port,
            "IMAP_SECURITY": "none",
            "IMAP_USERNAME": self.user,
            "IMAP_PASSWORD": self.password,
            "IMAP_TIMEOUT": 10,
            **extra,
        }


class Dovecot:
    """A running Dovecot; `mailbox()` makes a fresh one for a test."""

    _names = itertools.count(1)

    def __init__(self) -> None:
        if not Path(DOVECOT).exists():
            raise RuntimeError("Dovecot is not installed: `make test` installs dovecot-imapd.")
        self.dir = Path(tempfile.mkdtemp(prefix="kit-dovecot-"))
        self.dir.chmod(0o755)
        root = os.geteuid() == 0
        self.user = "nobody" if root else pwd.getpwuid(os.geteuid()).pw_name
        self.group = "nogroup" if root else grp.getgrgid(os.getegid()).gr_name
        self.tokeninfo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TokenInfo)
        threading.Thread(target=self.tokeninfo.serve_forever, daemon=True).start()
        self.process: subprocess.Popen | None = None
        self.port = 0
        self._lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        for folder in ("mail", "home", "state"):
            (self.dir / folder).mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.dir / folder, self.user, self.group)
        # Every test's mailbox exists from the start: Dovecot re-reads a changed passwd-file
        # at most once a second, so users added while it runs can miss a login.
        (self.dir / "passwd").write_text(
            "".join(f"{_user(n)}:{{PLAIN}}{PASSWORD}\n" for n in range(1, MAILBOXES + 1))
        )
        (self.dir / "passwd").chmod(0o644)
        (self.dir / "oauth2.conf").write_text(
            f"tokeninfo_url = http://127.0.0.1:{self.tokeninfo.server_port}/tokeninfo"
            "?access_token=\nusername_attribute = email\n"
        )
        (self.dir / "oauth2.conf").chmod(0o644)
        for _attempt in range(5):  # a port taken between choosing and binding: try another
            self.port = free_port()
            config = CONFIG.format(
                dir=self.dir, name=self.dir.name, user=self.user, group=self.group, port=self.port
            )
            (self.dir / "dovecot.conf").write_text(config)
            self.process = subprocess.Popen(
                [DOVECOT, "-F", "-c", str(self.dir / "dovecot.conf")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            if self._ready():
                return
            self.stop()
        log = (self.dir / "dovecot.log").read_text() if (self.dir / "dovecot.log").exists() else ""
        raise RuntimeError(f"Dovecot did not start:\n{log[-2000:]}")

    def _ready(self, seconds: float = 10) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return True
            except OSError:
                time.sleep(0.05)
        return False

    def mailbox(self) -> Mailbox:
        with self._lock:
            number = next(self._names)
        if number > MAILBOXES:
            raise RuntimeError(f"More than {MAILBOXES} mailboxes asked of one Dovecot.")
        return Mailbox(self, _user(number))

    def accept_token(self, token: str, user: str) -> None:
        TokenInfo.tokens[token] = user

    @property
    def tokens_asked(self) -> list[str]:
        return TokenInfo.asked

    def log(self) -> str:
        return (self.dir / "dovecot.log").read_text()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.tokeninfo.shutdown()
        shutil.rmtree(self.dir, ignore_errors=True)

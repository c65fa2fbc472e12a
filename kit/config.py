"""Configuration: defaults, then the instance folder's `config.py`, then `KIT_*` variables.

The secret key is generated on first run and kept in the instance folder, so a school never
has to invent one and sessions survive a restart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask


class Defaults:
    """Settings a school can override in `instance/config.py` or as `KIT_<NAME>`."""

    DATABASE = "kit.sqlite3"  # relative to the instance folder
    # Flask-WTF: tie CSRF tokens to the session, not to an hour (a call form left open over lunch).
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PAGE_SIZE = 50
    # Mail: None means nothing is sent and everything waits in the outbox.
    SMTP_HOST = None
    SMTP_PORT = 25
    MAIL_FROM = "servicedesk@school.example"
    # Failed logins that lock an account (its user name, however typed) for LOGIN_LOCK_MINUTES.
    LOGIN_ATTEMPTS = 10
    # Failed logins from one network address, on any accounts, that lock that address: well
    # above LOGIN_ATTEMPTS, since a whole school may reach the kit from one NAT address.
    LOGIN_ADDRESS_ATTEMPTS = 100
    LOGIN_LOCK_MINUTES = 15
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    # The reverse proxies (Caddy, nginx) whose X-Forwarded-* headers are believed: addresses
    # or networks, comma-separated ("127.0.0.1" when the proxy runs on the same server).
    # Empty: nobody's are. Behind HTTPS the session cookie is Secure and HSTS is sent.
    TRUSTED_PROXIES = ""
    HSTS_MAX_AGE = 31536000  # a year
    # "07:00": `kit serve` runs the daily job each day at or after this time (in one process
    # however many serve). Empty: schedule `kit daily` with cron or Task Scheduler instead.
    DAILY_AT = ""


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill `app.config` in order: defaults, instance file, environment, test overrides."""
    app.config.from_object(Defaults)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("KIT")
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    db_path = Path(app.config["DATABASE"])
    if not db_path.is_absolute():
        app.config["DATABASE"] = str(Path(app.instance_path) / db_path)


def _instance_secret(instance: Path) -> str:
    """Read the instance's secret key, creating it (readable by the owner only) if missing."""
    path = instance / "secret_key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process starting at the same moment made it
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return path.read_text().strip()

"""Where the kit's mail settings come from, and how the admin's choices are kept.

In order: the defaults below, the instance's `config.py` and `KIT_*` variables (Flask's
config), then what the admin saved on the mail page, kept in `instance/mail.json`. That
file holds passwords and the OAuth client secret, so it is written readable by the kit's
own user only (0600) and never copied into the settings log; the page shows a secret only
as its last two characters.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "IMAP_HOST": "",
    "IMAP_PORT": 993,
    "IMAP_SECURITY": "ssl",  # ssl, starttls, or none (a server on the same machine)
    "IMAP_USERNAME": "",
    "IMAP_PASSWORD": "",
    "IMAP_FOLDER": "INBOX",
    "IMAP_DONE_FOLDER": "",
    "IMAP_POLL_SECONDS": 60,
    "IMAP_TIMEOUT": 30,
    "SMTP_HOST": "",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": False,
    "MAIL_FROM": "servicedesk@school.example",
    "MAIL_OAUTH_TENANT": "",
    "MAIL_OAUTH_CLIENT_ID": "",
    "MAIL_OAUTH_CLIENT_SECRET": "",
    "MAIL_OAUTH_AUTHORITY": "https://login.microsoftonline.com/{tenant}",
    "MAIL_OAUTH_SCOPE": "https://outlook.office365.com/.default",
    "MAIL_OAUTH_CA_FILE": "",  # a CA bundle for a private token server (tests)
}
SECRETS = ("IMAP_PASSWORD", "SMTP_PASSWORD", "MAIL_OAUTH_CLIENT_SECRET")
SECURITY_CHOICES = ("ssl", "starttls", "none")
FILE_NAME = "mail.json"


def saved_path(instance: str | Path) -> Path:
    return Path(instance) / FILE_NAME


def read_saved(instance: str | Path) -> dict[str, Any]:
    """What the admin saved on the mail page ({} when nothing, or the file is unreadable)."""
    path = saved_path(instance)
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in values.items() if k in DEFAULTS} if isinstance(values, dict) else {}


def write_saved(instance: str | Path, values: Mapping[str, Any]) -> None:
    """Replace the saved settings; the file is created 0600 and replaced atomically."""
    path = saved_path(instance)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({k: v for k, v in values.items() if k in DEFAULTS}, fh, indent=1)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def effective(config: Mapping[str, Any], instance: str | Path | None = None) -> dict[str, Any]:
    """Every mail setting as the kit uses it now: defaults < config < the admin's page."""
    values = dict(DEFAULTS)
    for key in DEFAULTS:
        if config.get(key) not in (None, ""):
            values[key] = config[key]
    if instance is not None:
        values.update({k: v for k, v in read_saved(instance).items() if v not in (None,)})
    values["IMAP_PORT"] = _int(values["IMAP_PORT"], 993)
    values["SMTP_PORT"] = _int(values["SMTP_PORT"], 25)
    values["IMAP_POLL_SECONDS"] = max(_int(values["IMAP_POLL_SECONDS"], 60), 10)
    values["IMAP_TIMEOUT"] = max(_int(values["IMAP_TIMEOUT"], 30), 1)
    if str(values["IMAP_SECURITY"]).lower() not in SECURITY_CHOICES:
        values["IMAP_SECURITY"] = "ssl"
    values["IMAP_SECURITY"] = str(values["IMAP_SECURITY"]).lower()
    return values


def for_app(app: Any) -> dict[str, Any]:
    """The effective mail settings of a Flask app (config and its instance folder)."""
    return effective(app.config, app.instance_path)


def uses_oauth(values: Mapping[str, Any]) -> bool:
    return all(
        values.get(k)
        for k in ("MAIL_OAUTH_TENANT", "MAIL_OAUTH_CLIENT_ID", "MAIL_OAUTH_CLIENT_SECRET")
    )


def masked(secret: str | None) -> str:
    """A secret as the page shows it: set or not, and its last two characters at most."""
    if not secret:
        return ""
    return "•" * 8 + (secret[-2:] if len(secret) >= 10 else "")


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default

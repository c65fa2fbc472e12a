"""Microsoft 365's way in: an app token by the client-credentials flow, used with XOAUTH2.

Microsoft 365 refuses passwords over IMAP and SMTP AUTH. A school registers the kit as an
app in Entra ID (tenant, client id, client secret), grants it the mailbox, and the kit asks
msal for a token for `MAIL_OAUTH_SCOPE`; msal keeps it until it is about to expire. The
token then goes to the server in the XOAUTH2 string ("user=...^Aauth=Bearer ...^A^A").
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

_apps: dict[tuple[str, ...], Any] = {}
_lock = threading.Lock()


class TokenError(RuntimeError):
    """No token: the message says what the token server answered, in its words."""


def _client(values: Mapping[str, Any]):
    import msal

    authority = str(values["MAIL_OAUTH_AUTHORITY"]).replace(
        "{tenant}", str(values["MAIL_OAUTH_TENANT"])
    )
    key = (
        authority,
        str(values["MAIL_OAUTH_CLIENT_ID"]),
        str(values["MAIL_OAUTH_CLIENT_SECRET"]),
        str(values.get("MAIL_OAUTH_CA_FILE") or ""),
    )
    with _lock:
        if key not in _apps:
            options: dict[str, Any] = {}
            if values.get("MAIL_OAUTH_CA_FILE"):  # a private token server: trust only its CA
                import requests

                session = requests.Session()
                session.trust_env = False  # REQUESTS_CA_BUNDLE would override `verify`
                session.verify = values["MAIL_OAUTH_CA_FILE"]
                options["http_client"] = session
                options["instance_discovery"] = False
            _apps[key] = msal.ConfidentialClientApplication(
                key[1], client_credential=key[2], authority=authority, timeout=20, **options
            )
        return _apps[key]


def access_token(values: Mapping[str, Any]) -> str:
    """A current token for the mailbox (cached by msal); raises TokenError."""
    try:
        result = _client(values).acquire_token_for_client(scopes=[values["MAIL_OAUTH_SCOPE"]])
    except ValueError as exc:  # msal refuses the authority address
        raise TokenError(f"the sign-in address is not usable: {exc}") from exc
    except OSError as exc:  # requests' connection errors are OSErrors
        raise TokenError(f"the Microsoft sign-in server could not be reached ({exc})") from exc
    if not result or "access_token" not in result:
        words = (result or {}).get("error_description") or (result or {}).get("error") or ""
        raise TokenError(f"Microsoft refused the app's sign-in: {str(words).splitlines()[0]}")
    return result["access_token"]


def xoauth2_string(user: str, token: str) -> str:
    """The XOAUTH2 initial response, before base64 (the client libraries encode it)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"

"""Serving behind a school's HTTPS reverse proxy (Caddy or nginx, see README.md).

`X-Forwarded-For/-Proto/-Host/-Port` are trusted only from the addresses in the
`TRUSTED_PROXIES` setting (werkzeug's ProxyFix applied per request): anyone else sending
them is ignored, so a pupil cannot pretend to be another address at the login limit or
claim HTTPS. When a request arrived over HTTPS the session cookie is `Secure` and HSTS is
sent; over plain HTTP (a first try on a laptop) neither, so the kit still works there.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(value: str | Iterable[str] | None) -> list[Network]:
    """Addresses or networks ("127.0.0.1", "10.0.0.0/24"), as a list or comma-separated.

    A value that is not an address is refused here, when the kit starts, not ignored."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    networks = []
    for item in (i.strip() for i in items):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError as exc:
                raise ValueError(f"TRUSTED_PROXIES: {item!r} is not an address") from exc
    return networks


class TrustedProxyFix:
    """ProxyFix for requests from a trusted proxy; everyone else's forwarded headers ignored."""

    def __init__(self, app: Callable[..., Any], proxies: list[Network]) -> None:
        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1, x_port=1)
        self.proxies = proxies

    def trusted(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def set_hsts(response: Any) -> Any:
    if request.is_secure:
        max_age = int(current_app.config["HSTS_MAX_AGE"])
        response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response


def init_app(app: Flask) -> None:
    proxies = parse_proxies(app.config.get("TRUSTED_PROXIES"))
    if proxies:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, proxies)  # type: ignore[method-assign]
    app.session_interface = SessionInterface()
    app.after_request(set_hsts)

"""The customer area (/my-call): the status page by secret link, the web form, and the
desk's buttons to issue or revoke a link. Each part registers its views on one blueprint."""

from __future__ import annotations

from kit.customer import desk, status, webform  # noqa: F401 — they add their views to bp
from kit.customer.blueprint import bp

__all__ = ["bp"]

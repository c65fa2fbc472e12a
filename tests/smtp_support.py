"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), shared by the mail and daily tests."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Collector:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]


def free_port() -> int:
    """A port nothing listens on (bound for a moment by us, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(handler: Collector | None = None, **options) -> Iterator[Collector]:
    """Run an SMTP server with `handler` until the block ends; its port is `handler.port`."""
    handler = handler or Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()

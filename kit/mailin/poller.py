"""`kit serve` reads the desk's mailbox in the background every IMAP_POLL_SECONDS.

One daemon thread per server process, with its own database connection for each fetch.
The settings are read again before each fetch, so mail set up (or changed) on the admin's
page is picked up without a restart; with no IMAP_HOST the thread only waits. A fetch
that fails says so in one line and the next poll tries again. Several processes may poll:
the fetch lease lets one read at a time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime

import click
from flask import Flask

from kit.db import connect, now
from kit.errors import unsaved_message
from kit.mailin import config
from kit.mailin.fetch import FetchReport, fetch

log = logging.getLogger(__name__)


class Poller:
    def __init__(
        self,
        app: Flask,
        interval: Callable[[], float] | None = None,
        say: Callable[[str], None] = click.echo,
    ) -> None:
        self.app = app
        self.interval = interval or (lambda: config.for_app(app)["IMAP_POLL_SECONDS"])
        self.say = say
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="kit-mail-poll", daemon=True)
        self.last: FetchReport | None = None

    def start(self) -> Poller:
        self.thread.start()
        return self

    def stop(self, timeout: float = 30) -> None:
        self.stopping.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        while not self.stopping.wait(self.interval()):
            try:
                self.poll_once()
            except sqlite3.OperationalError as exc:
                if unsaved_message(exc) is None:
                    log.exception("Reading the desk's mailbox failed")
                else:  # a full disk or a long lock: said in one line, the next poll retries
                    at = datetime.now()
                    self.say(f"{at:%H:%M} Mail in: not saved ({exc}); the next poll retries.")
            except Exception:  # the poll must outlive any one failure; the next one retries
                log.exception("Reading the desk's mailbox failed")

    def poll_once(self) -> FetchReport | None:
        with self.app.app_context():
            values = config.for_app(self.app)
            if not values["IMAP_HOST"]:
                return None
            db = connect(self.app.config["DATABASE"])
            try:
                report = fetch(db, values, now, instance_path=self.app.instance_path)
            finally:
                db.conn.close()
            at = now()
        if report.error or report.calls or report.replies or report.held or report.failed:
            self.say(f"{at:%H:%M} Mail in: {report.summary}")
        self.last = report
        return report

"""`kit mail fetch`: read the desk's mailbox once and say what became of each mail."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from kit.db import get_db, now
from kit.mailin import config
from kit.mailin.fetch import fetch


class Bar:
    """A click progress bar on standard error, for a person at a terminal: it counts the
    mails committed (a batch at a time) against the unread mail found. Standard output
    keeps only the summary, for cron's log."""

    def __init__(self) -> None:
        self.bar = None

    def start(self, total: int) -> None:
        if total:
            self.bar = click.progressbar(
                length=total,
                label="Reading mail",
                file=sys.stderr,
                show_pos=True,
                show_percent=True,
            )
            self.bar.__enter__()

    def step(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.group("mail")
def mail_group() -> None:
    """Mail in: read the desk's mailbox."""


@mail_group.command("fetch")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: only when standard error is a terminal).",
)
@with_appcontext
def fetch_command(progress: bool | None) -> None:
    """Read new mail once: new calls, replies on calls, held, ignored, failed."""
    values = config.for_app(current_app)
    if progress is None:
        progress = sys.stderr.isatty()
    bar = Bar() if progress else None
    try:
        report = fetch(get_db(), values, now, instance_path=current_app.instance_path, progress=bar)
    finally:
        if bar:
            bar.close()
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        sys.exit(1)

"""The `kit` command: set up, serve and look after a school's instance.

Every command works on the instance folder given by KIT_INSTANCE (default: `instance/`
beside a checkout). Schools schedule `kit daily` with cron or Windows Task Scheduler.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from kit import create_app
from kit.db import get_db
from kit.first_run import create_user, demo, init
from kit.mailin.commands import mail_group as MAIL_COMMANDS
from kit.printing.commands import print_group as PRINT_COMMANDS
from kit.setup.commands import COMMANDS as SETUP_COMMANDS


def _app():
    """The instance's app; a setting that cannot work is a plain message, not a traceback."""
    try:
        return create_app()
    except ValueError as exc:  # e.g. a TRUSTED_PROXIES entry that is not an address
        raise click.ClickException(str(exc)) from exc


def progress_bar(label: str):
    """Wrap items in click's progress bar (drawn on a terminal; just the label otherwise)."""

    def wrap(items):
        with click.progressbar(items, label=label) as bar:
            yield from bar

    return wrap


@click.group(cls=FlaskGroup, create_app=_app, add_default_commands=False)
def main() -> None:
    """The school service desk kit."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--threads",
    default=None,
    type=click.IntRange(1, 64),
    help="Threads per process (default: kit.serving.DEFAULT_THREADS).",
)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (Linux, with gunicorn); 1 serves with waitress.",
)
def serve(host: str, port: int, threads: int | None, processes: int) -> None:
    """Serve the kit: waitress in one process (also on Windows servers), or several
    gunicorn processes on Linux. Mail in and the daily job run in one process only."""
    from kit import serving, settings

    if processes > 1 and sys.platform == "win32":
        raise click.ClickException("Several processes need Linux; on Windows serve with one.")
    app = _app()
    with app.app_context():
        school = settings.get(get_db(), "school_name")
    threads = threads or serving.DEFAULT_THREADS
    how = f"{processes} processes of {threads} threads" if processes > 1 else f"{threads} threads"
    click.echo(f"Serving {school} on http://{host}:{port} ({how}; Ctrl+C to stop)")
    proxies = app.config.get("TRUSTED_PROXIES")
    click.echo(
        f"Trusting X-Forwarded-* headers from: {proxies}"
        if proxies
        else "Trusting no proxy's X-Forwarded-* headers (set TRUSTED_PROXIES behind HTTPS)."
    )
    if processes > 1:
        serving.serve_processes(app, host, port, processes, threads)
    else:
        serving.serve_waitress(app, host, port, threads)


@main.command("import")
@click.argument(
    "kind",
    type=click.Choice(
        ["people", "locations", "equipment", "groups", "categories", "response-levels"]
    ),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@with_appcontext
def import_command(kind: str, file: Path, dry_run: bool) -> None:
    """Import reference data from a CSV file (all rows or none)."""
    from kit.directory.importer import import_csv

    report = import_csv(
        get_db(),
        kind.replace("-", "_"),
        file.read_text(encoding="utf-8-sig"),
        dry_run=dry_run,
        progress=progress_bar(f"Importing {kind}"),
    )
    for heading, becomes in report.columns:
        click.echo(f"  {heading} → {becomes}")
    for row, column, message in report.errors:
        click.echo(f"Row {row}, {column}: {message}", err=True)
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} problem(s); nothing was imported.")
    verb = "Would create" if dry_run else "Created"
    click.echo(f"{verb} {report.created}, updated {report.updated}.")


@main.command()
@with_appcontext
def daily() -> None:
    """The daily job: With Customer reminders, automatic closes, overdue flags, mail."""
    from kit.daily import daily_for_app
    from kit.errors import unsaved_message

    try:
        report = daily_for_app(current_app)
    except sqlite3.OperationalError as exc:
        if unsaved_message(exc) is None:
            raise
        raise click.ClickException(
            f"The daily job stopped: the database could not be written ({exc}). Make room "
            "on the disk (or wait for the kit to be less busy) and run `kit daily` again: "
            "nothing it already did is done twice."
        ) from exc
    click.echo(str(report))


@main.command()
@with_appcontext
def reindex() -> None:
    """Rebuild the knowledge base's and the call log's search indexes from the database."""
    from kit.calls.search_store import queue_all, rebuild
    from kit.db import get_db
    from kit.kb.index import rebuild_index

    count = rebuild_index(current_app, progress=progress_bar("Indexing articles"))
    click.echo(f"Indexed {count} articles.")
    db = get_db()
    with click.progressbar(length=queue_all(db), label="Indexing calls") as bar:
        count = rebuild(db, progress=bar.update)
    click.echo(f"Indexed {count} calls.")


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Copy the database (safely, while serving), settings and uploads into a zip FILE."""
    from kit.backup import backup

    report = backup(Path(current_app.instance_path), Path(current_app.config["DATABASE"]), file)
    click.echo(f"Backed up {report.calls} calls and {report.files} files to {report.path}")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Put a backup back (stop the kit first). The backup is checked before anything changes."""
    from kit.backup import BackupError, check, restore
    from kit.config import Defaults

    try:
        check(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    app = create_app()
    instance = Path(app.instance_path)
    if not yes:
        click.confirm(f"Replace the database and files in {instance}?", abort=True)
    restore(file, instance, Path(app.config.get("DATABASE", Defaults.DATABASE)))
    click.echo("Restored. The knowledge base index is rebuilt on first search or `kit reindex`.")


# `kit settings`, `kit terms`, `kit holidays`: the set-up wizard for scripted installs.
for _command in SETUP_COMMANDS:
    main.add_command(_command)
main.add_command(MAIL_COMMANDS)
main.add_command(PRINT_COMMANDS)
for _command in (init, demo, create_user):
    main.add_command(_command)

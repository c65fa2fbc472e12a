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
from kit.db import get_db, now
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


def _password_option(help_text: str, envvar: str):
    """`--password`, or an environment variable, or asked for: hidden on a terminal, else
    one line read from standard input (so a script can pipe it)."""
    return click.option(
        "--password",
        envvar=envvar,
        default=None,
        help=f"{help_text} Else {envvar}, a prompt, or one line on standard input.",
    )


def _read_password(given: str | None) -> str:
    if given is None:
        given = (
            click.prompt("Password", hide_input=True, confirmation_prompt=True)
            if sys.stdin.isatty()
            else sys.stdin.readline().strip()
        )
    if len(given) < 10:
        raise click.ClickException("Use a password of at least 10 characters.")
    return given


def _ask(value: str | None, question: str, default: str) -> str:
    """An option's value; on a terminal ask for a missing one, else use the default."""
    if value is not None:
        return value.strip()
    if sys.stdin.isatty():
        return click.prompt(question, default=default, show_default=bool(default)).strip()
    return default


@main.command()
@click.option("--admin", "admin_name", help="User name for the first administrator.")
@click.option("--name", help="The administrator's full name (asked for on a terminal).")
@click.option("--email", help="The administrator's email address (asked for on a terminal).")
@_password_option("The administrator's password (at least 10 characters).", "KIT_ADMIN_PASSWORD")
@click.option("--school", help="The school's name, shown on every page, sheet and letter.")
@with_appcontext
def init(
    admin_name: str | None,
    name: str | None,
    email: str | None,
    password: str | None,
    school: str | None,
) -> None:
    """Create the instance folder and database, and optionally the first administrator.

    The administrator's first login opens the set-up wizard, which stays on their start
    page until set-up is finished."""
    db = get_db()
    click.echo(f"Instance: {current_app.instance_path}")
    if school:
        from kit.setup.commands import save_settings

        save_settings({"school_name": school})
    if admin_name:
        _create_first_admin(db, admin_name, name, email, password)
    _load_starter_articles(db)
    click.echo("Ready. Start the kit with: kit serve")
    if admin_name:
        click.echo(f"Then log in as {admin_name!r}: the set-up wizard takes you through the rest.")


def _create_first_admin(db, username: str, name, email, password) -> None:
    from kit.auth import store

    if store.find_by_username(db, username):
        raise click.ClickException(f"An account called {username!r} already exists.")
    full_name = _ask(name, "Full name", username) or username
    address = _ask(email, "Email (for password help and notices; may be left empty)", "")
    if address and ("@" not in address or any(c.isspace() for c in address)):
        raise click.ClickException(f"{address!r} is not an email address.")
    store.create_user(
        db,
        username=username,
        name=full_name,
        email=address,
        password=_read_password(password),
        roles={"admin"},
    )
    click.echo(f"Administrator {username!r} ({full_name}) created.")


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has data.")
@with_appcontext
def demo(if_empty: bool) -> None:
    """Load the demo school (staff, rooms, equipment, calls and one login per role)."""
    from kit import demo as demo_school

    db = get_db()
    if demo_school.is_empty(db):
        demo_school.load(db, at=now())
        _load_starter_articles(db)
        click.echo("Demo school loaded.")
    elif not if_empty:
        raise click.ClickException("The database already has data; the demo needs an empty one.")
    if any(db["users"].rows_where("username = ?", ["office"])):
        _print_demo_logins()


def _print_demo_logins() -> None:
    from kit.demo_school import DEMO_ACCOUNTS, DEMO_PASSWORD

    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
    for username, name, roles, _groups in DEMO_ACCOUNTS:
        click.echo(f"  {username:<12} {name:<20} {', '.join(sorted(roles))}")
    click.echo("")


def _load_starter_articles(db) -> None:
    """The starter knowledge base, when the knowledge base area is installed."""
    try:
        from kit.kb.files import load_starter_articles
    except ImportError:
        return
    from kit.assets import find

    load_starter_articles(db, find("knowledge_base"), None, now())


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


@main.command("create-user")
@click.argument("username")
@click.option("--name", required=True, help="Full name.")
@click.option("--email", default="")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(["desk", "technician", "coordinator", "leader", "admin"]),
)
@_password_option("The password (at least 10 characters).", "KIT_USER_PASSWORD")
@with_appcontext
def create_user(
    username: str, name: str, email: str, roles: tuple[str, ...], password: str | None
) -> None:
    """Create an account with one or more roles."""
    from kit.auth import store

    db = get_db()
    if store.find_by_username(db, username):
        raise click.ClickException(f"An account called {username!r} already exists.")
    store.create_user(
        db,
        username=username,
        name=name,
        email=email,
        password=_read_password(password),
        roles=set(roles),
    )
    click.echo(f"Account {username!r} created.")


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

"""`kit init`, `kit demo` and `kit create-user`: the commands that make an instance and its
accounts, each usable with no terminal (options, environment or one line on standard input),
so an install script can run them."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from kit.db import get_db, now


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


@click.command()
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


@click.command()
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


@click.command("create-user")
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

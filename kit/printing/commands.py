"""`kit print jobs`: a batch of job sheets from the command line, with its progress shown.

The same batch as the Print page's "My jobs" and "Today's new jobs", for the account named
(what that person may print, and no more: a technician gets only calls routed to them),
written to a PDF file. A batch of a hundred sheets takes a while to render, so each sheet
is rendered in turn behind click's progress bar and the pages are joined into one PDF.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, g, render_template
from flask.cli import with_appcontext

from kit.auth import store as accounts
from kit.calls import access
from kit.calls import log_store as calls
from kit.db import get_db, now
from kit.printing import forms, sheets, store
from kit.printing.pdfs import logo_path
from kit.printing.render import render_pdf_pages


@click.group("print")
def print_group() -> None:
    """Print batches of sheets to a PDF file."""


@print_group.command("jobs")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--for", "username", required=True, help="The account whose jobs to print.")
@click.option("--today", is_flag=True, help="Every call logged today, not the open calls.")
@with_appcontext
def jobs(output: Path, username: str, today: bool) -> None:
    """Job sheets for USERNAME's open calls (or today's new calls) as one PDF file."""
    db = get_db()
    row = accounts.find_by_username(db, username)
    if row is None:
        raise click.ClickException(f"There is no account called {username!r}.")
    user = accounts.load_user(db, row)
    if not user.can("print.batch"):
        raise click.ClickException(f"{username!r} may not print batches of job sheets.")
    found, total = store.batch(db, _filter(user, today))
    if not found:
        raise click.ClickException("There are no calls to print.")
    logo = logo_path()
    with current_app.test_request_context("/"):
        g.user = user
        with click.progressbar(found, label="Rendering job sheets") as bar:
            pdf = render_pdf_pages(_sheet_html(db, call, user, logo) for call in bar)
    output.write_bytes(pdf or b"")
    left_out = (
        f" ({total - len(found)} more left out: print again later)" if total > len(found) else ""
    )
    click.echo(f"{len(found)} job sheets written to {output}{left_out}.")


def _filter(user, today: bool) -> calls.CallFilter:
    """As the Print page's "My jobs" and "Today's new jobs" choose their calls."""
    if today:
        day = now().date().isoformat()
        return calls.CallFilter(date_from=day, date_to=day, extra=access.visibility(user))
    f = calls.CallFilter(status="open", extra=access.visibility(user))
    if user.sees_all_calls:
        f.assignee_id = user.id
    return f


def _sheet_html(db, call: dict, user, logo: Path | None) -> str:
    return render_template(
        "print/job_sheet.html",
        sheet_list=[sheets.call_sheet(db, call, user)],
        form=forms.load("incident_request"),
        forms=forms,
        left_out=0,
        logo=logo is not None,
        printed_at=now(),
    )

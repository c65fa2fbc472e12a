"""Fixtures: an app on a temporary instance folder, a client, and logins for each role.

Data is built through the same store functions the app uses (`make_call`, `make_user`).
The clock is fixed (NOW) so due times and reminders are repeatable; tests move it with
`clock.set(...)`.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from kit import create_app
from kit.auth import store as accounts
from kit.auth.roles import ROLES
from kit.calls import store as calls
from kit.db import connect

PASSWORD = "correct horse battery"

# Tests of a minute or so each. Started first: collected in file order, they ran last and
# kept one of the two workers busy for a minute after the other had finished.
LONG_MODULES = frozenset(
    {"test_soak_day.py", "test_bad_input.py", "test_proof_load.py", "test_proof_crash.py",
     "test_mailin_crash.py"}
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name not in LONG_MODULES)


class Clock:
    """The app's NOW, movable by tests."""

    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def set(self, value: datetime) -> None:
        self.value = value


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 9, 30))  # a Monday in term


def _test_config(instance: Path, clock: Clock) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test",
        "NOW": clock,
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """A database made by the migrations once per test process. Each test's app starts
    from a copy (migrating a new database for each of 4,000 tests cost 60 ms each)."""
    instance = tmp_path_factory.mktemp("template") / "instance"
    create_app(_test_config(instance, Clock(datetime(2026, 11, 23, 9, 30))))
    return instance / "kit.sqlite3"


@pytest.fixture
def app(tmp_path, clock, migrated_database):
    instance = tmp_path / "instance"
    instance.mkdir()
    template, copy = sqlite3.connect(migrated_database), sqlite3.connect(instance / "kit.sqlite3")
    template.backup(copy)  # SQLite's own copy: whatever is still in the template's -wal too
    with copy:  # its own epoch, as a new database gets: the process caches are keyed by it
        copy.execute("UPDATE refdata_version SET epoch = ?", [secrets.token_hex(8)])
    template.close()
    copy.close()
    app = create_app(_test_config(instance, clock))
    yield app


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    yield database
    database.conn.close()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/auth/login") -> str:
    """The CSRF token of the client's session, read from a page that has a form."""
    import re

    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Users:
    """One account per role (user name = role name), made on demand."""

    def __init__(self, db) -> None:
        self.db = db
        self.ids: dict[str, int] = {}

    def make(
        self, username: str, roles: set[str], name: str | None = None, groups: tuple[str, ...] = ()
    ) -> int:
        user_id = accounts.create_user(
            self.db,
            username=username,
            name=name or username.title(),
            password=PASSWORD,
            roles=roles,
            email=f"{username}@school.example",
        )
        for group in groups:
            group_id = self.db.execute(
                "SELECT id FROM support_groups WHERE name = ?", [group]
            ).fetchone()[0]
            accounts.add_to_group(self.db, user_id, group_id)
        self.ids[username] = user_id
        return user_id

    def __getitem__(self, role: str) -> int:
        if role not in self.ids:
            groups = ("Service Delivery",) if role == "technician" else ()
            self.make(role, {role}, groups=groups)
        return self.ids[role]


@pytest.fixture
def users(db) -> Users:
    return Users(db)


@pytest.fixture
def login(client, users):
    """login("desk") logs the client in as a user with that role (or a named user)."""

    def do(role_or_username: str):
        if role_or_username in ROLES:
            users[role_or_username]
        token = csrf_token(client)
        response = client.post(
            "/auth/login",
            data={"username": role_or_username, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do


@pytest.fixture
def post(client):
    """POST a form with the session's CSRF token, as a browser would."""

    def do(path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
        token = csrf_token(client, token_from or "/auth/login")
        return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)

    return do


@pytest.fixture
def make_call(app, db, users, clock):
    """Log a call through the store, as the desk would; returns its id."""
    from kit import settings

    def do(
        summary: str = "Projector shows no picture", category: str = "Printer or copier", **fields
    ):
        category_id = db.execute("SELECT id FROM categories WHERE name = ?", [category]).fetchone()[
            0
        ]
        new = calls.NewCall(
            caller_name=fields.pop("caller_name", "Ann Teacher"),
            channel=fields.pop("channel", "Phone"),
            # As the desk logs a call with the caller on the line: the details read back.
            desk_checked=fields.pop("desk_checked", True),
            category_id=category_id,
            summary=summary,
            **fields,
        )
        return calls.log_call(db, new, user_id=users["desk"], at=clock(), cal=settings.calendar(db))

    return do


@pytest.fixture
def who(db, users):
    """who("desk") is the User for that role (made on demand), as a step receives it."""
    return lambda role: accounts.load_user(db, accounts.get_user_row(db, users[role]))


@pytest.fixture
def group_id(db):
    """group_id("Service Delivery") is that support group's id."""
    return lambda name: db.execute(
        "SELECT id FROM support_groups WHERE name = ?", [name]
    ).fetchone()[0]


@pytest.fixture
def passed_on(db, users, who, group_id, clock):
    """passed_on(call_id) has the desk pass the call to the technician in Service Delivery."""
    from kit.calls import workflow

    def do(call_id: int) -> int:
        workflow.assign(
            db,
            call_id,
            group_id=group_id("Service Delivery"),
            assignee_id=users["technician"],
            user=who("desk"),
            at=clock(),
        )
        return call_id

    return do


@pytest.fixture
def resolved(db, clock):
    """resolved(call_id) resolves the call with the customer's confirmation, now."""
    from kit.calls import workflow

    def do(call_id: int, summary: str = "Done", closure_category: str = "Email", **fields) -> int:
        workflow.resolve(
            db,
            call_id,
            summary=summary,
            details=fields.pop("details", ""),
            closure_category=closure_category,
            customer_confirmed=True,
            confirmation_exception=None,
            user=fields.pop("user", None),
            at=clock(),
            **fields,
        )
        return call_id

    return do


@pytest.fixture(scope="session")
def dovecot():
    """A real IMAP server (Dovecot) for this test worker; see tests/imap_support.py."""
    from imap_support import Dovecot

    server = Dovecot()
    yield server
    server.close()


@pytest.fixture
def mailbox(dovecot):
    """A fresh, empty mailbox on the worker's Dovecot."""
    return dovecot.mailbox()

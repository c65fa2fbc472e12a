"""The school service desk kit: one point of contact, the call log and everything around it.

`create_app()` is the only entry point: it reads the configuration, opens the database,
registers one blueprint per area and the `kit` command. Nothing else happens at import.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from flask import Flask

from kit import assets, config, db, templating

# One line per area. An area module exposes `bp` (a Blueprint).
BLUEPRINTS = (
    "kit.auth.routes",
    "kit.auth.accounts",
    "kit.errors",
    "kit.home",
    "kit.calls.routes",
    "kit.attachments.routes",  # before kit.customer.routes: it adds the customer's file pages
    "kit.directory.routes",
    "kit.kb.routes",
    "kit.mail.routes",
    "kit.customer.routes",
    "kit.printing.routes",
    "kit.printing.diagnostics",
    "kit.reports.routes",
    "kit.leaders.routes",
    "kit.leaders.survey_routes",
    "kit.surveys.routes",
    "kit.setup.routes",
    "kit.setup.wizard",
    "kit.visits.routes",
    "kit.followups.routes",
    "kit.problems.routes",
    "kit.priority.routes",
    "kit.mailin.routes",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app for one instance folder (tests pass a temporary one)."""
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH") or os.environ.get("KIT_INSTANCE"),
        instance_relative_config=True,
        template_folder=str(assets.find("templates")),
        static_folder=str(assets.find("static")),
    )
    config.load(app, test_config)
    db.init_app(app)
    from kit import https, security, static_files

    https.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    templating.init_app(app)
    for name in BLUEPRINTS + tuple(app.config.get("EXTRA_BLUEPRINTS", ())):
        app.register_blueprint(importlib.import_module(name).bp)
    return app

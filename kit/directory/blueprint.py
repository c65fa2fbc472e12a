"""The directory's blueprint, and what its pages share: the kind of list named in the
address, and the way back (to the list, or to the set-up wizard step that sent the admin).

Apart from the views so that the list and form pages (`kit.directory.routes`) and the CSV
import pages (`kit.directory.import_routes`) both import it, one way.
"""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for

from kit.directory.kinds import KINDS, Kind

bp = Blueprint("directory", __name__, url_prefix="/directory")


def kind_or_404(kind: str) -> Kind:
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def setup_args() -> dict[str, str]:
    """`from=setup` when a set-up wizard step (imports, response levels) sent the admin
    here, so every link and the redirect after saving take them back to that step."""
    return {"from": "setup"} if request.args.get("from") == "setup" else {}


_SETUP_STEP = {"response-levels": "levels"}  # the wizard step each kind is edited from


def back_link(spec: Kind) -> tuple[str, str]:
    if setup_args():
        step = _SETUP_STEP.get(spec.slug, "import")
        return url_for("wizard.step", name=step), "Back to the set-up"
    return url_for(".list_rows", kind=spec.slug), spec.title

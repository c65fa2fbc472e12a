"""The kit's one permission table for tests: every route x every role (shared/ROLES.md).

Each row names an endpoint, one method, a path template and the answer each column expects.
Columns:

- ``anonymous``: no login and no link.
- ``customer``: no login, holding a live status link (only where a link is relevant).
- ``desk``, ``technician``, ``coordinator``, ``leader``, ``admin``: logged in with that role.
- ``technician_unrouted``: the technician, with every call (and what hangs on it: follow-up,
  hot swap, visit list) swapped for one routed to another group and technician.

Answers: ``OK`` (not 401/403/404/500, not sent to log in), ``NO`` (403), ``MISSING`` (404,
for the unrouted technician the same body as a call that does not exist), ``LOGIN`` (a
redirect to the login page with ``next=``). A column left out of a row does not apply.

Path placeholders are filled from the data `build_world` (below) makes.
A new route without a row here fails `test_every_route_is_in_the_table`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from conftest import PASSWORD, Clock, Users, csrf_token
from kb_support import add_article

from kit import create_app, settings
from kit.attachments import api as attachments
from kit.attachments import limits as attachment_limits
from kit.auth.roles import ROLES
from kit.calls import store as calls
from kit.calls import workflow
from kit.calls import workflow_hot_swaps as hot_swaps
from kit.customer import links
from kit.db import connect
from kit.directory import admin_store
from kit.followups import store as followups
from kit.leaders import store as leaders
from kit.mail import outbox
from kit.mailin import store as mail_in
from kit.problems import store as problems
from kit.setup import logo as school_logo
from kit.surveys import store as staff_surveys
from kit.visits import store as visits

OK, NO, MISSING, LOGIN = "ok", "403", "404", "login"
STAFF = ("desk", "technician", "coordinator", "leader", "admin")
COLUMNS = ("anonymous", "customer", *STAFF, "technician_unrouted")

ALL = frozenset(STAFF)
DESK_ADMIN = frozenset({"desk", "admin"})
WORKERS = frozenset({"desk", "technician", "admin"})  # call.work
NOTERS = frozenset({"desk", "technician", "coordinator", "admin"})  # call.note, print.call
WRITERS = frozenset({"coordinator", "admin"})  # kb.write, print.checks
LEADERS = frozenset({"leader", "admin"})
ADMIN = frozenset({"admin"})

# Placeholders swapped for the unrouted technician's column.
UNROUTED = {
    "{call}": "{other_call}",
    "{followup}": "{other_followup}",
    "{hot_swap}": "{other_hot_swap}",
    "{tech}": "{other_tech}",
}


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    path: str
    answers: dict[str, str]
    data: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def staff(
    allowed: frozenset[str],
    *,
    anonymous: str = LOGIN,
    customer: str | None = None,
    unrouted: str | None = None,
) -> dict[str, str]:
    """Answers for a staff page: `allowed` roles OK, other roles 403, anonymous to log in.

    A path naming a call (or a follow-up, hot swap or visit list) gets the unrouted
    technician's column: 404 where a technician may use the route, else 403 as for any call.
    """
    answers = {role: OK if role in allowed else NO for role in STAFF}
    answers["anonymous"] = anonymous
    if customer:
        answers["customer"] = customer
    if unrouted:
        answers["technician_unrouted"] = unrouted
    return answers


def everyone(anonymous: str = OK, customer: str | None = None) -> dict[str, str]:
    answers = {role: OK for role in STAFF}
    answers["anonymous"] = anonymous
    if customer:
        answers["customer"] = customer
    return answers


def link(anonymous: str = MISSING) -> dict[str, str]:
    """A customer's page by their secret link: the link is the permission, for anyone
    holding it (staff too); without it (anonymous, a made-up token) the page is 404."""
    return {**everyone(anonymous=anonymous), "customer": OK}


def _with_unrouted(path: str, answers: dict[str, str]) -> dict[str, str]:
    if any(key in path for key in UNROUTED) and "technician_unrouted" not in answers:
        tech = answers["technician"]
        answers = {**answers, "technician_unrouted": MISSING if tech == OK else tech}
    return answers


ACTIONS = {
    "desk-check": DESK_ADMIN,
    "return-to-desk": frozenset({"technician"}),
    "informed": WORKERS,
    "note": NOTERS,
    "start": WORKERS,
    "with-customer": WORKERS,
    "back-from-customer": WORKERS,
    "with-third-party": WORKERS,
    "back-from-third-party": WORKERS,
    "time": WORKERS,
    "resolve": WORKERS,
    "close": DESK_ADMIN,
    "close-no-contact": DESK_ADMIN,
    "reopen": DESK_ADMIN,
    "fixed-itself": WORKERS,
    "hot-swap": WORKERS,
    "hot-swaps/{hot_swap}/return": WORKERS,
    "category": WORKERS,
    "void": ADMIN,
}


def _action_endpoint(suffix: str) -> str:
    if suffix.startswith("hot-swaps/"):
        return "calls.act_return_hot_swap"
    return "calls.act_" + suffix.replace("-", "_")


_ROWS: list[Row] = [
    # home, log in and out, own password
    Row("home.index", "GET", "/", staff(ALL)),
    Row("favicon", "GET", "/favicon.ico", everyone()),
    Row("auth.login", "GET", "/auth/login", everyone()),
    Row("auth.login", "POST", "/auth/login", everyone(), {"username": "nobody"}),
    Row("auth.logout", "POST", "/auth/logout", staff(ALL)),
    Row("auth.password", "GET", "/auth/password", staff(ALL)),
    Row("auth.password", "POST", "/auth/password", staff(ALL), {"current": "wrong"}),
    # accounts (admin)
    Row("accounts.index", "GET", "/admin/accounts/", staff(ADMIN)),
    Row("accounts.new", "GET", "/admin/accounts/new", staff(ADMIN)),
    Row("accounts.new", "POST", "/admin/accounts/new", staff(ADMIN), {"username": "x"}),
    Row("accounts.edit", "GET", "/admin/accounts/{other}/edit", staff(ADMIN)),
    Row("accounts.edit", "POST", "/admin/accounts/{other}/edit", staff(ADMIN), {"name": "X"}),
    Row("accounts.password", "GET", "/admin/accounts/{other}/password", staff(ADMIN)),
    Row("accounts.password", "POST", "/admin/accounts/{other}/password", staff(ADMIN)),
    Row("accounts.disable", "POST", "/admin/accounts/{other}/disable", staff(ADMIN)),
    Row("accounts.enable", "POST", "/admin/accounts/{other}/enable", staff(ADMIN)),
    Row("accounts.unlock", "POST", "/admin/accounts/{other}/unlock", staff(ADMIN)),
    # mail outbox and templates (admin)
    Row("mail.outbox", "GET", "/admin/mail/", staff(ADMIN)),
    Row("mail.message", "GET", "/admin/mail/{message}", staff(ADMIN)),
    Row("mail.retry", "POST", "/admin/mail/{message}/retry", staff(ADMIN)),
    Row("mail.send_now", "POST", "/admin/mail/send", staff(ADMIN)),
    Row("mail.templates", "GET", "/admin/mail/templates", staff(ADMIN)),
    Row("mail.edit_template", "GET", "/admin/mail/templates/note", staff(ADMIN)),
    Row("mail.edit_template", "POST", "/admin/mail/templates/note", staff(ADMIN)),
    Row("mail.reset_template", "POST", "/admin/mail/templates/note/reset", staff(ADMIN)),
    # mail in: held mail (desk), the reopen a reply by mail offers, the mail set-up (admin)
    Row("mailin.held", "GET", "/mail/held", staff(DESK_ADMIN)),
    Row("mailin.held_mail", "GET", "/mail/held/{held_mail}", staff(DESK_ADMIN)),
    Row("mailin.discard", "POST", "/mail/held/{held_mail}/discard", staff(DESK_ADMIN)),
    Row("mailin.raw", "GET", "/mail/held/{held_mail}/raw", staff(ADMIN)),
    Row("mailin.reopen", "POST", "/mail/reopen/{call}", staff(DESK_ADMIN)),
    Row("mailin.setup", "GET", "/mail/setup", staff(ADMIN)),
    Row("mailin.setup", "POST", "/mail/setup", staff(ADMIN), {"imap_port": "x"}),
    Row("mailin.test_in", "POST", "/mail/setup/test-in", staff(ADMIN)),
    Row("mailin.test_out", "POST", "/mail/setup/test-out", staff(ADMIN)),
    # settings and the set-up wizard (admin; the account step only on an empty kit)
    Row("setup.settings", "GET", "/admin/settings/", staff(ADMIN)),
    Row("setup.settings", "POST", "/admin/settings/", staff(ADMIN)),
    Row("setup.logo", "POST", "/admin/settings/logo", staff(ADMIN)),
    Row("setup.logo_image", "GET", "/admin/settings/logo.png", staff(ADMIN)),
    Row("setup.remove_logo", "POST", "/admin/settings/logo/remove", staff(ADMIN)),
    Row("wizard.start", "GET", "/setup/", staff(ADMIN)),
    Row("wizard.step", "GET", "/setup/school", staff(ADMIN)),
    Row("wizard.step", "POST", "/setup/school", staff(ADMIN)),
    Row(
        "wizard.account",
        "GET",
        "/setup/account",
        {**{role: MISSING for role in STAFF}, "anonymous": MISSING},
    ),
    Row(
        "wizard.account",
        "POST",
        "/setup/account",
        {**{role: MISSING for role in STAFF}, "anonymous": MISSING},
    ),
    # calls: the log, a call, logging one, look-ups, lists
    Row("calls.log", "GET", "/calls/", staff(ALL)),
    Row("calls.view", "GET", "/calls/{call}", staff(ALL)),
    Row("calls.find", "GET", "/calls/find?q=Projector", staff(ALL)),
    Row("calls.mine", "GET", "/calls/mine", staff(ALL)),
    Row("calls.hot_swaps", "GET", "/calls/hot-swaps", staff(DESK_ADMIN)),
    Row(
        "calls.exceptions",
        "GET",
        "/calls/exceptions",
        staff(frozenset({"desk", "leader", "admin"})),
    ),
    Row("calls.receipt_slip", "GET", "/calls/{call}/receipt.pdf", staff(NOTERS)),
    Row("calls.resolution_notice", "GET", "/calls/{call}/notice.pdf", staff(NOTERS)),
    Row("calls.new", "GET", "/calls/new", staff(DESK_ADMIN)),
    Row("calls.new", "POST", "/calls/new", staff(DESK_ADMIN), {"summary": "x"}),
    Row(
        "calls.open_in_location_json",
        "GET",
        "/calls/open-in-location.json?location_id={room}",
        staff(DESK_ADMIN),
    ),
    *(
        Row(_action_endpoint(suffix), "POST", f"/calls/{{call}}/{suffix}", staff(allowed))
        for suffix, allowed in ACTIONS.items()
        if suffix != "void"
    ),
    Row("calls.act_void", "POST", "/calls/{void_call}/void", staff(ADMIN)),
    # reference data (admin), and the desk's look-ups while logging a call
    Row("directory.index", "GET", "/directory/", staff(ADMIN)),
    Row("directory.list_rows", "GET", "/directory/people/", staff(ADMIN)),
    Row("directory.new", "GET", "/directory/people/new", staff(ADMIN)),
    Row("directory.new", "POST", "/directory/people/new", staff(ADMIN)),
    Row("directory.edit", "GET", "/directory/people/{person}/edit", staff(ADMIN)),
    Row(
        "directory.edit",
        "POST",
        "/directory/people/{person}/edit",
        staff(ADMIN),
        {"name": "Ann Changed"},
    ),
    Row("directory.delete", "POST", "/directory/people/{person_del}/delete", staff(ADMIN)),
    Row("directory.import_rows", "GET", "/directory/people/import", staff(ADMIN)),
    Row("directory.import_rows", "POST", "/directory/people/import", staff(ADMIN)),
    Row("directory.csv_template", "GET", "/directory/people/template.csv", staff(ADMIN)),
    Row(  # no such run: the admin gets 404; anyone else is refused before looking
        "directory.import_run",
        "GET",
        "/directory/people/import/runs/" + "0" * 32,
        {**staff(ADMIN), "admin": MISSING},
    ),
    Row("directory.people_json", "GET", "/directory/people.json?q=Ann", staff(DESK_ADMIN)),
    Row(
        "directory.location_equipment_json",
        "GET",
        "/directory/locations/{room}/equipment.json",
        staff(DESK_ADMIN),
    ),
    # follow-ups, problems, priority, visits
    Row("followups.add", "POST", "/follow-ups/calls/{call}", staff(WORKERS)),
    Row("followups.done", "POST", "/follow-ups/{followup}/done", staff(WORKERS)),
    Row("problems.index", "GET", "/problems/", staff(NOTERS)),
    Row("problems.new", "GET", "/problems/new", staff(WORKERS)),
    Row("problems.new", "POST", "/problems/new", staff(WORKERS)),
    Row("problems.view", "GET", "/problems/{problem}", staff(NOTERS)),
    Row("problems.edit", "POST", "/problems/{problem}", staff(WORKERS)),
    Row("problems.resolve_problem", "POST", "/problems/{problem}/resolve", staff(WORKERS)),
    Row("problems.link", "POST", "/problems/calls/{call}/link", staff(WORKERS)),
    Row("problems.unlink", "POST", "/problems/calls/{call}/unlink", staff(WORKERS)),
    Row("priority.raise_level", "POST", "/priority/calls/{call}", staff(DESK_ADMIN)),
    Row("priority.matrix", "GET", "/priority/matrix", staff(ADMIN)),
    Row("priority.matrix", "POST", "/priority/matrix", staff(ADMIN)),
    Row("priority.exam_rooms", "GET", "/priority/exam-rooms", staff(ADMIN)),
    Row("priority.exam_rooms", "POST", "/priority/exam-rooms", staff(ADMIN)),
    Row("visits.index", "GET", "/visits/", staff(WORKERS)),
    Row("visits.technician", "GET", "/visits/{tech}", staff(WORKERS)),
    Row("visits.print_list", "GET", "/visits/{tech}/print", staff(WORKERS)),
    Row("visits.days", "GET", "/visits/days", staff(DESK_ADMIN)),
    Row("visits.days", "POST", "/visits/days", staff(DESK_ADMIN)),
    Row("visits.handoff", "POST", "/visits/calls/{call}/handoff", staff(DESK_ADMIN)),
    # knowledge base
    Row("kb.index", "GET", "/kb/?q=printer", staff(ALL)),
    Row("kb.article", "GET", "/kb/{article}", staff(ALL)),
    Row("kb.suggest_json", "GET", "/kb/suggest.json?q=printer", staff(DESK_ADMIN)),
    Row("kb.faq", "GET", "/kb/faq", everyone(customer=OK)),
    Row("kb.faq_article", "GET", "/kb/faq/{article}", everyone(customer=OK)),
    Row("kb.new", "GET", "/kb/new", staff(WRITERS)),
    Row("kb.new", "POST", "/kb/new", staff(WRITERS), {"title": "New", "audience": "staff"}),
    Row("kb.edit", "GET", "/kb/{article}/edit", staff(WRITERS)),
    Row(
        "kb.edit",
        "POST",
        "/kb/{article}/edit",
        staff(WRITERS),
        {"title": "Edited", "audience": "staff"},
    ),
    Row("kb.history", "GET", "/kb/{article}/history", staff(WRITERS)),
    Row("kb.publish", "POST", "/kb/{draft}/publish", staff(WRITERS)),
    Row("kb.retire", "POST", "/kb/{retired}/retire", staff(WRITERS)),
    Row("kb.draft_from_call", "POST", "/kb/draft-from-call/{call}", staff(NOTERS)),
    Row("kb.link", "POST", "/kb/calls/{call}/link", staff(NOTERS), {"article_id": "{article}"}),
    Row(
        "kb.solved",
        "POST",
        "/kb/calls/{call}/solved",
        staff(WORKERS),
        {"article_id": "{article}"},
    ),
    # the customer's link, the web form, and the desk's link buttons
    Row("customer.new", "GET", "/my-call/new", everyone(customer=OK)),
    Row("customer.new", "POST", "/my-call/new", everyone(customer=OK)),
    Row("customer.status", "GET", "/my-call/{token}", link()),
    Row("customer.reply", "POST", "/my-call/{token}/reply", link(), {"text": "Hello"}),
    Row("customer.confirm", "POST", "/my-call/{token}/confirm", link()),
    Row(
        "customer.not_fixed",
        "POST",
        "/my-call/{token}/not-fixed",
        link(),
        {"reason": "Still broken"},
    ),
    Row("customer.fixed_itself", "POST", "/my-call/{token}/fixed-itself", link()),
    Row("survey.survey", "GET", "/my-call/{survey_token}/survey", link()),
    Row("survey.survey", "POST", "/my-call/{survey_token}/survey", link()),
    Row("survey.thanks", "GET", "/my-call/{survey_token}/survey/thanks", link()),
    Row("customer.issue", "POST", "/my-call/issue/{call}", staff(WORKERS)),
    Row("customer.revoke", "POST", "/my-call/revoke/{call}", staff(WORKERS)),
    # attachments: a file is as private as its call; the customer sees only their own
    Row("attachments.add", "POST", "/calls/{call}/attachments", staff(NOTERS)),
    Row("attachments.download", "GET", "/calls/{call}/attachments/1", staff(ALL)),
    Row("attachments.thumbnail", "GET", "/calls/{call}/attachments/1/thumbnail", staff(ALL)),
    Row(
        "attachments.remove",
        "POST",
        "/calls/{call}/attachments/1/remove",
        staff(frozenset({"desk", "coordinator", "admin"})),
    ),
    Row("customer.add_attachments", "POST", "/my-call/{token}/attachments", link()),
    Row("customer.attachment", "GET", "/my-call/{token}/attachments/1", link()),
    Row(
        "customer.attachment_thumbnail",
        "GET",
        "/my-call/{token}/attachments/1/thumbnail",
        link(),
    ),
    # printing
    Row("printing.index", "GET", "/print/", staff(ALL)),
    Row("printing.blank", "GET", "/print/blank/incident_request", staff(ALL)),
    Row("printing.instructions", "GET", "/print/instructions", staff(ALL)),
    Row("printing.job_sheet", "GET", "/print/calls/{call}/job-sheet", staff(NOTERS)),
    Row("printing.diagnostics", "GET", "/print/calls/{call}/diagnostics", staff(NOTERS)),
    Row("printing.sign", "GET", "/print/calls/{call}/sign", staff(NOTERS)),
    Row("printing.call_log", "GET", "/print/call-log", staff(ALL)),
    Row("printing.file_pack", "GET", "/print/calls/{call}/file-pack", staff(NOTERS)),
    Row("printing.mark_filed", "POST", "/print/calls/{call}/filed", staff(DESK_ADMIN)),
    Row("diagnostics.page", "GET", "/calls/{call}/diagnostics", staff(WORKERS)),
    Row("diagnostics.page", "POST", "/calls/{call}/diagnostics", staff(WORKERS)),
    Row("printing.my_jobs", "GET", "/print/my-jobs", staff(WORKERS)),
    Row("printing.todays_calls", "GET", "/print/todays-calls", staff(WORKERS)),
    Row("printing.checks", "GET", "/print/checks", staff(WRITERS)),
    Row("printing.checks", "POST", "/print/checks", staff(WRITERS)),
    # reports (leaders and admins; the call import is admin's)
    Row("reports.index", "GET", "/reports/", staff(LEADERS)),
    Row("reports.show", "GET", "/reports/workload", staff(LEADERS)),
    Row("reports.show_pdf", "GET", "/reports/outstanding.pdf", staff(LEADERS)),
    Row("reports.show_csv", "GET", "/reports/times.csv", staff(LEADERS)),
    Row("reports.asset", "GET", "/reports/assets/{equipment}", staff(LEADERS)),
    Row("reports.asset_pdf", "GET", "/reports/assets/{equipment}.pdf", staff(LEADERS)),
    Row("reports.governors_page", "GET", "/reports/governors", staff(LEADERS)),
    Row("reports.monthly_page", "GET", "/reports/monthly?month=2026-11", staff(LEADERS)),
    Row("reports.monthly_pdf", "GET", "/reports/monthly.pdf?month=2026-11", staff(LEADERS)),
    Row("reports.governors_pdf", "GET", "/reports/governors.pdf?month=2026-11", staff(LEADERS)),
    Row("reports.data.export", "GET", "/reports/export", staff(LEADERS)),
    Row("reports.data.export_csv", "GET", "/reports/export/calls.csv", staff(LEADERS)),
    Row("reports.data.import_calls", "GET", "/reports/import", staff(ADMIN)),
    Row("reports.data.import_calls", "POST", "/reports/import", staff(ADMIN)),
    Row("reports.data.import_template", "GET", "/reports/import/template.csv", staff(ADMIN)),
    # letter to users, charter, review (leaders and admins)
    Row("leaders.index", "GET", "/leaders/", staff(LEADERS)),
    Row("leaders.document", "GET", "/leaders/letter", staff(LEADERS)),
    Row("leaders.document_pdf", "GET", "/leaders/charter/pdf", staff(LEADERS)),
    Row("leaders.version", "GET", "/leaders/charter/versions/1", staff(LEADERS)),
    Row("leaders.version_pdf", "GET", "/leaders/letter/versions/1/pdf", staff(LEADERS)),
    Row("leaders.edit", "GET", "/leaders/letter/edit", staff(LEADERS)),
    Row("leaders.edit", "POST", "/leaders/letter/edit", staff(LEADERS), {"action": "save"}),
    Row("leaders.new_review", "GET", "/leaders/reviews/new", staff(LEADERS)),
    Row("leaders.new_review", "POST", "/leaders/reviews/new", staff(LEADERS)),
    Row("leaders.review", "GET", "/leaders/reviews/{review}", staff(LEADERS)),
    Row("leaders.review_pdf", "GET", "/leaders/reviews/{review}/pdf", staff(LEADERS)),
    Row("surveys.index", "GET", "/surveys/", staff(LEADERS)),
    Row(
        "surveys.add_question",
        "POST",
        "/surveys/questions",
        staff(LEADERS),
        {"question_text": "Is the Wi-Fi good enough?", "question_kind": "yes_no"},
    ),
    Row("surveys.retire_question", "POST", "/surveys/questions/{question}/retire", staff(LEADERS)),
    Row(
        "surveys.send",
        "POST",
        "/surveys/send",
        staff(LEADERS),
        {"title": "Summer term", "closes_on": "2026-12-11"},
    ),
    Row("surveys.results", "GET", "/surveys/{survey_round}", staff(LEADERS)),
    Row("surveys.paper", "GET", "/surveys/{survey_round}/paper.pdf", staff(LEADERS)),
    Row("surveys.paper_answers", "GET", "/surveys/{survey_round}/paper-answers", staff(LEADERS)),
    Row(
        "surveys.paper_answers",
        "POST",
        "/surveys/{survey_round}/paper-answers",
        staff(LEADERS),
        {"q1": "4"},
    ),
    Row("surveys.answer", "GET", "/surveys/answer/{staff_survey_token}", link()),
    Row("surveys.answer", "POST", "/surveys/answer/{staff_survey_token}", link(), {"q1": "4"}),
    Row("surveys.thanks", "GET", "/surveys/answer/{staff_survey_token}/thanks", link()),
]

TABLE: list[Row] = [
    Row(row.endpoint, row.method, row.path, _with_unrouted(row.path, row.answers), row.data)
    for row in _ROWS
]


# --- the data the table's paths name -------------------------------------------------

NOW = datetime(2026, 11, 23, 9, 30)  # a Monday in term
BOGUS_TOKEN = "A" * 40


@dataclass
class World:
    """One app with the matrix's data, and a client (logged in as `role`, or anonymous)."""

    app: object
    client: object
    ids: dict[str, str]
    role: str | None
    token: str = ""

    def login(self) -> None:
        if self.role is None:
            self.token = csrf_token(self.client)
            return
        response = self.client.post(
            "/auth/login",
            data={
                "username": self.role,
                "password": PASSWORD,
                "csrf_token": csrf_token(self.client),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        self.token = csrf_token(self.client, "/auth/password")


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def _group(db, name: str) -> int:
    return db.execute("SELECT id FROM support_groups WHERE name = ?", [name]).fetchone()[0]


def build_world(instance, role: str | None) -> World:
    """The data every path of the table names, made through the store functions."""
    clock = Clock(NOW)
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "test",
            "NOW": clock,
            "RATELIMIT_ENABLED": False,
        }
    )
    db = connect(app.config["DATABASE"])
    users = Users(db)
    for name in ROLES:
        users[name]  # "technician" is in Service Delivery
    other_tech = users.make("tina", {"technician"}, groups=("Technology Integration",))
    other = users.make("other", {"desk"}, name="Olive Other")
    for tech in (users["technician"], other_tech):
        visits.save_pattern(db, tech, "Tuesday", by=users["admin"], at=NOW)
    room = (
        db["locations"]
        .insert({"site": "Main", "building": "Arts", "room": "A2", "teaching_space": 1})
        .last_pk
    )
    equipment = db["equipment"].insert({"asset_tag": "PRJ-1", "type": "Projector"}).last_pk
    category = db.execute("SELECT id FROM categories WHERE name = 'Printer or copier'").fetchone()[
        0
    ]
    cal = settings.calendar(db)

    def log(summary: str) -> int:
        new = calls.NewCall(
            caller_name="Ann Teacher",
            caller_email="ann@school.example",
            channel="Phone",
            category_id=category,
            summary=summary,
            location_id=room,
            desk_checked=True,
        )
        return calls.log_call(db, new, user_id=users["desk"], at=NOW, cal=cal)

    def route(call_id: int, group: str, tech: int) -> None:
        workflow.assign(
            db, call_id, group_id=_group(db, group), assignee_id=tech, user=None, at=NOW
        )

    def resolved_link(summary: str) -> str:
        call_id = log(summary)
        route(call_id, "Service Delivery", users["technician"])
        workflow.resolve(
            db,
            call_id,
            summary="New cable fitted",
            details="Replaced the cable",
            closure_category="Fixed",
            customer_confirmed=False,
            confirmation_exception="known service disruption",
            user=None,
            at=NOW,
        )
        return links.issue_link(db, call_id, NOW).removeprefix("/my-call/")

    call = log("Projector in A2 shows no picture")
    route(call, "Service Delivery", users["technician"])
    other_call = log("Network switch in the server room")
    route(other_call, "Technology Integration", other_tech)
    void_call = log("Logged twice by mistake")
    route(void_call, "Service Delivery", users["technician"])
    ids = {
        "call": call,
        "other_call": other_call,
        "void_call": void_call,
        "hot_swap": hot_swaps.record_hot_swap(
            db, call, replacement_asset="HS-1", user=None, at=NOW
        ),
        "other_hot_swap": hot_swaps.record_hot_swap(
            db, other_call, replacement_asset="HS-2", user=None, at=NOW
        ),
        "followup": followups.add(
            db, call, due_on=date(2026, 11, 25), comment="Ring back", user_id=None, at=NOW
        ),
        "other_followup": followups.add(
            db, other_call, due_on=date(2026, 11, 25), comment="Ring", user_id=None, at=NOW
        ),
        "tech": users["technician"],
        "other_tech": other_tech,
        "other": other,
        "room": room,
        "equipment": equipment,
        "problem": problems.create(db, title="Projectors flicker", at=NOW),
        "article": add_article(db, "Printer offline"),
        "draft": add_article(db, "Printer draft", status="draft"),
        "retired": add_article(db, "Old printer"),
        "person": admin_store.insert(db, "people", {"name": "Ann Teacher"}),
        "person_del": admin_store.insert(db, "people", {"name": "Bob Leaver"}),
        "message": outbox.queue(
            db,
            "note",
            to=["ann@school.example"],
            context={"call": {"ref": "C-1", "summary": "x"}, "author": "Desk", "text": "Hi"},
            at=NOW,
        ),
        "held_mail": mail_in.record(
            db,
            {
                "message_id": "<held@elsewhere.example>",
                "read_at": "2026-11-23 09:00:00",
                "sender": "offers@elsewhere.example",
                "subject": "Cheap toner",
                "outcome": "failed",
                "state": "held",
                "reason": "It could not be read.",
                "raw": b"Subject: Cheap toner\r\n\r\nx",
            },
        ),
        "token": resolved_link("Printer jams"),
        "survey_token": resolved_link("Scanner is slow"),
    }
    for kind in ("letter", "charter"):
        leaders.add_version(
            db, kind, title=kind.title(), body="v1", published=True, user_id=None, at=NOW
        )
    ids["review"] = leaders.add_review(
        db,
        period_from="2026-11-01",
        period_to="2026-11-23",
        answers={},
        figures={"total": 0},
        user_id=None,
        at=NOW,
    )
    admin_store.insert(db, "people", {"name": "Sam Surveyed", "email": "sam@school.example"})
    [first_question, *_] = staff_surveys.questions(db)
    ids["question"] = first_question["id"]
    ids["survey_round"], [(_person, ids["staff_survey_token"], _invite)] = (
        staff_surveys.start_round(
            db, title="Autumn term", closes_on=date(2026, 12, 11), user_id=None, at=NOW
        )
    )
    school_logo.store_logo(_png(), app.instance_path)
    photo = [("screen.png", _png())]
    staff_limits = attachment_limits.for_staff(db)
    for call_id, source in (
        (call, attachments.CALL_PAGE),
        (other_call, attachments.CALL_PAGE),
        (links.find_call(db, ids["token"])["id"], attachments.WEB_FORM),
    ):
        attachments.add_files(
            db,
            app.instance_path,
            call_id,
            photo,
            added_by=None,
            source=source,
            limits=staff_limits,
            at=NOW,
        )
    db.conn.close()
    world = World(app, app.test_client(), {k: str(v) for k, v in ids.items()}, role)
    world.login()
    return world

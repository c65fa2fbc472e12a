"""Every school setting the kit knows, one `Spec` each: its label, the section of the
settings page it sits in, the kind of value (which decides the form field and the check),
a hint, and its bounds. Add a setting's spec here.

The table only; reading it (a spec for any key, the page's order, a value in words) is in
`kit.setup.specs`. No Flask here: the `kit settings` command reads this table too.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.attachments.detect import KINDS as ATTACHMENT_KINDS

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HANDOFF_CHOICES = (
    ("email", "Email the technician the job sheet"),
    ("phone", "Phone the technician"),
    ("visit", "Leave it for the technician's next visit"),
)
KB_FIX_CHOICES = (
    ("apply_in_school", "Someone in school applies it; the desk resolves the call"),
    ("give_to_technician", "The technician is given the fix with the call"),
)


@dataclass(frozen=True)
class Spec:
    key: str
    label: str
    section: str
    kind: str  # text, email, url, date, lines, days, time, country, subdivision, ranges, terms, int, bool, choice
    help: str = ""
    max_len: int = 200
    low: int = 0
    high: int = 0
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()


SECTIONS = (
    "School",
    "Service desk",
    "Working time",
    "Public holidays",
    "Terms and school holidays",
    "Calls",
    "Customers and the staff FAQ",
    "Attachments",
    "Other",
)

_SPECS = (
    Spec(
        "school_name",
        "School name",
        "School",
        "text",
        "Shown on every page and sheet.",
        max_len=120,
        required=True,
    ),
    Spec(
        "public_url",
        "Public address of the kit",
        "School",
        "url",
        "The address staff type to reach the kit, for example https://helpdesk.school.example. "
        "The letter to users, the charter, the QR codes on sheets and the links in emails use "
        "it; until it is set, nothing printed shows an address.",
        max_len=200,
    ),
    Spec(
        "sites",
        "Sites or campuses",
        "School",
        "lines",
        "One per line, for example Main campus. Add the rooms later with a CSV import.",
        max_len=120,
    ),
    Spec(
        "desk_phone",
        "Desk phone",
        "Service desk",
        "text",
        "The number staff ring, printed on sheets and the letter to users.",
        max_len=40,
    ),
    Spec(
        "desk_email",
        "Desk email",
        "Service desk",
        "email",
        "Where staff write to the desk.",
        max_len=200,
    ),
    Spec(
        "mail_school_domains",
        "The school's mail domains",
        "Service desk",
        "lines",
        "One per line, for example school.example. Mail to the desk from other addresses "
        "(not in the staff directory) is held for the desk to look at, never answered. "
        "Empty: the desk address's domain and the directory's.",
        max_len=120,
    ),
    Spec(
        "mail_held_days",
        "Days held mail keeps its copy",
        "Service desk",
        "int",
        "Held mail keeps the mail as it arrived (with its files) so that logging it brings "
        "the files to the call. The daily job deletes copies older than this, and those of "
        "mail already logged or discarded; the mail itself stays in the desk's mailbox.",
        low=1,
        high=365,
    ),
    Spec(
        "desk_hours",
        "Opening hours, in words",
        "Service desk",
        "text",
        "As staff should read them, for example Monday to Friday, 8:00 to 17:00.",
        max_len=200,
    ),
    Spec(
        "working_days",
        "Working days",
        "Working time",
        "days",
        "Response times count only on these days.",
    ),
    Spec("day_start", "Working day starts", "Working time", "time", "For example 08:30 or 8.30am."),
    Spec("day_end", "Working day ends", "Working time", "time", "Must be after the start."),
    Spec(
        "holiday_country",
        "Country for public holidays",
        "Public holidays",
        "country",
        "Public holidays do not count as working time.",
    ),
    Spec(
        "holiday_subdivision",
        "Region",
        "Public holidays",
        "subdivision",
        "The part of the country whose bank holidays apply, for example ENG for England. "
        "Leave empty for the whole country.",
    ),
    Spec(
        "terms",
        "Term dates",
        "Terms and school holidays",
        "terms",
        "One term per line: name, a colon, then the first and last day, for example "
        "Autumn 2026: 2026-09-03 to 2026-12-18.",
    ),
    Spec(
        "school_holidays",
        "School holidays and closure days",
        "Terms and school holidays",
        "ranges",
        "One per line as first day to last day, for example 2026-10-26 to 2026-10-30, or "
        "one date for a single day. These days do not count as working time.",
    ),
    Spec(
        "reopen_window_days",
        "Reopen window (days)",
        "Calls",
        "int",
        "How long after resolution a customer may say “not fixed” and reopen the call.",
        low=0,
        high=90,
    ),
    Spec(
        "with_customer_reminder_days",
        "Chase With Customer calls after (working days)",
        "Calls",
        "int",
        "The owner is reminded each working day after this.",
        low=1,
        high=60,
    ),
    Spec(
        "with_customer_auto_close",
        "Close With Customer calls automatically",
        "Calls",
        "bool",
        "When ticked, the daily job closes them with “No further contact received from "
        "customer” instead of only reminding.",
    ),
    Spec(
        "handoff_default",
        "How technicians get new jobs",
        "Calls",
        "choice",
        "What the desk's “Pass on” form chooses first; the desk may choose another per call.",
        choices=HANDOFF_CHOICES,
    ),
    Spec(
        "kb_fix_policy",
        "When a knowledge base article has the fix",
        "Calls",
        "choice",
        choices=KB_FIX_CHOICES,
    ),
    Spec(
        "special_periods",
        "Inspection days and exam periods",
        "Calls",
        "ranges",
        "One per line as first day to last day, or one date. On these days calls about "
        "teaching spaces and exam rooms get the top response level when logged. The exam "
        "rooms and the impact and urgency matrix are on the Priority pages "
        "(/priority/exam-rooms, /priority/matrix).",
    ),
    Spec(
        "targets_from",
        "Targets count from",
        "Calls",
        "date",
        "Baseline before targets: calls logged before this date are measured per priority "
        "but not judged against the response levels' targets, so the school can see what "
        "it achieves before it commits to targets (Reports › Baseline and targets). Leave "
        "empty to judge every call against the targets.",
    ),
    Spec(
        "survey_every_nth",
        "Survey one call in",
        "Customers and the staff FAQ",
        "int",
        "1 asks every customer after resolution; 10 asks one in ten.",
        low=1,
        high=1000,
    ),
    Spec(
        "faq_public", "Staff FAQ readable without logging in", "Customers and the staff FAQ", "bool"
    ),
    Spec(
        "web_form_public",
        "Anyone may report a problem on the web form",
        "Customers and the staff FAQ",
        "bool",
        "Untick to require a login before reporting a problem.",
    ),
)


def _mb(key: str, label: str, hint: str, high: int) -> Spec:
    return Spec(key, label, "Attachments", "int", hint, low=1, high=high)


_SPECS += (
    Spec(
        "attachment_kinds",
        "Files the kit keeps",
        "Attachments",
        "picks",
        "What a file is comes from its contents, not its name. The customer's web form and "
        "status page take only the pictures and PDFs ticked here.",
        choices=tuple((kind, label) for kind, (label, _ext) in ATTACHMENT_KINDS.items()),
    ),
    _mb("attachment_staff_file_mb", "Largest file from staff (MB)", "", 50),
    _mb("attachment_public_file_mb", "Largest file from the web form (MB)", "", 20),
    Spec(
        "attachment_per_request",
        "Files sent at once by staff",
        "Attachments",
        "int",
        "The web form and the customer's page take at most 3.",
        low=1,
        high=20,
    ),
    Spec(
        "attachment_mail_files",
        "Files kept from one mail",
        "Attachments",
        "int",
        "A mail's sender is not proven, so mail keeps only the pictures and PDFs ticked above; "
        "files past this number are named on the call as not kept.",
        low=1,
        high=50,
    ),
    _mb("attachment_mail_file_mb", "Largest file from a mail (MB)", "", 25),
    Spec("attachment_per_call", "Files kept on one call", "Attachments", "int", low=1, high=200),
    _mb("attachment_call_mb", "Megabytes kept on one call", "", 1000),
    Spec(
        "attachment_retention_months",
        "Delete files of calls closed more than (months) ago",
        "Attachments",
        "int",
        "The daily job deletes them; the call's record keeps their names. 0 keeps them for ever.",
        low=0,
        high=240,
    ),
)
SPECS: dict[str, Spec] = {s.key: s for s in _SPECS}

# Kept by the kit itself, not typed by anyone: never on the settings page.
INTERNAL = frozenset({"setup_step", "logo"})

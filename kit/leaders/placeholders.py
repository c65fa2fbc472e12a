"""Named placeholders for the letter to users and the charter, so a head edits words, not code.

The editor shows the wording with placeholders in square brackets, "[Desk phone]" in a
sentence or "[Ways to log a call]" on a line of its own; nobody has to read or write
`{% if %}`. Before rendering, `expand` swaps each placeholder for the kit's own template
snippet, and the result is rendered in the sandbox (`kit.leaders.sandbox`) as any wording
is: a leader who does write template code still cannot leave the sandbox. Square brackets
around any other words are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str
    snippet: str
    block: bool = False  # a block stands on a line of its own (a list or a table)


_WAYS = """{% if school.phone %}
- **Phone** the service desk on **{{ school.phone }}**.
{% endif %}
{% if school.email %}
- **Email** the service desk at **{{ school.email }}**.
{% endif %}
{% if school.web_form %}
- **Fill in the web form** at {{ school.web_form }} (it asks the questions below).
{% endif %}
- **Call in** at the service desk in person.
- **Fill in an incident/request sheet** from the ICT tray in the school office, and leave it \
in the tray."""

_CLOSED = """{% if school.email or school.web_form %}
Email the service desk{% if school.web_form %} or use the web form{% endif %}: your call is \
logged first thing on the next working day.
{% endif %}
You can also leave an incident/request sheet in the ICT tray in the school office. If it is \
urgent, call again as soon as the desk opens."""

_LEVELS = """| Priority | We respond within | We aim to resolve within | For example |
| --- | --- | --- | --- |
{% for level in levels %}
| {{ level.name }} | {{ level.respond }} | {{ level.resolve }} | \
{{ level.examples[:3]|join(", ") or "–" }} |
{% endfor %}"""

_MATRIX = """| Impact | {{ priority.urgencies|join(" | ") }} |
{{ priority.rule }}
{% for row in priority.rows %}
| {{ row.impact }} | {{ row.levels|join(" | ") }} |
{% endfor %}

{% for line in priority.overrides %}
- {{ line }}
{% endfor %}"""

_QUESTIONS = """{% for question in questions %}
- {{ question.label }}{% if question.help %} ({{ question.help }}){% endif %}

{% endfor %}"""

_QUESTION_LABELS = """{% for question in questions %}
- {{ question.label }}
{% endfor %}"""

PLACEHOLDERS = (
    Placeholder("School name", "the school's name", "{{ school.name }}"),
    Placeholder("Desk phone", "the service desk's phone number", "{{ school.phone }}"),
    Placeholder("Desk email", "the service desk's email address", "{{ school.email }}"),
    Placeholder("Desk hours", "when the service desk is open", "{{ school.hours }}"),
    Placeholder(
        "Web form address",
        "the web form's address at the school's public address (settings)",
        "{{ school.web_form }}",
    ),
    Placeholder(
        "Reopen days",
        "working days in which a customer can say a fix did not work",
        "{{ school.reopen_days }}",
    ),
    Placeholder("Date of this version", "the date this version was saved", "{{ updated }}"),
    Placeholder(
        "Ways to log a call",
        "a list of every way to reach the desk (phone, email, web form, in person, the tray); "
        "a way the school has not set up is left out",
        _WAYS,
        block=True,
    ),
    Placeholder(
        "When the desk is closed", "what to do out of hours, in two sentences", _CLOSED, True
    ),
    Placeholder(
        "Response levels table",
        "a table of the response levels: respond and resolve times, examples",
        _LEVELS,
        True,
    ),
    Placeholder(
        "Priority matrix",
        "the school's impact × urgency table, with the safeguarding and inspection or exam "
        "day overrides",
        _MATRIX,
        True,
    ),
    Placeholder(
        "Questions with their help",
        "the incident/request sheet's questions as a list, each with its hint",
        _QUESTIONS,
        True,
    ),
    Placeholder(
        "Questions on the sheet", "the sheet's questions as a short list", _QUESTION_LABELS, True
    ),
)
BY_NAME = {p.name.lower(): p for p in PLACEHOLDERS}
_PATTERN = re.compile(
    r"^([ \t]*)\[(" + "|".join(re.escape(p.name) for p in PLACEHOLDERS) + r")\]",
    re.IGNORECASE | re.MULTILINE,
)
_INLINE = re.compile(
    r"\[(" + "|".join(re.escape(p.name) for p in PLACEHOLDERS if not p.block) + r")\]",
    re.IGNORECASE,
)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def expand(text: str) -> str:
    """The wording with each placeholder replaced by its template snippet."""

    def at_line_start(match: re.Match[str]) -> str:
        found = BY_NAME[match.group(2).lower()]
        return _indent(found.snippet, match.group(1))

    return _INLINE.sub(
        lambda m: BY_NAME[m.group(1).lower()].snippet, _PATTERN.sub(at_line_start, text)
    )

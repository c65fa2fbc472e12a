"""Which column of a school's spreadsheet becomes which field of the kit.

A school's MIS or asset register exports its own headings: "Full name", "Ext", "Job title",
"Forename" and "Surname", "Serial number". Each heading is compared without case, spaces
or punctuation with the kit's column names, then with the common aliases below. Forename
and surname columns are joined into the name. A heading that is neither is skipped and
shown as "not imported", unless it is so close to a column the kit knows ("emial") that it
is probably a typo: that is refused, so a mistyped column never silently loses its data.
The preview shows the whole plan, heading by heading.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from kit.directory.columns import COLUMNS

FIRST, LAST = "_first_name", "_last_name"  # joined into `name` (people only)

ALIASES: dict[str, dict[str, str]] = {
    "people": {
        **dict.fromkeys(
            ("full_name", "fullname", "staff_name", "display_name", "employee_name",
             "person", "staff_member", "name_full"), "name"),
        **dict.fromkeys(
            ("email_address", "e_mail", "e_mail_address", "work_email", "school_email",
             "email_work", "staff_email", "mail"), "email"),
        **dict.fromkeys(
            ("ext", "extn", "extension", "ext_no", "extension_number", "phone_number",
             "telephone", "telephone_number", "tel", "tel_no", "work_phone", "phone_ext",
             "phone_extension", "internal_phone", "internal_extension", "work_telephone"),
            "phone"),
        **dict.fromkeys(
            ("dept", "department_name", "faculty", "subject", "team", "area",
             "curriculum_area"), "department"),
        **dict.fromkeys(
            ("job_title", "jobtitle", "job", "job_role", "position", "post", "post_title",
             "staff_role", "role_title", "job_description", "staff_type"), "role"),
        **dict.fromkeys(
            ("forename", "forenames", "first_name", "firstname", "given_name",
             "preferred_forename", "legal_forename", "preferred_first_name"), FIRST),
        **dict.fromkeys(
            ("surname", "last_name", "lastname", "family_name", "legal_surname",
             "preferred_surname", "preferred_last_name"), LAST),
    },
    "locations": {
        **dict.fromkeys(("campus", "site_name", "school"), "site"),
        **dict.fromkeys(("block", "building_name", "wing"), "building"),
        **dict.fromkeys(("room_name", "room_number", "room_no", "room_code"), "room"),
        **dict.fromkeys(("teaching_room", "classroom", "is_teaching_space"), "teaching_space"),
    },
    "equipment": {
        **dict.fromkeys(
            ("asset", "asset_number", "asset_no", "asset_id", "asset_code", "tag",
             "tag_number"), "asset_tag"),
        **dict.fromkeys(("device_type", "asset_type", "category", "device"), "type"),
        **dict.fromkeys(("manufacturer", "brand", "make_name"), "make"),
        **dict.fromkeys(("model_name", "model_number", "model_no"), "model"),
        **dict.fromkeys(("serial_number", "serial_no", "serial_num", "sn"), "serial"),
        **dict.fromkeys(("vendor", "supplied_by", "supplier_name"), "supplier"),
        **dict.fromkeys(
            ("purchased", "date_purchased", "purchase", "bought", "date_of_purchase"),
            "purchase_date"),
        **dict.fromkeys(
            ("warranty", "warranty_expiry", "warranty_expires", "warranty_end_date",
             "warranty_until"), "warranty_end"),
    },
}  # fmt: skip


def normalise(heading: str) -> str:
    """ "Job Title", "job-title" and "JOB_TITLE." are all job_title."""
    return re.sub(r"[^0-9a-z]+", "_", heading.strip().lower()).strip("_")


@dataclass
class HeaderPlan:
    """Per file column: the kit's column it fills (None: skipped); and the plan in words."""

    columns: list[str | None] = field(default_factory=list)
    shown: list[tuple[str, str]] = field(default_factory=list)  # (heading, "becomes")
    problems: list[tuple[str, str]] = field(default_factory=list)  # (heading, message)

    @property
    def filled(self) -> set[str]:
        return {c for c in self.columns if c}


def plan_header(kind: str, headings: list[str]) -> HeaderPlan:
    """How each heading of the file's first row is read for `kind`."""
    known = {c.name: c for c in COLUMNS[kind]}
    aliases = ALIASES.get(kind, {})
    plan = HeaderPlan()
    exact = [normalise(h) for h in headings]
    for heading, key in zip(headings, exact, strict=True):
        target = key if key in known else aliases.get(key)
        if target and exact.count(key) > 1:
            plan.problems.append((key, "This column appears twice."))
        if target and target in plan.filled:
            target = None  # another column already fills it: the first one wins
        if key and target is None and key not in known and key not in aliases:
            typo = difflib.get_close_matches(key, [*known, *aliases], n=1, cutoff=0.8)
            if typo:
                plan.problems.append(
                    (key, f"This column is not one the kit knows. Did you mean “{typo[0]}”?")
                )
        plan.columns.append(target)
        if heading.strip():
            plan.shown.append((heading.strip(), _becomes(target, known)))
    _require(kind, plan, known)
    return plan


def _becomes(target: str | None, known: dict) -> str:
    if target is None:
        return "not imported"
    if target in (FIRST, LAST):
        return f"name ({'first' if target == FIRST else 'last'} part)"
    return f"{target} ({known[target].help})" if known[target].help else target


def _require(kind: str, plan: HeaderPlan, known: dict) -> None:
    filled = plan.filled
    for name, column in known.items():
        if not column.required or name in filled:
            continue
        if name == "name" and kind == "people" and LAST in filled:
            continue  # forename and surname make the name
        plan.problems.append((name, "This column is missing: every row needs it."))


def join_name(cells: dict[str, str]) -> None:
    """Forename and surname cells become the name cell, when the file has no name column."""
    first, last = cells.pop(FIRST, "").strip(), cells.pop(LAST, "").strip()
    if "name" not in cells and (first or last):
        cells["name"] = f"{first} {last}".strip()


def also_read_as(kind: str) -> dict[str, str]:
    """For the upload page: each column's other accepted headings, as a person writes them."""
    found: dict[str, list[str]] = {}
    for alias, target in ALIASES.get(kind, {}).items():
        column = "name" if target in (FIRST, LAST) else target
        found.setdefault(column, []).append(alias.replace("_", " ").capitalize())
    if kind == "people":
        found["name"].append("or Forename and Surname together")
    return {column: ", ".join(words) for column, words in found.items()}

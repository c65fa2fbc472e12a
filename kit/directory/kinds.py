"""The six kinds of reference data the admin keeps, described once.

The admin pages, the CSV importer and the templates all read this table, so a kind's
name, its list columns and its empty-state advice are the same everywhere. No Flask here:
the `kit import` command uses it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A light check, the same on the web form and in CSV files: something@something.tld, no spaces.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Kind:
    slug: str  # in URLs and for `import_csv(kind=...)`
    title: str  # "People"
    one: str  # "person", as in "Add a person"
    table: str
    columns: tuple[tuple[str, str, str], ...]  # list columns: (heading, key, format)
    key_field: str  # the form field a duplicate is reported against
    empty: str  # what to do next when there are none
    searchable: bool = False
    search_hint: str = ""


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "people",
            "People",
            "person",
            "people",
            (
                ("Name", "name", "text"),
                ("Email", "email", "text"),
                ("Phone", "phone", "text"),
                ("Department", "department", "text"),
                ("Role", "role", "text"),
            ),
            "email",
            "No people yet — add someone or import the staff list as a CSV.",
            searchable=True,
            search_hint="Name, email, phone or department",
        ),
        Kind(
            "locations",
            "Locations",
            "location",
            "locations",
            (
                ("Site", "site", "text"),
                ("Building", "building", "text"),
                ("Room", "room", "text"),
                ("Teaching space", "teaching_space", "yesno"),
            ),
            "room",
            "No rooms yet — add one or import a CSV.",
        ),
        Kind(
            "equipment",
            "Equipment",
            "equipment item",
            "equipment",
            (
                ("Asset tag", "asset_tag", "text"),
                ("Type", "type", "text"),
                ("Make", "make", "text"),
                ("Model", "model", "text"),
                ("Serial", "serial", "text"),
                ("Location", "location", "text"),
                ("Warranty end", "warranty_end", "text"),
            ),
            "asset_tag",
            "No equipment yet — add an item or import the asset register as a CSV.",
            searchable=True,
            search_hint="Asset tag, type, make, model, serial or room",
        ),
        Kind(
            "groups",
            "Support groups",
            "support group",
            "support_groups",
            (
                ("Name", "name", "text"),
                ("Tier", "tier", "text"),
                ("Team leader", "team_leader", "text"),
                ("Email", "email", "text"),
                ("Members", "members", "text"),
            ),
            "name",
            "No support groups yet — add one for each tier or import a CSV.",
        ),
        Kind(
            "categories",
            "Categories",
            "category",
            "categories",
            (
                ("Name", "name", "text"),
                ("Type", "call_type", "text"),
                ("Escalate to", "group_name", "text"),
                ("Response level", "level_name", "text"),
                ("Active", "active", "yesno"),
            ),
            "name",
            "No categories yet — add one or import a CSV. Add support groups and response "
            "levels first: every category names one of each.",
        ),
        Kind(
            "response-levels",
            "Response levels",
            "response level",
            "response_levels",
            (
                ("Name", "name", "text"),
                ("Respond within", "respond_hours", "hours"),
                ("Resolve within", "resolve_hours", "hours"),
                ("Rank", "rank", "text"),
            ),
            "name",
            "No response levels yet — add one or import a CSV.",
        ),
    )
}

"""The forms as data: definitions load, checks per category, bounded printed text."""

from __future__ import annotations

import pytest

from kit.printing import forms, sheets


def test_every_form_definition_loads_with_known_field_kinds():
    for form in forms.all_forms():
        assert form["title"] and form["instructions"]["steps"]
        for section in form["sections"]:
            assert all(f["kind"] in forms.FIELD_KINDS for f in section["fields"])


def test_incident_sheet_asks_the_frameworks_user_questions_in_order():
    questions = [
        f["name"] for f in forms.section(forms.load("incident_request"), "questions")["fields"]
    ]
    assert questions == [
        "summary",
        "expected",
        "happened",
        "checked",
        "error_message",
        "other_programs",
        "occurred_at",
        "last_worked",
        "happened_before",
        "anything_else",
    ]


def test_a_definition_with_an_unknown_field_kind_is_refused():
    broken = {
        "title": "x",
        "instructions": {},
        "sections": [{"name": "s", "fields": [{"name": "f", "label": "F", "kind": "dropdown"}]}],
    }
    with pytest.raises(forms.FormError):
        forms._check("broken", broken)


@pytest.mark.parametrize(
    "category, check_set",
    [
        ("Teaching Space Technology", "Teaching space"),
        ("Projector or interactive display", "Projector or display"),
        ("Computer or laptop fault", "Computer"),
        ("Printer or copier", "Printer"),
        ("Network or Wi-Fi", "Network"),
        ("Email", "Software"),
        ("MIS or school management system", "Software"),
        ("Password reset or locked account", "Account"),
        ("Software installation", "Software"),
        ("File permissions", "Generic"),
        ("Information or advice", "Generic"),
    ],
)
def test_each_category_gets_the_default_checks_for_its_kind(category, check_set):
    assert forms.default_check_set(category)["name"] == check_set


def test_checks_typed_one_per_line_drop_blanks_and_are_capped():
    text = "  First  \n\n" + "\n".join(f"Check {n}" for n in range(50)) + "\n" + "x" * 500
    checks = forms.parse_checks(text)
    assert checks[0] == "First"
    assert len(checks) == forms.MAX_CHECKS
    assert all(len(c) <= forms.MAX_CHECK_LENGTH for c in checks)


def test_short_text_prints_as_typed():
    assert sheets.bound("Projector shows no picture", "summary") == "Projector shows no picture"


def test_long_text_is_cut_with_a_note_that_the_rest_is_in_the_kit():
    printed = sheets.bound("A" * 20000, "details")
    assert len(printed) < 1300
    assert printed.endswith("(continued in the kit)")


def test_many_lines_are_cut_to_a_few():
    printed = sheets.bound("line\n" * 5000, "details")
    assert printed.count("\n") < sheets.LIMITS["details"][1]
    assert "continued in the kit" in printed


def test_one_line_fields_stay_on_one_line():
    assert sheets.bound("Ann\nTeacher", "line") == "Ann Teacher"

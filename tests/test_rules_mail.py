"""The pure rules of mail in: loop guards, call tags, summaries, quotes, the ack limit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kit.rules import mail as rules

OWN = ["servicedesk@school.example"]
AT = datetime(2026, 11, 23, 9, 30)


def test_a_persons_mail_has_no_automatic_reason():
    assert rules.automatic_reason({}, "ann@school.example", OWN) == ""


def test_the_desks_own_address_is_automatic_whatever_its_case():
    assert "own address" in rules.automatic_reason({}, "ServiceDesk@School.example", OWN)


def test_an_empty_sender_is_automatic():
    assert rules.automatic_reason({}, "", OWN) != ""


def test_a_null_return_path_is_a_bounce():
    assert "bounce" in rules.automatic_reason({"return-path": "<>"}, "x@y.example", OWN)


@pytest.mark.parametrize("value", ["auto-generated", "auto-replied", "auto-notified; owner=x"])
def test_auto_submitted_other_than_no_is_automatic(value):
    assert rules.automatic_reason({"auto-submitted": value}, "a@b.example", OWN)


def test_auto_submitted_no_is_a_person():
    assert rules.automatic_reason({"auto-submitted": "No"}, "a@b.example", OWN) == ""


def test_precedence_first_class_is_a_person():
    assert rules.automatic_reason({"precedence": "first-class"}, "a@b.example", OWN) == ""


def test_a_read_report_is_automatic():
    headers = {"content-type": "multipart/report; report-type=disposition-notification"}
    assert "report" in rules.automatic_reason(headers, "a@b.example", OWN)


@pytest.mark.parametrize(
    ("subject", "ref"),
    [
        ("Re: Projector [Call 26-0042]", "26-0042"),
        ("[call 26-42] RE: x", "26-0042"),
        ("[ Call 26 - 0042 ]", "26-0042"),
        ("like 26-0042 last week", None),
        ("[Call 2026-0042]", None),
        ("", None),
    ],
)
def test_a_call_reference_is_found_only_in_its_tag(subject, ref):
    assert rules.call_ref_in(subject) == ref


def test_the_summary_drops_reply_prefixes_and_tags():
    assert rules.summary_from("RE: Fwd: AW: Printer [Call 26-0001]") == "Printer"


def test_an_empty_subject_takes_the_first_line_of_the_text():
    assert rules.summary_from("   ", "\n\nScreen is blank\nmore") == "Screen is blank"


def test_nothing_at_all_is_no_subject():
    assert rules.summary_from("", "") == "(no subject)"


def test_a_long_subject_is_cut_to_the_summary_length():
    summary = rules.summary_from("x" * 500)
    assert len(summary) == rules.MAX_SUMMARY and summary.endswith("…")


def test_quoted_lines_are_dropped():
    assert rules.own_words("Yes\n> earlier\n>> older\nthanks") == "Yes\nthanks"


def test_outlooks_from_sent_block_ends_the_reply():
    text = "Room 12.\n\nFrom: Desk <d@x>\nSent: Monday\nTo: Ann\nSubject: x\n\nold text"
    assert rules.own_words(text) == "Room 12."


def test_a_from_line_without_sent_is_the_writers_text():
    assert "From: the head" in rules.own_words("Note\nFrom: the head of science\nthanks")


def test_original_message_marker_ends_the_reply():
    assert rules.own_words("Done.\n-----Original Message-----\nold") == "Done."


def test_the_signature_marker_ends_the_text():
    assert rules.own_words("Fixed now.\n-- \nAnn Teacher\nScience") == "Fixed now."


def test_a_sign_off_keeps_the_name_and_cuts_the_title_and_phone():
    text = "Broken.\n\nKind regards,\nAnn\nAnn Teacher\nHead of Science\nTel 214"
    assert rules.own_words(text) == "Broken.\n\nKind regards,\nAnn"


def test_a_sign_off_followed_by_a_long_text_is_kept():
    long_text = "Thanks,\n" + "\n".join(f"line {n} of the real message" for n in range(20))
    assert rules.own_words(long_text).endswith("line 19 of the real message")


def test_a_mail_that_is_all_quote_is_kept_whole():
    assert rules.own_words("> only a quote") == "> only a quote"


def test_three_acknowledgements_in_the_hour_is_the_limit():
    sent = [AT - timedelta(minutes=m) for m in (1, 20, 59)]
    assert not rules.may_acknowledge(sent, AT, limit=3)


def test_an_acknowledgement_exactly_an_hour_ago_still_counts():
    sent = [AT - timedelta(minutes=m) for m in (1, 2)] + [AT - timedelta(hours=1)]
    assert not rules.may_acknowledge(sent, AT, limit=3)


def test_an_acknowledgement_older_than_the_hour_does_not_count():
    sent = [AT - timedelta(minutes=m) for m in (1, 2)] + [AT - timedelta(minutes=61)]
    assert rules.may_acknowledge(sent, AT, limit=3)


@pytest.mark.parametrize(
    ("address", "school"),
    [
        ("a@school.example", True),
        ("a@staff.school.example", True),
        ("a@notschool.example", False),
        ("a@school.example.evil", False),
        ("nobody", False),
    ],
)
def test_school_addresses_are_the_domains_and_their_subdomains(address, school):
    assert rules.is_school_address(address, ["school.example"]) is school

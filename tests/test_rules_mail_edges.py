"""Mail in at its edges (kit/rules/mail.py): automatic mail by every sign a server leaves,
quoted text and signatures at their limits, summaries at their length, the acknowledgement
limit at its window. Pure, no Flask; these are the cases `make mutation` showed untested.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kit.rules import mail

DESK = ["desk@school.example"]


def reason(headers=None, sender="ann@school.example", own=DESK) -> str:
    return mail.automatic_reason(headers or {}, sender, own)


# --- automatic mail is never answered ----------------------------------------------------


def test_mail_with_no_sender_is_automatic():
    assert reason(sender="  ") == "it has no sender address"


def test_mail_from_the_desks_own_address_however_written_is_automatic():
    own = [" Desk@School.example ", "", "  "]
    assert reason(sender="DESK@school.example", own=own) == "it came from the desk's own address"


@pytest.mark.parametrize("local", ["mailer-daemon", "MAILER-DAEMON", "postmaster"])
def test_mail_from_a_mail_servers_own_mailbox_is_automatic(local):
    assert reason(sender=f"{local}@mx.example") == (
        f"it came from {local.lower()} (a mail server's automatic message)"
    )


def test_a_person_at_a_domain_named_like_a_mail_server_is_not_automatic():
    assert reason(sender="ann@postmaster") == ""


def test_auto_submitted_no_with_a_comment_is_a_person():
    assert reason({"auto-submitted": "No; sent by a person"}) == ""


def test_auto_submitted_anything_else_is_automatic_and_quoted_in_part():
    value = "auto-generated; " + "x" * 60
    assert reason({"auto-submitted": value}) == (
        f"it says it is automatic (Auto-Submitted: {value[:40]})"
    )


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        ("x-autoreply", "X-Autoreply"),
        ("x-autorespond", "X-Autorespond"),
        ("x-autoresponder", "X-Autoresponder"),
    ],
)
def test_an_out_of_office_reply_marked_by_its_server_is_automatic(header, shown):
    assert reason({header: "yes"}) == f"it is an automatic reply ({shown})"


@pytest.mark.parametrize("value", ["bulk", "Junk", " LIST ", "auto_reply"])
def test_bulk_and_list_mail_is_automatic(value):
    assert reason({"precedence": value}) == (
        f"it is bulk or list mail (Precedence: {value.strip().lower()})"
    )


def test_first_class_precedence_is_a_person():
    assert reason({"precedence": "first-class"}) == ""


def test_a_delivery_report_is_automatic():
    headers = {"content-type": " Multipart/Report; report-type=delivery-status"}
    assert reason(headers) == "it is a delivery or read report"


def test_a_bounce_with_a_null_return_path_is_automatic():
    assert reason({"return-path": " <> "}) == "it has a null sender (a bounce)"


def test_a_person_with_an_ordinary_return_path_is_not_automatic():
    assert reason({"return-path": "<ann@school.example>", "content-type": "text/plain"}) == ""


# --- summaries ---------------------------------------------------------------------------


def test_a_summary_drops_reply_prefixes_and_call_tags_and_extra_spaces():
    assert mail.summary_from("Re:  Fwd:   Printer   jam  [Call 26-0042]") == "Printer jam"


def test_a_mail_with_no_subject_and_no_text_has_no_subject():
    assert mail.summary_from("") == "(no subject)"
    assert mail.summary_from("", None) == "(no subject)"


def test_a_summary_of_exactly_the_longest_length_is_kept_whole():
    subject = "a" * mail.MAX_SUMMARY
    assert mail.summary_from(subject) == subject


def test_a_longer_summary_is_cut_at_a_word_with_an_ellipsis():
    subject = "a" * (mail.MAX_SUMMARY - 2) + " " + "b" * 10
    summary = mail.summary_from(subject)
    assert summary == "a" * (mail.MAX_SUMMARY - 2) + "…"


def test_no_call_reference_in_no_subject():
    assert mail.call_ref_in(None) is None


# --- the writer's own words --------------------------------------------------------------


def test_windows_line_endings_read_as_lines():
    assert mail.own_words("Hello\r\nThe printer is jammed\r\n") == "Hello\nThe printer is jammed"


def test_no_text_has_no_own_words():
    assert mail.own_words(None) == ""
    assert mail.own_words("") == ""


def test_an_indented_quote_line_is_dropped():
    assert mail.own_words("Still broken\n   > the old message") == "Still broken"


def test_indented_lines_keep_their_indent_but_not_trailing_spaces():
    assert mail.own_words("Steps:\n  1. restart   \n") == "Steps:\n  1. restart"


def test_several_blank_lines_become_one():
    assert mail.own_words("First\n\n\n\n\nSecond") == "First\n\nSecond"


def test_a_gmail_quote_line_wrapped_before_wrote_is_cut():
    text = "Fixed now\nOn Mon, 3 Mar 2025 at 09:00, Ann Other <ann@school.example>\nwrote:"
    assert mail.own_words(text) == "Fixed now"


def test_a_last_line_starting_with_on_is_the_writers_own():
    text = "The projector flickers\nOn Monday it was fine"
    assert mail.own_words(text) == text


def test_outlooks_from_then_sent_block_is_cut():
    text = "From: Ann Other\nSent: Monday\nTo: Desk\nSubject: Printer"
    assert mail.own_words("Thanks, it works\n" + text) == "Thanks, it works"


def test_a_from_line_with_sent_more_than_three_lines_later_is_not_a_quote():
    text = "From: the IT room\nline two\nline three\nline four\nSent: by me"
    assert mail.own_words(text) == text


def test_a_sign_off_followed_by_ten_short_lines_is_a_signature():
    text = "It is broken\nThanks,\n" + "\n".join(f"line {i}" for i in range(10))
    assert mail.own_words(text) == "It is broken\nThanks,\nline 0"


def test_a_sign_off_followed_by_eleven_lines_is_not_a_signature():
    text = "It is broken\nThanks,\n" + "\n".join(f"line {i}" for i in range(11))
    assert mail.own_words(text) == text


def test_a_line_of_eighty_characters_after_a_sign_off_is_not_a_signature():
    text = "It is broken\nThanks,\nAnn\n" + "x" * 80
    assert mail.own_words(text) == text
    shorter = "It is broken\nThanks,\nAnn\n" + "x" * 79
    assert mail.own_words(shorter) == "It is broken\nThanks,\nAnn"


# --- acknowledgements and addresses ------------------------------------------------------

AT = datetime(2026, 11, 23, 10, 0)


def test_a_sender_gets_three_acknowledgements_an_hour_by_default():
    assert mail.may_acknowledge([AT - timedelta(minutes=m) for m in (5, 10)], AT)
    assert not mail.may_acknowledge([AT - timedelta(minutes=m) for m in (5, 10, 15)], AT)


def test_an_acknowledgement_sent_at_this_moment_counts():
    assert not mail.may_acknowledge([AT, AT - timedelta(minutes=1), AT - timedelta(hours=1)], AT)


def test_the_domain_is_after_the_last_at_sign():
    assert mail.domain_of('"ann@home"@School.Example ') == "school.example"


def test_an_address_with_no_domain_is_not_the_schools():
    assert not mail.is_school_address("ann@", ["school.example"])
    assert not mail.is_school_address("", ["school.example"])


def test_a_school_domain_may_be_written_with_its_at_sign():
    assert mail.is_school_address("ann@school.example", [" @School.example "])
    assert mail.is_school_address("ann@staff.school.example", ["@school.example"])
    assert not mail.is_school_address("ann@notschool.example", ["@school.example"])


def test_a_signature_marker_in_a_windows_mail_is_found():
    assert mail.own_words("Hello\r\n-- \r\nAnn Other\r\nOffice") == "Hello"


def test_a_sent_line_before_a_from_line_does_not_make_it_a_quote():
    text = "Sent: from my phone\nFrom: the IT room\nthe projector"
    assert mail.own_words(text) == text


def test_a_from_line_with_sent_four_lines_later_keeps_the_words_before_and_after():
    text = "Hello\nFrom: the IT room\nline two\nline three\nline four\nSent: by me"
    assert mail.own_words(text) == text

"""A mail's subject and threading headers read as a person and the kit expect, however
the mail program wrote them: folded over lines, encoded (RFC 2047) or in raw UTF-8. Plain
ASCII headers are read as they arrived and the others through the modern policy's parse
(kit.mailin.parse); these hold both ways to the same answers."""

from __future__ import annotations

from kit.mailin.parse import parse


def _mail(headers: str) -> bytes:
    return f"From: Ann <ann@school.example>\r\n{headers}\r\n\r\nHello\r\n".encode()


def test_an_encoded_subject_is_decoded():
    mail = parse(_mail("Subject: =?utf-8?q?Caf=C3=A9_printer?= jams\r\nMessage-ID: <e@x>"))
    assert mail.subject == "Café printer jams"


def test_a_subject_in_raw_utf8_is_read():
    mail = parse(_mail("Subject: Café printer jams\r\nMessage-ID: <u@x>"))
    assert mail.subject == "Café printer jams"


def test_a_subject_folded_over_lines_reads_as_one_line():
    mail = parse(_mail("Subject: The printer\r\n  in the\tstaff room\r\nMessage-ID: <f@x>"))
    assert mail.subject == "The printer in the staff room"


def test_the_first_of_two_subjects_is_the_subject():
    mail = parse(_mail("Subject: First\r\nSubject: Second\r\nMessage-ID: <t@x>"))
    assert mail.subject == "First"


def test_a_folded_references_header_names_every_message_in_order():
    mail = parse(
        _mail(
            "Subject: Re: x\r\nMessage-ID: <r@x>\r\nIn-Reply-To: <c@x>\r\n"
            "References: <a@x>\r\n <b@x> (a comment)\r\n\t<c@x>"
        )
    )
    assert mail.references == ["<a@x>", "<b@x>", "<c@x>"] and mail.in_reply_to == ["<c@x>"]
    assert mail.headers["references"] == "<a@x> <b@x> (a comment)\t<c@x>"


def test_a_message_id_after_a_comment_or_on_its_own_line_is_found():
    assert parse(_mail("Subject: x\r\nMessage-ID: (from Outlook) <o@x>")).message_id == "<o@x>"
    assert parse(_mail("Subject: x\r\nMessage-ID:\r\n <folded@x>")).message_id == "<folded@x>"


def test_a_message_id_with_raw_utf8_is_read_through_the_parse():
    assert parse(_mail("Subject: x\r\nMessage-ID: <café@x>")).message_id.startswith("<caf")

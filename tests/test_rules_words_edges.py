"""How search reads words, at its edges (kit/rules/words.py): where each word is in the text
(the highlight uses it), error codes by their length, compounds followed by more words,
and the synonym list as a school writes it. Pure; the cases `make mutation` showed untested.
"""

from __future__ import annotations

import pytest

from kit.rules import words
from kit.rules.words import Synonyms, fold, positions


@pytest.fixture(autouse=True)
def _words_read_afresh():
    """Each test analyses its words itself rather than reading what an earlier run cached,
    so a wrong rule cannot hide behind a cached answer (as it could under `make mutation`,
    whose runs start from a process that has filled the caches)."""
    words._analysed.cache_clear()
    words._folded.cache_clear()


def found(text, synonyms=None):
    args = (text,) if synonyms is None else (text, synonyms)
    return [(p.main, p.start, p.end, p.alts, p.code) for p in positions(*args)]


def test_each_word_keeps_where_it_is_in_the_text_after_a_compound():
    assert found("Wi fi not working in room 12") == [
        ("wifi", 0, 5, ["wi", "fi"], False),
        ("room", 21, 25, [], False),
        ("12", 26, 28, [], False),
    ]


def test_two_compounds_in_a_row_are_both_joined():
    assert found("set up the log in") == [
        ("setup", 0, 6, ["set", "up"], False),
        ("login", 11, 17, ["log"], False),  # "in" is a stop word: not found on its own
    ]


def test_a_one_letter_half_of_a_compound_is_not_a_term_of_its_own():
    assert found("e mail") == [("email", 0, 6, ["mail"], False)]
    assert found("e-mail") == [("email", 0, 6, ["mail"], False)]


def test_error_codes_are_kept_whole_by_their_length_and_digits():
    assert found("e12 x1 12345 123456 0x80070005") == [
        ("e12", 0, 3, [], True),  # three characters with a digit: a code
        ("x1", 4, 6, [], False),  # two: an ordinary word
        ("12345", 7, 12, [], False),  # digits only, five: a number
        ("123456", 13, 19, [], True),  # digits only, six or more: a code
        ("0x80070005", 20, 30, ["80070005"], True),  # hex also found by its digits
    ]


def test_a_code_in_parts_is_found_by_each_part_and_its_hex_digits():
    assert found("error 0x8007-ab12") == [
        ("error", 0, 5, [], False),
        ("0x8007-ab12", 6, 17, ["8007", "0x8007", "ab12"], True),
    ]


def test_an_identifier_with_underscores_is_a_code_even_without_digits():
    assert found("ERR_CONNECTION_RESET") == [
        ("err_connection_reset", 0, 20, ["err", "connect", "reset"], True)
    ]


def test_a_dotted_version_number_is_a_code():
    assert found("v2.0") == [("v2.0", 0, 4, ["v2", "0"], True)]


def test_a_curly_apostrophe_goes_like_a_straight_one():
    assert found("Sam’s laptop") == [("sam", 0, 5, [], False), ("laptop", 6, 12, [], False)]


def test_no_text_has_no_words():
    assert positions(None) == []
    assert positions("") == []


def test_control_characters_fold_to_a_space():
    assert fold("Café\x01X") == "cafe x"


def test_the_synonym_list_reads_groups_a_line_with_comments_and_repeats_left_out():
    synonyms = Synonyms.parse(
        "beamer / projector, data projector  # a comment, not a member\n"
        "alone\n"
        "laptop, laptop, notebook\n"
        "# a whole line of comment\n"
    )
    assert synonyms.groups == (
        (("beam",), ("projector",), ("data", "projector")),
        (("laptop",), ("notebook",)),
    )


def test_every_word_of_a_matched_phrase_carries_the_groups_marker():
    synonyms = Synonyms.parse("beamer / data projector")
    assert found("the beamer and the data projector", synonyms) == [
        ("beam", 4, 10, ["=beam"], False),
        ("data", 19, 23, ["=beam"], False),
        ("projector", 24, 33, ["=beam"], False),
    ]


def test_the_word_right_after_a_compound_is_found():
    assert [p.main for p in positions("wi fi router broken")] == ["wifi", "rout", "broken"]


def test_a_part_of_a_code_with_digits_is_kept_as_written_not_stemmed():
    assert found("error-win10s") == [("error-win10s", 0, 12, ["error", "win10s"], True)]


def test_a_comment_in_the_synonym_list_may_itself_hold_a_hash():
    synonyms = Synonyms.parse("beamer / projector  # see #12")
    assert synonyms.groups == ((("beam",), ("projector",)),)


def test_plain_text_folds_to_lower_case():
    assert fold("Printer JAM in Room 12") == "printer jam in room 12"


def test_a_hyphenated_word_is_also_found_by_its_two_letter_parts():
    assert found("Wi-Fi") == [("wifi", 0, 5, ["wi", "fi"], False)]

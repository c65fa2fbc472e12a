"""The shared analyser: what terms a text gives, for articles, calls and queries alike."""

from __future__ import annotations

import pytest

from kit.rules import words

SYNONYMS = words.Synonyms.parse(
    "# a comment\n"
    "projector / beamer / display\n"
    "interactive whiteboard / IWB / board\n"
    "password / log-in\n"
    "lonely\n"
)


def mains(text: str) -> list[str]:
    return [p.main for p in words.positions(text, SYNONYMS)]


def matches(indexed: str, typed: str) -> bool:
    """Whether every position of the query shares a term with some position of the text."""
    have = set(words.terms(indexed, SYNONYMS))
    return all(set(p.terms) & have for p in words.positions(typed, SYNONYMS))


@pytest.mark.parametrize(
    ("indexed", "typed"),
    [
        ("Wi-Fi drops", "wifi"),
        ("Wi-Fi drops", "wi fi"),
        ("wifi drops", "Wi-Fi"),
        ("wi fi drops", "WIFI"),
        ("E-mail not syncing", "email"),
        ("email not syncing", "e-mail"),
        ("Cannot log-in", "login"),
        ("the login page", "log in"),
        ("set-up the room", "setup"),
        ("Café", "cafe"),
        ("ÉCOLE", "école"),
        ("Printer offline", "printing"),
        ("Outlook 0x80070005", "80070005"),
        ("Outlook 0x80070005", "0x80070005"),
        ("ERR_CONNECTION_RESET in Chrome", "err_connection_reset"),
        ("ERR_CONNECTION_RESET in Chrome", "connection reset"),
        ("HP 49.4C02 on the copier", "49.4C02"),
        ("HP 49.4C02 on the copier", "4C02"),
        ("The beamer is dark", "projector"),
        ("Projector is dark", "beamer"),
        ("the interactive whiteboard froze", "IWB"),
        ("IWB froze", "interactive whiteboard"),
        ("Forgot my password", "can't log in"),
        ("teacher's laptop", "teachers laptop"),
    ],
)
def test_the_same_thing_written_two_ways_meets(indexed, typed):
    assert matches(indexed, typed)


@pytest.mark.parametrize(
    ("indexed", "typed"),
    [
        ("Projector is dark", "printer"),
        ("Outlook 0x80070005", "0x80070006"),
        ("wifi drops", "wide"),
    ],
)
def test_different_things_do_not_meet(indexed, typed):
    assert not matches(indexed, typed)


def test_a_hyphenated_word_is_one_position_holding_the_word_and_its_parts():
    [position] = words.positions("Wi-Fi")
    assert (position.main, position.alts, position.code) == ("wifi", ["wi", "fi"], False)


def test_an_error_code_is_kept_whole_and_never_stemmed():
    [position] = words.positions("0x80070005")
    assert (position.main, position.alts, position.code) == ("0x80070005", ["80070005"], True)


def test_stop_words_and_contractions_say_nothing():
    assert mains("it's not working, it won't print, please help, I can't") == ["print"]


def test_syntax_characters_are_not_words():
    assert mains('title: (projector OR "board") AND * ? -') == ["titl", "projector", "board"]


def test_control_characters_and_emoji_are_ignored():
    assert mains("pro\x01jector 😀") == ["pro", "jector"]


def test_right_to_left_text_is_kept():
    assert mains("الطابعة") == ["الطابعة"]


def test_a_group_of_one_is_no_group():
    assert all("lonely" not in "".join(group[0]) for group in SYNONYMS.groups)


def test_a_pasted_text_is_cut_and_cleaned():
    assert words.pasted_text("a\x00b" + "x" * 5000) == "a b" + "x" * (words.PASTE_LIMIT - 3)

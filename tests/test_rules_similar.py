"""Earlier calls with similar symptoms: the pure similarity rule."""

from __future__ import annotations

from kit.rules import similar


def _call(id_, summary="", **fields):
    return {
        "id": id_,
        "summary": summary,
        "logged_at": f"2026-11-{10 + id_:02d} 09:00:00",
        **fields,
    }


def test_words_drop_stop_words_case_and_plural_s():
    assert similar.words("The Printers are NOT printing pages") == {"printer", "printing", "page"}


def test_words_keep_short_numbers_such_as_room_numbers():
    assert "12" in similar.words("Projector in room 12")


def test_shared_words_measure_the_shorter_summary():
    share, common = similar.shared_words("Printer jam", "Printer in the library has a paper jam")
    assert common == {"printer", "jam"}
    assert share == 1.0


def test_summaries_with_no_word_in_common_share_nothing():
    assert similar.shared_words("Projector dim", "Password expired") == (0.0, frozenset())


def test_same_equipment_counts_most():
    now = _call(1, "No picture", equipment_id=7)
    match = similar.score(now, _call(2, "Fan noisy", equipment_id=7))
    assert match is not None and match.reasons == ("same equipment",)
    assert match.score == similar.SAME_EQUIPMENT


def test_same_room_is_reason_enough():
    match = similar.score(_call(1, "x", location_id=3), _call(2, "y", location_id=3))
    assert match is not None and "same room" in match.reasons


def test_a_shared_category_alone_is_not_shown():
    assert (
        similar.score(_call(1, "Projector", category_id=4), _call(2, "Keyboard", category_id=4))
        is None
    )


def test_category_strengthens_a_similar_summary():
    now = _call(1, "Printer jam", category_id=4)
    with_category = similar.score(now, _call(2, "Printer jam again", category_id=4))
    without = similar.score(now, _call(3, "Printer jam again", category_id=5))
    assert with_category.score > without.score


def test_missing_ids_never_match_each_other():
    assert similar.score(_call(1, "a"), _call(2, "b")) is None


def test_rank_puts_best_first_and_leaves_out_the_call_itself():
    now = _call(1, "Projector no picture", equipment_id=7, location_id=3)
    candidates = [
        now,
        _call(2, "Projector no picture", location_id=3),
        _call(3, "Projector bulb", equipment_id=7, location_id=3),
        _call(4, "Password expired"),
    ]
    ranked = similar.rank(now, candidates)
    assert [m.call["id"] for m in ranked] == [3, 2]


def test_rank_prefers_the_most_recent_among_equals_and_limits():
    now = _call(1, "Printer jam")
    candidates = [_call(i, "Printer jam") for i in range(2, 10)]
    ranked = similar.rank(now, candidates, limit=5)
    assert [m.call["id"] for m in ranked] == [9, 8, 7, 6, 5]


def test_words_of_no_summary_are_none():
    assert similar.words(None) == frozenset()
    assert similar.words("") == frozenset()


def test_plural_s_is_dropped_from_four_letter_words_but_not_three_letter_ones():
    assert similar.words("pens") == {"pen"}
    assert similar.words("bus") == {"bus"}


def test_words_ending_in_double_s_keep_it():
    assert similar.words("glass") == {"glass"}


def test_an_earlier_call_on_the_same_equipment_in_the_same_category_is_shown_first():
    now = _call(1, "No picture", equipment_id=7, category_id=4)
    match = similar.score(now, _call(2, "Fan noisy", equipment_id=7, category_id=4))
    assert match.score == similar.SAME_EQUIPMENT + similar.SAME_CATEGORY == 4.0
    assert match.reasons == ("same equipment", "same category")


def test_same_equipment_room_and_category_add_up():
    now = _call(1, "No picture", equipment_id=7, location_id=3, category_id=4)
    match = similar.score(now, _call(2, "Fan noisy", equipment_id=7, location_id=3, category_id=4))
    assert match.score == 6.0
    assert match.reasons == ("same equipment", "same room", "same category")


def test_summaries_sharing_some_words_score_by_the_share():
    # "printer tray jammed": two of the shorter summary's three words are in the other.
    match = similar.score(
        _call(1, "Printer tray jammed"), _call(2, "Library printer jammed again today")
    )
    assert match.score == 2.667  # 4 x 2/3, to three places
    assert match.reasons == ("similar summary: jammed, printer",)


def test_a_score_of_exactly_the_threshold_is_shown():
    # A shared category (1.0) and one of eight words in common (4 x 1/8 = 0.5): 1.5.
    now = _call(1, "alpha bravo charlie delta echo foxtrot golf hotel", category_id=4)
    other = _call(2, "alpha india juliet kilo lima mike november oscar", category_id=4)
    match = similar.score(now, other)
    assert match is not None and match.score == similar.MIN_SCORE == 1.5


def test_a_score_just_under_the_threshold_is_not_shown():
    # One of nine words: 1.0 + 4 x 1/9 = 1.44.
    now = _call(1, "alpha bravo charlie delta echo foxtrot golf hotel india", category_id=4)
    other = _call(2, "alpha juliet kilo lima mike november oscar papa quebec", category_id=4)
    assert similar.score(now, other) is None


def test_among_equal_matches_one_with_no_logged_time_comes_last():
    now = _call(1, "Printer jam")
    undated = {**_call(2, "Printer jam"), "logged_at": None}
    ranked = similar.rank(now, [undated, _call(3, "Printer jam")])
    assert [m.call["id"] for m in ranked] == [3, 2]

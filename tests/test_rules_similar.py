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

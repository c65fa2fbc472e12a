"""Who a hand-typed caller could be, by name, job title and extension."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kit.rules.callers import read_caller, score_person, suggest_callers

STAFF = [
    {"id": 1, "name": "Ayesha Khan", "phone": "ext. 214", "role": "Teacher", "department": "Maths"},
    {"id": 2, "name": "Imran Khan", "phone": "ext. 305", "role": "Teacher", "department": "Science"},
    {"id": 3, "name": "Femi Adeyemi", "phone": "01632 960 216", "role": "Head of Humanities",
     "department": "Humanities"},
    {"id": 4, "name": "Grace Bursar", "phone": "", "role": "School Business Manager",
     "department": "Office"},
]  # fmt: skip


def names(suggestions):
    return [s.person["name"] for s in suggestions]


def test_a_courtesy_title_surname_and_extension_find_the_person_first():
    found = suggest_callers("Mrs Khan, ext 214", STAFF)
    assert names(found) == ["Ayesha Khan", "Imran Khan"]
    assert found[0].reasons == ("extension 214", "surname Khan")


def test_an_extension_alone_finds_the_person():
    assert names(suggest_callers("x214", STAFF)) == []  # "x214" is one word, not digits
    assert names(suggest_callers("on 214", STAFF)) == ["Ayesha Khan"]


def test_the_end_of_a_full_phone_number_matches():
    assert names(suggest_callers("Femi, 960 216", STAFF))[0] == "Femi Adeyemi"


def test_a_job_title_finds_people_who_hold_it():
    assert names(suggest_callers("the bursar", STAFF)) == ["Grace Bursar"]
    assert names(suggest_callers("head of humanities", STAFF)) == ["Femi Adeyemi"]


def test_the_start_of_a_first_name_is_enough():
    assert names(suggest_callers("Ayes", STAFF)) == ["Ayesha Khan"]


def test_two_digits_and_short_words_match_nobody():
    assert suggest_callers("14", STAFF) == []
    assert suggest_callers("Mr K", STAFF) == []


def test_titles_and_filler_words_alone_suggest_nobody():
    assert suggest_callers("Mrs, the teacher from ext", STAFF) == []
    assert suggest_callers("", STAFF) == []


def test_nobody_sharing_anything_is_suggested():
    assert suggest_callers("Mr Jones, 999", STAFF) == []


def test_ties_are_in_name_order_and_the_list_is_limited():
    assert names(suggest_callers("Khan", STAFF)) == ["Ayesha Khan", "Imran Khan"]
    assert names(suggest_callers("Khan", STAFF, limit=1)) == ["Ayesha Khan"]


def test_the_typed_text_is_read_within_bounds():
    typed = read_caller("Mrs " + "Khan " * 1000 + "214")
    assert len(typed.words) <= 12 and typed.digits == ()


def test_a_name_with_an_apostrophe_or_hyphen_matches_as_one_word():
    person = {"name": "Siobhan O'Brien-Smith", "phone": "", "role": "", "department": ""}
    assert score_person(read_caller("Ms O'Brien-Smith"), person).score == 5


@given(st.text(max_size=200))
def test_any_text_gives_a_bounded_ranked_list(text):
    found = suggest_callers(text, STAFF, limit=3)
    assert len(found) <= 3
    assert all(s.score > 0 for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)

"""The cached select renders exactly what WTForms' own select renders, whatever is chosen."""

from __future__ import annotations

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import Form

from kit import widgets
from kit.calls.forms import _int_or_none
from kit.widgets import CachedSelect, SelectField

PEOPLE = [(0, "Anyone"), (3, "Ayesha <Khan>"), (7, "Tom & Tina"), (12, 'Quote "Q"')]


def _pair(choices, coerce=str, **field_kw):
    class Plain(Form):
        pick = wtforms.SelectField("Pick", coerce=coerce, choices=choices, **field_kw)

    class Cached(Form):
        pick = SelectField("Pick", coerce=coerce, choices=choices, **field_kw)

    return Plain, Cached


@pytest.mark.parametrize("sent", [None, "", "0", "3", "7", "12", "99", "x"])
def test_a_cached_select_renders_as_wtforms_does_for_every_choice(sent):
    plain, cached = _pair(PEOPLE, coerce=_int_or_none)
    data = MultiDict() if sent is None else MultiDict({"pick": sent})
    try:
        expected = plain(data).pick(class_="wide")
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(ValueError):
            cached(data).pick(class_="wide")
        return
    widgets._cache.clear()
    assert cached(data).pick(class_="wide") == expected
    assert len(widgets._cache) == 1, "the cached path rendered it"
    assert cached(data).pick(class_="wide") == expected, "and renders it again the same"


def test_the_second_render_of_the_same_choices_marks_a_different_choice():
    _plain, cached = _pair([("a", "A"), ("b", "B")])
    first = cached(MultiDict({"pick": "a"})).pick()
    second = cached(MultiDict({"pick": "b"})).pick()
    assert '<option selected value="a">' in first and '<option value="b">' in first
    assert '<option value="a">' in second and '<option selected value="b">' in second


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_choices_with_their_own_attributes_and_groups_render_as_wtforms_does():
    choices = [("a", "A", {"disabled": True}), ("b", "B", {})]
    plain, cached = _pair(choices)
    assert cached(MultiDict({"pick": "b"})).pick() == plain(MultiDict({"pick": "b"})).pick()
    groups = {"Tier 1": [("a", "A")], "Tier 2": [("b", "B")]}
    plain, cached = _pair(groups)
    assert cached(MultiDict({"pick": "b"})).pick() == plain(MultiDict({"pick": "b"})).pick()


def test_a_label_is_escaped_in_the_cached_options():
    _plain, cached = _pair([("1", "<script>alert(1)</script>")])
    html = cached(MultiDict()).pick()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_widget_is_the_cached_one():
    assert isinstance(SelectField.widget, CachedSelect)


@pytest.mark.parametrize("sent, valid", [("3", True), ("0", True), ("99", False), ("x", False)])
def test_a_cached_select_accepts_and_refuses_what_wtforms_does(sent, valid):
    plain, cached = _pair(PEOPLE, coerce=_int_or_none)
    data = MultiDict({"pick": sent})
    expected, form = plain(data), cached(data)
    assert expected.validate() is valid
    assert form.validate() is valid
    assert form.errors == expected.errors


def test_a_required_select_says_so_as_wtforms_does():
    from wtforms.validators import InputRequired

    plain, cached = _pair([("a", "A")], validators=[InputRequired()])
    assert cached(MultiDict()).pick() == plain(MultiDict()).pick()
    assert "required" in cached(MultiDict()).pick()

"""Article Markdown becomes HTML that cannot carry script."""

from __future__ import annotations

from kit.kb.markdown import to_html


def test_steps_become_an_ordered_list_with_emphasis():
    html = to_html("1. Press **Source**\n2. Choose *HDMI 1*")
    assert "<ol>" in html and "<strong>Source</strong>" in html and "<em>HDMI 1</em>" in html


def test_script_tags_are_removed_with_their_content():
    html = to_html("Step one <script>alert('x')</script> done")
    assert "<script" not in html and "alert" not in html


def test_event_handler_attributes_are_removed():
    html = to_html('<img src="x" onerror="alert(1)"> <b onclick="steal()">bold</b>')
    assert "onerror" not in html and "onclick" not in html and "<img" not in html


def test_javascript_links_lose_their_address():
    html = to_html('[click](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">x</a>')
    assert "javascript" not in html.lower()


def test_web_links_are_kept_and_do_not_leak_the_referrer():
    html = to_html("[vendor guide](https://support.example/printer)")
    assert 'href="https://support.example/printer"' in html
    assert "noopener" in html and "noreferrer" in html


def test_style_and_iframe_are_removed():
    html = to_html(
        "<style>body{display:none}</style><iframe src='https://evil.example'></iframe>ok"
    )
    assert "<style" not in html and "<iframe" not in html and "ok" in html


def test_a_top_level_heading_sits_below_the_page_title():
    assert "<h2>Before you start</h2>" in to_html("# Before you start")

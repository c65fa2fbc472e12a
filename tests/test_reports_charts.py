"""Charts: SVG that runs nothing and fetches nothing, allowed by the page's CSP by hash."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kit.reports import charts


def test_chart_svg_has_no_script_and_no_external_reference():
    svg = charts.line("Calls", ["Mon", "Tue"], {"Logged": [1, 2]}).svg
    assert "<script" not in svg
    assert "xml-stylesheet" not in svg
    assert not re.search(r'(href|src)="(https?:)?//', svg)
    assert "kozea.github.io" not in svg


def test_labels_are_escaped_by_the_svg_builder():
    chart = charts.bar(
        "<b>Title</b>",
        ["<script>alert(1)</script>", 'x" onload="y'],
        {"<img src=x>": [1, 2]},
        horizontal=True,
    )
    assert "<script>alert" not in chart.svg
    assert "<img" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    root = ET.fromstring(chart.svg)
    assert not [el for el in root.iter() if any(k.startswith("on") for k in el.attrib)]


def test_chart_has_no_inline_style_attributes_and_is_labelled():
    chart = charts.bar("Open calls by age", ["a"], {"n": [3]})
    assert ' style="' not in chart.svg
    assert 'role="img"' in chart.svg and 'aria-label="Open calls by age"' in chart.svg


def test_chart_markup_stays_plain_svg_after_a_pdf_was_made():
    # ElementTree's namespace registry is global: once WeasyPrint had run, charts came out
    # as <ns0:svg>, which browsers and PDFs showed as text.
    from kit.printing.render import render_pdf

    render_pdf("<html><body>" + charts.bar("A", ["x"], {"n": [1]}).svg + "</body></html>")
    svg = charts.bar("B", ["x"], {"n": [1]}).svg
    assert svg.startswith("<svg ") and "ns0" not in svg


def test_counts_get_a_whole_number_axis():
    svg = charts.bar("Calls", ["a", "b"], {"n": [3, 1]}).svg
    assert ">2.4<" not in svg and ">3<" in svg


def test_report_page_allows_only_its_charts_inline_styles(login, client, make_call):
    make_call()
    login("leader")
    response = client.get("/reports/workload")
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert re.search(r"style-src 'self' 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert "script-src 'self';" in csp
    assert "<svg " in response.get_data(as_text=True)

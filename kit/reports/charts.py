"""Charts drawn on the server as SVG with pygal, the same markup on the page and in the PDF.

Promises: the SVG fetches nothing and runs nothing. pygal's tooltip JavaScript is switched
off (`js=[]`) and its own inline configuration script and tooltip placeholder are removed;
its CSS is inlined from pygal's package files (never a link). Labels and titles reach the
SVG only through pygal's XML builder, which escapes them. The page's Content-Security-Policy
allows the chart's inline <style> by hash (`style_hashes`), so no 'unsafe-inline' is needed.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from kit.reports.model import Chart

SVG_NS = "http://www.w3.org/2000/svg"

# Dark, distinct colours on white; every chart also has a table, so colour is never the
# only way to read a figure.
COLOURS = ("#1d4f91", "#b10e1e", "#00703c", "#8a4b00", "#4c2c92", "#1b1b1b", "#006d77")
MAX_LABEL = 28
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _style():
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1b1b1b",
        foreground_strong="#000000",
        foreground_subtle="#6f6f6f",
        colors=COLOURS,
        font_family="DejaVu Sans, Arial, sans-serif",
        opacity="1",
        opacity_hover="1",
        transition="0ms",
        stroke_width="2.5",
        stroke_width_hover="2.5",
        title_font_size=15,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        value_font_size=11,
        tooltip_font_size=11,
        no_data_font_size=20,
    )


def _config(title: str, series: dict[str, Sequence[float]], **extra) -> dict:
    return {
        "title": title,
        "style": _style(),
        "js": [],
        "disable_xml_declaration": True,
        "width": 760,
        "height": 340,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": max(1, min(len(series), 4)),
        "truncate_label": MAX_LABEL,
        "truncate_legend": MAX_LABEL,
        "show_minor_x_labels": True,
        "pretty_print": False,
        "no_data_text": "Nothing to draw in this period",
        "print_values": False,
        "margin": 12,
        **_axis(series),
        **extra,
    }


def _axis(series: dict[str, Sequence[float]]) -> dict:
    """A value axis from 0 with at most about six round steps; whole numbers for counts."""
    values = [float(v) for vs in series.values() for v in vs if v is not None]
    top = max(values, default=0.0)
    whole = all(v == int(v) for v in values)
    raw = max(top, 1.0) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, math.ceil(step))
    ticks = [round(i * step, 6) for i in range(int(math.ceil(max(top, 1.0) / step)) + 1)]
    return {
        "range": (0, ticks[-1]),
        "y_labels": ticks,
        "value_formatter": (lambda v: f"{v:.0f}") if whole else (lambda v: f"{v:g}"),
    }


def bar(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    horizontal: bool = False,
) -> Chart:
    """A bar chart: one bar per label for each named series (horizontal for long names)."""
    import pygal

    if horizontal:  # pygal draws the first label at the bottom: keep the table's order
        labels = list(reversed(labels))
        series = {name: list(reversed(values)) for name, values in series.items()}
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    rotation = 0 if horizontal or len(labels) <= 8 else 40
    height = max(260, 110 + 26 * len(labels) * max(1, len(series))) if horizontal else 340
    chart = kind(**_config(title, series, x_label_rotation=rotation, height=min(height, 900)))
    chart.x_labels = [printable(label) for label in labels]
    for name, values in series.items():
        chart.add(printable(name), [None if v is None else float(v) for v in values])
    return finish(title, chart.render(is_unicode=True))


def line(title: str, labels: Sequence[str], series: dict[str, Sequence[float]]) -> Chart:
    """Lines over time (calls logged, resolved and open per day or week)."""
    import pygal

    rotation = 0 if len(labels) <= 8 else 40
    every = max(1, math.ceil(len(labels) / 14))
    chart = pygal.Line(
        **_config(
            title,
            series,
            x_label_rotation=rotation,
            show_dots=len(labels) <= 40,
            x_labels_major_every=every,
            show_minor_x_labels=every == 1,
            stroke_style={"width": 2.5},
        )
    )
    chart.x_labels = [str(label) for label in labels]
    for name, values in series.items():
        chart.add(name, [float(v) for v in values])
    return finish(title, chart.render(is_unicode=True))


def printable(text: object) -> str:
    """A label as SVG can hold it: control characters (typed into a room or a name) dropped,
    which XML refuses."""
    return _CONTROL.sub("", str(text))


def finish(title: str, svg: str) -> Chart:
    """Strip what must not run or be fetched, label the image, and hash its styles."""
    root = ET.fromstring(svg)
    _remove(root, lambda el: el.tag == f"{{{SVG_NS}}}script")
    _remove(root, lambda el: "tooltip" in (el.get("class") or "").split())
    for element in root.iter():
        if element.get("style"):  # CSP would refuse inline style attributes anyway
            del element.attrib["style"]
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("focusable", "false")
    styles = [el.text or "" for el in root.iter(f"{{{SVG_NS}}}style")]  # before _serialise
    hashes = tuple(_csp_hash(text) for text in styles)
    return Chart(title=title, svg=_serialise(root), style_hashes=hashes)


def _serialise(root: ET.Element) -> str:
    """Plain <svg xmlns=...> markup without ElementTree's namespace registry: that registry is
    global, and other libraries (WeasyPrint) change it, which once turned <svg> into
    <ns0:svg> on later requests, shown as text by browsers and PDFs alike."""
    for element in root.iter():
        element.tag = element.tag.split("}", 1)[-1]
        for key in [k for k in element.attrib if k.startswith("{")]:
            element.set(key.split("}", 1)[-1], element.attrib.pop(key))  # xlink:href -> href
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def _remove(root: ET.Element, match) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            if match(child):
                parent.remove(child)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def csp_allowing(base_csp: str, hashes: Sequence[str]) -> str:
    """The kit's CSP with the charts' inline styles allowed by hash (nothing else added)."""
    if not hashes:
        return base_csp
    extra = " ".join(sorted(set(hashes)))
    return base_csp.replace("style-src 'self'", f"style-src 'self' {extra}", 1)

"""Article text written in Markdown, shown as HTML that cannot carry script.

Authors may type raw HTML inside Markdown (the `markdown` library passes it through), so
the rendered HTML is always cleaned with nh3 against a small allow-list: no script, style,
iframe or image, no event handler attributes, and links only to http, https and mailto.
Images are left out on purpose: an article must not make a reader's browser fetch
something from elsewhere.
"""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "kbd",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def to_html(text: str) -> Markup:
    """Markdown to safe HTML, ready to place in a template."""
    html = md.markdown(
        text or "",
        extensions=["extra", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": 2}},  # "# Steps" under the page's own h1
        output_format="html",
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - cleaned by nh3 just above

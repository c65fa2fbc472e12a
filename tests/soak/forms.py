"""Read a page's forms as a browser would, so the soak's people fill in the real forms.

`forms(html)` finds every `<form>` with its action and the values a browser would send if
the person pressed the button without changing anything: hidden inputs (the CSRF token, the
one-time submission key), typed text, the selected option of each select (else its first),
the checked radio and checkbox, and each textarea's text. A person then changes a few fields
(`Form.fill`) and sends it (`Form.fields`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    attrs: dict[str, str]
    values: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict
    )  # select: (value, label)
    radios: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: dict[str, str] = field(default_factory=dict)  # name -> value when ticked

    def fill(self, **values: str | bool) -> Form:
        """Set fields; True ticks a checkbox, False unticks it."""
        for name, value in values.items():
            if value is True:
                self.values[name] = self.checkboxes.get(name, "y")
            elif value is False:
                self.values.pop(name, None)
            else:
                self.values[name] = value
        return self

    def choose(self, select: str, label: str) -> Form:
        """Pick the option shown as `label` (or starting with it) in `select`."""
        for value, text in self.options.get(select, []):
            if text == label or text.startswith(label):
                self.values[select] = value
                return self
        raise AssertionError(f"no option {label!r} in {select!r}: {self.options.get(select)}")

    def real_options(self, select: str) -> list[str]:
        """The option values of `select` that choose something (not "— Choose —", not 0)."""
        return [v for v, t in self.options.get(select, []) if v not in ("", "0")]

    def fields(self) -> dict[str, str]:
        return dict(self.values)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.option: tuple[str, bool] | None = None
        self.option_text = ""
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            self.form = Form(
                action=attrs.get("action", ""),
                method=attrs.get("method", "get").lower(),
                multipart="multipart" in attrs.get("enctype", ""),
                attrs=attrs,
            )
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select":
            self.select, self.select_first = attrs.get("name"), None
            self.form.options.setdefault(self.select or "", [])
        elif tag == "option" and self.select:
            self.option, self.option_text = (attrs.get("value", ""), "selected" in attrs), ""
        elif tag == "textarea":
            self.textarea, self.text = attrs.get("name"), ""

    def _input(self, attrs: dict[str, str]) -> None:
        name, kind = attrs.get("name"), attrs.get("type", "text").lower()
        if not name or kind in ("submit", "button", "file", "image", "reset"):
            return
        value = attrs.get("value", "")
        if kind == "radio":
            self.form.radios.setdefault(name, []).append(value)
            if "checked" in attrs:
                self.form.values[name] = value
        elif kind == "checkbox":
            self.form.checkboxes[name] = value or "y"
            if "checked" in attrs:
                self.form.values[name] = value or "y"
        else:
            self.form.values[name] = value

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option_text += data
        elif self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None and self.form and self.select:
            value, selected = self.option
            self.form.options[self.select].append((value, self.option_text.strip()))
            if self.select_first is None:
                self.select_first = value
                self.form.values.setdefault(self.select, value)
            if selected:
                self.form.values[self.select] = value
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea and self.form:
            self.form.values[self.textarea] = self.text.removeprefix("\r").removeprefix("\n")
            self.textarea = None


def forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form(html: str, action: str | None = None, form_id: str | None = None) -> Form:
    """The form posting to `action` (or with id `form_id`); AssertionError when absent."""
    for found in forms(html):
        if action is not None and found.action == action:
            return found
        if form_id is not None and found.attrs.get("id") == form_id:
            return found
    raise AssertionError(f"no form {action or form_id!r} on the page")


def has_form(html: str, action: str) -> bool:
    return any(f.action == action for f in forms(html))

"""Jinja's sandbox, tightened for templates that leaders edit in the app.

The letter and charter templates are typed in a browser, so they are rendered in
`ImmutableSandboxedEnvironment` with autoescaping on: a template can use the values the
kit gives it and nothing else. On top of the sandbox, `problem()` refuses a template
before it is saved when it reaches for Python internals (any name starting with an
underscore), tries to include, import or extend a file, or fails a trial render; and the
few operations that could build a huge text (`*`, `**`, `%`, large numbers passed to
string methods, `str.format`) are refused, so a template cannot stall the server or
make a thousand-page PDF.
"""

from __future__ import annotations

import operator
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_TEMPLATE_CHARS = 20_000
MAX_OUTPUT_CHARS = 100_000
MAX_NUMBER = 10_000
SAFE_FILTERS = frozenset(
    {
        "capitalize",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "first",
        "float",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "max",
        "min",
        "replace",
        "reverse",
        "round",
        "sort",
        "string",
        "striptags",
        "sum",
        "title",
        "trim",
        "truncate",
        "unique",
        "upper",
        "wordcount",
    }
)
BINOPS = {"*": operator.mul, "**": operator.pow, "%": operator.mod}


class TemplateProblem(ValueError):
    """A template that cannot be used; the message is written for the leader who typed it."""


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with no globals, a short list of filters and bounded sizes."""

    intercepted_binops = frozenset(BINOPS)

    def __init__(self) -> None:
        super().__init__(
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.globals.clear()  # no range, cycler, joiner, lipsum, namespace, dict
        self.filters = {k: v for k, v in self.filters.items() if k in SAFE_FILTERS}
        self.tests = {
            k: v
            for k, v in self.tests.items()
            if k
            in {
                "defined",
                "undefined",
                "none",
                "number",
                "string",
                "odd",
                "even",
                "eq",
                "ne",
                "lt",
                "le",
                "gt",
                "ge",
                "in",
            }
        }

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        if op == "%" and isinstance(left, str):
            raise SecurityError("text formatting with % is not available")
        for value in (left, right):
            if isinstance(value, int | float) and abs(value) > MAX_NUMBER:
                raise SecurityError(f"numbers above {MAX_NUMBER} are not allowed")
        return BINOPS[op](left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if getattr(__obj, "__name__", "") in {"format", "format_map"}:
            raise SecurityError("format() is not available in these templates")
        for value in (*args, *kwargs.values()):
            if isinstance(value, int | float) and abs(value) > MAX_NUMBER:
                raise SecurityError(f"numbers above {MAX_NUMBER} are not allowed")
        return super().call(__context, __obj, *args, **kwargs)


ENV = DocumentSandbox()


def _sentence(message: str | None) -> str:
    return (message or "unknown error").rstrip(".") + "."


def _static_problem(tree: nodes.Template) -> str | None:
    """What a template's parsed form reaches for that no letter needs."""
    if any(
        True for _ in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))
    ):
        return "A template cannot include, import or extend other files."
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", "")
        if isinstance(key, str) and key.startswith("_"):
            return f"“{key}” is not allowed: names starting with an underscore are internal."
    for node in tree.find_all(nodes.Name):
        if node.name.startswith("_"):
            return f"“{node.name}” is not allowed: names starting with an underscore are internal."
    return None


def check(text: str, sample: dict[str, Any]) -> None:
    """Raise TemplateProblem unless `text` parses, stays inside the sandbox and renders
    with `sample` (the same names a real render gets)."""
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateProblem(
            f"The template is too long: keep it under {MAX_TEMPLATE_CHARS:,} characters."
        )
    try:
        tree = ENV.parse(text)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"Line {exc.lineno}: {_sentence(exc.message)}") from exc
    reason = _static_problem(tree)
    if reason:
        raise TemplateProblem(reason)
    render(text, sample)


def render(text: str, context: dict[str, Any]) -> str:
    """The template's output (escaped values in Markdown), or TemplateProblem."""
    try:
        output = ENV.from_string(text).render(context)
    except SecurityError as exc:
        raise TemplateProblem(
            "This template tries something that is not allowed: " + _sentence(str(exc))
        ) from exc
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"Line {exc.lineno}: {_sentence(exc.message)}") from exc
    except TemplateError as exc:
        raise TemplateProblem(f"This template has a mistake: {_sentence(exc.message)}") from exc
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateProblem(f"This template has a mistake: {_sentence(str(exc))}") from exc
    if len(output) > MAX_OUTPUT_CHARS:
        raise TemplateProblem("The template makes too much text for a letter.")
    return output

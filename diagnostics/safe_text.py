"""Untrusted text made safe for each place it is shown: terminal, Markdown, Mermaid.

The character policy is :mod:`vpcdoctor.sanitise`'s, the one sanitiser every output uses:
each control character, line break, bidirectional override, invisible character, tag
character and lone surrogate becomes a visible escape (``\\x1b``, ``\\n``, ``\\u202e``,
``\\u2063``). This module adds what each document format needs on top of it: Markdown
escapes and fences, Mermaid entity codes. Rich markup (``[bold]``) is harmless as long as text
goes into ``rich.text.Text`` objects, never into ``console.print(str)``; that is the
renderers' rule.

JSON output keeps the original values (:func:`vpcdoctor.sanitise.json_text`).
"""

from __future__ import annotations

import re

from vpcdoctor.sanitise import clean

__all__ = ["clean", "fenced", "markdown_inline", "mermaid_label"]


_MARKDOWN_SPECIAL = "\\|`*_<>[]#~"


def markdown_inline(value: object, *, limit: int = 0) -> str:
    """Untrusted text inside a Markdown line or table cell: cleaned, one line, and every
    character that Markdown or HTML could interpret (``|`` ends a cell, ``<`` opens raw HTML,
    backticks, emphasis, links, headings, strike-through) escaped with a backslash."""
    text = clean(value, limit=limit)
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def fenced(code: object, lang: str = "") -> list[str]:
    """A fenced Markdown code block whose fence is longer than any backtick run inside it, so
    the content cannot close it early. Returns the lines (opening fence, code, closing fence)."""
    text = clean(code, multiline=True)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{lang}", text, fence]


_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#38;",
    "`": "#96;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    ";": "#59;",
    "%": "#37;",
}


def mermaid_label(value: object, *, limit: int = 0) -> str:
    """Text safe inside a quoted Mermaid label: one line, and every character of Mermaid's
    syntax (quotes, brackets, braces, pipes, angle brackets, ``%%`` comments, ``;``) written as
    an entity code, so a name cannot close the label or add nodes, links or directives."""
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in clean(value, limit=limit))

"""Untrusted text made safe for each place it is shown: terminal, Markdown, Mermaid.

Names, tags, descriptions and comments come from the account, and anyone with tag permissions
chooses them. Shown anywhere by vpcdoctor they must stay literal text: no escape sequence may
reach the terminal (colours, OSC 8 hyperlinks, screen clears), no bidirectional override may
reorder the line, no invisible character may make two names look alike, no line break may
forge an extra line, and no Markdown or Mermaid syntax may escape its cell or label. Rich markup
(``[bold]``) is harmless as long as text goes into ``rich.text.Text`` objects, never into
``console.print(str)``; that is the renderers' rule.

JSON output keeps the original values: it is data, and ``json.dumps`` escapes what needs it.
"""

from __future__ import annotations

import re

__all__ = ["clean", "fenced", "markdown_inline", "mermaid_label"]

_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]                 # CSI … final byte (colours, cursor, clear screen)
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?    # OSC … BEL or ST, or cut short (hyperlinks, titles)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?         # DCS, SOS, PM, APC strings
    | \x1b[@-Z\\-_]                         # two-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]                 # 8-bit CSI
    """,
    re.VERBOSE,
)
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 controls (tab and line feed are handled above)
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u200b\u2060\ufeff]"  # zero-width space, word joiner, BOM: invisible look-alikes
)


def clean(value: object, *, limit: int = 0, multiline: bool = False, replacement: str = "") -> str:
    """``value`` as literal, printable text.

    Escape sequences are removed whole, line breaks and tabs become spaces (line feeds are kept
    with ``multiline``), other control characters, bidirectional overrides and zero-width
    characters are removed (or become ``replacement``, e.g. ``"\\ufffd"`` to show that
    something was there). ``None`` is the empty string.

    Args:
        value: any value; it is converted with ``str``.
        limit: cut to this many characters, ending in ``…`` (0: no limit).
        multiline: keep line feeds (for multi-line fix commands of vpcdoctor's own).
        replacement: what a removed control character becomes.
    """
    if value is None:
        return ""
    text = _ANSI.sub("", str(value))
    text = _LINE_BREAKS.sub("\n" if multiline else " ", text).replace("\t", " ")
    if multiline:
        text = "\n".join(_CONTROL.sub(replacement, line) for line in text.split("\n"))
    else:
        text = _CONTROL.sub(replacement, text)
    if limit and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


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

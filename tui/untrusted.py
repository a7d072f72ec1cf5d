"""Show strings that came from AWS (names, tags, descriptions) literally and safely.

Anyone with tag permissions chooses these strings. They must never be interpreted as Rich or
Textual markup, never reach the terminal as escape sequences, never reorder the line with
bidirectional overrides, and never push the layout around by being enormous. Every widget in
``tui/`` that shows account data goes through :func:`clean` or :func:`literal`.
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

MAX_LENGTH = 160
"""Longest untrusted value shown in one piece; longer ones end in an ellipsis."""

_ANSI = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]          # CSI … final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC … BEL or ST (or cut short)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?  # DCS, SOS, PM, APC strings
    | \x1b[@-Z\\-_]                  # two-byte escapes
    | \x9b[0-?]*[ -/]*[@-~]          # 8-bit CSI
    """,
    re.VERBOSE,
)

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def clean(value: object, *, limit: int = MAX_LENGTH) -> str:
    """Return ``value`` as a single printable line.

    Escape sequences are removed, other control characters and bidirectional overrides become
    visible ``�`` / nothing, line breaks and tabs become spaces, and the result is cut to
    ``limit`` characters with a trailing ``…``.

    Args:
        value: any value; ``None`` becomes the empty string.
        limit: maximum length of the result (0 for no limit).
    """
    if value is None:
        return ""
    text = _ANSI.sub("", str(value))
    out: list[str] = []
    for char in text:
        if char in "\t\n\r\v\f":
            out.append(" ")
        elif char in _BIDI_CONTROLS:
            continue
        elif unicodedata.category(char) == "Cc":
            out.append("\ufffd")
        else:
            out.append(char)
    result = "".join(out)
    if limit and len(result) > limit:
        result = result[: max(limit - 1, 0)] + "…"
    return result


def clean_block(value: object, *, limit: int = 4000) -> str:
    """Like :func:`clean` but keeps line breaks (for multi-line fixes and templates)."""
    if value is None:
        return ""
    lines = [clean(line, limit=0) for line in str(value).splitlines()]
    result = "\n".join(lines)
    if limit and len(result) > limit:
        result = result[: limit - 1] + "…"
    return result


_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


def paragraphs(value: object, *, limit: int = 4000) -> str:
    """Prose re-flowed: lines of one paragraph joined, blank lines and list items kept.

    Knowledge text is hard-wrapped in its TOML files; the terminal wraps it again to its own
    width, so the original breaks would leave ragged lines.
    """
    out: list[str] = []
    for line in clean_block(value, limit=limit).splitlines():
        stripped = line.strip()
        if not stripped:
            out.append("")
        elif out and out[-1] and not _LIST_ITEM.match(line) and not line.startswith("  "):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(line.rstrip())
    return "\n".join(out).strip("\n")


def short_id(resource: str, *, keep: int = 4) -> str:
    """``acl-021479dba6aa5d802`` → ``acl-0214…d802`` (for narrow places; ids stay whole in
    evidence). Anything that is not a ``prefix-hex`` id is only cleaned and truncated."""
    text = clean(resource, limit=60)
    prefix, dash, rest = text.rpartition("-")
    if dash and prefix and len(rest) > 2 * keep + 1 and all(c in "0123456789abcdef" for c in rest):
        return f"{prefix}-{rest[:keep]}…{rest[-keep:]}"
    return clean(text, limit=28)


def literal(value: object, style: str = "", *, limit: int = MAX_LENGTH) -> Text:
    """A Rich :class:`Text` that shows ``value`` exactly (no markup is ever parsed)."""
    # The style goes on the span, not the Text: text appended later must not inherit it.
    text = Text()
    text.append(clean(value, limit=limit), style=style or None)
    return text

"""Untrusted text as the TUI shows and copies it: a thin adapter over the one sanitiser.

Every name, tag, id and description comes from a snapshot someone else wrote. The rules are
:mod:`vpcdoctor.diagnostics.safe_text`'s (escape sequences removed whole, line breaks and
controls never reach the terminal); this module only adds what a screen needs on top:

* :func:`visible` writes invisible characters (soft hyphen, zero-width joiners, word joiner,
  invisible operators, the Hangul filler, variation selectors, tag characters, bidirectional
  marks) as ``\\u2063``-style escapes, so ``orders-api`` and a look-alike never read the same.
  (``safe_text`` is gaining the same rule; until it has it, it lives here.)
* :func:`literal` returns a Rich ``Text`` (never parsed as markup).
* :func:`one_line` is what the clipboard gets: one line, nothing a terminal or shell could act
  on (no ESC, OSC, C1, CR, LF).
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

from vpcdoctor.diagnostics.safe_text import clean

MAX_LENGTH = 160
"""Longest untrusted value shown in one piece; longer ones end in an ellipsis."""

_INVISIBLE_EXTRA = frozenset("\u180e\u3164\uffa0\u115f\u1160\u034f")


def _invisible(char: str) -> bool:
    if char in _INVISIBLE_EXTRA:
        return True
    category = unicodedata.category(char)
    if category == "Cf":  # format characters: ZWJ/ZWNJ, bidi marks, tags, soft hyphen, BOM…
        return True
    return 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF  # selectors


_ESCAPE_SEQUENCE = re.compile(r"\x1b[\[\]PX^_]|\x9b|\x9d")


def visible(value: object) -> str:
    """``value`` with invisible characters written as ``\\uXXXX`` (the rest untouched)."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii():
        return text
    out = []
    for char in text:
        if _invisible(char):
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def _encodable(text: str) -> str:
    """Lone surrogates (``"\\ud800"``) cannot be written to a terminal: show them escaped."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def line(value: object, *, limit: int = MAX_LENGTH) -> str:
    """One printable line: the sanitiser's, with invisible characters made visible."""
    if value is None:
        return ""
    text = _encodable(str(value))
    return clean(visible(text), limit=limit)


def block(value: object, *, limit: int = 4000) -> str:
    """Like :func:`line` but keeps line feeds (multi-line fixes of vpcdoctor's own)."""
    if value is None:
        return ""
    text = _encodable(str(value))
    result = clean(visible(text), multiline=True)
    if limit and len(result) > limit:
        result = result[: limit - 1] + "…"
    return result


def one_line(value: object) -> str:
    """Clipboard text for one command: a single line with no control character at all."""
    text = line(value, limit=0)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def literal(value: object, style: str = "", *, limit: int = MAX_LENGTH) -> Text:
    """A Rich :class:`Text` that shows ``value`` exactly (no markup is ever parsed)."""
    # The style goes on the span, not the Text: text appended later must not inherit it.
    text = Text()
    text.append(line(value, limit=limit), style=style or None)
    return text


_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


def paragraphs(value: object, *, limit: int = 4000) -> str:
    """Prose re-flowed: lines of one paragraph joined, blank lines and list items kept.

    Knowledge text is hard-wrapped in its TOML files; the terminal wraps it again to its own
    width, so the original breaks would leave ragged lines. Lines are joined with a space only
    between two Latin characters: Japanese text has no spaces between words, and a space
    would become a place to break the line.
    """
    out: list[str] = []
    for raw in block(value, limit=limit).splitlines():
        stripped = raw.strip()
        if not stripped:
            out.append("")
        elif out and out[-1] and not _LIST_ITEM.match(raw) and not raw.startswith("  "):
            joiner = " " if _latin(out[-1][-1]) and _latin(stripped[0]) else ""
            out[-1] = f"{out[-1]}{joiner}{stripped}"
        else:
            out.append(raw.rstrip())
    return "\n".join(out).strip("\n")


def _latin(char: str) -> bool:
    return ord(char) < 0x2E80  # below the CJK blocks


def has_escape(text: str) -> bool:
    """True when ``text`` still holds the start of a terminal escape (tests use it)."""
    return bool(_ESCAPE_SEQUENCE.search(text))

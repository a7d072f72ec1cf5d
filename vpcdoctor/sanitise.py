"""The one sanitiser: how every untrusted string is shown, whatever the output.

Names, tags, descriptions, ids and file names come from snapshots someone else wrote, and
anyone with tag or Lambda permissions chooses them. vpcdoctor shows them as data, never as
something a terminal, a shell, a document or a viewer acts on. There is one character policy
(:func:`unsafe`), applied by every output path:

* **Text** (CLI text, TUI screens, Markdown, Mermaid, DOT, GraphML, stderr, the clipboard):
  :func:`clean` writes each unsafe character as a visible escape (``\\x1b``, ``\\n``,
  ``\\u202e``, ``\\u2063``, ``\\U000e0001``, ``\\ud800``), so ``orders-api`` and a
  look-alike holding an invisible character never read the same, an escape sequence is
  shown and never run, and a line feed in a name cannot forge a line.
* **JSON** (``--format json``, node-link): :func:`json_text` keeps the original values (it is
  data: parsed back, every string is the one in the snapshot) but writes each unsafe
  character as a JSON ``\\u`` escape, so ``cat``-ing the file to a terminal is safe too.

Unsafe are: every control character (C0, DEL, C1), line and paragraph separators, every
format character (soft hyphen, zero-width space, joiners, word joiner, invisible operators,
bidirectional marks, embeddings, overrides and isolates, the BOM, tag characters), lone
surrogates, private-use and unassigned code points, variation selectors, and the blank
letters that render as nothing (U+115F, U+1160, U+3164, U+FFA0, U+180E, U+034F, U+2800).
Everything else, Japanese text included, is shown as it is.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

__all__ = ["clean", "escape_char", "json_text", "unsafe"]

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u180e\u034f\u2800")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# ASCII text needs only this test (C0 controls and DEL), which keeps the common case fast.
_ASCII_UNSAFE = re.compile("[\x00-\x1f\x7f]")


def unsafe(char: str) -> bool:
    """True for a character that must never reach an output as itself (see the module)."""
    if char in _BLANK_LETTERS:
        return True
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return True
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def escape_char(char: str) -> str:
    """The visible escape of one character: ``\\n``, ``\\x1b``, ``\\u2063``, ``\\U000e0001``."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def clean(value: object, *, limit: int = 0, multiline: bool = False) -> str:
    """``value`` as literal, visible, single-line text (the one policy for every text output).

    Each unsafe character becomes its visible escape (:func:`escape_char`); nothing is
    dropped, so what was there can be seen. ``None`` is the empty string.

    Args:
        value: any value; it is converted with ``str``.
        limit: cut to this many characters, ending in ``…`` (0: no limit); an escape is never
            cut in half.
        multiline: keep line feeds (``\\n`` and ``\\r\\n``) as line breaks: only for
            vpcdoctor's own multi-line text (fix scripts), whose values were checked already.
    """
    if value is None:
        return ""
    text = str(value)
    if multiline:
        text = text.replace("\r\n", "\n")
    if text.isascii():
        if _ASCII_UNSAFE.search(text) is None:
            return _cut(text, limit)
        pieces = [
            ch if (" " <= ch != "\x7f") or (multiline and ch == "\n") else escape_char(ch)
            for ch in text
        ]
    else:
        pieces = [
            escape_char(ch) if unsafe(ch) and not (multiline and ch == "\n") else ch for ch in text
        ]
    if limit and sum(len(p) for p in pieces) > limit:
        out: list[str] = []
        size = 0
        for piece in pieces:
            if size + len(piece) > limit - 1:
                break
            out.append(piece)
            size += len(piece)
        return "".join(out) + "…"
    return "".join(pieces)


def _cut(text: str, limit: int) -> str:
    if limit and len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a surrogate pair, as JSON spells characters outside the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


_BEYOND_ASCII_TEXT = re.compile("[\x7f-\U0010ffff]")  # DEL and everything not ASCII


def json_text(document: Any, *, indent: int | None = 2) -> str:
    """``document`` as JSON whose strings keep their values but whose text is terminal-safe.

    ``json.dumps`` already escapes C0 controls; every other unsafe character (C1, bidirectional
    overrides, invisible characters, tags, lone surrogates) is written as a ``\\u`` escape, so
    a parser reads back exactly the snapshot's value and a terminal shows nothing but text.
    Other non-ASCII text (Japanese) stays readable.
    """
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    return _BEYOND_ASCII_TEXT.sub(
        lambda m: _json_escape(m) if unsafe(m.group(0)) else m.group(0),
        text,
    )

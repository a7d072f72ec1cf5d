"""Untrusted text as the TUI shows and copies it: a thin adapter over the one sanitiser.

Every name, tag, id and description comes from a snapshot someone else wrote. The rules are
:mod:`vpcdoctor.sanitise`'s (every control character, line break, bidirectional override,
invisible character, tag character and lone surrogate written as a visible escape such as
``\\u2063``, so ``orders-api`` and a look-alike never read the same); this module only adds
what a screen needs on top:

* :func:`literal` returns a Rich ``Text`` (never parsed as markup).
* :func:`one_line` is what the clipboard gets: one line, nothing a terminal or shell could act
  on (no ESC, OSC, C1, CR, LF).
"""

from __future__ import annotations

import re

from rich.text import Text

from vpcdoctor.sanitise import clean

MAX_LENGTH = 160
"""Longest untrusted value shown in one piece; longer ones end in an ellipsis."""


def visible(value: object) -> str:
    """``value`` with every unsafe character written as its escape (the sanitiser's rule)."""
    return clean(value)


def line(value: object, *, limit: int = MAX_LENGTH) -> str:
    """One printable line: the sanitiser's, cut to ``limit``."""
    return clean(value, limit=limit)


def block(value: object, *, limit: int = 4000) -> str:
    """Like :func:`line` but keeps line feeds (multi-line fixes of vpcdoctor's own)."""
    return clean(value, limit=limit, multiline=True)


def one_line(value: object) -> str:
    """Clipboard text for one command: a single line with no unsafe character at all."""
    return clean(value)


def fix_block(hop: object) -> str:
    """A hop's fix for a screen: its best option's commands, one sanitised line each (their
    values were checked when the commands were built); else its fix text as one line, since a
    line break in it may come from a name."""
    commands = getattr(hop, "commands", ())
    if commands:
        return "\n".join(clean(command.text) for command in commands)
    return clean(getattr(hop, "fix", ""))


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

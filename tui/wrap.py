"""Line breaking for mixed Japanese and English text (a small subset of JIS X 4051 / UAX 14).

The terminal's word wrap knows spaces only: Japanese has none, so a long title is folded at
the width, leaving ``✘`` alone on its line and starting the next one with ``」``; an id or a URL
is cut mid-token (``lambda-contr/ols.html``). These rules decide where a line may break:

* between two Japanese characters, except before a closing bracket or small kana / prolonged
  sound mark / punctuation (行頭禁則: ``」）。、ーっ…``) and after an opening bracket
  (行末禁則: ``「（…``);
* at a space between two Latin words; never at a space next to Japanese text ("IP / 不足"
  stays together), and never inside a run of non-space ASCII (an id, a URL, a command word):
  such a run longer than the line is left whole on its own line, never split;
* never right after a status mark (``✘ ``): it stays with the word it marks;
* a command word longer than the whole line (``SubnetIds=subnet-a,subnet-b,…``) may break
  after one of its commas, the only place that splits no id, and a line with no other place
  left may break at a space next to Japanese; a URL or an id never breaks.

Pure functions over ``rich.text.Text`` (styles are kept); the widget in
:mod:`vpcdoctor.tui.widgets.wrapped` wraps to its own width with them.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

NO_LINE_START = frozenset(
    "」』）)]｝}〕〉》】〙〗〟’”｠»、。，．,.・：:；;？?！!‼⁇⁈⁉"
    "ーぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ…‥"
)
"""Characters a line must not start with (closing brackets, punctuation, small kana)."""

NO_LINE_END = frozenset("「『（([｛{〔〈《【〘〖〝‘“｟«")
"""Characters a line must not end with (opening brackets)."""

STATUS_MARKS = frozenset("✘✔!?–•▶")
"""Marks that stay with the word after them."""


def is_wide(char: str) -> bool:
    """A character of the CJK scripts (or full-width forms): breaks may fall around it."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def _token_char(char: str) -> bool:
    return char.isascii() and not char.isspace()


def break_allowed(text: str, index: int) -> bool:
    """May a line break fall before ``text[index]`` (``0 < index < len(text)``)?

    A break at a space is expressed as before the space (the space is then dropped).
    """
    before, after = text[index - 1], text[index]
    if after == "\n" or before == "\n":
        return False  # hard breaks are handled by the caller
    if after == " ":
        # Breaking here drops the space: only between two Latin words (never in an indent).
        if before == " ":
            return False
        nxt = text[index + 1] if index + 1 < len(text) else ""
        if not nxt or nxt == " ":
            return False
        if is_wide(before) or is_wide(nxt):
            return False
        if before in STATUS_MARKS and (index < 2 or text[index - 2] in " \n"):
            return False
        return nxt not in NO_LINE_START
    if before == " ":
        return False  # the break was offered before the space
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if _token_char(before) and _token_char(after):
        return False  # inside an id, a URL, a word
    return is_wide(before) or is_wide(after)


def break_points(text: str, width: int) -> list[tuple[int, int]]:
    """The lines of ``text`` (one paragraph, no line feed) as ``(start, end)`` offsets."""
    if width <= 0 or not text:
        return [(0, len(text))]
    lines: list[tuple[int, int]] = []
    start = 0
    cells = 0
    last_break: int | None = None
    last_comma: int | None = None
    index = 0
    while index < len(text):
        if index > start and break_allowed(text, index):
            last_break = index
            last_comma = None
        elif index > start and text[index - 1] == "," and _token_char(text[index]):
            last_comma = index
        elif index > start and text[index] == " " and text[index - 1] not in STATUS_MARKS | {" "}:
            last_comma = index  # a space next to Japanese: only when nothing else fits
        cells += cell_len(text[index])
        if cells > width and last_break is None and last_comma is not None:
            last_break = last_comma  # a word longer than the line: after a comma, as a last resort
        if cells > width and last_break is not None and last_break > start:
            end = last_break
            lines.append((start, end))
            start = end + 1 if text[end] == " " else end
            index = start
            cells = 0
            last_break = None
            last_comma = None
            continue
        index += 1
    lines.append((start, len(text)))
    return lines


def wrap_text(text: Text, width: int) -> list[Text]:
    """``text`` wrapped to ``width`` cells by the rules above; line feeds are kept."""
    out: list[Text] = []
    plain = text.plain
    offset = 0
    for paragraph in plain.split("\n"):
        piece = text[offset : offset + len(paragraph)]
        for start, end in break_points(paragraph, width):
            out.append(piece[start:end])
        offset += len(paragraph) + 1
    return out

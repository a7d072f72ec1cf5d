"""The targets this diagnosis has answers for: the quick audit's, then what was asked.

``1 ✘ internet  2 ✔ s3  3 ✔ dynamodb   t another target`` — one line; the shown one is
highlighted; the digit keys (or a click) switch between them without asking again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from vpcdoctor.tui.text import line

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import CheckResult

_MARK = {"reachable": ("✔", "green"), "unreachable": ("✘", "red"), "unknown": ("?", "yellow")}

MAX_TARGETS = 9
"""One digit key each."""


def worst_first(results: list[CheckResult]) -> int:
    """Index of the answer to open on: unreachable, then unknown, then with warnings, else 0."""
    for wanted in ("unreachable", "unknown"):
        for i, result in enumerate(results):
            if str(result.verdict) == wanted:
                return i
    for i, result in enumerate(results):
        if result.warnings:
            return i
    return 0


class TargetBar(Static):
    """The answered targets, one digit each."""

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.results: list[CheckResult] = []
        self.current = 0
        self._spans: list[tuple[int, int]] = []

    def set_results(self, results: list[CheckResult], current: int) -> None:
        self.results = results[:MAX_TARGETS]
        self.current = current
        self._draw()

    def add(self, result: CheckResult) -> int:
        """Add (or replace, for the same target) an answer; returns its index."""
        for i, known in enumerate(self.results):
            if known.target.input == result.target.input:
                self.results[i] = result
                self.current = i
                self._draw()
                return i
        self.results.append(result)
        del self.results[:-MAX_TARGETS]
        self.current = len(self.results) - 1
        self._draw()
        return self.current

    def _draw(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for i, result in enumerate(self.results):
            if i:
                text.append("  ")
            start = len(text)
            symbol, style = _MARK.get(str(result.verdict), ("?", "yellow"))
            text.append(f"{i + 1} ", style="bold dim")
            text.append(f"{symbol} ", style=f"bold {style}")
            name = line(result.target.input, limit=32)
            text.append(name, style="bold reverse" if i == self.current else "")
            self._spans.append((start, len(text)))
        text.append("   t", style="bold")
        text.append(" another target", style="dim")
        self.update(text)
        self.display = bool(self.results)

    def on_click(self, event: events.Click) -> None:
        x = event.x
        for i, (start, end) in enumerate(self._spans):
            if start <= x < end:
                self.post_message(TargetBar.Chosen(i))
                return

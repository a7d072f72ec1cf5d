"""The answer, first: verdict, the hop that blocks, and what to change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from vpcdoctor.tui.untrusted import clean, clean_block, literal
from vpcdoctor.tui.widgets.path import kind_label

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import CheckResult

VERDICT_LOOK: dict[str, tuple[str, str, str]] = {
    "reachable": ("✔", "REACHABLE", "bold green"),
    "unreachable": ("✘", "UNREACHABLE", "bold red"),
    "unknown": ("?", "UNKNOWN", "bold yellow"),
}


def first_lines(text: str, count: int) -> str:
    lines = [line for line in clean_block(text).splitlines() if line.strip()]
    shown = "\n".join(lines[:count])
    return shown + ("\n…" if len(lines) > count else "")


def answer_parts(result: CheckResult) -> tuple[Text, Text]:
    """The header's two parts for a result: the verdict and why; then what to change.

    Pure (tests use it). The second part is a command or a list of what would decide an
    ``unknown``; the widget shows it folded at the edge instead of word-wrapped, because a long
    ``SubnetIds=…`` argument word-wrapped costs a whole extra row at 80 columns.
    """
    verdict = str(result.verdict)
    symbol, word, style = VERDICT_LOOK.get(verdict, ("?", verdict.upper(), "bold"))
    target = result.target
    text = Text()
    text.append(f"{symbol} {word}  ", style=style)
    text.append_text(literal(result.function, "bold", limit=60))
    text.append(" → ")
    text.append_text(literal(f"{target.host}:{target.port}", "bold", limit=80))
    text.append(f"  ({target.kind})", style="dim")
    action = Text()
    blocking = result.blocking
    if blocking is not None:
        text.append("\nBlocked at ", style="bold")
        text.append(kind_label(blocking.kind) + " ")
        text.append_text(literal(blocking.resource or "(nothing in the account)", "bold"))
        text.append("  ")
        text.append(clean(blocking.code, limit=60), style=style)
        text.append("\n")
        text.append_text(literal(blocking.detail, limit=400))
        if blocking.fix:
            action.append("Fix: ", style="bold green")
            action.append(first_lines(blocking.fix, 3))
        elif blocking.needs:
            action.append("To decide: ", style="bold yellow")
            action.append(first_lines(blocking.needs, 2))
    failing = result.failing_subnets
    if failing and len(result.paths) > 1 and len(failing) < len(result.paths):
        text.append("\nFails only from: ", style="bold")
        text.append(clean(", ".join(failing), limit=200))
    if result.warnings:
        text.append("\nWarnings: ", style="bold yellow")
        text.append(clean("; ".join(w.code for w in result.warnings), limit=200))
    return text, action


def answer_text(result: CheckResult) -> Text:
    """The whole header as one text (tests, plain-text uses)."""
    why, action = answer_parts(result)
    if action:
        why = why.copy()
        why.append("\n")
        why.append_text(action)
    return why


class AnswerHeader(Vertical):
    """Verdict + blocking hop + fix, coloured by verdict."""

    DEFAULT_CSS = """
    AnswerHeader { height: auto; }
    AnswerHeader > #answer-why { height: auto; }
    AnswerHeader > #answer-action { height: auto; text-wrap: nowrap; text-overflow: fold; }
    AnswerHeader > #answer-action.-empty { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        """What the header says, as plain text."""

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Type a target above and press enter.", style="dim"),
            markup=False,
            id="answer-why",
        )
        yield Static("", markup=False, id="answer-action", classes="-empty")

    def _set(self, why: Text, action: Text | None = None) -> None:
        self.query_one("#answer-why", Static).update(why)
        shown = self.query_one("#answer-action", Static)
        shown.update(action or "")
        shown.set_class(not action, "-empty")
        self.text = why.plain + ("\n" + action.plain if action else "")

    def show(self, result: CheckResult) -> None:
        for verdict in VERDICT_LOOK:
            self.set_class(str(result.verdict) == verdict, f"-{verdict}")
        self._set(*answer_parts(result))

    def waiting(self, target: str) -> None:
        for verdict in VERDICT_LOOK:
            self.remove_class(f"-{verdict}")
        self._set(Text(f"Checking {clean(target, limit=80)} …", style="italic"))

    def clear(self, message: str) -> None:
        for verdict in VERDICT_LOOK:
            self.remove_class(f"-{verdict}")
        self._set(Text(message, style="dim"))

"""The answer, first: verdict, the hop that blocks, and what to change.

A function in several subnets can fail from some of them only. That is the intermittent
timeout ("it works, then it doesn't"), and the headline says so before anything else: "fails
from subnet-… (ap-northeast-1c) only — about half the invocations". The JSON verdict keeps
DESIGN.md's ``unreachable``; only the words for a person change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from vpcdoctor.diagnostics.safe_text import clean
from vpcdoctor.tui.labels import kind_label
from vpcdoctor.tui.text import block, fix_block, line, literal
from vpcdoctor.tui.widgets.evidence import unique_warnings, warning_line
from vpcdoctor.tui.widgets.wrapped import WrappedText

if TYPE_CHECKING:
    from vpcdoctor.graph.model.verdict import CheckResult, PathResult

VERDICT_LOOK: dict[str, tuple[str, str, str]] = {
    "reachable": ("✔", "REACHABLE", "bold green"),
    "unreachable": ("✘", "UNREACHABLE", "bold red"),
    "unknown": ("?", "UNKNOWN", "bold yellow"),
}

_SHARES = {
    (1, 2): "about half the invocations",
    (1, 3): "about a third of the invocations",
    (2, 3): "about two thirds of the invocations",
    (1, 4): "about a quarter of the invocations",
    (3, 4): "about three quarters of the invocations",
}

# Said by the mixed headline already: not repeated as a warning.
_HEADLINE_CODES = frozenset({"SOME_SUBNETS_FAIL"})


def share(failing: int, total: int) -> str:
    """How many invocations a failure in ``failing`` of ``total`` subnets hits, in words."""
    return _SHARES.get((failing, total), f"about {failing} in {total} invocations")


def first_lines(text: str, count: int) -> str:
    lines = [line for line in block(text).splitlines() if line.strip()]
    shown = "\n".join(lines[:count])
    return shown + ("\n…" if len(lines) > count else "")


def _where(path: PathResult, names: Mapping[str, str]) -> str:
    """``subnet-0c3f… (ap-northeast-1c)``: the id whole (it is what the console and the fix
    name) and the AZ; the path line below names the subnets by their Name tags."""
    subnet = clean(path.subnet or "outside any VPC", limit=40)
    return subnet + (f" ({clean(path.az, limit=30)})" if path.az else "")


def is_mixed(result: CheckResult) -> bool:
    """Some paths reach the target, others do not: the failure depends on the subnet."""
    verdicts = {str(p.verdict) for p in result.paths}
    return len(result.paths) > 1 and "reachable" in verdicts and len(verdicts) > 1


def answer_parts(
    result: CheckResult, subnet_names: Mapping[str, str] | None = None
) -> tuple[Text, Text]:
    """The header's two parts for a result: the verdict and why; then what to change.

    Pure (tests use it). The second part is a command or a list of what would decide an
    ``unknown``; it wraps only between words, never inside an id.
    """
    names = subnet_names or {}
    verdict = str(result.verdict)
    symbol, word, style = VERDICT_LOOK.get(verdict, ("?", verdict.upper(), "bold"))
    target = result.target
    text = Text()
    route = Text()
    route.append_text(literal(result.function, "bold", limit=60))
    route.append(" → ")
    # UDP says so (DNS to an on-premises resolver, syslog): a port alone reads as TCP.
    proto = "" if getattr(target, "protocol", "tcp") == "tcp" else f"{target.protocol}/"
    route.append_text(literal(f"{proto}{target.host}:{target.port}", "bold", limit=80))
    route.append(f"  ({target.kind})", style="dim")
    if is_mixed(result):
        bad = [p for p in result.paths if str(p.verdict) != "reachable"]
        good = [p for p in result.paths if str(p.verdict) == "reachable"]
        fails = "FAILS" if all(str(p.verdict) == "unreachable" for p in bad) else "UNDECIDED"
        text.append(f"{symbol} {fails} FROM ", style=style)
        text.append(", ".join(_where(p, names) for p in bad), style=style)
        text.append(" ONLY", style=style)
        text.append(f" — {share(len(bad), len(result.paths))}\n", style="bold")
        text.append_text(route)
        text.append(" · reachable from ", style="dim")
        text.append(", ".join(_where(p, names) for p in good), style="green")
    else:
        text.append(f"{symbol} {word}  ", style=style)
        text.append_text(route)
    action = Text()
    blocking = result.blocking
    if blocking is not None:
        decided = str(blocking.status) == "fail"
        text.append("\nBlocked at " if decided else "\nUndecided at ", style="bold")
        text.append(kind_label(blocking.kind) + " ")
        text.append_text(literal(blocking.resource or "(nothing in the account)", "bold"))
        text.append("  ")
        text.append(clean(blocking.code, limit=60), style="dim")
        text.append("\n")
        text.append_text(literal(blocking.detail, limit=400))
        if blocking.fix:
            action.append("Fix: ", style="bold green")
            action.append(first_lines(fix_block(blocking), 3))
        elif blocking.needs:
            action.append("To decide: ", style="bold yellow")
            action.append(first_lines(line(blocking.needs, limit=0), 2))
    shown = [w for w in result.warnings if not (is_mixed(result) and w.code in _HEADLINE_CODES)]
    for warning, count in unique_warnings(shown):
        text.append("\n")
        text.append_text(warning_line(warning, count))
    return text, action


def answer_text(result: CheckResult, subnet_names: Mapping[str, str] | None = None) -> Text:
    """The whole header as one text (tests, plain-text uses)."""
    why, action = answer_parts(result, subnet_names)
    if action:
        why = why.copy()
        why.append("\n")
        why.append_text(action)
    return why


class AnswerHeader(Vertical):
    """Verdict + blocking hop + fix, coloured by verdict."""

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
        yield WrappedText(id="answer-action", classes="-empty")

    def _set(self, why: Text, action: Text | None = None) -> None:
        self.query_one("#answer-why", Static).update(why)
        shown = self.query_one("#answer-action", WrappedText)
        shown.update(action or Text())
        shown.set_class(not action, "-empty")
        self.text = why.plain + ("\n" + action.plain if action else "")

    def _look(self, verdict: str | None) -> None:
        for name in VERDICT_LOOK:
            self.set_class(verdict == name, f"-{name}")
        self.set_class(verdict == "mixed", "-mixed")

    def show(self, result: CheckResult, subnet_names: Mapping[str, str] | None = None) -> None:
        self._look("mixed" if is_mixed(result) else str(result.verdict))
        self._set(*answer_parts(result, subnet_names))

    def waiting(self, target: str) -> None:
        self._look(None)
        self._set(Text(f"Checking {clean(target, limit=80)} …", style="italic"))

    def clear(self, message: str) -> None:
        self._look(None)
        self._set(Text(message, style="dim"))

"""The overview's status badges: how one function looks at a glance.

The verdicts come from ``diagnostics`` (``diagnose.check`` against the audit target); this module
only maps them onto a small vocabulary of badges and how they are drawn.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from vpcdoctor.graph.model import LambdaFunction
    from vpcdoctor.graph.verdict import CheckResult


class Badge(StrEnum):
    PENDING = "pending"
    """The quick audit has not reached this function yet."""
    REACHABLE = "reachable"
    BLOCKED = "blocked"
    WARNINGS = "warnings"
    UNKNOWN = "unknown"
    NOT_IN_VPC = "not in a VPC"
    NOT_ACTIVE = "not active"
    ERROR = "error"


_LOOK: dict[Badge, tuple[str, str]] = {
    Badge.PENDING: ("…", "dim"),
    Badge.REACHABLE: ("✔", "bold green"),
    Badge.BLOCKED: ("✘", "bold red"),
    Badge.WARNINGS: ("!", "bold yellow"),
    Badge.UNKNOWN: ("?", "bold magenta"),
    Badge.NOT_IN_VPC: ("○", "bold blue"),
    Badge.NOT_ACTIVE: ("◌", "bold magenta"),
    Badge.ERROR: ("⚠", "bold red"),
}


def badge_text(badge: Badge, *, with_label: bool = True) -> Text:
    """The badge as a coloured symbol, optionally followed by its word."""
    symbol, style = _LOOK[badge]
    text = Text()
    text.append(symbol, style=style)
    if with_label:
        text.append(f" {badge.value}", style=style)
    return text


def precheck(function: LambdaFunction) -> tuple[Badge, str] | None:
    """The badge that needs no engine (not in a VPC, not Active), else None."""
    from vpcdoctor.graph.model import LambdaState

    if not function.in_vpc:
        return Badge.NOT_IN_VPC, "not attached to a VPC: it reaches the internet, not the VPC"
    if function.state is not None and function.state is not LambdaState.ACTIVE:
        reason = function.state_reason or ""
        return Badge.NOT_ACTIVE, f"state {function.state.value}. {reason}".strip()
    return None


def badge_for(result: CheckResult) -> tuple[Badge, str]:
    """The badge and one-line summary of an audit check."""
    from vpcdoctor.graph.verdict import Verdict

    blocking = result.blocking
    if result.verdict is Verdict.REACHABLE:
        if result.warnings:
            return Badge.WARNINGS, "; ".join(w.code for w in result.warnings)
        return Badge.REACHABLE, f"reaches {result.target.input}"
    where = f"{blocking.code} at {blocking.resource or blocking.kind}" if blocking else ""
    if result.verdict is Verdict.UNREACHABLE:
        return Badge.BLOCKED, where or "unreachable"
    return Badge.UNKNOWN, where or "unknown"

"""The overview's side panel: one function's badge, its audited answers and warnings as
sentences (each code small beside it), its failing checklist steps, and where it runs.

Read from the same :class:`~vpcdoctor.tui.badges.FunctionAudit` as the tree's badge and words,
so the two can never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from vpcdoctor.tui.badges import badge_text
from vpcdoctor.tui.text import line as clean
from vpcdoctor.tui.text import literal

if TYPE_CHECKING:
    from vpcdoctor.graph.model import Account, LambdaFunction
    from vpcdoctor.tui.badges import FunctionAudit

_VERDICT_MARK: dict[str, tuple[str, str]] = {
    "reachable": ("✔", "green"),
    "unreachable": ("✘", "red"),
    "unknown": ("?", "magenta"),
}


def subnet_summary(account: Account, fn: LambdaFunction) -> str:
    if fn.vpc is None:
        return ""
    parts = []
    for subnet_id in fn.vpc.subnet_ids:
        subnet = account.subnets.get(subnet_id)
        az = subnet.az if subnet is not None else "?"
        name = subnet.name if subnet is not None else subnet_id
        parts.append(f"{clean(name, limit=40)} ({az})")
    return ", ".join(parts)


def function_detail(account: Account, fn: LambdaFunction, audit: FunctionAudit) -> Text:
    """The side panel's text for ``fn``."""
    text = literal(fn.name, "bold", limit=80)
    text.append("\n")
    text.append_text(badge_text(audit.badge))
    text.append("\n")
    text.append("enter", style="bold reverse")
    text.append(" see why (the answers open at once)\n", style="bold")
    if audit.targets:
        text.append("\n")
        # The same answers as the badge and the tree's words (FunctionAudit is the one
        # source): each target, and for a failing one the sentence, its code small.
        blocking = {r.target.input: r.blocking for r in audit.results}
        for target, verdict, code in audit.targets:
            symbol, style = _VERDICT_MARK.get(verdict, ("?", "magenta"))
            text.append(f"{symbol} ", style=f"bold {style}")
            text.append_text(literal(target, "bold", limit=40))
            hop = blocking.get(target)
            if verdict != "reachable" and hop is not None:
                text.append("  ")
                text.append_text(literal(hop.detail, limit=140))
                text.append("  ")
                text.append_text(literal(code, "dim", limit=60))
            text.append("\n")
    for code, sentence in audit.warnings:
        text.append("! ", style="bold yellow")
        text.append_text(literal(sentence, limit=240))
        text.append("  ")
        text.append_text(literal(code, "dim", limit=60))
        text.append("\n")
    for step_id, title in audit.failing_steps:
        text.append("✘ ", style="bold red")
        text.append_text(literal(title, limit=80))
        text.append_text(literal(f" ({step_id})", "dim", limit=60))
        text.append("\n")
    if not audit.targets and not audit.failing_steps and audit.summary:
        text.append_text(literal(audit.summary, "dim", limit=300))
        text.append("\n")
    text.append("\n")
    rows = [
        ("state", fn.state.value if fn.state else "not exported"),
        ("runtime", fn.runtime or fn.package_type),
    ]
    if fn.vpc is not None:
        rows.append(("subnets", subnet_summary(account, fn)))
        rows.append(("security groups", ", ".join(fn.vpc.security_group_ids)))
    for key, value in rows:
        text.append(f"{key}: ", style="dim")
        text.append_text(literal(value, limit=200))
        text.append("\n")
    text.rstrip()
    return text

"""The overview's status badges: how one function looks at a glance.

The verdicts come from ``diagnostics``: the audit
(:func:`vpcdoctor.diagnostics.audit.audit_function`: the internet, S3 and the services the
function's VPC has endpoints for) and the checklist
(:func:`vpcdoctor.diagnostics.checklist.walk`, whose failing steps catch what no path shows: a
function in state Failed, a subnet out of IP addresses). This module only folds them into a
small vocabulary of badges, a one-line summary, and how they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from vpcdoctor.diagnostics.audit import AuditRow
    from vpcdoctor.diagnostics.findings import Finding
    from vpcdoctor.graph.model import LambdaFunction
    from vpcdoctor.graph.model.verdict import CheckResult


class Badge(StrEnum):
    PENDING = "pending"
    """The quick audit has not reached this function yet."""
    REACHABLE = "reachable"
    BLOCKED = "blocked"
    """A default target is unreachable, or a checklist step fails."""
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

LEGEND: tuple[Badge, ...] = (
    Badge.REACHABLE,
    Badge.BLOCKED,
    Badge.WARNINGS,
    Badge.UNKNOWN,
    Badge.NOT_IN_VPC,
    Badge.NOT_ACTIVE,
)


def badge_text(badge: Badge, *, with_label: bool = True) -> Text:
    """The badge as a coloured symbol, optionally followed by its word."""
    symbol, style = _LOOK[badge]
    text = Text()
    text.append(symbol, style=style)
    if with_label:
        text.append(f" {badge.value}", style=style)
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionAudit:
    """What the overview knows about one function after the quick audit."""

    function: str
    badge: Badge
    summary: str
    """One line for the detail panel (``blocked: internet (IGW_… at igw-…)``)."""
    short: str = ""
    """A few words for the tree (``internet ✘``, ``fails lambda-state``)."""
    targets: tuple[tuple[str, str, str], ...] = ()
    """``(target, verdict, blocking code)`` per audited target, in order."""
    failing_steps: tuple[tuple[str, str], ...] = ()
    """``(step id, title)`` of each failing checklist step."""
    results: tuple[CheckResult, ...] = ()
    """The audit's answers themselves: the diagnosis screen opens on them without asking
    again, and the tree's words and the side panel are both read from them."""
    warnings: tuple[tuple[str, str], ...] = ()
    """``(code, sentence)`` of each distinct warning of the audited targets."""

    @property
    def blocked(self) -> tuple[str, ...]:
        """The audited targets that are unreachable, in order (badge and panel share it)."""
        return tuple(t for t, verdict, _ in self.targets if verdict == "unreachable")


def pending(function: str) -> FunctionAudit:
    return FunctionAudit(function=function, badge=Badge.PENDING, summary="audit pending")


def failed(function: str, problem: str) -> FunctionAudit:
    return FunctionAudit(function=function, badge=Badge.ERROR, summary=problem, short="error")


def _blocking_code(result: CheckResult) -> str:
    return result.blocking.code if result.blocking is not None else ""


def function_audit(
    fn: LambdaFunction, row: AuditRow | None, failing: tuple[Finding, ...] = ()
) -> FunctionAudit:
    """Fold one function's audit row and failing checklist steps into its badge.

    Worst first: not Active, then blocked (a target unreachable or a step failing), unknown,
    warnings; a function outside any VPC with nothing wrong is ``not in a VPC``.
    """
    from vpcdoctor.graph.model import LambdaState
    from vpcdoctor.graph.model.verdict import Verdict

    results = row.results if row is not None else ()
    targets = tuple(
        (
            r.target.input,
            str(r.verdict),
            _blocking_code(r) if r.verdict is not Verdict.REACHABLE else "",
        )
        for r in results
    )
    steps = tuple((f.id, f.title) for f in failing)
    blocked = [r for r in results if r.verdict is Verdict.UNREACHABLE]
    unknown = [r for r in results if r.verdict is Verdict.UNKNOWN]
    warnings: dict[str, str] = {}
    for r in results:
        for w in r.warnings:
            warnings.setdefault(w.code, w.detail)
    warned = sorted(warnings)
    parts: list[str] = []
    if blocked:
        first = blocked[0]
        where = ""
        if first.blocking is not None:
            where = f" ({first.blocking.code} at {first.blocking.resource or first.blocking.kind})"
        parts.append("blocked: " + ", ".join(r.target.input for r in blocked) + where)
    if steps:
        parts.append("failing step: " + ", ".join(step_id for step_id, _ in steps))
    if unknown:
        parts.append("unknown: " + ", ".join(r.target.input for r in unknown))
    if warned:
        parts.append("warnings: " + ", ".join(warned))
    short_parts = []
    if blocked:
        names = [r.target.input for r in blocked]
        more = f" +{len(names) - 2}" if len(names) > 2 else ""
        short_parts.append(", ".join(names[:2]) + more + " ✘")
    if steps:
        short_parts.append("fails " + steps[0][0])
    if not short_parts and unknown:
        short_parts.append(", ".join(r.target.input for r in unknown[:2]) + " ?")
    if not short_parts and warned:
        short_parts.append(warning_phrase(warned[0]))

    if fn.state is not None and fn.state is not LambdaState.ACTIVE:
        badge = Badge.NOT_ACTIVE
        reason = f"state {fn.state.value}" + (f": {fn.state_reason}" if fn.state_reason else "")
        parts.insert(0, reason)
        short_parts.insert(0, f"state {fn.state.value}")
    elif row is not None and row.error:
        badge = Badge.ERROR
        parts.insert(0, row.error)
    elif blocked or steps:
        badge = Badge.BLOCKED
    elif unknown:
        badge = Badge.UNKNOWN
    elif warned:
        badge = Badge.WARNINGS
    elif not fn.in_vpc:
        badge = Badge.NOT_IN_VPC
        parts.append("not attached to a VPC: it reaches the internet, not the VPC")
    else:
        badge = Badge.REACHABLE
        parts.append("reaches " + ", ".join(r.target.input for r in results))
    return FunctionAudit(
        function=fn.name,
        badge=badge,
        summary="; ".join(parts),
        short=" · ".join(short_parts[:2]),
        targets=targets,
        failing_steps=steps,
        results=tuple(results),
        warnings=tuple(sorted(warnings.items())),
    )


_WARNING_PHRASES = {
    "EIP_ON_LAMBDA_ENI": "works only through an Elastic IP on its ENI",
    "SINGLE_AZ": "runs in one AZ only",
    "NAT_CROSS_AZ": "uses a NAT gateway in another AZ",
    "SOME_SUBNETS_FAIL": "fails from some subnets only",
}


def warning_phrase(code: str) -> str:
    """A few words for the tree (the side panel and the diagnosis show the whole sentence)."""
    return _WARNING_PHRASES.get(code) or code.lower().replace("_", " ")

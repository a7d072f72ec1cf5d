"""The verified fix plan (``check --plan``): fix the blocker in memory, check again, repeat.

Reachability Analyzer, the SSM runbooks and a plain ``check`` stop at the first blocking hop.
:func:`plan` keeps going on a copy of the account: it applies the best fix of the blocking hop
(``hop.fixes[0].commands``, AWS CLI commands as argv words) with the what-if machinery
(:mod:`vpcdoctor.graph.whatif`), checks again, and repeats until

* every path is reachable (the plan is **verified**: the last check, on the changed copy, says
  ``reachable``),
* the blocking hop has no runnable fix, or is ``unknown`` (a fix cannot settle what the snapshot
  does not say),
* applying the fix fails in memory (it names a resource that does not exist, a rule that is
  already there…), or changes neither the verdict nor the blocking hop (no progress), or
* :data:`MAX_STEPS` fixes were applied.

Each step says what it fixed, the commands, and a note: what the fix costs when it creates a
billable resource (from the option's own ``cost``, else from ``knowledge/prices.toml``) and what
else it affects. Nothing is sent to AWS; the printed commands, applied with ``--assume``, give
the same verdict (the tests check it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.commands import Command
from vpcdoctor.graph.model.jsonshape import JsonRecord, JsonShape, is_none, key, shape
from vpcdoctor.graph.model.verdict import CheckResult, FixOption, Hop, HopStatus, Target, Verdict

MAX_STEPS = 8
"""At most this many fixes are applied (a plan longer than that is a redesign, not a fix)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanStep(JsonRecord):
    """One fix of the plan, in the order to apply them."""

    resource: str | None
    """The blocking resource the fix is for."""
    code: str
    """The blocking hop's code."""
    commands: tuple[Command, ...]
    note: str
    """What the step fixed, then what it costs and what else it affects."""
    verdict_after: Verdict
    """The verdict on the copy once this step (and those before it) is applied."""

    JSON: ClassVar[JsonShape] = shape("resource", "code", "fix", "note")

    @property
    def fix(self) -> str:
        """The commands, one a line (what to paste)."""
        return "\n".join(c.text for c in self.commands)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan(JsonRecord):
    """The ordered fixes and the verdict after them."""

    function: str
    target: Target
    verdict_before: Verdict
    steps: tuple[PlanStep, ...]
    result_after: CheckResult
    """The check on the changed copy after the last step."""
    stopped: str | None = None
    """Why the plan stops short of ``reachable`` (None when verified)."""

    JSON: ClassVar[JsonShape] = shape(
        "verified", "verdict_after", "steps", key("stopped", omit=is_none)
    )

    @property
    def verified(self) -> bool:
        """True only when the final check on the changed copy says reachable."""
        return self.result_after.verdict is Verdict.REACHABLE

    @property
    def verdict_after(self) -> Verdict:
        return self.result_after.verdict

    @property
    def commands(self) -> tuple[Command, ...]:
        """Every command of every step, in order (an ``--assume`` file of the plan)."""
        return tuple(c for s in self.steps for c in s.commands)

    def script(self) -> str:
        """The plan as a what-if / shell file: a comment per step, then its commands."""
        lines: list[str] = []
        for i, step in enumerate(self.steps, 1):
            lines.append(f"# {i}. {step.code} at {step.resource or '-'}")
            lines.extend(c.text for c in step.commands)
        return "\n".join(lines) + ("\n" if lines else "")


Checker = Callable[[Account, str, "str | Target"], CheckResult]
"""How a plan checks: ``diagnostics.check`` on the account (injected in tests)."""


def default_check(account: Account, function: str, target: str | Target) -> CheckResult:
    """One check (the single place that knows how ``diagnostics.check`` is called)."""
    from vpcdoctor.diagnostics.diagnose import check

    return check(account, function, target)


def _key(result: CheckResult) -> tuple[object, ...]:
    """What "progress" is measured against: the verdict, the blocker and the failing subnets."""
    hop = result.blocking
    blocker = (hop.resource, hop.code, str(hop.direction), hop.subnet) if hop else None
    failing = sum(1 for p in result.paths for h in p.hops if h.status is HopStatus.FAIL)
    return (result.verdict, blocker, result.failing_subnets, failing)


def _why_not(hop: Hop | None, result: CheckResult) -> str | None:
    if hop is None:
        return f"the verdict is {result.verdict} but no hop decided it"
    where = f"{hop.code} at {hop.resource or 'an unnamed hop'}"
    if hop.status is HopStatus.UNKNOWN:
        needs = f": {hop.needs}" if hop.needs else ""
        return f"{where} is unknown, and a fix cannot settle what the snapshot does not say{needs}"
    if not hop.fixes or not hop.fixes[0].commands:
        advice = f" (the advice: {hop.fix})" if hop.fix else ""
        return f"no runnable fix is known for {where}{advice}"
    return None


def plan(
    account: Account,
    function: str,
    target: str | Target,
    *,
    max_steps: int = MAX_STEPS,
    region: str | None = None,
    check: Checker = default_check,
) -> Plan:
    """The verified fix plan for ``function`` → ``target`` (see the module's docstring).

    Args:
        account: the account as loaded (never changed: each step applies to a copy).
        function: the Lambda function's name.
        target: a TARGET as ``check`` takes it.
        max_steps: stop after this many fixes.
        region: the region for price notes (default: the account's).
        check: how each check is made (default: :func:`default_check`).

    Raises:
        FunctionNotFound, TargetError: as :func:`vpcdoctor.diagnostics.diagnose.check`.
    """
    first = check(account, function, target)
    current, result = account, first
    steps: list[PlanStep] = []
    seen = {_key(result)}
    stopped: str | None = None
    while result.verdict is not Verdict.REACHABLE:
        if len(steps) >= max_steps:
            stopped = f"stopped after {max_steps} fixes without reaching the target"
            break
        hop = result.blocking
        stopped = _why_not(hop, result)
        if stopped is not None or hop is None:
            break
        option = hop.fixes[0]
        try:
            changed = _apply(current, option.commands)
        except WhatIfError as error:
            stopped = (
                f"the fix for {hop.code} at {hop.resource} cannot be applied in memory: "
                f"{error.reason}"
            )
            break
        after = check(changed, function, result.target)
        key = _key(after)
        if key in seen:
            stopped = (
                f"the fix for {hop.code} at {hop.resource} changes neither the verdict nor the "
                "blocking hop (no progress)"
            )
            break
        seen.add(key)
        steps.append(
            PlanStep(
                resource=hop.resource,
                code=hop.code,
                commands=option.commands,
                note=_note(hop, option, current, region),
                verdict_after=after.verdict,
            )
        )
        current, result = changed, after
    if result.verdict is Verdict.REACHABLE:
        stopped = None
    return Plan(
        function=first.function,
        target=first.target,
        verdict_before=first.verdict,
        steps=tuple(steps),
        result_after=result,
        stopped=stopped,
    )


def _apply(account: Account, commands: tuple[Command, ...]) -> Account:
    from vpcdoctor.graph.whatif import apply_commands

    return apply_commands(account, commands)


# ---- notes ----------------------------------------------------------------------------------


def _note(hop: Hop, option: FixOption, account: Account, region: str | None) -> str:
    parts = [option.summary.rstrip(".") + "." if option.summary else f"Fixes {hop.code}."]
    cost = option.cost or cost_note(option.commands, account, region)
    if cost:
        parts.append(cost)
    if option.affects:
        parts.append("Also affects: " + ", ".join(option.affects) + ".")
    return " ".join(parts)


def cost_note(commands: tuple[Command, ...], account: Account, region: str | None = None) -> str:
    """What the resources these commands create cost (NAT gateways, interface endpoints,
    Elastic IPs), from ``knowledge/prices.toml``; ``""`` when nothing billable is created."""
    from vpcdoctor.knowledge import prices

    where = region or account.region
    table = prices(where) if where else None
    notes: list[str] = []
    for command in commands:
        argv = command.argv
        op = argv[2] if len(argv) > 2 else ""
        if op == "create-nat-gateway":
            if table is not None:
                notes.append(
                    f"A NAT gateway costs {table.currency} {table.nat_gateway_hour:g}/hour "
                    f"(~{table.monthly(table.nat_gateway_hour):.0f}/month) plus "
                    f"{table.nat_gateway_gb:g}/GB processed in {table.region} "
                    f"(prices of {table.looked_up})."
                )
            else:
                notes.append("A NAT gateway is billed per hour and per GB processed.")
        elif op == "create-vpc-endpoint" and _value(argv, "--vpc-endpoint-type") == "Interface":
            azs = max(len(_values(argv, "--subnet-ids")), 1)
            if table is not None:
                hourly = table.interface_endpoint_az_hour * azs
                notes.append(
                    f"An interface endpoint in {azs} AZ(s) costs {table.currency} {hourly:g}/hour "
                    f"(~{table.monthly(hourly):.0f}/month) plus "
                    f"{table.interface_endpoint_gb:g}/GB in {table.region} "
                    f"(prices of {table.looked_up})."
                )
            else:
                notes.append("An interface endpoint is billed per AZ-hour and per GB.")
        elif op == "allocate-address":
            notes.append("An Elastic IP is billed hourly as a public IPv4 address.")
    return " ".join(dict.fromkeys(notes))


def _value(argv: tuple[str, ...], option: str) -> str | None:
    for i, word in enumerate(argv[:-1]):
        if word == option:
            return argv[i + 1]
    return None


def _values(argv: tuple[str, ...], option: str) -> list[str]:
    for i, word in enumerate(argv):
        if word == option:
            out = []
            for w in argv[i + 1 :]:
                if w.startswith("--"):
                    break
                out.append(w)
            return out
    return []


# ---- rendering ------------------------------------------------------------------------------


def plan_text(p: Plan) -> str:
    """The plan for a terminal (plain text; the caller escapes nothing: ids are checked)."""
    from vpcdoctor.diagnostics.safe_text import clean

    lines = [
        f"Plan for {clean(p.function)} → {clean(p.target.input)} (in memory; nothing in AWS "
        "changed):"
    ]
    if not p.steps:
        lines.append("  (no step)")
    for i, step in enumerate(p.steps, 1):
        lines.append(f"  {i}. {step.code} at {clean(step.resource or '-')} — {clean(step.note)}")
        lines.extend(f"       {clean(c.text)}" for c in step.commands)
        lines.append(f"       → {step.verdict_after}")
    mark = "verified" if p.verified else "NOT verified"
    lines.append(f"  {mark}: {p.verdict_after}" + (f" — {clean(p.stopped)}" if p.stopped else ""))
    return "\n".join(lines) + "\n"


def plan_markdown(p: Plan) -> str:
    """The plan as a Markdown section (for incident tickets)."""
    from vpcdoctor.diagnostics.safe_text import fenced, markdown_inline

    out = ["", "## Plan (in memory; nothing in AWS changed)", ""]
    for i, step in enumerate(p.steps, 1):
        resource = markdown_inline(step.resource or "-")
        out.append(f"{i}. **{step.code}** at {resource}: {markdown_inline(step.note)}")
        out.append("")
        out.extend(f"   {line}" for line in fenced(step.fix, "sh"))
        out.append("")
        out.append(f"   Verdict after this step: **{step.verdict_after}**")
        out.append("")
    mark = "Verified" if p.verified else "Not verified"
    why = f" ({markdown_inline(p.stopped)})" if p.stopped else ""
    out.append(f"**{mark}: {p.verdict_after}**{why}")
    return "\n".join(out) + "\n"

"""Step 8, ``cold-start``: provisioned concurrency (informational, seed 000's pattern 3), and the
fact that a VPC no longer costs an ENI per cold start (Hyperplane, 2019)."""

from __future__ import annotations

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say


@register("cold-start")
def check(ctx: StepContext) -> Outcome:
    fn = ctx.function
    if not ctx.in_vpc:
        return Outcome(status=StepStatus.NOT_APPLICABLE, evidence=(say("not_in_vpc"),))
    history = say("hyperplane")
    if fn.provisioned is None:
        return Outcome(
            status=StepStatus.UNKNOWN,
            evidence=(say("provisioned_unknown"), history),
            needs=(ctx.need("list-provisioned-concurrency-configs", fn.name),),
        )
    evidence: list[Say] = []
    status = StepStatus.OK
    for pc in fn.provisioned:
        evidence.append(
            say(
                "provisioned",
                qualifier=pc.qualifier,
                requested=_n(pc.requested),
                allocated=_n(pc.allocated),
                status=pc.status or "?",
            )
        )
        if pc.status == "FAILED":
            status = StepStatus.WARN
            evidence.append(say("provisioned_failed", qualifier=pc.qualifier))
    fixes: list[Say] = []
    if not fn.provisioned:
        evidence.append(say("provisioned_none"))
        fixes.append(say("add_provisioned"))
    evidence.append(history)
    return Outcome(status=status, evidence=tuple(evidence), fixes=tuple(fixes))


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)

"""Step 3, ``multi-az``: subnets in at least two Availability Zones (Security Hub Lambda.5)."""

from __future__ import annotations

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome, StepStatus, say


def _egress_kind(ctx: StepContext, subnet_id: str) -> str | None:
    rtb = ctx.route_table(subnet_id)
    if rtb is None:
        return None
    route = ctx.default_route(rtb)
    return str(route.target_type) if route is not None else "none"


@register("multi-az")
def check(ctx: StepContext) -> Outcome:
    if not ctx.in_vpc:
        return Outcome(status=StepStatus.NOT_APPLICABLE, evidence=(say("not_in_vpc"),))
    azs = ctx.azs()
    subnets = ctx.subnets()
    evidence = [say("subnet_az", subnet=s.id, az=s.az) for s in subnets]
    missing = ctx.missing_subnets()
    if len(azs) >= 2:
        return Outcome(
            status=StepStatus.OK, evidence=(say("azs", count=len(azs), azs=azs), *evidence)
        )
    if missing:
        return Outcome(
            status=StepStatus.UNKNOWN,
            evidence=(*evidence, say("subnets_unknown", subnets=missing)),
            needs=(ctx.need("describe-subnets"),),
        )
    # Candidates: subnets of the same VPC in other AZs that leave the VPC the same way.
    kinds = {_egress_kind(ctx, s) for s in ctx.subnet_ids}
    candidates = [
        s.id
        for s in ctx.account.subnets_in_vpc(ctx.vpc_id or "")
        if s.az not in azs and _egress_kind(ctx, s.id) in kinds
    ]
    evidence.insert(0, say("single_az", az=azs[0] if azs else "?"))
    fixes = []
    if candidates:
        chosen: dict[str, str] = {}
        for cid in candidates:
            chosen.setdefault(ctx.account.subnets[cid].az, cid)
        evidence.append(say("candidates", subnets=list(chosen.values())))
        new_ids = [*ctx.subnet_ids, *chosen.values()]
        fixes.append(
            say(
                "add_subnets",
                new_subnet_ids_csv=",".join(new_ids),
                new_subnet_ids_yaml="[" + ", ".join(new_ids) + "]",
            )
        )
    else:
        fixes.append(say("create_subnet", az=azs[0] if azs else "?"))
    return Outcome(status=StepStatus.WARN, evidence=tuple(evidence), fixes=tuple(fixes))

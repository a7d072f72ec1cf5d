"""Step 4, ``ip-headroom``: free addresses in the function's subnets, the Hyperplane ENIs already
there (one per subnet × security-group set, shared by every function with that pair), and
functions stuck because a subnet ran out of addresses or the account out of ENIs."""

from __future__ import annotations

import math

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say
from vpcdoctor.graph.model import LambdaState

LOW_FREE_IPS = 16
"""Fewer free addresses than this is worth a warning: Hyperplane needs few, but every other
workload in the subnet (and each extra ENI past 65,000 connections) needs its own."""
TINY_PREFIX = 28
"""/28 (11 usable addresses) and smaller: the red flag of seed 000."""
IP_CODES = ("SubnetOutOfIPAddresses", "EniLimitExceeded")
LEGACY_DEFAULT_CONCURRENCY = 1000
"""The default regional concurrency quota, used when no reservation bounds the function."""


def _blocked(ctx: StepContext) -> list[tuple[str, str, str]]:
    """(function, state, code) of functions in these subnets stuck on an address/ENI code."""
    mine = set(ctx.subnet_ids)
    out = []
    for fn in ctx.account.functions.values():
        if fn.vpc is None or not mine.intersection(fn.vpc.subnet_ids):
            continue
        if (
            fn.state in (LambdaState.FAILED, LambdaState.PENDING)
            and fn.state_reason_code in IP_CODES
        ):
            out.append((fn.name, str(fn.state), fn.state_reason_code))
        elif fn.last_update_status == "Failed" and fn.last_update_status_reason_code in IP_CODES:
            out.append((fn.name, "LastUpdateStatus=Failed", fn.last_update_status_reason_code))
    return out


@register("ip-headroom")
def check(ctx: StepContext) -> Outcome:
    if not ctx.in_vpc:
        return Outcome(status=StepStatus.NOT_APPLICABLE, evidence=(say("not_in_vpc"),))
    account = ctx.account
    status = StepStatus.OK
    evidence: list[Say] = []
    needs: list[str] = []
    fixes: list[Say] = []
    unknown: list[str] = list(ctx.missing_subnets())
    smallest: tuple[int, str, int] | None = None
    for subnet in ctx.subnets():
        if subnet.available_ips is None or subnet.cidr is None:
            unknown.append(subnet.id)
            continue
        usable = subnet.cidr.num_addresses - 5
        evidence.append(
            say(
                "subnet_ips",
                subnet=subnet.id,
                az=subnet.az,
                cidr=str(subnet.cidr),
                available=subnet.available_ips,
                usable=usable,
            )
        )
        if smallest is None or subnet.cidr.prefixlen > smallest[0]:
            smallest = (subnet.cidr.prefixlen, subnet.id, usable)
        if subnet.available_ips == 0:
            status = StepStatus.FAIL
            evidence.append(say("exhausted", subnet=subnet.id))
        elif subnet.available_ips < LOW_FREE_IPS and status is not StepStatus.FAIL:
            status = StepStatus.WARN
            evidence.append(
                say("low", subnet=subnet.id, available=subnet.available_ips, threshold=LOW_FREE_IPS)
            )
    if smallest is not None:
        prefix, subnet_id, usable = smallest
        evidence.append(say("smallest", subnet=subnet_id, prefix=prefix, usable=usable))
        if prefix >= TINY_PREFIX:
            evidence.append(say("tiny", subnet=subnet_id, prefix=prefix))
            if status is StepStatus.OK:
                status = StepStatus.WARN

    # Hyperplane ENIs: one per (subnet, security-group set), shared.
    if ctx.known("describe-network-interfaces", account.network_interfaces):
        for subnet_id in ctx.subnet_ids:
            groups: dict[frozenset[str], list[str]] = {}
            for eni in account.network_interfaces.values():
                if eni.is_lambda and eni.subnet_id == subnet_id:
                    groups.setdefault(frozenset(eni.security_group_ids), []).append(eni.id)
            own = frozenset(ctx.sg_ids)
            if own not in groups:
                evidence.append(say("no_eni_yet", subnet=subnet_id, sgs=sorted(own)))
            for sgs, enis in sorted(groups.items(), key=lambda kv: sorted(kv[0])):
                sharing = [f.name for f in account.functions_sharing(subnet_id, tuple(sgs))]
                evidence.append(
                    say(
                        "eni_group",
                        subnet=subnet_id,
                        count=len(enis),
                        enis=enis,
                        sgs=sorted(sgs),
                        functions=sharing or ["-"],
                    )
                )
    else:
        needs.append(ctx.need("describe-network-interfaces"))

    for name, state, code in _blocked(ctx):
        evidence.append(say("function_blocked", name=name, state=state, code=code))
        if name == ctx.name:
            status = StepStatus.FAIL
        elif status is StepStatus.OK:
            status = StepStatus.WARN
        if code == "EniLimitExceeded" and not any(f.key == "eni_quota" for f in fixes):
            fixes.append(say("eni_quota"))

    fn = ctx.function
    if fn.memory_mb:
        concurrency = fn.reserved_concurrency or LEGACY_DEFAULT_CONCURRENCY
        legacy = math.ceil(concurrency * (fn.memory_mb / 1024) / 3)
        evidence.append(
            say(
                "legacy_formula",
                concurrency=concurrency,
                memory_gb=f"{fn.memory_mb / 1024:g}",
                legacy=legacy,
            )
        )

    if unknown and status is not StepStatus.FAIL:
        evidence.append(say("subnets_unknown", subnets=unknown))
        return Outcome(
            status=StepStatus.UNKNOWN,
            evidence=tuple(evidence),
            needs=(ctx.need("describe-subnets"), *needs),
        )
    if status is not StepStatus.OK:
        az = ctx.azs()[0] if ctx.azs() else "{az}"
        # The new subnet takes the route table of the function's subnet in that AZ, so its
        # egress (NAT, endpoints) is the same as today's.
        rtb = "<rtb-…>"
        for subnet_id in ctx.subnet_ids:
            candidate = ctx.account.subnets.get(subnet_id)
            table = ctx.account.route_table_for(subnet_id)
            if candidate is not None and candidate.az == az and table is not None:
                rtb = table.id
                break
        fixes.insert(0, say("bigger_subnet", az=az, route_table=rtb))
    return Outcome(status=status, evidence=tuple(evidence), fixes=tuple(fixes), needs=tuple(needs))

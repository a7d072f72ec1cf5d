"""Step 2, ``public-subnet``: a subnet whose default route is an internet gateway gives the
function no internet (its Hyperplane ENI has no public IP), unless someone pinned an Elastic IP
on that ENI (the "EIP trick" of seed 002, which works with risks)."""

from __future__ import annotations

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say
from vpcdoctor.graph.model import RouteTargetType


def private_subnets_with_nat(ctx: StepContext) -> tuple[str, ...]:
    """One subnet per AZ of the function's VPC whose default route is an available NAT gateway,
    preferring the subnets other functions already use (they are the "app" subnets)."""
    users: dict[str, int] = {}
    for fn in ctx.account.functions.values():
        for subnet_id in fn.vpc.subnet_ids if fn.vpc else ():
            users[subnet_id] = users.get(subnet_id, 0) + 1
    candidates = []
    for subnet in ctx.account.subnets_in_vpc(ctx.vpc_id or ""):
        if subnet.id in ctx.subnet_ids:
            continue
        rtb = ctx.route_table(subnet.id)
        route = ctx.default_route(rtb) if rtb else None
        if route is None or ctx.is_blackhole(route):
            continue
        if route.target_type is RouteTargetType.NAT_GATEWAY:
            nat = ctx.nat(route.target_id)
            if nat is not None and nat.state == "available":
                candidates.append(subnet)
    per_az: dict[str, str] = {}
    for subnet in sorted(candidates, key=lambda s: (-users.get(s.id, 0), s.id)):
        per_az.setdefault(subnet.az, subnet.id)
    return tuple(per_az[az] for az in sorted(per_az))


@register("public-subnet")
def check(ctx: StepContext) -> Outcome:
    if not ctx.in_vpc:
        return Outcome(status=StepStatus.NOT_APPLICABLE, evidence=(say("not_in_vpc"),))
    evidence: list[Say] = []
    needs: list[str] = []
    public: list[str] = []
    with_eip: list[str] = []
    unknown = False
    enis_known = ctx.known("describe-network-interfaces", ctx.account.network_interfaces)
    for subnet_id in ctx.subnet_ids:
        rtb = ctx.route_table(subnet_id)
        if rtb is None:
            unknown = True
            evidence.append(say("route_table_unknown", subnet=subnet_id))
            continue
        route = ctx.default_route(rtb)
        if route is None:
            evidence.append(say("no_default_route", subnet=subnet_id, rtb=rtb.id))
            continue
        if route.target_type is not RouteTargetType.INTERNET_GATEWAY:
            evidence.append(
                say("private_route", subnet=subnet_id, rtb=rtb.id, target=route.target_id)
            )
            continue
        public.append(subnet_id)
        enis = ctx.account.hyperplane_enis(subnet_id, ctx.sg_ids)
        eips = []
        for eni in enis:
            eip = ctx.account.elastic_ip_for_eni(eni.id)
            public_ip = eip.public_ip if eip else eni.public_ip
            if public_ip is not None:
                eips.append((eni.id, str(public_ip)))
        if eips and len(eips) == len(enis):
            with_eip.append(subnet_id)
            for eni_id, ip in eips:
                evidence.append(
                    say(
                        "eip_trick",
                        subnet=subnet_id,
                        rtb=rtb.id,
                        igw=route.target_id,
                        eni=eni_id,
                        ip=ip,
                    )
                )
            sharing = [f.name for f in ctx.account.functions_sharing(subnet_id, ctx.sg_ids)]
            evidence.append(say("eip_shared", subnet=subnet_id, functions=sharing))
        else:
            evidence.append(say("public_route", subnet=subnet_id, rtb=rtb.id, igw=route.target_id))
            if not enis_known:
                needs.append(ctx.need("describe-network-interfaces"))
                needs.append(ctx.need("describe-addresses"))
    if not public:
        if unknown or ctx.missing_subnets():
            return Outcome(
                status=StepStatus.UNKNOWN,
                evidence=tuple(evidence),
                needs=(ctx.need("describe-route-tables"),),
            )
        return Outcome(status=StepStatus.OK, evidence=tuple(evidence))

    params = {"public_subnets": public}
    nat_subnets = list(private_subnets_with_nat(ctx))
    fixes: list[Say] = []
    if nat_subnets:
        fixes.append(say("move_to_nat_subnets", nat_subnet_ids_csv=",".join(nat_subnets), **params))
    first = ctx.account.subnets.get(public[0])
    fixes.append(
        say(
            "private_subnet_nat",
            public_subnet_id=public[0],
            az=first.az if first else "<AZ>",
            **params,
        )
    )
    if len(with_eip) == len(public):
        evidence.append(say("eip_risks"))
        return Outcome(
            status=StepStatus.WARN,
            evidence=tuple(evidence),
            fixes=tuple(fixes),
            needs=tuple(dict.fromkeys(needs)),
        )
    return Outcome(
        status=StepStatus.FAIL,
        evidence=tuple(evidence),
        fixes=tuple(fixes),
        needs=tuple(dict.fromkeys(needs)),
    )

"""Step 5, ``nat-endpoints``: how the function's subnets leave the VPC, what it costs, and the
endpoints that would make AWS API traffic cheaper or possible at all.

S3 and DynamoDB through a NAT gateway pay NAT data processing where a gateway endpoint is free;
the AWS APIs a function usually calls (logs, sts, kms, secretsmanager, ssm; ecr.api, ecr.dkr and
S3 for image functions) need an interface endpoint or NAT. The monthly fixed cost of what is
there and of the suggested endpoints comes from ``knowledge/prices.toml``.
"""

from __future__ import annotations

from vpcdoctor.diagnostics.checks import register
from vpcdoctor.diagnostics.checks.context import StepContext
from vpcdoctor.diagnostics.findings import Outcome, Say, StepStatus, say
from vpcdoctor.graph.model import EndpointType, NatConnectivity, RouteTargetType
from vpcdoctor.knowledge import HOURS_PER_MONTH, prices

GATEWAY_SERVICES = ("s3", "dynamodb")
LIKELY_SERVICES = ("logs", "sts", "kms", "secretsmanager", "ssm")
IMAGE_SERVICES = ("ecr.api", "ecr.dkr")
APPENDIX_A = ("logs", "kms", "sts", "ecr.api", "ecr.dkr")
"""Seed 000, appendix A: the interface endpoint set that makes a VPC Lambda NAT-less."""


def _money(value: float) -> str:
    """Dollars; unit prices below $1 keep three decimals ($0.062), totals two ($90.52)."""
    return f"${value:,.3f}" if 0 < value < 1 else f"${value:,.2f}"


def likely_services(ctx: StepContext) -> tuple[str, ...]:
    services = list(LIKELY_SERVICES)
    if ctx.function.package_type == "Image":
        services += IMAGE_SERVICES
    return tuple(services)


@register("nat-endpoints")
def check(ctx: StepContext) -> Outcome:
    if not ctx.in_vpc:
        return Outcome(status=StepStatus.NOT_APPLICABLE, evidence=(say("not_in_vpc"),))
    account = ctx.account
    evidence: list[Say] = []
    needs: list[str] = []
    status = StepStatus.OK

    def worse(new: StepStatus) -> None:
        nonlocal status
        if new.severity > status.severity:
            status = new

    nats_used: dict[str, str | None] = {}
    egress_by_subnet: dict[str, str] = {}
    for subnet in ctx.subnets():
        rtb = ctx.route_table(subnet.id)
        if rtb is None:
            worse(StepStatus.UNKNOWN)
            evidence.append(say("route_table_unknown", subnet=subnet.id))
            needs.append(ctx.need("describe-route-tables"))
            continue
        route = ctx.default_route(rtb)
        if route is None:
            egress_by_subnet[subnet.id] = "none"
            evidence.append(say("route_none", subnet=subnet.id, az=subnet.az, rtb=rtb.id))
            continue
        if ctx.is_blackhole(route):
            egress_by_subnet[subnet.id] = "blackhole"
            worse(StepStatus.FAIL)
            evidence.append(
                say(
                    "route_blackhole",
                    subnet=subnet.id,
                    az=subnet.az,
                    rtb=rtb.id,
                    target=route.target_id,
                )
            )
            continue
        evidence.append(
            say("route_egress", subnet=subnet.id, az=subnet.az, rtb=rtb.id, target=route.target_id)
        )
        if route.target_type is RouteTargetType.NAT_GATEWAY:
            egress_by_subnet[subnet.id] = "nat"
            nat = ctx.nat(route.target_id)
            if nat is None:
                worse(StepStatus.UNKNOWN)
                evidence.append(say("nat_unknown", nat=route.target_id))
                needs.append(ctx.need("describe-nat-gateways"))
                continue
            nat_az = ctx.nat_az(nat)
            nats_used[nat.id] = nat_az
            if nat.state != "available":
                worse(StepStatus.FAIL)
                evidence.append(
                    say(
                        "nat_unusable",
                        nat=nat.id,
                        state=str(nat.state),
                        code=nat.failure_code or "-",
                    )
                )
            elif nat.connectivity is NatConnectivity.PRIVATE:
                worse(StepStatus.FAIL)
                evidence.append(say("nat_private", nat=nat.id))
            if nat_az and nat_az != subnet.az:
                worse(StepStatus.WARN)
                evidence.append(
                    say("nat_cross_az", subnet=subnet.id, az=subnet.az, nat=nat.id, nat_az=nat_az)
                )
        elif route.target_type is RouteTargetType.INTERNET_GATEWAY:
            egress_by_subnet[subnet.id] = "igw"
        elif route.target_type is RouteTargetType.TRANSIT_GATEWAY:
            # centralized egress: the NAT (if any) is in another VPC, often another account
            egress_by_subnet[subnet.id] = f"tgw:{route.target_id}"
        else:
            egress_by_subnet[subnet.id] = "other"

    # NAT gateways per AZ of the VPC.
    vpc_nats = [
        n
        for n in account.nat_gateways.values()
        if n.vpc_id == ctx.vpc_id and n.state in ("available", "pending")
    ]
    per_az: dict[str, list[str]] = {}
    for nat in vpc_nats:
        per_az.setdefault(ctx.nat_az(nat) or "?", []).append(nat.id)
    for az in sorted(set(per_az) | set(ctx.azs())):
        evidence.append(
            say(
                "nats_in_az", az=az, count=len(per_az.get(az, [])), nats=per_az.get(az, []) or ["-"]
            )
        )

    endpoints_known = ctx.known("describe-vpc-endpoints", account.vpc_endpoints)
    if not endpoints_known:
        worse(StepStatus.UNKNOWN)
        needs.append(ctx.need("describe-vpc-endpoints"))
        return Outcome(status=status, evidence=tuple(evidence), needs=tuple(dict.fromkeys(needs)))

    # Gateway endpoints, per route table the function uses.
    missing_gateway: list[str] = []
    for rtb in ctx.route_tables():
        route = ctx.default_route(rtb)
        via_nat = route is not None and route.target_type is RouteTargetType.NAT_GATEWAY
        for service in GATEWAY_SERVICES:
            ep = ctx.gateway_endpoint(service, rtb)
            if ep is not None:
                evidence.append(say("gateway_present", service=service, vpce=ep.id, rtb=rtb.id))
                continue
            if service not in missing_gateway:
                missing_gateway.append(service)
            if via_nat and route is not None:
                worse(StepStatus.WARN)
                evidence.append(
                    say("gateway_missing_via_nat", service=service, rtb=rtb.id, nat=route.target_id)
                )
    if ctx.function.package_type == "Image":
        evidence.append(say("image_package"))

    # Interface endpoints for the APIs the function likely calls.
    present: list[str] = []
    missing: list[str] = []
    for service in likely_services(ctx):
        ep = ctx.interface_endpoint(service)
        if ep is None:
            missing.append(service)
            continue
        present.append(service)
        evidence.append(
            say(
                "interface_present",
                service=service,
                vpce=ep.id,
                dns="on" if ep.private_dns_enabled else "off",
            )
        )
        if not ep.private_dns_enabled:
            worse(StepStatus.WARN)
            evidence.append(say("interface_no_private_dns", service=service, vpce=ep.id))
    has_nat = any(v == "nat" for v in egress_by_subnet.values())
    transit = sorted({v[4:] for v in egress_by_subnet.values() if v.startswith("tgw:")})
    if missing:
        if has_nat:
            evidence.append(say("interface_missing_via_nat", services=missing))
        elif transit:
            evidence.append(say("interface_missing_via_transit", services=missing, tgw=transit))
        elif egress_by_subnet:
            worse(StepStatus.WARN)
            evidence.append(say("interface_missing_no_egress", services=missing))

    # Money: what is there, and what the suggestion adds.
    suggested = [s for s in (*APPENDIX_A, *LIKELY_SERVICES) if ctx.interface_endpoint(s) is None]
    suggested = list(dict.fromkeys(suggested))
    price = prices(ctx.region, ctx.prices_override)
    fn_azs = max(1, len(ctx.azs()))
    if price is None:
        evidence.append(say("cost_no_prices", region=ctx.region or "?"))
    else:
        vpc_interface = [
            e
            for e in account.vpc_endpoints.values()
            if e.vpc_id == ctx.vpc_id and e.type is EndpointType.INTERFACE
        ]
        ep_azs = sum(max(1, len(e.subnet_ids)) for e in vpc_interface)
        nat_month = price.nat_gateway_hour * HOURS_PER_MONTH * len(vpc_nats)
        ep_month = price.interface_endpoint_az_hour * HOURS_PER_MONTH * ep_azs
        common = {"region": price.region, "date": price.looked_up}
        evidence.append(
            say(
                "cost_now",
                nat_count=len(vpc_nats),
                nat_month=_money(nat_month),
                nat_hour=_money(price.nat_gateway_hour),
                ep_azs=ep_azs,
                ep_month=_money(ep_month),
                total=_money(nat_month + ep_month),
                **common,
            )
        )
        if suggested or missing_gateway:
            add = price.interface_endpoint_az_hour * HOURS_PER_MONTH * fn_azs * len(suggested)
            evidence.append(
                say(
                    "cost_change",
                    count=len(suggested),
                    services=suggested or ["-"],
                    azs=fn_azs,
                    month=_money(add),
                    gateways=missing_gateway or ["-"],
                    **common,
                )
            )
        evidence.append(
            say(
                "cost_per_gb",
                nat_gb=_money(price.nat_gateway_gb),
                ep_gb=_money(price.interface_endpoint_gb),
                **common,
            )
        )

    fixes: list[Say] = []
    if suggested or missing_gateway:
        dns = ctx.vpc_id in account.vpcs and (
            account.vpcs[ctx.vpc_id or ""].enable_dns_hostnames is False
            or account.vpcs[ctx.vpc_id or ""].enable_dns_support is False
        )
        fixes.append(say("endpoints_intro"))
        if dns:
            fixes.append(say("dns_attributes"))
        for service in missing_gateway:
            fixes.append(
                say(
                    "gateway_endpoint",
                    service=service,
                    resource=_cfn_name(service) + "GatewayEndpoint",
                )
            )
        if suggested:
            # An interface endpoint takes at most one subnet per AZ.
            subnet_per_az: dict[str, str] = {}
            for subnet in ctx.subnets():
                subnet_per_az.setdefault(subnet.az, subnet.id)
            ep_subnets = list(subnet_per_az.values()) or list(ctx.subnet_ids)
            fixes.append(say("endpoint_sg"))
            for service in suggested:
                fixes.append(
                    say(
                        "interface_endpoint",
                        service=service,
                        resource=_cfn_name(service) + "Endpoint",
                        endpoint_subnet_ids=" ".join(ep_subnets),
                        endpoint_subnet_ids_yaml="[" + ", ".join(ep_subnets) + "]",
                    )
                )
    return Outcome(
        status=status,
        evidence=tuple(evidence),
        fixes=tuple(fixes),
        needs=tuple(dict.fromkeys(needs)),
    )


def _cfn_name(service: str) -> str:
    return "".join(part.capitalize() for part in service.replace("-", ".").split("."))

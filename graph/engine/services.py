"""AWS service targets (R6): which way a function's call to a service goes, from one subnet.

An interface endpoint of the service in the VPC with private DNS on (and both DNS attributes on)
answers the service's name with its interfaces: the destinations are those interfaces. An
endpoint-specific name (``vpce-….<service>.<region>.vpce.amazonaws.com``) reaches its endpoint
whatever private DNS says. Otherwise the name is the service's public endpoint: a gateway
endpoint's prefix-list route (S3, DynamoDB) in the subnet's table carries it inside AWS, else the
internet path (NAT). An endpoint that would have carried it but is bypassed by a mistake
(private DNS off, DNS hostnames off, not associated with the subnet's route table) is a ``skip``
hop that becomes the blocking one when the path fails: that mistake is what to fix.
(privatelink/gateway-endpoints.html, vpc-endpoints-s3.html, reference_sts_vpc_endpoint_create.html)
"""

from __future__ import annotations

import re

from vpcdoctor.graph.engine.destinations import Destination
from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.fixes import in_vpc
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.model import EndpointType, IPNetwork, LambdaFunction, Subnet, VpcEndpoint
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import Evidence, FixOption, Hop, HopKind, HopStatus, Target

GATEWAY_SERVICES = frozenset({"s3", "dynamodb"})
_FLAGS = {
    "enableDnsSupport": "--enable-dns-support",
    "enableDnsHostnames": "--enable-dns-hostnames",
}
PASS, FAIL, UNKNOWN, SKIP = HopStatus.PASS, HopStatus.FAIL, HopStatus.UNKNOWN, HopStatus.SKIP


def _hop(
    resource: str | None,
    kind: HopKind,
    status: HopStatus,
    code: str,
    detail: str,
    *,
    subnet: str | None,
    evidence: tuple[tuple[str, str], ...] = (),
    fixes: tuple[FixOption, ...] = (),
    needs: str | None = None,
) -> Hop:
    from vpcdoctor.graph.engine.hops.common import fix_text

    return Hop(
        resource=resource,
        kind=kind,
        status=status,
        code=code,
        detail=detail,
        evidence=tuple(Evidence(resource=r, text=t) for r, t in evidence),
        fix=fix_text(fixes),
        needs=needs,
        subnet=subnet,
        fixes=fixes,
    )


def service_region(host: str) -> str | None:
    m = re.search(r"\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$", host)
    return m.group(1) if m else None


def names_endpoint(host: str, vpce: VpcEndpoint) -> bool:
    """True when ``host`` is one of the endpoint's own DNS names (Regional or zonal; for S3 a
    bucket name may precede it)."""
    host = host.rstrip(".").lower()
    if not host.endswith(".vpce.amazonaws.com"):
        return False
    names = [d.dns_name.rstrip(".").lower() for d in vpce.dns_entries if d.dns_name]
    if any(host == n or host.endswith("." + n) for n in names):
        return True
    return any(label == vpce.id or label.startswith(vpce.id + "-") for label in host.split("."))


def _names_zone(host: str, az: str) -> bool:
    first = host.rstrip(".").lower().split(".")[0]
    return host.endswith(".vpce.amazonaws.com") and first.endswith("-" + az)


def resolve(net: Network, fn: LambdaFunction, target: Target, subnet: Subnet) -> list[Destination]:
    """The destinations of an AWS service target from ``subnet`` (each with its leading hops)."""
    service = target.service or ""
    vpc_id = subnet.vpc_id
    vpc = net.vpc(vpc_id)
    endpoints = [e for e in in_vpc(net, vpc_id, VpcEndpoint) if isinstance(e, VpcEndpoint)]
    hops: list[Hop] = []
    promotable: list[int] = []
    alternatives: list[FixOption] = []
    region = service_region(target.host)
    other_region = region is not None and net.region is not None and region != net.region
    if other_region:
        hops.append(
            _hop(
                target.host,
                HopKind.DNS,
                SKIP,
                "VPCE_OTHER_REGION",
                f"{target.host} is in {region}; endpoints in {net.region} do not serve it: the "
                "internet path applies.",
                subnet=subnet.id,
            )
        )
        endpoints = []
    if not other_region and not net.has("describe-vpc-endpoints", of=vpc_id):
        # Which path the traffic takes is decided by endpoints the snapshot does not list: any
        # verdict taken from the internet path alone could be wrong either way.
        return [
            Destination(
                endpoint=Endpoint.public(label=service),
                hops=(
                    _hop(
                        vpc_id,
                        HopKind.VPC_ENDPOINT,
                        UNKNOWN,
                        "VPCE_UNKNOWN",
                        f"Whether a VPC endpoint of {vpc_id} serves {service} (which decides the "
                        "path) is not known: the snapshot has no VPC endpoints output.",
                        subnet=subnet.id,
                        needs=net.needs("describe-vpc-endpoints"),
                    ),
                ),
                walk=False,
            )
        ]
    interface = [
        e for e in endpoints if e.type is EndpointType.INTERFACE and e.service_short_name == service
    ]
    gateway = [
        e for e in endpoints if e.type is EndpointType.GATEWAY and e.service_short_name == service
    ]
    specific = next((e for e in interface if names_endpoint(target.host, e)), None)
    if specific is not None:
        return _interface(net, target, subnet, specific, hops)
    for vpce in interface:
        if target.host == "sts.amazonaws.com":
            hops.append(
                _hop(
                    vpce.id,
                    HopKind.VPC_ENDPOINT,
                    SKIP,
                    "VPCE_GLOBAL_ENDPOINT",
                    f"{vpce.id} serves the Regional STS endpoint; sts.amazonaws.com (the global "
                    "name) still resolves to public addresses. Call sts.<region>.amazonaws.com.",
                    subnet=subnet.id,
                )
            )
            break
        if not vpce.private_dns_enabled:
            shown = target.host if "." in target.host else service
            cmd = aws(
                "ec2",
                "modify-vpc-endpoint",
                "--vpc-endpoint-id",
                Arg("vpc-endpoint", vpce.id),
                "--private-dns-enabled",
            )
            hops.append(
                _hop(
                    vpce.id,
                    HopKind.VPC_ENDPOINT,
                    SKIP,
                    "VPCE_PRIVATE_DNS_DISABLED",
                    f"{vpce.id} has private DNS off: {shown} resolves to the service's public "
                    "addresses, not to the endpoint (only its own vpce-… names reach it).",
                    subnet=subnet.id,
                    evidence=((vpce.id, "PrivateDnsEnabled=false"),),
                    fixes=(
                        FixOption(summary=f"turn on private DNS of {vpce.id}", commands=(cmd,)),
                    ),
                )
            )
            promotable.append(len(hops) - 1)
            continue
        support = vpc.enable_dns_support if vpc else None
        hostnames = vpc.enable_dns_hostnames if vpc else None
        if support is False or hostnames is False:
            off = [
                n
                for n, v in (("enableDnsSupport", support), ("enableDnsHostnames", hostnames))
                if v is False
            ]
            commands = tuple(
                aws("ec2", "modify-vpc-attribute", "--vpc-id", Arg("vpc", vpc_id), _FLAGS[n])
                for n in off
            )
            hops.append(
                _hop(
                    vpc_id,
                    HopKind.VPC,
                    SKIP,
                    "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES"
                    if hostnames is False
                    else "DNS_PRIVATE_DNS_NEEDS_DNS_SUPPORT",
                    f"{vpce.id} has private DNS on, but {vpc_id} has {' and '.join(off)} off: "
                    "private DNS needs both, so the service name resolves to public addresses and "
                    "the traffic takes the internet path.",
                    subnet=subnet.id,
                    evidence=tuple((vpc_id, f"{n}=false") for n in off),
                    fixes=(
                        FixOption(
                            summary=f"turn on {' and '.join(off)} of {vpc_id}", commands=commands
                        ),
                    ),
                )
            )
            promotable.append(len(hops) - 1)
            alternatives.append(
                FixOption(
                    summary=f"or turn on {' and '.join(off)} of {vpc_id} so {vpce.id} is used",
                    commands=commands,
                )
            )
            continue
        if support is None or hostnames is None:
            hops.append(
                _hop(
                    vpc_id,
                    HopKind.VPC,
                    UNKNOWN,
                    "VPC_DNS_ATTRIBUTES_UNKNOWN",
                    f"{vpce.id} has private DNS on; whether it applies depends on {vpc_id}'s "
                    "enableDnsSupport and enableDnsHostnames, which are not in the snapshot.",
                    subnet=subnet.id,
                    needs=net.needs("describe-vpc-attribute-enableDnsHostnames", vpc_id),
                )
            )
        return _interface(net, target, subnet, vpce, hops)
    # Gateway endpoint: a prefix-list route in the subnet's table (more specific than 0/0).
    pls: set[str] = set()
    rtb = net.route_table_of(subnet.id)
    if gateway and rtb is not None:
        for e in net.routes(rtb.id):
            if e.route.prefix_list_id and any(e.route.target_id == g.id for g in gateway):
                pls.add(e.route.prefix_list_id)
        if not pls:
            g = gateway[0]
            cmd = aws(
                "ec2",
                "modify-vpc-endpoint",
                "--vpc-endpoint-id",
                Arg("vpc-endpoint", g.id),
                "--add-route-table-ids",
                Arg("route-table", rtb.id),
            )
            hops.append(
                _hop(
                    g.id,
                    HopKind.VPC_ENDPOINT,
                    SKIP,
                    "VPCE_NOT_ASSOCIATED",
                    f"Gateway endpoint {g.id} ({service}) is not associated with {rtb.id}, the "
                    "route "
                    f"table of {subnet.id}: its traffic follows the default route.",
                    subnet=subnet.id,
                    evidence=((g.id, f"RouteTableIds={','.join(g.route_table_ids) or 'none'}"),),
                    fixes=(
                        FixOption(
                            summary=f"associate {g.id} with {rtb.id} (no charge)", commands=(cmd,)
                        ),
                    ),
                )
            )
            alternatives.insert(
                0,
                FixOption(
                    summary=f"associate {g.id} with {rtb.id} (a gateway endpoint, no charge)",
                    commands=(cmd,),
                ),
            )
    region_name = net.region or "<region>"
    if not interface and not gateway and not other_region and service not in GATEWAY_SERVICES:
        alternatives.append(
            FixOption(
                summary=f"or an interface endpoint for {service} in {vpc_id} (its security group "
                "must allow 443 from the function)",
                commands=(
                    aws(
                        "ec2",
                        "create-vpc-endpoint",
                        "--vpc-id",
                        Arg("vpc", vpc_id),
                        "--vpc-endpoint-type",
                        "Interface",
                        "--service-name",
                        Arg("service-name", f"com.amazonaws.{region_name}.{service}"),
                        "--subnet-ids",
                        Arg("subnet", subnet.id),
                        "--security-group-ids",
                        "<security-group-allowing-443-from-the-function>",
                        "--private-dns-enabled",
                    ),
                ),
            )
        )
    elif not gateway and service in GATEWAY_SERVICES and not other_region:
        alternatives.append(
            FixOption(
                summary=f"or a gateway endpoint for {service} (no charge)",
                commands=(
                    aws(
                        "ec2",
                        "create-vpc-endpoint",
                        "--vpc-id",
                        Arg("vpc", vpc_id),
                        "--service-name",
                        Arg("service-name", f"com.amazonaws.{region_name}.{service}"),
                        "--route-table-ids",
                        Arg("route-table", rtb.id) if rtb else "<route-table>",
                    ),
                ),
            )
        )
    nets: tuple[IPNetwork, ...] = ()
    for pl in sorted(pls):
        entries = net.prefix_list_cidrs(pl)
        if entries:
            nets = tuple(entries)
    dest = Endpoint.public(label=f"{service} (public endpoint)", prefix_lists=pls, nets=nets)
    return [
        Destination(
            endpoint=dest,
            label=dest.label,
            hops=tuple(hops),
            promotable=tuple(promotable),
            alternatives=tuple(alternatives),
        )
    ]


def _interface(
    net: Network, target: Target, subnet: Subnet, vpce: VpcEndpoint, hops: list[Hop]
) -> list[Destination]:
    """Every interface of the endpoint the name can answer with (the function may get any)."""
    evidence = (
        (
            vpce.id,
            f"{vpce.service_name}, {vpce.type}, State={vpce.state}, "
            f"PrivateDnsEnabled={vpce.private_dns_enabled}",
        ),
    )
    if vpce.state.lower() != "available":
        return [
            Destination(
                endpoint=Endpoint.public(label=vpce.id),
                hops=(
                    *hops,
                    _hop(
                        vpce.id,
                        HopKind.VPC_ENDPOINT,
                        FAIL,
                        "BAD_STATE",
                        f"Interface endpoint {vpce.id} is {vpce.state}, not available; with "
                        "private "
                        "DNS the service's name still points at it.",
                        subnet=subnet.id,
                        evidence=evidence,
                        fixes=(
                            FixOption(
                                summary="look at why, then accept or recreate it",
                                commands=(
                                    aws(
                                        "ec2",
                                        "describe-vpc-endpoints",
                                        "--vpc-endpoint-ids",
                                        Arg("vpc-endpoint", vpce.id),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
                walk=False,
            )
        ]
    choices: list[tuple[str, str | None, Subnet | None]] = []
    for n, subnet_id in enumerate(vpce.subnet_ids):
        eni_id = vpce.network_interface_ids[n] if n < len(vpce.network_interface_ids) else None
        choices.append((subnet_id, eni_id, net.subnet(subnet_id)))
    if not choices:
        for eni_id in vpce.network_interface_ids:
            eni = net.eni(eni_id)
            if eni is not None:
                choices.append((eni.subnet_id, eni.id, net.subnet(eni.subnet_id)))
    if not choices:
        cmd = aws(
            "ec2",
            "modify-vpc-endpoint",
            "--vpc-endpoint-id",
            Arg("vpc-endpoint", vpce.id),
            "--add-subnet-ids",
            Arg("subnet", subnet.id),
        )
        return [
            Destination(
                endpoint=Endpoint.public(label=vpce.id),
                hops=(
                    *hops,
                    _hop(
                        vpce.id,
                        HopKind.VPC_ENDPOINT,
                        FAIL,
                        "VPCE_SERVICE_NOT_INSTALLED_IN_AZ",
                        f"Interface endpoint {vpce.id} has no subnet, so no network interface "
                        "answers.",
                        subnet=subnet.id,
                        evidence=evidence,
                        fixes=(FixOption(summary=f"give {vpce.id} a subnet", commands=(cmd,)),),
                    ),
                ),
                walk=False,
            )
        ]
    same_az = [c for c in choices if c[2] is not None and c[2].az == subnet.az]
    warnings: tuple[tuple[str, str, str | None], ...] = ()
    if not same_az:
        warnings = (
            (
                "VPCE_CROSS_AZ",
                f"{vpce.id} has no network interface in {subnet.az}: the function uses one in "
                "another AZ (cross-AZ data charges; fails with that AZ).",
                vpce.id,
            ),
        )
    zonal = [c for c in choices if c[2] is not None and _names_zone(target.host, c[2].az)]
    ordered = zonal or same_az + [c for c in choices if c not in same_az]
    out = []
    for subnet_id, eni_id, esubnet in ordered:
        eni = net.eni(eni_id)
        if eni is not None and eni.primary_ip is not None:
            endpoint = Endpoint.address(eni.primary_ip, f"{vpce.id} ({eni.primary_ip})")
        elif esubnet is not None and esubnet.cidr is not None:
            endpoint = Endpoint.network(esubnet.cidr, f"{vpce.id} in {esubnet.id}")
        else:
            out.append(
                Destination(
                    endpoint=Endpoint.public(label=vpce.id),
                    hops=(
                        *hops,
                        _hop(
                            subnet_id,
                            HopKind.SUBNET,
                            UNKNOWN,
                            "UNKNOWN_RESOURCE",
                            f"The subnet {subnet_id} of {vpce.id} is not in the snapshot.",
                            subnet=subnet.id,
                            needs=net.needs("describe-subnets"),
                        ),
                    ),
                    walk=False,
                )
            )
            continue
        lead = _hop(
            vpce.id,
            HopKind.VPC_ENDPOINT,
            PASS,
            "VPCE_INTERFACE",
            (
                f"The endpoint-specific name {target.host} resolves to interface endpoint "
                f"{vpce.id} "
                if names_endpoint(target.host, vpce)
                else f"Private DNS sends {target.service} to interface endpoint {vpce.id} "
            )
            + f"(network interface {eni_id or '?'} in {subnet_id}).",
            subnet=subnet.id,
            evidence=evidence,
        )
        out.append(
            Destination(
                endpoint=endpoint,
                label=endpoint.label,
                resource=vpce.id,
                groups=tuple(vpce.security_group_ids),
                subnets=(subnet_id,),
                peer_groups=tuple(vpce.security_group_ids),
                hops=(*hops, lead),
                warnings=warnings,
            )
        )
    return out

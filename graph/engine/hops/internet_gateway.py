"""An internet gateway (R4): attached to the VPC, and the sender has a public address.

A Lambda Hyperplane ENI never has a public IP (a public subnet gives a function no internet);
a NAT gateway's traffic leaves with its Elastic IP; an Elastic IP on the Lambda ENI works but is
an unsupported trick (warned). Only globally routed destinations leave through it (the special-
use ranges of RFC 6890 never do). VPC Block Public Access in ``block-bidirectional`` mode drops
all of it; ``block-ingress`` drops the replies to anything but a NAT gateway
(API_BlockPublicAccessStates.html). On the way back the gateway hands the reply to the address
it translated (the NAT's interface, the ENI with the Elastic IP).
"""

from __future__ import annotations

from vpcdoctor.graph.engine import fixes
from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, hop, not_in_snapshot, option
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import InternetGateway, IPAddress, NatGateway
from vpcdoctor.graph.model.addresses import describe, is_internet
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import HopKind


def _vpc_of_subnet(w: Walk, subnet: str | None) -> str | None:
    return w.net.vpc_of(subnet) if subnet else None


def block_public_access(
    w: Walk, at: At, vpc_id: str, *, ingress_only_ok: bool, subnet: str | None = None
) -> Step | None:
    """A failing step when VPC Block Public Access drops this traffic (None: it does not).

    Every flow vpcdoctor checks starts inside the VPC, so an exclusion of the VPC or of the
    subnet the traffic reaches the gateway from — ``allow-bidirectional`` or ``allow-egress`` —
    exempts it; ``block-ingress`` still lets a NAT gateway's (and an egress-only gateway's)
    connections through, ``block-bidirectional`` nothing (API_BlockPublicAccessStates.html).
    """
    mode, exclusion = w.net.account.block_public_access_for(vpc_id, subnet or at.subnet)
    if mode in (None, "off"):
        return None
    if exclusion in ("allow-bidirectional", "allow-egress"):
        return None
    if mode == "block-ingress" and ingress_only_ok:
        return None
    return Step(
        hops=(
            hop(
                w,
                at,
                FAIL,
                "VPC_BLOCK_PUBLIC_ACCESS_ENABLED",
                f"VPC Block Public Access is {mode} in this Region and {vpc_id} is not excluded: "
                f"traffic {'to and from' if mode == 'block-bidirectional' else 'into'} internet "
                "gateways is dropped.",
                resource=vpc_id,
                kind=HopKind.BLOCK_PUBLIC_ACCESS,
                evidence=[
                    (vpc_id, f"InternetGatewayBlockMode={mode}, exclusion={exclusion or 'none'}")
                ],
                fixes=[
                    option(
                        f"exclude {vpc_id} from Block Public Access (or turn it off)",
                        aws(
                            "ec2",
                            "create-vpc-block-public-access-exclusion",
                            "--vpc-id",
                            Arg("vpc", vpc_id),
                            "--internet-gateway-exclusion-mode",
                            "allow-bidirectional" if not ingress_only_ok else "allow-egress",
                        ),
                    )
                ],
            ),
        ),
        end=Disposition.DENIED,
    )


@handles(HopKind.INTERNET_GATEWAY)
def internet_gateway(w: Walk, at: At) -> Step:
    net = w.net
    igw = net.obj(at.node)
    packet = w.packet
    if not isinstance(igw, InternetGateway):
        return not_in_snapshot(w, at, "describe-internet-gateways")
    if packet.reply:  # from the internet back into the VPC the request left
        vpc_id = w.exit_vpc or ""
        blocked = block_public_access(
            w, at, vpc_id, ingress_only_ok=_sender_is_nat(w), subnet=w.exit_subnet
        )
        if blocked is not None:
            return blocked
        return Step(
            then=(
                At(
                    node=vpc_id,
                    kind=HopKind.VPC,
                    stage=Stage.ENTER,
                    subnet=None,
                    data={"from": None},
                ),
            )
        )
    vpc_id = _vpc_of_subnet(w, at.subnet) or ""
    dst = packet.dst
    if dst.ip is not None and not is_internet(dst.ip):
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "CANNOT_ROUTE",
                    f"{describe(dst.ip)}: an internet gateway never carries it"
                    + (" (a private address)" if dst.ip.is_private else "")
                    + "."
                    + _elsewhere(w, vpc_id, dst.ip),
                    evidence=[
                        (
                            at.node,
                            str(
                                route.route
                                if (route := (at.data or {}).get("route")) is not None
                                else at.node
                            ),
                        )
                    ],
                ),
            ),
            end=Disposition.NO_ROUTE,
        )
    if not net.attached(igw.id, vpc_id):
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "BAD_STATE_ATTACHMENT",
                    f"{igw.id} is not attached to {vpc_id}.",
                    evidence=[
                        (
                            igw.id,
                            ", ".join(f"{a.vpc_id}:{a.state}" for a in igw.attachments)
                            or "detached",
                        )
                    ],
                    fixes=[
                        option(
                            f"attach {igw.id} to {vpc_id}",
                            aws(
                                "ec2",
                                "attach-internet-gateway",
                                "--internet-gateway-id",
                                Arg("internet-gateway", igw.id),
                                "--vpc-id",
                                Arg("vpc", vpc_id),
                            ),
                        )
                    ],
                ),
            ),
            end=Disposition.DENIED,
        )
    blocked = block_public_access(w, at, vpc_id, ingress_only_ok=_sender_is_nat(w))
    if blocked is not None:
        return blocked
    exit_step = Step(
        then=(At(node="internet", kind=HopKind.INTERNET, stage=Stage.ENTER, subnet=at.subnet),)
    )
    w.exit_gateway, w.exit_vpc, w.exit_subnet = igw.id, vpc_id, at.subnet
    if packet.nat:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    PASS,
                    "IGW_ATTACHED",
                    f"{igw.id} is attached to {vpc_id}.",
                    evidence=[(igw.id, "attached")],
                ),
            ),
            then=exit_step.then,
        )
    if dst.version == 6:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    PASS,
                    "IGW_IPV6_EGRESS",
                    f"{igw.id} carries the ENI's IPv6 traffic (IPv6 addresses are public).",
                    evidence=[(igw.id, "attached")],
                ),
            ),
            then=exit_step.then,
        )
    return _from_function(w, at, igw, exit_step)


def _sender_is_nat(w: Walk) -> bool:
    return bool(w.packet.nat) and isinstance(w.net.obj(w.packet.nat[-1].node), NatGateway)


def _from_function(w: Walk, at: At, igw: InternetGateway, exit_step: Step) -> Step:
    """The function itself sends to the internet gateway: only an Elastic IP on its ENI works."""
    net = w.net
    origin = w.origin
    dst = w.packet.dst
    eni = net.eni(origin.eni) if origin else None
    sub = net.subnet(at.subnet)
    public = None
    if eni is not None:
        eip = net.account.elastic_ip_for_eni(eni.id)
        public = eip.public_ip if eip is not None else eni.public_ip
    elif sub is not None:
        # The ENI is not in the snapshot: only the Elastic IPs can tell whether an address of
        # this subnet carries a public IP (the unsupported EIP-on-Lambda-ENI trick).
        candidates = [
            e
            for e in net.account.elastic_ips.values()
            if e.private_ip is not None
            and sub.cidr is not None
            and e.private_ip in sub.cidr
            and (e.network_interface_id or "") not in net.account.network_interfaces
        ]
        if candidates or not net.has("describe-addresses"):
            shown = ", ".join(f"{e.public_ip} ({e.private_ip})" for e in candidates)
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        UNKNOWN,
                        "IGW_PUBLIC_IP_UNKNOWN",
                        f"{sub.id} routes {dst.label} to {igw.id}; that works only if the "
                        "function's Hyperplane ENI carries a public address, and that ENI is "
                        "not in the snapshot"
                        + (
                            f" (Elastic IPs on unknown interfaces of this subnet: {shown})."
                            if shown
                            else "."
                        ),
                        needs=net.needs("describe-network-interfaces"),
                    ),
                ),
                end=Disposition.UNKNOWN,
            )
    if public is not None and eni is not None:
        w.warn(
            "EIP_ON_LAMBDA_ENI",
            f"{eni.id} carries the public address {public}, so {igw.id} passes its traffic. "
            "This is an unsupported trick, fit for experiments only: Lambda may delete or "
            "recreate the ENI at any time (and reclaims it after an idle period), new ENIs "
            "past 65,000 connections or in other subnets have no public address, and EC2 "
            "refuses EIPs on requester-managed ENIs today. Use a NAT gateway.",
            eni.id,
        )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    PASS,
                    "EIP_ON_LAMBDA_ENI",
                    f"{igw.id}: {eni.id} has the public address {public} (an Elastic IP on a "
                    "Lambda ENI): works now, but see the warning.",
                    evidence=[(eni.id, f"public IP {public}")],
                ),
            ),
            then=exit_step.then,
        )
    route_edge = (at.data or {}).get("route")
    rtb = net.route_table_of(at.subnet or "")
    options = (
        fixes.internet_fix(
            w,
            sub,
            rtb.id if rtb else "<route-table>",
            replace_route=True,
            route=route_edge.route if route_edge else None,
        )
        if sub is not None
        else []
    )
    return Step(
        hops=(
            hop(
                w,
                at,
                FAIL,
                "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
                f"{at.subnet} routes {dst.label} to {igw.id}, but a Lambda Hyperplane ENI never "
                "has a public IP address: a public subnet gives a function no internet access. "
                "Put the function in private subnets whose route table sends 0.0.0.0/0 to a NAT "
                "gateway (the NAT itself stays in the public subnet).",
                evidence=[
                    (igw.id, str(route_edge.route) if route_edge else "route"),
                    (eni.id if eni else at.subnet or "", "no public IP"),
                ],
                fixes=options,
            ),
        ),
        end=Disposition.DENIED,
    )


def _elsewhere(w: Walk, vpc_id: str, ip: IPAddress) -> str:
    """Where the address lives when another VPC of the snapshot holds it: the two VPCs need a
    connection (peering or a transit gateway) and a route to it, which this table lacks."""
    others = sorted(v for v in w.net.vpcs_holding(ip) if v != vpc_id)
    if not others:
        return ""
    other = w.net.vpc(others[0])
    name = f" ({other.name})" if other is not None and other.name != other.id else ""
    return (
        f" It is in {others[0]}{name}, which {vpc_id} has no route to: connect the two VPCs "
        "(a peering connection or a transit gateway attachment) and route its CIDR there."
    )

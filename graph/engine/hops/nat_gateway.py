"""A NAT gateway (R4): available, public, placed where its own subnet reaches the internet.

The packet arrives at the NAT's interface in the NAT's subnet (that subnet's ACL inbound, when
it came from another subnet), leaves with the NAT's address as its source (the ACL outbound,
then the NAT subnet's own route table: a public NAT needs a route to an attached internet
gateway there — vpc-nat-gateway.html), and on the way back the NAT translates the reply to the
function's address and routes it from its subnet. A private NAT gateway has no Elastic IP: what
it sends to an internet gateway is dropped.
"""

from __future__ import annotations

from dataclasses import replace

from vpcdoctor.graph.engine import fixes
from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.hops.common import (
    FAIL,
    PASS,
    UNKNOWN,
    advice,
    arrive,
    at,
    hop,
    leave,
    option,
)
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Translation, Walk, handles
from vpcdoctor.graph.model import NatConnectivity, NatGateway, NatState
from vpcdoctor.graph.model.addresses import is_internet
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import FixOption, HopKind


def placement_fix(w: Walk, nat: NatGateway) -> list[FixOption]:
    """A public NAT gateway needs its own subnet to route to an attached internet gateway."""
    net = w.net
    rtb = net.route_table_of(nat.subnet_id)
    igw = fixes.igw_of(net, nat.vpc_id)
    igw_id = igw.id if igw else "<internet-gateway>"
    if rtb is not None and not net.route_table_is_explicit(nat.subnet_id):
        public = _public_table(w, nat.vpc_id, igw_id)
        return [
            option(
                f"give {nat.subnet_id} a public route table (it uses the main table {rtb.id})",
                aws(
                    "ec2",
                    "associate-route-table",
                    "--subnet-id",
                    Arg("subnet", nat.subnet_id),
                    "--route-table-id",
                    Arg("route-table", public) if public else "<route-table-to-igw>",
                ),
            ),
            advice(f"or recreate {nat.id} in a public subnet"),
        ]
    return [
        option(
            f"route {nat.subnet_id}'s internet traffic to {igw_id}",
            aws(
                "ec2",
                "create-route",
                "--route-table-id",
                Arg("route-table", rtb.id) if rtb else "<route-table>",
                "--destination-cidr-block",
                Arg("cidr", "0.0.0.0/0"),
                "--gateway-id",
                Arg("internet-gateway", igw_id) if igw else igw_id,
            ),
        )
    ]


def _public_table(w: Walk, vpc_id: str, igw_id: str) -> str | None:
    """A route table of the VPC whose default route is the internet gateway."""
    from vpcdoctor.graph.model import RouteTable

    for table in fixes.in_vpc(w.net, vpc_id, RouteTable):
        if isinstance(table, RouteTable) and any(
            r.destination is not None
            and str(r.destination) == "0.0.0.0/0"
            and r.target_id == igw_id
            for r in table.routes
        ):
            return table.id
    return None


@handles(HopKind.NAT_GATEWAY)
def nat_gateway(w: Walk, at_: At) -> Step:
    net = w.net
    nat = net.obj(at_.node)
    assert isinstance(nat, NatGateway)
    packet = w.packet
    if at_.stage is Stage.DELIVER:  # the reply reached the NAT: back to the function
        if not packet.nat or packet.nat[-1].node != nat.id:
            return Step(end=Disposition.DELIVERED)
        inside = packet.nat[-1].inside
        back = replace(packet, dst=inside, nat=packet.nat[:-1])
        return Step(packet=back, then=(leave(w, nat.subnet_id, f"{nat.id} back to the function"),))
    if at_.stage is Stage.FORWARD:
        ip = next((a.private_ip for a in nat.addresses if a.private_ip), None)
        sub = net.subnet(nat.subnet_id)
        outside = (
            Endpoint.address(ip, f"{nat.id} ({ip})")
            if ip
            else Endpoint.network(sub.cidr, f"{nat.id} in {sub.id}")
            if sub and sub.cidr
            else Endpoint(label=nat.id)
        )
        moved = replace(
            packet,
            src=outside,
            nat=(*packet.nat, Translation(node=nat.id, inside=packet.src, outside=outside)),
        )
        return Step(
            packet=moved,
            then=(
                leave(
                    w,
                    nat.subnet_id,
                    f"{nat.id} onward",
                    blame=(nat.id, HopKind.NAT_GATEWAY),
                    fix_for_none=placement_fix(w, nat),
                ),
            ),
        )
    # ENTER: the route sent the packet here.
    rtb = net.route_table_of(at_.subnet or "")
    rtb_id = rtb.id if rtb else "<route-table>"
    evidence = [
        (
            nat.id,
            f"State={nat.state}, ConnectivityType={nat.connectivity}, Subnet={nat.subnet_id}"
            + (f", PublicIp={nat.public_ips[0]}" if nat.public_ips else ""),
        )
    ]
    src_subnet = net.subnet(at_.subnet)
    route_edge = (at_.data or {}).get("route")
    if nat.state is not NatState.AVAILABLE:
        failure = f" ({nat.failure_code}: {nat.failure_message or ''})" if nat.failure_code else ""
        if src_subnet is not None and fixes.suggest_nat(net, src_subnet, rtb_id):
            options = fixes.internet_fix(
                w,
                src_subnet,
                rtb_id,
                replace_route=True,
                route=route_edge.route if route_edge else None,
            )
        else:
            options = [
                option(
                    f"create a NAT gateway in {nat.subnet_id} and point the route at it",
                    aws(
                        "ec2",
                        "create-nat-gateway",
                        "--subnet-id",
                        Arg("subnet", nat.subnet_id),
                        "--allocation-id",
                        "<eipalloc>",
                    ),
                    aws(
                        "ec2",
                        "replace-route",
                        "--route-table-id",
                        Arg("route-table", rtb_id) if rtb else rtb_id,
                        *(
                            fixes.route_destination(route_edge.route)
                            if route_edge
                            else fixes.default_route()
                        ),
                        "--nat-gateway-id",
                        "<nat-gateway>",
                    ),
                )
            ]
        return Step(
            hops=(
                hop(
                    w,
                    at_,
                    FAIL,
                    "BAD_STATE",
                    f"{nat.id} is {nat.state}{failure}, not available.",
                    evidence=evidence,
                    fixes=options,
                ),
            ),
            end=Disposition.NOT_DELIVERED,
        )
    dst = packet.dst
    internet_bound = dst.any_public or any(is_internet(n.network_address) for n in dst.nets)
    if nat.connectivity is NatConnectivity.PRIVATE and internet_bound:
        options = (
            fixes.internet_fix(
                w,
                src_subnet,
                rtb_id,
                replace_route=True,
                route=route_edge.route if route_edge else None,
            )
            if src_subnet
            else []
        )
        return Step(
            hops=(
                hop(
                    w,
                    at_,
                    FAIL,
                    "NGW_PRIVATE_CONNECTIVITY",
                    f"{nat.id} is a private NAT gateway: it has no Elastic IP and its traffic to "
                    "an internet gateway is dropped.",
                    evidence=evidence,
                    fixes=options,
                ),
            ),
            end=Disposition.DENIED,
        )
    ok = hop(
        w,
        at_,
        PASS,
        "NGW_AVAILABLE",
        f"{nat.id} is available ({nat.connectivity}) in {nat.subnet_id}.",
        evidence=evidence,
    )
    nat_subnet = net.subnet(nat.subnet_id)
    if nat_subnet is None:
        missing = hop(
            w,
            at_,
            UNKNOWN,
            "UNKNOWN_RESOURCE",
            f"{nat.id}'s subnet {nat.subnet_id} is not in the snapshot.",
            resource=nat.subnet_id,
            kind=HopKind.SUBNET,
            needs=net.needs("describe-subnets"),
        )
        return Step(hops=(ok, missing), end=Disposition.UNKNOWN)
    if src_subnet is not None and nat_subnet.az != src_subnet.az:
        w.warn(
            "NAT_CROSS_AZ",
            f"{src_subnet.id} ({src_subnet.az}) uses {nat.id} in {nat_subnet.az}: traffic "
            "crosses AZs (data charges) and fails if that AZ fails; use one NAT per AZ.",
            nat.id,
        )
    forward = at(w, nat.id, Stage.FORWARD, nat_subnet.id)
    return Step(
        hops=(ok,),
        then=(
            arrive(
                nat_subnet.id,
                forward,
                crossing=nat_subnet.id != at_.subnet,
                role=f"{nat.id} from the function",
                from_subnet=at_.subnet,
            ),
        ),
    )

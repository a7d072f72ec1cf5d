"""The VPC's local route (R7): delivery to an address inside the VPC.

The local route covers every CIDR of the VPC; what answers is the network interface holding the
address (looked up among the ENIs of *this* VPC: VPCs of one account often repeat CIDRs). An
address in a subnet that no interface holds answers nothing — when the snapshot's ENI export is
complete that is unreachable, otherwise unknown; an address in the VPC's CIDR but in none of its
subnets cannot be delivered at all (Batfish: NULL_ROUTED). The VPC's Amazon DNS server answers
whatever the groups and ACLs say (neither filters it).
"""

from __future__ import annotations

from typing import Any

from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, arrive, hop
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import Vpc
from vpcdoctor.graph.model.addresses import AMAZON_DNS_V4, AMAZON_DNS_V6
from vpcdoctor.graph.model.verdict import HopKind


def _complete_enis(w: Walk, vpc_id: str) -> bool:
    """The ENIs of ``vpc_id``'s account are exported (another account's export is not)."""
    net = w.net
    return (
        net.has("describe-network-interfaces", of=vpc_id)
        and net.gap_for("describe-network-interfaces") is None
    )


@handles(HopKind.VPC)
def vpc(w: Walk, at: At) -> Step:
    """ENTER through the local route (or arriving from a gateway): find what holds the address."""
    net = w.net
    data: dict[str, Any] = at.data or {}
    from_subnet: str | None = data.get("from")
    vpc_obj = net.vpc(at.node)
    dst = w.packet.dst
    role = "the target's subnet" if not w.packet.reply else "the function's subnet"
    packet = w.packet
    if packet.reply and packet.nat and dst == packet.nat[-1].outside:
        # The reply to a translated request goes to the translator (NAT gateway or instance).
        node = packet.nat[-1].node
        home = net.subnet_of(node) or (getattr(net.obj(node), "subnet_id", None))
        if home:
            receiver = At(node=node, kind=net.kind(node), stage=Stage.DELIVER, subnet=home)
            return Step(
                then=(
                    arrive(
                        home,
                        receiver,
                        crossing=from_subnet != home,
                        role=f"{node}'s subnet",
                        from_subnet=from_subnet,
                    ),
                )
            )
    ip = dst.ip
    if ip is not None:
        if isinstance(vpc_obj, Vpc) and (
            ip == vpc_obj.resolver_ip or ip in (AMAZON_DNS_V4, AMAZON_DNS_V6)
        ):
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        PASS,
                        "VPC_RESOLVER",
                        f"{ip} is the VPC's Amazon DNS server; security groups and network ACLs "
                        "do not filter traffic to it.",
                        resource=str(ip),
                        kind=HopKind.TARGET,
                    ),
                ),
                end=Disposition.DELIVERED,
            )
        eni = net.eni_at(at.node, ip)
        if eni is not None:
            crossing = from_subnet != eni.subnet_id
            receiver = At(node=eni.id, kind=HopKind.ENI, stage=Stage.RECEIVE, subnet=eni.subnet_id)
            return Step(
                then=(
                    arrive(
                        eni.subnet_id,
                        receiver,
                        crossing=crossing,
                        role=role,
                        from_subnet=from_subnet,
                    ),
                )
            )
        sub = net.subnet_at(at.node, ip)
        if sub is None:
            cidrs = ", ".join(str(c) for c in (vpc_obj.cidrs if isinstance(vpc_obj, Vpc) else ()))
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        FAIL,
                        "NO_SUBNET_FOR_ADDRESS",
                        f"{dst.label} is inside {at.node} ({cidrs}) but in none of its subnets: "
                        "nothing can answer there, the VPC drops it.",
                        resource=str(ip),
                        kind=HopKind.TARGET,
                        evidence=[(at.node, f"CidrBlocks={cidrs}")],
                    ),
                ),
                end=Disposition.NULL_ROUTED,
            )
        return _no_interface(w, at, sub.id, from_subnet)
    # A range (a resource whose interfaces the snapshot lacks): the subnet that holds it.
    dest = w.destination
    subnets = tuple(getattr(dest, "subnets", ()) or ())
    for sub in net.subnets_in(at.node):
        nets = ((sub.cidr,) if sub.cidr else ()) + sub.ipv6_cidrs
        if sub.id in subnets or any(dst.in_cidr(n) is True for n in nets):
            receiver = At(
                node=getattr(dest, "resource", None) or sub.id,
                kind=HopKind.TARGET,
                stage=Stage.RECEIVE,
                subnet=sub.id,
            )
            return Step(
                then=(
                    arrive(
                        sub.id,
                        receiver,
                        crossing=from_subnet != sub.id,
                        role=role,
                        from_subnet=from_subnet,
                    ),
                )
            )
    return Step(
        hops=(
            hop(
                w,
                at,
                UNKNOWN,
                "UNKNOWN_DESTINATION",
                f"Which subnet of {at.node} holds {dst.label} is not known.",
                resource=dst.label,
                kind=HopKind.TARGET,
                needs=net.needs("describe-subnets"),
            ),
        ),
        end=Disposition.UNKNOWN,
    )


def _no_interface(w: Walk, at: At, subnet_id: str, from_subnet: str | None) -> Step:
    """An address of ``subnet_id`` that no network interface of the snapshot holds."""
    net = w.net
    dst = w.packet.dst
    if w.packet.reply and w.origin is not None and w.origin.eni is None:
        # Back to a function whose ENI the snapshot lacks: its subnet's range stands for it.
        receiver = At(node=subnet_id, kind=HopKind.TARGET, stage=Stage.RECEIVE, subnet=subnet_id)
        return Step(
            then=(
                arrive(
                    subnet_id,
                    receiver,
                    crossing=from_subnet != subnet_id,
                    role="the function's subnet",
                    from_subnet=from_subnet,
                ),
            )
        )
    if _complete_enis(w, at.node):
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "NO_INTERFACE_AT_ADDRESS",
                    f"{dst.label} is in {subnet_id}, but no network interface of the snapshot "
                    "holds it: nothing answers there (describe-network-interfaces lists every "
                    "interface of the subnet).",
                    resource=str(dst.ip),
                    kind=HopKind.TARGET,
                    subnet=subnet_id,
                ),
            ),
            end=Disposition.NOT_DELIVERED,
        )
    return Step(
        hops=(
            hop(
                w,
                at,
                UNKNOWN,
                "UNKNOWN_DESTINATION",
                f"{dst.label} is in {subnet_id}; no network interface in the snapshot has it, "
                "and the snapshot's interfaces may not be all of them.",
                resource=str(dst.ip),
                kind=HopKind.TARGET,
                subnet=subnet_id,
                needs=net.needs("describe-network-interfaces"),
            ),
        ),
        end=Disposition.UNKNOWN,
    )

"""An EC2 instance: a destination (it answers only when running) or a route's target (a NAT
instance for the internet, a middlebox for private traffic).

A route to an instance (or one of its interfaces) works only when the instance forwards: running,
source/destination check off (VPC_NAT_Instance.html). A NAT instance sends internet traffic with
its own public address after its security groups allow it in and out; what a middlebox does with
private traffic is its own configuration (unknown), and the walk goes on from its subnet so what
comes after can still be judged.
"""

from __future__ import annotations

from dataclasses import replace

from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, arrive, hop, leave, option
from vpcdoctor.graph.engine.hops.eni import delivered_here
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Translation, Walk, handles
from vpcdoctor.graph.model import Instance, NetworkInterface
from vpcdoctor.graph.model.addresses import is_internet
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import HopKind


def _not_running(w: Walk, at: At, inst: Instance, role: str) -> Step:
    return Step(
        hops=(
            hop(
                w,
                at,
                FAIL,
                "BAD_STATE",
                f"{inst.id} ({role}) is {inst.state}, not running: it answers nothing.",
                resource=inst.id,
                kind=HopKind.INSTANCE,
                evidence=[(inst.id, f"State={inst.state}")],
                fixes=[
                    option(
                        f"start {inst.id}",
                        aws("ec2", "start-instances", "--instance-ids", Arg("instance", inst.id)),
                    )
                ],
            ),
        ),
        end=Disposition.NOT_DELIVERED,
    )


@handles(HopKind.INSTANCE)
def instance(w: Walk, at: At) -> Step:
    net = w.net
    inst = net.obj(at.node)
    if at.stage is Stage.DELIVER:
        if not isinstance(inst, Instance):
            return Step(end=Disposition.DELIVERED)
        if w.packet.reply:
            return _unnat(w, at, inst.subnet_id or at.subnet or "")
        if inst.state != "running":
            return _not_running(w, at, inst, "the target")
        return delivered_here(w, (at.data or {}).get("eni"), at.subnet)
    if at.stage is Stage.FORWARD:
        return _forward(w, at)
    return middlebox(w, at)


def _unnat(w: Walk, at: At, subnet: str) -> Step:
    packet = w.packet
    if not packet.nat or packet.nat[-1].node != at.node:
        return Step(end=Disposition.DELIVERED)
    back = replace(packet, dst=packet.nat[-1].inside, nat=packet.nat[:-1])
    return Step(packet=back, then=(leave(w, subnet, f"{at.node} back to the function"),))


def middlebox(w: Walk, at: At) -> Step:
    """ENTER: a route sent the packet to an instance or one of its interfaces."""
    net = w.net
    obj = net.obj(at.node)
    inst: Instance | None = obj if isinstance(obj, Instance) else None
    eni: NetworkInterface | None = obj if isinstance(obj, NetworkInterface) else None
    if eni is not None and eni.instance_id:
        found = net.obj(eni.instance_id)
        inst = found if isinstance(found, Instance) else inst
    if inst is None and eni is None:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "UNKNOWN_RESOURCE",
                    f"The route points at {at.node}, which is not in the snapshot.",
                    needs=net.needs(
                        "describe-instances"
                        if at.node.startswith("i-")
                        else "describe-network-interfaces"
                    ),
                ),
            ),
            end=Disposition.UNKNOWN,
        )
    rid = inst.id if inst else eni.id  # type: ignore[union-attr]
    kind = HopKind.INSTANCE if inst else HopKind.ENI
    sdc = inst.source_dest_check if inst else eni.source_dest_check  # type: ignore[union-attr]
    route = (at.data or {}).get("route")
    if inst is not None and inst.state != "running":
        return _not_running(w, at, inst, "the route's target")
    if sdc:
        cmd = (
            aws(
                "ec2",
                "modify-instance-attribute",
                "--instance-id",
                Arg("instance", rid),
                "--no-source-dest-check",
            )
            if inst
            else aws(
                "ec2",
                "modify-network-interface-attribute",
                "--network-interface-id",
                Arg("network-interface", rid),
                "--no-source-dest-check",
            )
        )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "ENI_SOURCE_DEST_CHECK_RESTRICTION",
                    f"{rid} forwards traffic for others (the route {route.route if route else ''}) "
                    "but its source/destination check is enabled, so it drops that traffic.",
                    resource=rid,
                    kind=kind,
                    evidence=[(rid, "SourceDestCheck=true")],
                    fixes=[option(f"turn off {rid}'s source/destination check", cmd)],
                ),
            ),
            end=Disposition.DENIED,
        )
    home = inst.subnet_id if inst and inst.subnet_id else (eni.subnet_id if eni else None)
    dst = w.packet.dst
    internet_bound = dst.any_public or any(is_internet(n.network_address) for n in dst.nets)
    if not internet_bound:
        h = hop(
            w,
            at,
            UNKNOWN,
            "MIDDLEBOX_NOT_MODELLED",
            f"{route.route if route else 'A route'} sends the traffic through the appliance {rid}; "
            "what it forwards is its own configuration, not visible in AWS's APIs.",
            resource=rid,
            kind=kind,
            needs="the appliance's own forwarding rules (outside AWS's APIs)",
        )
        if home is None:
            return Step(hops=(h,), end=Disposition.HANDED_OFF)
        return Step(
            hops=(h,),
            then=(
                arrive(
                    home,
                    leave(w, home, f"from {rid}'s subnet"),
                    crossing=home != at.subnet,
                    role=f"{rid} from the function",
                    from_subnet=at.subnet,
                ),
            ),
        )
    public = inst.public_ip if inst else eni.public_ip  # type: ignore[union-attr]
    groups = tuple(inst.security_group_ids if inst else eni.security_group_ids)  # type: ignore[union-attr]
    if public is None:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
                    f"NAT instance {rid} has no public IP address.",
                    resource=rid,
                    kind=kind,
                    evidence=[(rid, "no public IP")],
                    fixes=[
                        option(
                            f"give {rid} an Elastic IP",
                            aws("ec2", "allocate-address", "--domain", "vpc"),
                            aws(
                                "ec2",
                                "associate-address",
                                "--instance-id",
                                Arg("instance", rid),
                                "--allocation-id",
                                "<eipalloc>",
                            ),
                        )
                    ],
                ),
            ),
            end=Disposition.DENIED,
        )
    ok = hop(
        w,
        at,
        PASS,
        "NAT_INSTANCE",
        f"NAT instance {rid} (source/destination check off, public IP {public}).",
        resource=rid,
        kind=kind,
        evidence=[(rid, f"SourceDestCheck=false, PublicIp={public}")],
    )
    owner = f"NAT instance {rid}"
    sg_in = At(
        node=groups[0] if groups else rid,
        kind=HopKind.SECURITY_GROUP,
        stage=Stage.INGRESS,
        subnet=home,
        data={
            "groups": groups,
            "owner": owner,
            "peer_groups": tuple(w.fn.vpc.security_group_ids) if w.fn and w.fn.vpc else (),
        },
    )
    sg_out = At(
        node=groups[0] if groups else rid,
        kind=HopKind.SECURITY_GROUP,
        stage=Stage.EGRESS,
        subnet=home,
        data={"groups": groups, "owner": owner},
    )
    forward = At(
        node=inst.id if inst else rid,
        kind=HopKind.INSTANCE,
        stage=Stage.FORWARD,
        subnet=home,
        data={"public": public},
    )
    if home is None:
        return Step(hops=(ok,), then=(sg_in, sg_out), end=None)
    return Step(
        hops=(ok,),
        then=(
            arrive(
                home,
                sg_in,
                crossing=home != at.subnet,
                role=f"{rid} from the function",
                from_subnet=at.subnet,
            ),
            sg_out,
            forward,
        ),
    )


def _forward(w: Walk, at: At) -> Step:
    """FORWARD: the NAT instance sends the packet on with its own address."""
    net = w.net
    inst = net.obj(at.node)
    ip = inst.private_ip if isinstance(inst, Instance) else None
    outside = Endpoint.address(ip, f"{at.node} ({ip})") if ip else Endpoint(label=at.node)
    packet = w.packet
    moved = replace(
        packet,
        src=outside,
        nat=(*packet.nat, Translation(node=at.node, inside=packet.src, outside=outside)),
    )
    return Step(packet=moved, then=(leave(w, at.subnet or "", f"from {at.node}'s subnet"),))

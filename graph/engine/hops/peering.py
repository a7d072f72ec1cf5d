"""A VPC peering connection (R10): active, and only for addresses inside the peer VPC.

Peering is not transitive and gives no edge-to-edge use of the peer's internet gateway, NAT
gateway, VPN or endpoints (invalid-peering-configurations.html): the packet is delivered inside
the peer VPC by its local route, or dropped. The reply is routed by the peer subnet's own route
table, which needs a route back (any way back: it may take another path).
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import FAIL, PASS, UNKNOWN, hop, not_in_snapshot, option
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import VpcPeeringConnection
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import HopKind


@handles(HopKind.PEERING_CONNECTION)
def peering_connection(w: Walk, at: At) -> Step:
    net = w.net
    pcx = net.obj(at.node)
    if not isinstance(pcx, VpcPeeringConnection):
        return not_in_snapshot(w, at, "describe-vpc-peering-connections")
    vpc_id = net.vpc_of(at.subnet) if at.subnet else None
    peer = pcx.peer_of(vpc_id or "")
    evidence = [(pcx.id, f"Status={pcx.status}, {pcx.requester.vpc_id} ↔ {pcx.accepter.vpc_id}")]
    if pcx.status != "active":
        command = (
            aws(
                "ec2",
                "accept-vpc-peering-connection",
                "--vpc-peering-connection-id",
                Arg("peering-connection", pcx.id),
            )
            if pcx.status == "pending-acceptance"
            else aws(
                "ec2",
                "create-vpc-peering-connection",
                "--vpc-id",
                Arg("vpc", vpc_id or ""),
                "--peer-vpc-id",
                Arg("vpc", peer.vpc_id) if peer else "<vpc>",
            )
        )
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "BAD_STATE",
                    f"{pcx.id} is {pcx.status}, not active.",
                    evidence=evidence,
                    fixes=[option(f"make {pcx.id} active", command)],
                ),
            ),
            end=Disposition.DENIED,
        )
    if peer is None:
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "CANNOT_ROUTE",
                    f"{pcx.id} does not connect {vpc_id}.",
                    evidence=evidence,
                ),
            ),
            end=Disposition.NO_ROUTE,
        )
    peer_vpc = net.vpc(peer.vpc_id)
    peer_cidrs = tuple(peer_vpc.cidrs + peer_vpc.ipv6_cidrs) if peer_vpc else peer.cidrs
    dst = w.packet.dst
    if dst.any_public or (peer_cidrs and not any(dst.in_cidr(c) is True for c in peer_cidrs)):
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
                    f"{pcx.id} only delivers to addresses inside {peer.vpc_id} "
                    f"({', '.join(map(str, peer_cidrs)) or '?'}); {dst.label} is not one: peering "
                    "is not transitive and gives no edge-to-edge use of the peer's internet "
                    "gateway, NAT gateway, VPN or endpoints.",
                    evidence=evidence,
                    fix="route this destination through this VPC's own NAT gateway or endpoint, "
                    "or a transit gateway",
                ),
            ),
            end=Disposition.NO_ROUTE,
        )
    passed = hop(
        w,
        at,
        PASS,
        "PCX_ACTIVE",
        f"{pcx.id} is active to {peer.vpc_id} ({peer.region or 'same Region'}).",
        evidence=evidence,
    )
    if peer_vpc is None:
        return Step(
            hops=(
                passed,
                hop(
                    w,
                    at,
                    UNKNOWN,
                    "UNKNOWN_PEERED_SGS",
                    f"{peer.vpc_id} (account {peer.owner_id or '?'}) is not in the snapshot: its "
                    "route back, security groups and ACLs are unknown.",
                    resource=peer.vpc_id,
                    kind=HopKind.VPC,
                    needs=f"a snapshot of account {peer.owner_id or '?'} (vpcdoctor export with a "
                    "profile of that account), in the same snapshot directory",
                ),
            ),
            end=Disposition.HANDED_OFF,
        )
    if not w.packet.reply:
        w.entries[peer.vpc_id] = pcx.id
    return Step(
        hops=(passed,),
        then=(
            At(
                node=peer.vpc_id,
                kind=HopKind.VPC,
                stage=Stage.ENTER,
                subnet=None,
                data={"from": None, "via": pcx.id},
            ),
        ),
    )

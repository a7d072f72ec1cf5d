"""A transit gateway attachment: where a packet enters the transit gateway, or leaves it.

ENTER (from the attached VPC): the attachment is available and has a subnet in the sender's AZ
(traffic from an AZ without one cannot reach the transit gateway: tgw-vpc-attachments.html);
that subnet's network ACL checks it inbound (tgw-nacls.html); then the TGW route table
*associated with this attachment* routes it (how-transit-gateways-work.html).

EXIT (the TGW route table chose this attachment): into a VPC, the packet lands in the
attachment's subnet of the same AZ when there is one, and that subnet's route table routes it
on, exactly as from the start of a path (knowledge-facts R11: centralized egress, inspection
VPCs); into a VPN, a Direct Connect gateway or a peered transit gateway, it leaves what the
snapshot describes.
"""

from __future__ import annotations

from vpcdoctor.graph.engine.hops.common import (
    FAIL,
    PASS,
    UNKNOWN,
    hop,
    leave,
    not_in_snapshot,
    option,
)
from vpcdoctor.graph.engine.walk import At, Disposition, Stage, Step, Walk, handles
from vpcdoctor.graph.model import Subnet, TransitGatewayAttachment
from vpcdoctor.graph.model.commands import Arg, aws
from vpcdoctor.graph.model.verdict import Hop, HopKind


def _subnets(w: Walk, att: TransitGatewayAttachment) -> list[Subnet]:
    return [s for sid in att.subnet_ids or () if (s := w.net.subnet(sid)) is not None]


@handles(HopKind.TRANSIT_GATEWAY_ATTACHMENT)
def tgw_attachment(w: Walk, at: At) -> Step:
    net = w.net
    att = net.obj(at.node)
    if not isinstance(att, TransitGatewayAttachment):
        return not_in_snapshot(w, at, "describe-transit-gateway-attachments")
    if at.stage is Stage.EXIT:
        return _exit(w, at, att)
    return _enter(w, at, att)


def _enter(w: Walk, at: At, att: TransitGatewayAttachment) -> Step:
    net = w.net
    sender = net.subnet(at.subnet)
    az = sender.az if sender else None
    hops: list[Hop] = []
    if att.state != "available":
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "BAD_STATE_ATTACHMENT",
                    f"{att.id} is {att.state}, not available.",
                    evidence=[(att.id, f"State={att.state}")],
                ),
            ),
            end=Disposition.DENIED,
        )
    entry_subnet: str | None = None
    if att.subnet_ids is None:
        hops.append(
            hop(
                w,
                at,
                UNKNOWN,
                "UNKNOWN_RESOURCE",
                f"The subnets of {att.id} are not in the snapshot: whether it has one in {az} is "
                "unknown.",
                needs=net.needs("describe-transit-gateway-vpc-attachments"),
            )
        )
    else:
        subnets = _subnets(w, att)
        here = [s for s in subnets if s.az == az]
        if not here:
            azs = sorted({s.az for s in subnets})
            candidate = next(
                (
                    s.id
                    for s in sorted(net.subnets_in(att.resource_id or ""), key=lambda s: s.id)
                    if s.az == az
                ),
                None,
            )
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        FAIL,
                        "TGW_ATTACH_VPC_AZ_RESTRICTION",
                        f"{att.id} has no subnet in {az} (it has {', '.join(azs) or 'none'}): "
                        f"traffic from {at.subnet} cannot enter the transit gateway.",
                        evidence=[(att.id, f"SubnetIds={','.join(att.subnet_ids)}")],
                        fixes=[
                            option(
                                f"give {att.id} a subnet in {az}",
                                aws(
                                    "ec2",
                                    "modify-transit-gateway-vpc-attachment",
                                    "--transit-gateway-attachment-id",
                                    Arg("transit-gateway-attachment", att.id),
                                    "--add-subnet-ids",
                                    Arg("subnet", candidate) if candidate else f"<subnet-in-{az}>",
                                ),
                            )
                        ],
                    ),
                ),
                end=Disposition.DENIED,
            )
        entry_subnet = here[0].id
        hops.append(
            hop(
                w,
                at,
                PASS,
                "TGW_ATTACHMENT",
                f"{att.id} attaches {att.resource_id} to {att.transit_gateway_id} in {az} "
                f"(through {entry_subnet}).",
                evidence=[(att.id, f"SubnetIds={','.join(att.subnet_ids)}")],
            )
        )
    trt = net.tgw_route_table_of(att.id)
    owner_listed = any(
        net.has(kind, of=att.transit_gateway_id)
        for kind in (
            "describe-transit-gateway-attachments",
            "get-transit-gateway-route-table-associations",
        )
    )
    if trt is None and not owner_listed:
        # Only the TGW owner's account prints an attachment's association: another account's
        # view without one says nothing about it.
        owner = net.account.origin_of(att.transit_gateway_id).account or "its owner"
        hops.append(
            hop(
                w,
                at,
                UNKNOWN,
                "UNKNOWN_RESOURCE",
                f"Which route table {att.id} is associated with is listed only in the export of "
                f"{att.transit_gateway_id}'s account ({owner}), which the snapshot does not hold.",
                needs=net.needs("describe-transit-gateway-attachments"),
            )
        )
        return Step(hops=tuple(hops), end=Disposition.UNKNOWN)
    if trt is None:
        hops.append(
            hop(
                w,
                at,
                FAIL,
                "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
                f"{att.id} is associated with no transit gateway route table"
                + (": the replies have no route back." if w.packet.reply else "."),
                fixes=[
                    option(
                        f"associate {att.id} with a transit gateway route table",
                        aws(
                            "ec2",
                            "associate-transit-gateway-route-table",
                            "--transit-gateway-route-table-id",
                            "<transit-gateway-route-table>",
                            "--transit-gateway-attachment-id",
                            Arg("transit-gateway-attachment", att.id),
                        ),
                    )
                ],
            )
        )
        return Step(hops=tuple(hops), end=Disposition.NO_ROUTE)
    then: list[At] = []
    if entry_subnet is not None:
        acl = net.nacl_of(entry_subnet)
        then.append(
            At(
                node=acl.id if acl else entry_subnet,
                kind=HopKind.NETWORK_ACL,
                stage=Stage.IN,
                subnet=entry_subnet,
                data={"role": f"{att.id}'s subnet, into the transit gateway"},
            )
        )
    then.append(
        At(
            node=trt,
            kind=HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
            stage=Stage.ROUTE,
            subnet=at.subnet,
            data={"entered": att.id, "az": az},
        )
    )
    return Step(hops=tuple(hops), then=tuple(then))


def _exit(w: Walk, at: At, att: TransitGatewayAttachment) -> Step:
    net = w.net
    az = (at.data or {}).get("az")
    kind = att.resource_type
    if kind == "vpc":
        vpc_id = att.resource_id or ""
        if net.vpc(vpc_id) is None:
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        UNKNOWN,
                        "UNKNOWN_PEERED_SGS",
                        f"Beyond {att.transit_gateway_id} the traffic goes to {vpc_id} through "
                        f"{att.id}; that VPC (account {att.resource_owner_id or '?'}) is not in "
                        "the snapshot: its routes, ACLs and groups are unknown.",
                        needs=f"a snapshot of account {att.resource_owner_id or '?'} in the same "
                        "snapshot directory",
                    ),
                ),
                end=Disposition.HANDED_OFF,
            )
        subnets = _subnets(w, att)
        if att.subnet_ids is None or not subnets:
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        UNKNOWN,
                        "UNKNOWN_RESOURCE",
                        f"The subnets of {att.id} (where the traffic lands in {vpc_id}) are not "
                        "in the snapshot.",
                        needs=net.needs("describe-transit-gateway-vpc-attachments"),
                    ),
                ),
                end=Disposition.UNKNOWN,
            )
        landing = next((s for s in subnets if s.az == az), subnets[0])
        if not w.packet.reply:
            w.entries[vpc_id] = att.id
        return Step(then=(leave(w, landing.id, f"from {att.id}'s subnet"),))
    if kind == "peering":
        step = _through_peering(w, at, att)
        if step is not None:
            return step
    if kind == "vpn":
        vpn = att.resource_id or ""
        if vpn and vpn in net:
            return Step(
                then=(
                    At(
                        node=vpn,
                        kind=HopKind.VPN_CONNECTION,
                        stage=Stage.ENTER,
                        subnet=at.subnet,
                        data={"attachment": att.id},
                    ),
                )
            )
    what = {
        "vpn": "a Site-to-Site VPN",
        "direct-connect-gateway": "a Direct Connect gateway",
        "peering": "a peered transit gateway (another Region or account)",
        "connect": "a Connect (GRE) attachment",
    }.get(kind, kind)
    return Step(
        hops=(
            hop(
                w,
                at,
                UNKNOWN,
                "TGW_ATTACHMENT_BEYOND_SNAPSHOT",
                f"{att.transit_gateway_id} sends {w.packet.dst.label} through {att.id} to {what} "
                f"({att.resource_id or '?'}), which the snapshot does not describe: what answers "
                "there is not known.",
                needs="the routes and firewall rules beyond the transit gateway (or a probe from a "
                "host in the VPC)",
            ),
        ),
        end=Disposition.HANDED_OFF,
    )


def _through_peering(w: Walk, at: At, att: TransitGatewayAttachment) -> Step | None:
    """A TGW peering: when the peer transit gateway (another Region or account) is in the
    snapshot, the packet enters it through the same attachment and the peer's route table
    associated with it routes on (None: the peer side is not in the snapshot)."""
    net = w.net
    peering = net.account.transit_gateway_peering_attachments.get(att.id)
    peer = peering.peer_of(att.transit_gateway_id) if peering is not None else None
    if peering is None or peer is None or not peer.transit_gateway_id:
        return None
    if peering.state != "available":
        return Step(
            hops=(
                hop(
                    w,
                    at,
                    FAIL,
                    "BAD_STATE_ATTACHMENT",
                    f"The peering {att.id} between {att.transit_gateway_id} and "
                    f"{peer.transit_gateway_id} is {peering.state}, not available.",
                    evidence=[(att.id, f"State={peering.state}")],
                ),
            ),
            end=Disposition.DENIED,
        )
    for candidate in (att.id, peering.accepter_attachment_id):
        table = _peer_table(w, peer.transit_gateway_id, candidate) if candidate else None
        if table is not None:
            return Step(
                hops=(
                    hop(
                        w,
                        at,
                        PASS,
                        "TGW_PEERING",
                        f"{att.id} carries {w.packet.dst.label} to {peer.transit_gateway_id} "
                        f"({peer.region or 'another Region'}, account {peer.owner_id or '?'}).",
                        evidence=[(att.id, f"State={peering.state}")],
                    ),
                ),
                then=(
                    At(
                        node=table,
                        kind=HopKind.TRANSIT_GATEWAY_ROUTE_TABLE,
                        stage=Stage.ROUTE,
                        subnet=None,
                        data={"entered": candidate, "az": None},
                    ),
                ),
            )
    return None


def _peer_table(w: Walk, tgw: str, attachment: str) -> str | None:
    """The route table of transit gateway ``tgw`` that ``attachment`` is associated with there
    (its ``associated-with`` edges: one per side of a peering)."""
    from vpcdoctor.graph.engine.graph import TGW_ASSOCIATED

    for table, _ in w.net.out(attachment, TGW_ASSOCIATED):
        if getattr(w.net.obj(table), "transit_gateway_id", None) == tgw:
            return table
    return None

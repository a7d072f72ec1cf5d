"""Parsers of Site-to-Site VPN (connections, virtual private gateways), of what a transit gateway
route table is made of (propagations, associations; its peering attachments) and of VPC Block
Public Access (options and exclusions)."""

from __future__ import annotations

from vpcdoctor.graph.model import (
    BLOCK_MODES,
    EXCLUSION_MODES,
    BlockPublicAccessExclusion,
    BlockPublicAccessOptions,
    TgwAssociation,
    TgwPeeringSide,
    TgwPropagation,
    TransitGatewayPeeringAttachment,
    VpnConnection,
    VpnGateway,
    VpnRoute,
    VpnTunnel,
    block_public_access_key,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _parser
from vpcdoctor.graph.sources.parse.gateways import _attachments
from vpcdoctor.graph.sources.parse.merge import arn_parts
from vpcdoctor.graph.sources.parse.values import (
    Invalid,
    Item,
    _cidr,
    _items,
    _req,
    _shown,
    _str,
    _tags,
)

# ---- Site-to-Site VPN ------------------------------------------------------------------------


def _tunnels(items: object, base: str) -> tuple[VpnTunnel, ...] | None:
    if not isinstance(items, list):
        return None
    tunnels = []
    for i, t in enumerate(items):
        if not isinstance(t, dict):
            continue
        status = _req(t, "Status", f"{base}[{i}]")
        if status not in ("UP", "DOWN"):
            raise Invalid(f"{base}[{i}].Status", f"{_shown(status)} is not UP or DOWN")
        count = t.get("AcceptedRouteCount")
        tunnels.append(
            VpnTunnel(
                outside_ip=_str(t, "OutsideIpAddress"),
                status=status,
                status_message=_str(t, "StatusMessage"),
                accepted_route_count=count if isinstance(count, int) else None,
            )
        )
    return tuple(tunnels)


@_parser("describe-vpn-connections")
def _vpn_connections(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, v in _items(data, "VpnConnections"):
        vpn_id = _req(v, "VpnConnectionId", base)
        options = v.get("Options")
        routes = tuple(
            VpnRoute(
                destination=_cidr(
                    _req(r, "DestinationCidrBlock", f"{base}.Routes[{i}]"),
                    f"{base}.Routes[{i}].DestinationCidrBlock",
                ),
                state=_str(r, "State") or "available",
                source=_str(r, "Source"),
            )
            for i, r in enumerate(v.get("Routes") or ())
            if isinstance(r, dict)
        )
        static_only = options.get("StaticRoutesOnly") if isinstance(options, dict) else None
        connection = VpnConnection(
            id=vpn_id,
            state=_req(v, "State", base),
            type=_str(v, "Type") or "ipsec.1",
            vpn_gateway_id=_str(v, "VpnGatewayId"),
            transit_gateway_id=_str(v, "TransitGatewayId"),
            customer_gateway_id=_str(v, "CustomerGatewayId"),
            static_routes_only=static_only if isinstance(static_only, bool) else None,
            routes=routes,
            tunnels=_tunnels(v.get("VgwTelemetry"), f"{base}.VgwTelemetry"),
            tags=_tags(v.get("Tags")),
        )
        b.vpn_connections.add(vpn_id, connection, src, base)


@_parser("describe-vpn-gateways")
def _vpn_gateways(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "VpnGateways"):
        vgw_id = _req(g, "VpnGatewayId", base)
        asn = g.get("AmazonSideAsn")
        gateway = VpnGateway(
            id=vgw_id,
            state=_req(g, "State", base),
            type=_str(g, "Type") or "ipsec.1",
            attachments=_attachments(g.get("VpcAttachments")),
            amazon_side_asn=asn if isinstance(asn, int) and not isinstance(asn, bool) else None,
            tags=_tags(g.get("Tags")),
        )
        b.vpn_gateways.add(vgw_id, gateway, src, base)


# ---- Transit gateway route tables: propagations, associations; peering -------------------------


@_parser("get-transit-gateway-route-table-propagations")
def _tgw_propagations(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.tgw_propagations.setdefault(owner, b.collection(f"propagation into {owner} of"))
    for base, p in _items(data, "TransitGatewayRouteTablePropagations"):
        att_id = _req(p, "TransitGatewayAttachmentId", base)
        propagation = TgwPropagation(
            attachment_id=att_id,
            resource_type=_str(p, "ResourceType"),
            resource_id=_str(p, "ResourceId"),
            state=_req(p, "State", base),
        )
        coll.add(att_id, propagation, src, base)


@_parser("get-transit-gateway-route-table-associations")
def _tgw_associations(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.tgw_associations.setdefault(owner, b.collection(f"association with {owner} of"))
    for base, a in _items(data, "Associations"):
        att_id = _req(a, "TransitGatewayAttachmentId", base)
        association = TgwAssociation(
            attachment_id=att_id,
            resource_type=_str(a, "ResourceType"),
            resource_id=_str(a, "ResourceId"),
            state=_req(a, "State", base),
        )
        coll.add(att_id, association, src, base)


def _tgw_side(info: object) -> TgwPeeringSide:
    info = info if isinstance(info, dict) else {}
    return TgwPeeringSide(
        transit_gateway_id=_str(info, "TransitGatewayId"),
        owner_id=_str(info, "OwnerId"),
        region=_str(info, "Region"),
    )


@_parser("describe-transit-gateway-peering-attachments")
def _tgw_peerings(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "TransitGatewayPeeringAttachments"):
        att_id = _req(a, "TransitGatewayAttachmentId", base)
        peering = TransitGatewayPeeringAttachment(
            id=att_id,
            requester=_tgw_side(a.get("RequesterTgwInfo")),
            accepter=_tgw_side(a.get("AccepterTgwInfo")),
            state=_req(a, "State", base),
            accepter_attachment_id=_str(a, "AccepterTransitGatewayAttachmentId"),
            tags=_tags(a.get("Tags")),
        )
        b.tgw_peerings.add(att_id, peering, src, base)


# ---- VPC Block Public Access -----------------------------------------------------------------


@_parser("describe-vpc-block-public-access-options")
def _bpa_options(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    base = "VpcBlockPublicAccessOptions"
    o = data.get(base)
    if not isinstance(o, dict):
        raise Invalid(base, "VpcBlockPublicAccessOptions is missing")
    mode = _req(o, "InternetGatewayBlockMode", base)
    if mode not in BLOCK_MODES:
        raise Invalid(
            f"{base}.InternetGatewayBlockMode", f"{_shown(mode)} is not one of {BLOCK_MODES}"
        )
    options = BlockPublicAccessOptions(
        account_id=_str(o, "AwsAccountId") or b.view.account,
        region=_str(o, "AwsRegion") or b.view.region,
        mode=mode,
        state=_str(o, "State"),
        exclusions_allowed=_str(o, "ExclusionsAllowed"),
        managed_by=_str(o, "ManagedBy"),
    )
    key = block_public_access_key(options.account_id, options.region)
    b.bpa_options.add(key, options, src, base)


@_parser("describe-vpc-block-public-access-exclusions")
def _bpa_exclusions(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, e in _items(data, "VpcBlockPublicAccessExclusions"):
        excl_id = _req(e, "ExclusionId", base)
        mode = _req(e, "InternetGatewayExclusionMode", base)
        if mode not in EXCLUSION_MODES:
            raise Invalid(
                f"{base}.InternetGatewayExclusionMode",
                f"{_shown(mode)} is not one of {EXCLUSION_MODES}",
            )
        arn = _req(e, "ResourceArn", base)
        account, region = arn_parts(arn)
        resource = arn.rsplit("/", 1)[-1] if "/" in arn else None
        exclusion = BlockPublicAccessExclusion(
            id=excl_id,
            mode=mode,
            resource_arn=arn,
            resource_id=resource if resource and resource.startswith(("vpc-", "subnet-")) else None,
            state=_req(e, "State", base),
            account_id=account or b.view.account,
            region=region or b.view.region,
            tags=_tags(e.get("Tags")),
        )
        b.bpa_exclusions.add(excl_id, exclusion, src, base)

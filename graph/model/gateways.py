"""What carries traffic out of a subnet: internet, egress-only and NAT gateways, VPC endpoints,
peering connections and transit gateways."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from vpcdoctor.graph.model.base import (
    _NO_TAGS,
    EndpointType,
    IPNetwork,
    NatConnectivity,
    NatState,
    Tags,
    _name,
)

# --------------------------------------------------------------------------------------------
# Gateways and endpoints
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayAttachment:
    vpc_id: str
    state: str
    """``available`` / ``attached`` when usable; ``attaching``, ``detaching``, ``detached``."""

    @property
    def attached(self) -> bool:
        return self.state in ("available", "attached")


@dataclass(frozen=True, slots=True, kw_only=True)
class InternetGateway:
    id: str
    attachments: tuple[GatewayAttachment, ...] = ()
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    def attached_to(self, vpc_id: str) -> bool:
        return any(a.vpc_id == vpc_id and a.attached for a in self.attachments)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class EgressOnlyInternetGateway:
    id: str
    attachments: tuple[GatewayAttachment, ...] = ()
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    def attached_to(self, vpc_id: str) -> bool:
        return any(a.vpc_id == vpc_id and a.attached for a in self.attachments)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class NatAddress:
    private_ip: ipaddress.IPv4Address | None = None
    public_ip: ipaddress.IPv4Address | None = None
    allocation_id: str | None = None
    network_interface_id: str | None = None
    is_primary: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class NatGateway:
    id: str
    vpc_id: str
    subnet_id: str
    state: NatState
    connectivity: NatConnectivity = NatConnectivity.PUBLIC
    addresses: tuple[NatAddress, ...] = ()
    failure_code: str | None = None
    failure_message: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    @property
    def public_ips(self) -> tuple[ipaddress.IPv4Address, ...]:
        return tuple(a.public_ip for a in self.addresses if a.public_ip is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsEntry:
    dns_name: str
    hosted_zone_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VpcEndpoint:
    id: str
    vpc_id: str
    type: EndpointType
    service_name: str
    """``com.amazonaws.ap-northeast-1.s3`` …"""
    state: str
    """``available`` when usable; ``pending``, ``pendingAcceptance``, ``rejected``, ``failed``…"""
    route_table_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    network_interface_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    private_dns_enabled: bool = False
    policy_document: str | None = None
    dns_entries: tuple[DnsEntry, ...] = ()
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    @property
    def service_short_name(self) -> str:
        """``s3``, ``secretsmanager``, ``ecr.api`` … (the part after the region)."""
        parts = self.service_name.split(".")
        # com.amazonaws.<region>.<service…>
        if len(parts) >= 4 and parts[0] == "com" and parts[1] == "amazonaws":
            return ".".join(parts[3:])
        return self.service_name


# --------------------------------------------------------------------------------------------
# Peering and Transit Gateway
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PeeringSide:
    vpc_id: str
    owner_id: str | None = None
    region: str | None = None
    cidrs: tuple[IPNetwork, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class VpcPeeringConnection:
    id: str
    requester: PeeringSide
    accepter: PeeringSide
    status: str
    """``active`` when usable; ``pending-acceptance``, ``rejected``, ``deleted``…"""
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    def peer_of(self, vpc_id: str) -> PeeringSide | None:
        if self.requester.vpc_id == vpc_id:
            return self.accepter
        if self.accepter.vpc_id == vpc_id:
            return self.requester
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGateway:
    id: str
    state: str
    owner_id: str | None = None
    association_default_route_table_id: str | None = None
    propagation_default_route_table_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayAttachment:
    id: str
    transit_gateway_id: str
    resource_type: str
    """``vpc``, ``vpn``, ``direct-connect-gateway``, ``peering``, ``connect``…"""
    resource_id: str | None
    state: str
    association_route_table_id: str | None = None
    association_state: str | None = None
    subnet_ids: tuple[str, ...] | None = None
    """VPC attachments: one subnet per enabled AZ (None: describe-transit-gateway-vpc-attachments
    was not exported)."""
    resource_owner_id: str | None = None
    transit_gateway_owner_id: str | None = None
    """The TGW owner (describe-transit-gateway-attachments' ``TransitGatewayOwnerId``): a
    RAM-shared TGW belongs to another account than the attached VPC."""
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


@dataclass(frozen=True, slots=True, kw_only=True)
class TgwPropagation:
    """One attachment propagating its routes into a TGW route table
    (get-transit-gateway-route-table-propagations)."""

    attachment_id: str
    resource_type: str | None
    """``vpc``, ``vpn``, ``direct-connect-gateway``, ``peering``, ``connect``…"""
    resource_id: str | None
    state: str
    """``enabled`` when in force; ``enabling``, ``disabling``, ``disabled``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TgwAssociation:
    """One attachment associated with a TGW route table (its traffic is routed by that table;
    get-transit-gateway-route-table-associations)."""

    attachment_id: str
    resource_type: str | None
    resource_id: str | None
    state: str
    """``associated`` when in force; ``associating``, ``disassociating``, ``disassociated``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayRoute:
    destination: IPNetwork | None
    prefix_list_id: str | None = None
    attachment_ids: tuple[str, ...] = ()
    resource_ids: tuple[str, ...] = ()
    route_type: str = "static"
    """``static`` or ``propagated``."""
    state: str = "active"
    """``active`` or ``blackhole``."""

    @property
    def destination_text(self) -> str:
        return str(self.destination) if self.destination is not None else str(self.prefix_list_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayRouteTable:
    id: str
    transit_gateway_id: str
    state: str = "available"
    is_default_association: bool = False
    is_default_propagation: bool = False
    routes: tuple[TransitGatewayRoute, ...] | None = None
    """The output of search-transit-gateway-routes (every route: static and propagated); None:
    it was not exported for this table (derive the routes from the associations, propagations
    and static routes below)."""
    propagations: tuple[TgwPropagation, ...] | None = None
    """None: get-transit-gateway-route-table-propagations was not exported for this table."""
    associations: tuple[TgwAssociation, ...] | None = None
    """None: get-transit-gateway-route-table-associations was not exported for this table."""
    static_routes: tuple[TransitGatewayRoute, ...] | None = None
    """Static routes only: Batfish's ``TransitGatewayStaticRoutes``, else the static routes of
    ``routes``; None when neither was exported."""
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


@dataclass(frozen=True, slots=True, kw_only=True)
class TgwPeeringSide:
    transit_gateway_id: str | None
    owner_id: str | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayPeeringAttachment:
    """A TGW peering (describe-transit-gateway-peering-attachments): usually another Region."""

    id: str
    requester: TgwPeeringSide
    accepter: TgwPeeringSide
    state: str
    """``available`` when usable; ``pendingAcceptance``, ``rejected``, ``deleted``…"""
    accepter_attachment_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    def peer_of(self, transit_gateway_id: str) -> TgwPeeringSide | None:
        """The other side (peer TGW id, Region, account) seen from ``transit_gateway_id``."""
        if self.requester.transit_gateway_id == transit_gateway_id:
            return self.accepter
        if self.accepter.transit_gateway_id == transit_gateway_id:
            return self.requester
        return None


# --------------------------------------------------------------------------------------------
# Site-to-Site VPN
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnTunnel:
    """One tunnel's telemetry (describe-vpn-connections' ``VgwTelemetry``)."""

    outside_ip: str | None
    status: str
    """``UP`` or ``DOWN``."""
    status_message: str | None = None
    accepted_route_count: int | None = None

    @property
    def up(self) -> bool:
        return self.status == "UP"


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnRoute:
    """A static route of a VPN connection (``Routes``)."""

    destination: IPNetwork
    state: str
    """``available`` when in force; ``pending``, ``deleting``, ``deleted``."""
    source: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnConnection:
    """A Site-to-Site VPN connection (describe-vpn-connections), on a VGW or a TGW."""

    id: str
    state: str
    """``available`` when usable; ``pending``, ``deleting``, ``deleted``."""
    type: str
    """``ipsec.1``."""
    vpn_gateway_id: str | None = None
    transit_gateway_id: str | None = None
    customer_gateway_id: str | None = None
    static_routes_only: bool | None = None
    """None: the output does not say (``Options`` absent)."""
    routes: tuple[VpnRoute, ...] = ()
    tunnels: tuple[VpnTunnel, ...] | None = None
    """None: the output has no ``VgwTelemetry`` (tunnel state unknown)."""
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class VpnGateway:
    """A virtual private gateway (describe-vpn-gateways)."""

    id: str
    state: str
    """``available`` when usable; ``pending``, ``deleting``, ``deleted``."""
    type: str = "ipsec.1"
    attachments: tuple[GatewayAttachment, ...] = ()
    amazon_side_asn: int | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    def attached_to(self, vpc_id: str) -> bool:
        return any(a.vpc_id == vpc_id and a.attached for a in self.attachments)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

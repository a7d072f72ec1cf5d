"""The typed model of the AWS resources vpcdoctor reasons about.

Every record is a frozen, slotted dataclass built by the snapshot loader (offline JSON) or the
live collector (the same raw shapes), never by the engine. Fields that the snapshot may lack
are ``None`` ("not known"), which is different from an empty tuple ("known to be empty"): the
engine turns ``None`` into an ``unknown`` hop that names the export that would settle it.

The :class:`Account` holds everything, keyed by resource id, and the lookups the engine needs
(subnet → route table, subnet → network ACL, (subnet, security groups) → Hyperplane ENI,
private IP → ENI, prefix list → CIDRs), computed once when the account is built.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeAlias

IPNetwork: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

Tags: TypeAlias = Mapping[str, str]
_NO_TAGS: Tags = MappingProxyType({})


def _name(tags: Tags, fallback: str) -> str:
    return tags.get("Name", fallback) or fallback


# --------------------------------------------------------------------------------------------
# Enums
# --------------------------------------------------------------------------------------------


class RouteState(StrEnum):
    ACTIVE = "active"
    BLACKHOLE = "blackhole"
    FILTERED = "filtered"
    """Not used for forwarding (filtered by a route server); botocore's enum has it."""


class RouteOrigin(StrEnum):
    """Where a route came from; decides ties on identical destinations."""

    CREATE_ROUTE_TABLE = "CreateRouteTable"
    """The local route."""
    CREATE_ROUTE = "CreateRoute"
    """A static route (also what a gateway endpoint adds)."""
    ENABLE_VGW_ROUTE_PROPAGATION = "EnableVgwRoutePropagation"
    """A propagated route (VPN / Direct Connect)."""
    ADVERTISEMENT = "Advertisement"
    """Advertised by a VPC route server (botocore's enum has it); treat as propagated."""


class RouteTargetType(StrEnum):
    LOCAL = "local"
    INTERNET_GATEWAY = "igw"
    EGRESS_ONLY_INTERNET_GATEWAY = "eigw"
    NAT_GATEWAY = "nat"
    INSTANCE = "instance"
    NETWORK_INTERFACE = "eni"
    VPC_PEERING = "pcx"
    TRANSIT_GATEWAY = "tgw"
    VIRTUAL_PRIVATE_GATEWAY = "vgw"
    VPC_ENDPOINT = "vpce"
    CARRIER_GATEWAY = "cagw"
    LOCAL_GATEWAY = "lgw"
    CORE_NETWORK = "core-network"
    UNKNOWN = "unknown"


class NatState(StrEnum):
    PENDING = "pending"
    FAILED = "failed"
    AVAILABLE = "available"
    DELETING = "deleting"
    DELETED = "deleted"


class NatConnectivity(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class EndpointType(StrEnum):
    GATEWAY = "Gateway"
    INTERFACE = "Interface"
    GATEWAY_LOAD_BALANCER = "GatewayLoadBalancer"
    RESOURCE = "Resource"
    SERVICE_NETWORK = "ServiceNetwork"
    TUNNEL = "Tunnel"


class RuleAction(StrEnum):
    ALLOW = "allow"
    DENY = "deny"


class LambdaState(StrEnum):
    PENDING = "Pending"
    ACTIVE = "Active"
    INACTIVE = "Inactive"
    FAILED = "Failed"
    DEACTIVATING = "Deactivating"
    DEACTIVATED = "Deactivated"
    ACTIVE_NON_INVOCABLE = "ActiveNonInvocable"
    DELETING = "Deleting"


class ResolverRuleType(StrEnum):
    FORWARD = "FORWARD"
    SYSTEM = "SYSTEM"
    RECURSIVE = "RECURSIVE"
    DELEGATE = "DELEGATE"


class ResolverDirection(StrEnum):
    INBOUND = "INBOUND"
    OUTBOUND = "OUTBOUND"
    INBOUND_DELEGATION = "INBOUND_DELEGATION"


# --------------------------------------------------------------------------------------------
# Ports and protocols
# --------------------------------------------------------------------------------------------

PROTOCOL_NUMBERS: Mapping[str, str] = MappingProxyType(
    {
        "-1": "-1",
        "all": "-1",
        "tcp": "6",
        "udp": "17",
        "icmp": "1",
        "icmpv6": "58",
        "58": "58",
        "6": "6",
        "17": "17",
        "1": "1",
    }
)
PROTOCOL_NAMES: Mapping[str, str] = MappingProxyType(
    {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp"}
)
"""How a rule's protocol number reads in a sentence (others are shown as their number)."""


def protocol_number(value: str | int) -> str:
    """Normalise an AWS protocol value (``tcp``, ``6``, ``-1`` …) to its number as a string."""
    text = str(value).lower()
    return PROTOCOL_NUMBERS.get(text, text)


@dataclass(frozen=True, slots=True, kw_only=True)
class PortRange:
    """An inclusive port range; ``None`` bounds mean every port."""

    low: int | None = None
    high: int | None = None

    def contains(self, port: int) -> bool:
        if self.low is None or self.high is None:
            return True
        return self.low <= port <= self.high

    def covers(self, low: int, high: int) -> bool:
        """True when every port in ``low..high`` is inside this range."""
        if self.low is None or self.high is None:
            return True
        return self.low <= low and high <= self.high

    def __str__(self) -> str:
        if self.low is None or self.high is None:
            return "all"
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


ALL_PORTS = PortRange()


# --------------------------------------------------------------------------------------------
# VPC, subnets, routing
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Vpc:
    id: str
    owner_id: str | None = None
    cidrs: tuple[ipaddress.IPv4Network, ...] = ()
    """Associated IPv4 CIDR blocks, primary first, secondary after."""
    ipv6_cidrs: tuple[ipaddress.IPv6Network, ...] = ()
    is_default: bool = False
    state: str | None = None
    dhcp_options_id: str | None = None
    enable_dns_support: bool | None = None
    """None: describe-vpc-attribute was not exported."""
    enable_dns_hostnames: bool | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    @property
    def resolver_ip(self) -> ipaddress.IPv4Address | None:
        """The Amazon-provided DNS server: the primary CIDR's base address plus two."""
        if not self.cidrs:
            return None
        return self.cidrs[0].network_address + 2

    def contains(self, ip: IPAddress) -> bool:
        nets: tuple[IPNetwork, ...] = (*self.cidrs, *self.ipv6_cidrs)
        return any(ip.version == n.version and ip in n for n in nets)


@dataclass(frozen=True, slots=True, kw_only=True)
class Subnet:
    id: str
    vpc_id: str
    az: str
    az_id: str | None = None
    cidr: ipaddress.IPv4Network | None = None
    ipv6_cidrs: tuple[ipaddress.IPv6Network, ...] = ()
    available_ips: int | None = None
    map_public_ip_on_launch: bool = False
    ipv6_native: bool = False
    owner_id: str | None = None
    state: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    @property
    def is_dual_stack(self) -> bool:
        return self.cidr is not None and bool(self.ipv6_cidrs)


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    destination: IPNetwork | None
    """The destination CIDR; None for a prefix-list route."""
    prefix_list_id: str | None = None
    target_type: RouteTargetType
    target_id: str
    """``local``, ``igw-…``, ``nat-…``, ``pcx-…``, ``i-…``, ``eni-…``, ``vpce-…``…"""
    state: RouteState = RouteState.ACTIVE
    origin: RouteOrigin = RouteOrigin.CREATE_ROUTE

    @property
    def destination_text(self) -> str:
        return self.prefix_list_id if self.prefix_list_id else str(self.destination)

    def __str__(self) -> str:
        state = "" if self.state is RouteState.ACTIVE else f" ({self.state})"
        return f"{self.destination_text} → {self.target_id}{state}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteTable:
    id: str
    vpc_id: str
    routes: tuple[Route, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    """Explicitly associated subnets."""
    is_main: bool = False
    gateway_ids: tuple[str, ...] = ()
    """Edge associations (an IGW or VGW associated for ingress routing)."""
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)


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
# Security groups and network ACLs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityGroupRule:
    """One source or destination of a security group rule (AWS's lists are flattened)."""

    egress: bool
    protocol: str
    """Protocol number as a string; ``-1`` means all."""
    ports: PortRange = ALL_PORTS
    cidr: IPNetwork | None = None
    prefix_list_id: str | None = None
    referenced_group_id: str | None = None
    referenced_user_id: str | None = None
    referenced_vpc_id: str | None = None
    peering_status: str | None = None
    description: str | None = None
    rule_id: str | None = None

    @property
    def peer_text(self) -> str:
        if self.cidr is not None:
            return str(self.cidr)
        if self.prefix_list_id:
            return self.prefix_list_id
        if self.referenced_group_id:
            return self.referenced_group_id
        return "?"

    def __str__(self) -> str:
        proto = PROTOCOL_NAMES.get(self.protocol, self.protocol)
        direction = "to" if self.egress else "from"
        return f"{proto} {self.ports} {direction} {self.peer_text}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityGroup:
    id: str
    vpc_id: str | None
    name: str
    description: str = ""
    ingress: tuple[SecurityGroupRule, ...] = ()
    egress: tuple[SecurityGroupRule, ...] = ()
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkAclEntry:
    rule_number: int
    egress: bool
    protocol: str
    action: RuleAction
    cidr: IPNetwork
    ports: PortRange = ALL_PORTS
    icmp_type: int | None = None
    icmp_code: int | None = None

    @property
    def is_default_deny(self) -> bool:
        return self.rule_number == 32767

    def __str__(self) -> str:
        number = "*" if self.is_default_deny else str(self.rule_number)
        proto = PROTOCOL_NAMES.get(self.protocol, self.protocol)
        direction = "out" if self.egress else "in"
        return f"#{number} {direction} {proto} {self.ports} {self.cidr} {self.action}"


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkAcl:
    id: str
    vpc_id: str
    is_default: bool = False
    entries: tuple[NetworkAclEntry, ...] = ()
    """All entries, sorted by (egress, rule number)."""
    subnet_ids: tuple[str, ...] = ()
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)

    def rules(self, *, egress: bool) -> tuple[NetworkAclEntry, ...]:
        """Entries of one direction in evaluation order (ascending rule number)."""
        return tuple(e for e in self.entries if e.egress == egress)


# --------------------------------------------------------------------------------------------
# Interfaces and addresses
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkInterface:
    id: str
    subnet_id: str
    vpc_id: str
    az: str | None = None
    interface_type: str = "interface"
    """``lambda`` for Hyperplane ENIs; ``nat_gateway``, ``vpc_endpoint``, ``interface``…"""
    requester_managed: bool = False
    requester_id: str | None = None
    description: str = ""
    status: str | None = None
    private_ips: tuple[IPAddress, ...] = ()
    """Primary first."""
    ipv6_addresses: tuple[ipaddress.IPv6Address, ...] = ()
    public_ip: ipaddress.IPv4Address | None = None
    """A public IPv4 or Elastic IP associated with the ENI, if any."""
    elastic_ip_allocation_id: str | None = None
    security_group_ids: tuple[str, ...] = ()
    instance_id: str | None = None
    attachment_id: str | None = None
    source_dest_check: bool = True
    owner_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def is_lambda(self) -> bool:
        return self.interface_type == "lambda"

    @property
    def primary_ip(self) -> IPAddress | None:
        return self.private_ips[0] if self.private_ips else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ElasticIp:
    allocation_id: str | None
    public_ip: ipaddress.IPv4Address
    association_id: str | None = None
    network_interface_id: str | None = None
    private_ip: ipaddress.IPv4Address | None = None
    instance_id: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrefixList:
    id: str
    name: str = ""
    address_family: str | None = None
    owner_id: str | None = None
    max_entries: int | None = None
    aws_managed: bool = False
    entries: tuple[IPNetwork, ...] | None = None
    """None: the entries were not exported (a gap, not an empty list)."""


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
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitGatewayRouteTable:
    id: str
    transit_gateway_id: str
    state: str = "available"
    is_default_association: bool = False
    is_default_propagation: bool = False
    routes: tuple[TransitGatewayRoute, ...] | None = None
    """None: search-transit-gateway-routes was not exported for this table."""
    tags: Tags = field(default_factory=lambda: _NO_TAGS)


# --------------------------------------------------------------------------------------------
# Lambda
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VpcConfig:
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    vpc_id: str | None = None
    ipv6_allowed_for_dual_stack: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvisionedConcurrency:
    qualifier: str
    """The alias or version (parsed from the config's FunctionArn)."""
    requested: int | None = None
    allocated: int | None = None
    available: int | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LambdaFunction:
    name: str
    arn: str
    runtime: str | None = None
    package_type: str = "Zip"
    """``Zip`` or ``Image`` (image functions pull from ECR: ecr.api, ecr.dkr and S3)."""
    memory_mb: int | None = None
    timeout_s: int | None = None
    role: str | None = None
    vpc: VpcConfig | None = None
    """None or empty subnets: not attached to a VPC."""
    state: LambdaState | None = None
    """None: only list-functions was exported, which does not return the state."""
    state_reason: str | None = None
    state_reason_code: str | None = None
    last_update_status: str | None = None
    last_update_status_reason: str | None = None
    last_update_status_reason_code: str | None = None
    reserved_concurrency: int | None = None
    concurrency_known: bool = False
    """True when get-function-concurrency was exported (so None means "no reservation")."""
    provisioned: tuple[ProvisionedConcurrency, ...] | None = None
    """None: list-provisioned-concurrency-configs was not exported."""
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def in_vpc(self) -> bool:
        return self.vpc is not None and bool(self.vpc.subnet_ids)


# --------------------------------------------------------------------------------------------
# Route 53 and Resolver
# --------------------------------------------------------------------------------------------


def normalize_dns_name(name: str) -> str:
    """Lower-case, no trailing dot, Route 53's ``\\052`` unescaped to ``*``."""
    return name.replace("\\052", "*").rstrip(".").lower()


@dataclass(frozen=True, slots=True, kw_only=True)
class AliasTarget:
    dns_name: str
    hosted_zone_id: str
    evaluate_target_health: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordSet:
    name: str
    """Normalised (lower case, no trailing dot)."""
    type: str
    ttl: int | None = None
    values: tuple[str, ...] = ()
    alias: AliasTarget | None = None
    set_identifier: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ZoneVpc:
    vpc_id: str
    region: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HostedZone:
    id: str
    """Without the ``/hostedzone/`` prefix."""
    name: str
    """Normalised (lower case, no trailing dot)."""
    private: bool
    vpcs: tuple[ZoneVpc, ...] | None = None
    """Associated VPCs (get-hosted-zone); None when not exported."""
    records: tuple[RecordSet, ...] | None = None
    """None when list-resource-record-sets was not exported for this zone."""
    record_count: int | None = None
    comment: str | None = None

    def associated_with(self, vpc_id: str) -> bool | None:
        if self.vpcs is None:
            return None
        return any(v.vpc_id == vpc_id for v in self.vpcs)


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetAddress:
    ip: str
    port: int = 53


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolverRule:
    id: str
    domain_name: str
    """Normalised (lower case, no trailing dot); ``""`` for the root rule (``.``)."""
    rule_type: ResolverRuleType
    status: str = "COMPLETE"
    target_ips: tuple[TargetAddress, ...] = ()
    resolver_endpoint_id: str | None = None
    owner_id: str | None = None
    share_status: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolverRuleAssociation:
    id: str
    rule_id: str
    vpc_id: str
    status: str = "COMPLETE"
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolverEndpointIp:
    subnet_id: str
    ip: str | None = None
    ipv6: str | None = None
    status: str | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolverEndpoint:
    id: str
    direction: ResolverDirection
    vpc_id: str
    security_group_ids: tuple[str, ...] = ()
    status: str = "OPERATIONAL"
    ip_address_count: int | None = None
    ip_addresses: tuple[ResolverEndpointIp, ...] | None = None
    """None when list-resolver-endpoint-ip-addresses was not exported."""
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DhcpOptions:
    id: str
    domain_name_servers: tuple[str, ...] = ()
    """``AmazonProvidedDNS`` or IP addresses."""
    domain_name: str | None = None
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def uses_amazon_dns(self) -> bool:
        return not self.domain_name_servers or "AmazonProvidedDNS" in self.domain_name_servers


# --------------------------------------------------------------------------------------------
# Targets that are not network primitives: instances, load balancers, databases
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Instance:
    id: str
    state: str
    subnet_id: str | None = None
    vpc_id: str | None = None
    private_ip: IPAddress | None = None
    public_ip: ipaddress.IPv4Address | None = None
    network_interface_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    source_dest_check: bool = True
    tags: Tags = field(default_factory=lambda: _NO_TAGS)

    @property
    def name(self) -> str:
        return _name(self.tags, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadBalancer:
    arn: str
    name: str
    dns_name: str
    """Normalised (lower case, no trailing dot)."""
    scheme: str
    """``internal`` or ``internet-facing``."""
    type: str
    """``application``, ``network``, ``gateway``."""
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    canonical_hosted_zone_id: str | None = None
    state: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DbEndpoint:
    address: str
    """Normalised (lower case, no trailing dot)."""
    port: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DbInstance:
    id: str
    engine: str
    status: str | None = None
    endpoint: DbEndpoint | None = None
    security_group_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    vpc_id: str | None = None
    cluster_id: str | None = None
    publicly_accessible: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class DbCluster:
    id: str
    engine: str
    status: str | None = None
    endpoint: DbEndpoint | None = None
    reader_endpoint: DbEndpoint | None = None
    port: int | None = None
    security_group_ids: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DbProxy:
    name: str
    arn: str
    engine_family: str
    endpoint: str
    """Normalised (lower case, no trailing dot)."""
    status: str | None = None
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Gaps: what the snapshot does not say
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap:
    """A kind of output the snapshot lacks, or an operation that failed during collection."""

    kind: str
    """A :data:`vpcdoctor.graph.kinds.KINDS` name."""
    reason: str
    """``not exported``, ``AccessDenied``, ``throttled``…"""
    iam_action: str | None = None
    owner: str | None = None
    """For per-resource outputs: which resource's output is missing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceNote:
    """A file the loader read or set aside, for the "not used" note and provenance."""

    path: str
    kind: str | None
    note: str = ""


# --------------------------------------------------------------------------------------------
# The account
# --------------------------------------------------------------------------------------------


def _freeze(d: Mapping[str, object] | None) -> Mapping[str, object]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Account:
    """Everything one snapshot says about one account and region, with lookups built once.

    Build it with :meth:`Account.build`; do not mutate the mappings.
    """

    account_id: str | None = None
    region: str | None = None
    vpcs: Mapping[str, Vpc]
    subnets: Mapping[str, Subnet]
    route_tables: Mapping[str, RouteTable]
    internet_gateways: Mapping[str, InternetGateway]
    egress_only_internet_gateways: Mapping[str, EgressOnlyInternetGateway]
    nat_gateways: Mapping[str, NatGateway]
    vpc_endpoints: Mapping[str, VpcEndpoint]
    security_groups: Mapping[str, SecurityGroup]
    network_acls: Mapping[str, NetworkAcl]
    network_interfaces: Mapping[str, NetworkInterface]
    elastic_ips: Mapping[str, ElasticIp]
    """Keyed by allocation id (or public IP for EC2-Classic style records)."""
    prefix_lists: Mapping[str, PrefixList]
    peering_connections: Mapping[str, VpcPeeringConnection]
    transit_gateways: Mapping[str, TransitGateway]
    transit_gateway_attachments: Mapping[str, TransitGatewayAttachment]
    transit_gateway_route_tables: Mapping[str, TransitGatewayRouteTable]
    functions: Mapping[str, LambdaFunction]
    """Keyed by function name."""
    hosted_zones: Mapping[str, HostedZone]
    resolver_rules: Mapping[str, ResolverRule]
    resolver_rule_associations: Mapping[str, ResolverRuleAssociation]
    resolver_endpoints: Mapping[str, ResolverEndpoint]
    dhcp_options: Mapping[str, DhcpOptions]
    instances: Mapping[str, Instance]
    load_balancers: Mapping[str, LoadBalancer]
    """Keyed by ARN."""
    db_instances: Mapping[str, DbInstance]
    db_clusters: Mapping[str, DbCluster]
    db_proxies: Mapping[str, DbProxy]
    """Keyed by proxy name."""

    present: frozenset[str] = frozenset()
    """Kind names the snapshot holds at least one output of."""
    gaps: tuple[Gap, ...] = ()
    """Operations that failed during live collection (AccessDenied…) and known missing outputs."""
    sources: tuple[SourceNote, ...] = ()
    """Files read and files set aside ("not used"), in load order."""

    # ---- lookups computed once by build() ---------------------------------------------
    _subnet_route_table: Mapping[str, str] = field(default_factory=dict)
    _subnet_nacl: Mapping[str, str] = field(default_factory=dict)
    _default_nacl: Mapping[str, str] = field(default_factory=dict)
    _main_route_table: Mapping[str, str] = field(default_factory=dict)
    _subnets_by_vpc: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _hyperplane: Mapping[tuple[str, frozenset[str]], tuple[str, ...]] = field(default_factory=dict)
    _eni_by_ip: Mapping[str, str] = field(default_factory=dict)
    _eni_by_vpc_ip: Mapping[tuple[str, str], str] = field(default_factory=dict)
    _eip_by_eni: Mapping[str, str] = field(default_factory=dict)
    _functions_by_eni_key: Mapping[tuple[str, frozenset[str]], tuple[str, ...]] = field(
        default_factory=dict
    )

    # ------------------------------------------------------------------------------------
    @classmethod
    def build(cls, **resources: object) -> Account:
        """Create an account from keyword mappings (missing ones empty) and index it once."""
        for name, spec in cls.__dataclass_fields__.items():
            if name.startswith("_"):
                continue
            if spec.default is MISSING and spec.default_factory is MISSING:
                resources.setdefault(name, {})
        for name, value in list(resources.items()):
            if isinstance(value, dict):
                resources[name] = MappingProxyType(value)
        account = cls(**resources)  # type: ignore[arg-type]
        _index(account)
        return account

    # ---- lookups ----------------------------------------------------------------------
    def route_table_for(self, subnet_id: str) -> RouteTable | None:
        """The subnet's explicitly associated route table, else its VPC's main route table."""
        rtb = self._subnet_route_table.get(subnet_id)
        if rtb is None:
            subnet = self.subnets.get(subnet_id)
            if subnet is not None:
                rtb = self._main_route_table.get(subnet.vpc_id)
        return self.route_tables.get(rtb) if rtb else None

    def route_table_is_explicit(self, subnet_id: str) -> bool:
        return subnet_id in self._subnet_route_table

    def main_route_table(self, vpc_id: str) -> RouteTable | None:
        rtb = self._main_route_table.get(vpc_id)
        return self.route_tables.get(rtb) if rtb else None

    def network_acl_for(self, subnet_id: str) -> NetworkAcl | None:
        """The subnet's network ACL (AWS associates every subnet with exactly one)."""
        acl = self._subnet_nacl.get(subnet_id)
        if acl is None:
            subnet = self.subnets.get(subnet_id)
            if subnet is not None:
                acl = self._default_nacl.get(subnet.vpc_id)
        return self.network_acls.get(acl) if acl else None

    def subnets_in_vpc(self, vpc_id: str) -> tuple[Subnet, ...]:
        return tuple(self.subnets[s] for s in self._subnets_by_vpc.get(vpc_id, ()))

    def hyperplane_enis(
        self, subnet_id: str, security_group_ids: tuple[str, ...] | frozenset[str]
    ) -> tuple[NetworkInterface, ...]:
        """Lambda ENIs in ``subnet_id`` whose security-group set is exactly the given one."""
        key = (subnet_id, frozenset(security_group_ids))
        return tuple(self.network_interfaces[e] for e in self._hyperplane.get(key, ()))

    def functions_sharing(
        self, subnet_id: str, security_group_ids: tuple[str, ...]
    ) -> tuple[LambdaFunction, ...]:
        """Functions whose VpcConfig uses this (subnet, security-group set): they share ENIs."""
        key = (subnet_id, frozenset(security_group_ids))
        return tuple(self.functions[f] for f in self._functions_by_eni_key.get(key, ()))

    def eni_for_ip(self, ip: IPAddress | str) -> NetworkInterface | None:
        eni = self._eni_by_ip.get(str(ip))
        return self.network_interfaces.get(eni) if eni else None

    def eni_for_ip_in_vpc(self, ip: IPAddress | str, vpc_id: str) -> NetworkInterface | None:
        """The interface holding ``ip`` inside ``vpc_id`` (VPCs of one account may overlap)."""
        eni = self._eni_by_vpc_ip.get((vpc_id, str(ip)))
        return self.network_interfaces.get(eni) if eni else None

    def elastic_ip_for_eni(self, eni_id: str) -> ElasticIp | None:
        key = self._eip_by_eni.get(eni_id)
        return self.elastic_ips.get(key) if key else None

    def prefix_list_cidrs(self, prefix_list_id: str) -> tuple[IPNetwork, ...] | None:
        """CIDRs of a prefix list; None when the snapshot lacks its entries."""
        pl = self.prefix_lists.get(prefix_list_id)
        return pl.entries if pl is not None else None

    def vpc_for_ip(self, ip: IPAddress) -> Vpc | None:
        for vpc in self.vpcs.values():
            if vpc.contains(ip):
                return vpc
        return None

    def has(self, kind_name: str) -> bool:
        """True when the snapshot holds an output of this kind."""
        return kind_name in self.present

    def gap_for(self, kind_name: str) -> Gap | None:
        for gap in self.gaps:
            if gap.kind == kind_name:
                return gap
        return None


def _index(account: Account) -> None:
    """Compute the lookups once. Called by :meth:`Account.build` on the frozen instance."""
    subnet_rtb: dict[str, str] = {}
    main_rtb: dict[str, str] = {}
    for rtb in account.route_tables.values():
        if rtb.is_main:
            main_rtb[rtb.vpc_id] = rtb.id
        for subnet_id in rtb.subnet_ids:
            subnet_rtb[subnet_id] = rtb.id
    subnet_acl: dict[str, str] = {}
    default_acl: dict[str, str] = {}
    for acl in account.network_acls.values():
        if acl.is_default:
            default_acl[acl.vpc_id] = acl.id
        for subnet_id in acl.subnet_ids:
            subnet_acl[subnet_id] = acl.id
    by_vpc: dict[str, list[str]] = {}
    for subnet in account.subnets.values():
        by_vpc.setdefault(subnet.vpc_id, []).append(subnet.id)
    hyperplane: dict[tuple[str, frozenset[str]], list[str]] = {}
    by_ip: dict[str, str] = {}
    by_vpc_ip: dict[tuple[str, str], str] = {}
    for eni in account.network_interfaces.values():
        for ip in (*eni.private_ips, *eni.ipv6_addresses):
            text = str(ip)
            by_ip.setdefault(text, eni.id)
            by_vpc_ip.setdefault((eni.vpc_id, text), eni.id)
        if eni.is_lambda:
            hyperplane.setdefault((eni.subnet_id, frozenset(eni.security_group_ids)), []).append(
                eni.id
            )
    eip_by_eni: dict[str, str] = {}
    for key, eip in account.elastic_ips.items():
        if eip.network_interface_id:
            eip_by_eni[eip.network_interface_id] = key
    fn_keys: dict[tuple[str, frozenset[str]], list[str]] = {}
    for fn in account.functions.values():
        if fn.vpc is None:
            continue
        for subnet_id in fn.vpc.subnet_ids:
            fn_keys.setdefault((subnet_id, frozenset(fn.vpc.security_group_ids)), []).append(
                fn.name
            )

    def _set(name: str, value: object) -> None:
        object.__setattr__(account, name, MappingProxyType(value))  # type: ignore[arg-type]

    _set("_subnet_route_table", subnet_rtb)
    _set("_main_route_table", main_rtb)
    _set("_subnet_nacl", subnet_acl)
    _set("_default_nacl", default_acl)
    _set("_subnets_by_vpc", {k: tuple(v) for k, v in by_vpc.items()})
    _set("_hyperplane", {k: tuple(v) for k, v in hyperplane.items()})
    _set("_eni_by_ip", by_ip)
    _set("_eni_by_vpc_ip", by_vpc_ip)
    _set("_eip_by_eni", eip_by_eni)
    _set("_functions_by_eni_key", {k: tuple(v) for k, v in fn_keys.items()})

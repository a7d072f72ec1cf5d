"""Shared types of the model: IP aliases, tags, enums, ports and protocols."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
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

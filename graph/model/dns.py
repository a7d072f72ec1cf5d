"""Route 53 hosted zones and records, Resolver rules and endpoints, DHCP options."""

from __future__ import annotations

from dataclasses import dataclass, field

from vpcdoctor.graph.model.base import (
    _NO_TAGS,
    ResolverDirection,
    ResolverRuleType,
    Tags,
)

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

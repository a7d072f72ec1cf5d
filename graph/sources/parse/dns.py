"""Parsers of Route 53 hosted zones and records, and Route 53 Resolver rules and endpoints."""

from __future__ import annotations

from dataclasses import replace

from vpcdoctor.graph.model import (
    AliasTarget,
    HostedZone,
    RecordSet,
    ResolverDirection,
    ResolverEndpoint,
    ResolverEndpointIp,
    ResolverRule,
    ResolverRuleAssociation,
    ResolverRuleType,
    TargetAddress,
    ZoneVpc,
    normalize_dns_name,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _arn_hint, _parser
from vpcdoctor.graph.sources.parse.merge import Collection
from vpcdoctor.graph.sources.parse.values import (
    Item,
    _enum,
    _ip,
    _items,
    _port,
    _req,
    _str,
    _strs,
    _zone_id,
)

# ---- Route 53 and Resolver -------------------------------------------------------------------


def _zone(z: Item, base: str) -> HostedZone:
    config = z.get("Config") or {}
    return HostedZone(
        id=_zone_id(_req(z, "Id", base)),
        name=normalize_dns_name(_req(z, "Name", base)),
        private=bool(config.get("PrivateZone")),
        record_count=z.get("ResourceRecordSetCount"),
        comment=_str(config, "Comment"),
    )


@_parser("list-hosted-zones")
def _list_hosted_zones(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, z in _items(data, "HostedZones"):
        zone = _zone(z, base)
        b.zones_listed.add(zone.id, zone, src, base)


@_parser("get-hosted-zone")
def _get_hosted_zone(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    zone = _zone(data.get("HostedZone") or {}, "HostedZone")
    vpcs = tuple(
        ZoneVpc(vpc_id=v["VPCId"], region=_str(v, "VPCRegion"))
        for v in data.get("VPCs") or ()
        if v.get("VPCId")
    )
    b.zones_got.add(zone.id, replace(zone, vpcs=vpcs), src, "HostedZone")


def _record_values(r: Item, base: str) -> tuple[str, ...]:
    values: list[str] = []
    kind = r.get("Type")
    for i, v in enumerate(r.get("ResourceRecords") or ()):
        value = v.get("Value")
        if not isinstance(value, str):
            continue
        if kind == "A":
            _ip(value, f"{base}.ResourceRecords[{i}].Value", 4)
        elif kind == "AAAA":
            _ip(value, f"{base}.ResourceRecords[{i}].Value", 6)
        values.append(value)
    return tuple(values)


@_parser("list-resource-record-sets")
def _records(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    zone_id = _zone_id(owner)
    coll = b.zone_records.setdefault(zone_id, Collection(f"record set of {zone_id}:"))
    b.per_zone_sources.setdefault(zone_id, []).append(src)
    for base, r in _items(data, "ResourceRecordSets"):
        alias = r.get("AliasTarget")
        record = RecordSet(
            name=normalize_dns_name(_req(r, "Name", base)),
            type=_req(r, "Type", base),
            ttl=r.get("TTL"),
            values=_record_values(r, base),
            alias=AliasTarget(
                dns_name=normalize_dns_name(_req(alias, "DNSName", f"{base}.AliasTarget")),
                hosted_zone_id=_req(alias, "HostedZoneId", f"{base}.AliasTarget"),
                evaluate_target_health=bool(alias.get("EvaluateTargetHealth")),
            )
            if isinstance(alias, dict)
            else None,
            set_identifier=_str(r, "SetIdentifier"),
        )
        key = f"{record.name} {record.type} {record.set_identifier or ''}"
        coll.add(key, record, src, base)


@_parser("list-resolver-rules")
def _resolver_rules(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, r in _items(data, "ResolverRules"):
        rule_id = _req(r, "Id", base)
        targets = []
        for i, t in enumerate(r.get("TargetIps") or ()):
            at = f"{base}.TargetIps[{i}]"
            if t.get("Ip"):
                ip = str(_ip(t["Ip"], f"{at}.Ip", 4))
            elif t.get("Ipv6"):
                ip = str(_ip(t["Ipv6"], f"{at}.Ipv6", 6))
            else:
                continue
            port = _port(t.get("Port"), f"{at}.Port")
            targets.append(TargetAddress(ip=ip, port=53 if port is None else port))
        rule = ResolverRule(
            id=rule_id,
            domain_name=normalize_dns_name(_req(r, "DomainName", base)),
            rule_type=_enum(ResolverRuleType, _req(r, "RuleType", base), f"{base}.RuleType"),
            status=_str(r, "Status") or "COMPLETE",
            target_ips=tuple(targets),
            resolver_endpoint_id=_str(r, "ResolverEndpointId"),
            owner_id=_str(r, "OwnerId"),
            share_status=_str(r, "ShareStatus"),
            name=_str(r, "Name"),
        )
        b.resolver_rules.add(rule_id, rule, src, base)
        _arn_hint(b, _str(r, "Arn"))


@_parser("list-resolver-rule-associations")
def _resolver_assocs(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "ResolverRuleAssociations"):
        assoc_id = _req(a, "Id", base)
        assoc = ResolverRuleAssociation(
            id=assoc_id,
            rule_id=_req(a, "ResolverRuleId", base),
            vpc_id=_req(a, "VPCId", base),
            status=_str(a, "Status") or "COMPLETE",
            name=_str(a, "Name"),
        )
        b.resolver_assocs.add(assoc_id, assoc, src, base)


@_parser("list-resolver-endpoints")
def _resolver_endpoints(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, e in _items(data, "ResolverEndpoints"):
        endpoint_id = _req(e, "Id", base)
        endpoint = ResolverEndpoint(
            id=endpoint_id,
            direction=_enum(ResolverDirection, _req(e, "Direction", base), f"{base}.Direction"),
            vpc_id=_req(e, "HostVPCId", base),
            security_group_ids=_strs(e.get("SecurityGroupIds")),
            status=_str(e, "Status") or "OPERATIONAL",
            ip_address_count=e.get("IpAddressCount"),
            name=_str(e, "Name"),
        )
        b.resolver_endpoints.add(endpoint_id, endpoint, src, base)
        _arn_hint(b, _str(e, "Arn"))


@_parser("list-resolver-endpoint-ip-addresses")
def _resolver_ips(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.resolver_ips.setdefault(owner, Collection(f"IP address of {owner}:"))
    for base, a in _items(data, "IpAddresses"):
        ip = a.get("Ip")
        ipv6 = a.get("Ipv6")
        address = ResolverEndpointIp(
            subnet_id=_req(a, "SubnetId", base),
            ip=str(_ip(ip, f"{base}.Ip", 4)) if ip else None,
            ipv6=str(_ip(ipv6, f"{base}.Ipv6", 6)) if ipv6 else None,
            status=_str(a, "Status"),
            id=_str(a, "IpId"),
        )
        coll.add(address.id or f"{address.subnet_id} {address.ip}", address, src, base)

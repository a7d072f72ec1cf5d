"""Parsers of the packet filters: security groups, their rules, and network ACLs."""

from __future__ import annotations

from typing import Any

from vpcdoctor.graph.model import (
    DEFAULT_RULE_NUMBERS,
    IPNetwork,
    NetworkAcl,
    NetworkAclEntry,
    RuleAction,
    SecurityGroup,
    SecurityGroupRule,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _parser
from vpcdoctor.graph.sources.parse.merge import Collection
from vpcdoctor.graph.sources.parse.values import (
    Invalid,
    Item,
    _cidr4,
    _cidr6,
    _enum,
    _ids,
    _items,
    _ports,
    _protocol,
    _req,
    _shown,
    _str,
    _tags,
)


def _permission_rules(p: Item, base: str, egress: bool) -> list[SecurityGroupRule]:
    protocol = _protocol(p.get("IpProtocol", "-1"), f"{base}.IpProtocol")
    ports = _ports(protocol, p.get("FromPort"), p.get("ToPort"), base, ("FromPort", "ToPort"))
    rules: list[SecurityGroupRule] = []
    common: dict[str, Any] = {"egress": egress, "protocol": protocol, "ports": ports}
    for i, r in enumerate(p.get("IpRanges") or ()):
        if r.get("CidrIp"):
            cidr = _cidr4(r["CidrIp"], f"{base}.IpRanges[{i}].CidrIp")
            rules.append(SecurityGroupRule(**common, cidr=cidr, description=_str(r, "Description")))
    for i, r in enumerate(p.get("Ipv6Ranges") or ()):
        if r.get("CidrIpv6"):
            cidr6 = _cidr6(r["CidrIpv6"], f"{base}.Ipv6Ranges[{i}].CidrIpv6")
            rules.append(
                SecurityGroupRule(**common, cidr=cidr6, description=_str(r, "Description"))
            )
    for r in p.get("PrefixListIds") or ():
        if r.get("PrefixListId"):
            rules.append(
                SecurityGroupRule(
                    **common, prefix_list_id=r["PrefixListId"], description=_str(r, "Description")
                )
            )
    for r in p.get("UserIdGroupPairs") or ():
        if r.get("GroupId") or r.get("GroupName"):
            rules.append(
                SecurityGroupRule(
                    **common,
                    referenced_group_id=_str(r, "GroupId") or _str(r, "GroupName"),
                    referenced_user_id=_str(r, "UserId"),
                    referenced_vpc_id=_str(r, "VpcId"),
                    peering_status=_str(r, "PeeringStatus"),
                    description=_str(r, "Description"),
                )
            )
    return rules


@_parser("describe-security-groups")
def _security_groups(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "SecurityGroups"):
        group_id = _req(g, "GroupId", base)
        ingress: list[SecurityGroupRule] = []
        egress: list[SecurityGroupRule] = []
        for i, p in enumerate(g.get("IpPermissions") or ()):
            ingress.extend(_permission_rules(p, f"{base}.IpPermissions[{i}]", False))
        for i, p in enumerate(g.get("IpPermissionsEgress") or ()):
            egress.extend(_permission_rules(p, f"{base}.IpPermissionsEgress[{i}]", True))
        group = SecurityGroup(
            id=group_id,
            vpc_id=_str(g, "VpcId"),
            name=_str(g, "GroupName") or group_id,
            description=_str(g, "Description") or "",
            ingress=tuple(ingress),
            egress=tuple(egress),
            owner_id=_str(g, "OwnerId"),
            tags=_tags(g.get("Tags")),
        )
        b.sgs.add(group_id, group, src, base)


@_parser("describe-security-group-rules")
def _security_group_rules(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, r in _items(data, "SecurityGroupRules"):
        group_id = _req(r, "GroupId", base)
        protocol = _protocol(r.get("IpProtocol", "-1"), f"{base}.IpProtocol")
        ports = _ports(protocol, r.get("FromPort"), r.get("ToPort"), base, ("FromPort", "ToPort"))
        ref = r.get("ReferencedGroupInfo") or {}
        cidr: IPNetwork | None = None
        if r.get("CidrIpv4"):
            cidr = _cidr4(r["CidrIpv4"], f"{base}.CidrIpv4")
        elif r.get("CidrIpv6"):
            cidr = _cidr6(r["CidrIpv6"], f"{base}.CidrIpv6")
        rule = SecurityGroupRule(
            egress=bool(r.get("IsEgress")),
            protocol=protocol,
            ports=ports,
            cidr=cidr,
            prefix_list_id=_str(r, "PrefixListId"),
            referenced_group_id=_str(ref, "GroupId"),
            referenced_user_id=_str(ref, "UserId"),
            referenced_vpc_id=_str(ref, "VpcId"),
            peering_status=_str(ref, "PeeringStatus"),
            description=_str(r, "Description"),
            rule_id=_str(r, "SecurityGroupRuleId"),
        )
        key = rule.rule_id or f"{base}"
        coll = b.sg_rules.setdefault(group_id, Collection("security group rule"))
        coll.add(key, rule, src, base)


def _nacl_entry(e: Item, base: str) -> NetworkAclEntry:
    number = e.get("RuleNumber")
    # User rules are 1-32766; AWS prints the IPv4 `*` rule as 32767 and the IPv6 one as 32768
    # (knowledge-facts §12), so an unmodified dual-stack export has both.
    if not isinstance(number, int) or not (1 <= number <= 32766 or number in DEFAULT_RULE_NUMBERS):
        raise Invalid(
            f"{base}.RuleNumber",
            f"{_shown(number)} is not a network ACL rule number (1-32766, or 32767 / 32768 for "
            "the IPv4 / IPv6 default rule)",
        )
    protocol = _protocol(e.get("Protocol", "-1"), f"{base}.Protocol")
    cidr: IPNetwork
    if e.get("CidrBlock"):
        cidr = _cidr4(e["CidrBlock"], f"{base}.CidrBlock")
    elif e.get("Ipv6CidrBlock"):
        cidr = _cidr6(e["Ipv6CidrBlock"], f"{base}.Ipv6CidrBlock")
    else:
        raise Invalid(base, "network ACL entry has neither CidrBlock nor Ipv6CidrBlock")
    port_range = e.get("PortRange") or {}
    icmp = e.get("IcmpTypeCode") or {}
    return NetworkAclEntry(
        rule_number=number,
        egress=bool(e.get("Egress")),
        protocol=protocol,
        action=_enum(RuleAction, _req(e, "RuleAction", base), f"{base}.RuleAction"),
        cidr=cidr,
        ports=_ports(
            protocol,
            port_range.get("From"),
            port_range.get("To"),
            f"{base}.PortRange",
            ("From", "To"),
        ),
        icmp_type=icmp.get("Type"),
        icmp_code=icmp.get("Code"),
    )


@_parser("describe-network-acls")
def _nacls(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "NetworkAcls"):
        acl_id = _req(a, "NetworkAclId", base)
        entries = [
            _nacl_entry(e, f"{base}.Entries[{i}]") for i, e in enumerate(a.get("Entries") or ())
        ]
        entries.sort(key=lambda e: (e.egress, e.rule_number))
        acl = NetworkAcl(
            id=acl_id,
            vpc_id=_req(a, "VpcId", base),
            is_default=bool(a.get("IsDefault")),
            entries=tuple(entries),
            subnet_ids=_ids(a.get("Associations"), "SubnetId"),
            owner_id=_str(a, "OwnerId"),
            tags=_tags(a.get("Tags")),
        )
        b.nacls.add(acl_id, acl, src, base)

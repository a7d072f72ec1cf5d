"""Security groups, network ACLs, interfaces and instances."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import (
    ALL_PORTS,
    NetworkAcl,
    NetworkAclEntry,
    SecurityGroup,
    SecurityGroupRule,
    protocol_number,
)
from vpcdoctor.graph.whatif.handlers.endpoints import _flag
from vpcdoctor.graph.whatif.registry import handles
from vpcdoctor.graph.whatif.workspace import Workspace, nacl_entry, permission_rules


def _group(ws: Workspace, p: dict[str, Any]) -> SecurityGroup:
    if p.get("GroupId"):
        group: SecurityGroup = ws.get("security_groups", str(p["GroupId"]))
        return group
    name = p.get("GroupName")
    if name:
        for g in ws.maps["security_groups"].values():
            if g.name == name:
                return g  # type: ignore[no-any-return]
        raise WhatIfError(f"no security group named {name!r} is in the snapshot")
    raise WhatIfError("name the security group with --group-id")


def _same(a: SecurityGroupRule, b: SecurityGroupRule) -> bool:
    """The same permission (AWS's duplicate test: protocol, ports and peer; not the text)."""
    return (
        a.egress == b.egress
        and a.protocol == b.protocol
        and a.ports == b.ports
        and a.cidr == b.cidr
        and a.prefix_list_id == b.prefix_list_id
        and a.referenced_group_id == b.referenced_group_id
    )


def _rules(ws: Workspace, p: dict[str, Any], *, egress: bool) -> list[SecurityGroupRule]:
    perms = p.get("IpPermissions") or []
    if not perms and (p.get("CidrIp") or p.get("IpProtocol") or p.get("SourceSecurityGroupName")):
        perms = [
            {
                "IpProtocol": p.get("IpProtocol", "-1"),
                "FromPort": p.get("FromPort"),
                "ToPort": p.get("ToPort"),
                "IpRanges": [{"CidrIp": p["CidrIp"]}] if p.get("CidrIp") else [],
                "UserIdGroupPairs": [{"GroupName": p["SourceSecurityGroupName"]}]
                if p.get("SourceSecurityGroupName")
                else [],
            }
        ]
    if not perms:
        raise WhatIfError("no rule given (--ip-permissions, or --protocol/--port/--cidr)")
    rules: list[SecurityGroupRule] = []
    for perm in perms:
        found = permission_rules(perm, egress=egress)
        if not found:
            raise WhatIfError("a permission names no CIDR, prefix list or security group")
        for rule in found:
            _check_peer(ws, rule)
        rules.extend(found)
    return rules


def _check_peer(ws: Workspace, rule: SecurityGroupRule) -> None:
    group = rule.referenced_group_id
    if group and group.startswith("sg-") and rule.referenced_user_id is None:
        ws.get("security_groups", group)
    if rule.prefix_list_id:
        ws.get("prefix_lists", rule.prefix_list_id)


def _authorize(ws: Workspace, p: dict[str, Any], *, egress: bool) -> dict[str, Any]:
    group = _group(ws, p)
    current = group.egress if egress else group.ingress
    added: list[SecurityGroupRule] = []
    for rule in _rules(ws, p, egress=egress):
        if any(_same(rule, r) for r in (*current, *added)):
            raise WhatIfError(
                f"{group.id} already has the rule {rule} (InvalidPermission.Duplicate)"
            )
        added.append(rule)
    rules = (*current, *added)
    new = replace(group, egress=rules) if egress else replace(group, ingress=rules)
    ws.put("security_groups", group.id, new)
    return {"Return": True}


def _revoke(ws: Workspace, p: dict[str, Any], *, egress: bool) -> dict[str, Any]:
    group = _group(ws, p)
    current = list(group.egress if egress else group.ingress)
    if p.get("SecurityGroupRuleIds"):
        ids = set(p["SecurityGroupRuleIds"])
        missing = sorted(ids - {r.rule_id for r in current if r.rule_id})
        if missing:
            raise WhatIfError(f"{group.id} has no rule {', '.join(missing)}")
        current = [r for r in current if r.rule_id not in ids]
    else:
        for rule in _rules(ws, p, egress=egress):
            match = [r for r in current if _same(rule, r)]
            if not match:
                raise WhatIfError(f"{group.id} has no rule {rule} to revoke")
            current = [r for r in current if not _same(rule, r)]
    kept = tuple(current)
    new = replace(group, egress=kept) if egress else replace(group, ingress=kept)
    ws.put("security_groups", group.id, new)
    return {"Return": True}


@handles("ec2", "authorize-security-group-ingress")
def authorize_ingress(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    return _authorize(ws, p, egress=False)


@handles("ec2", "authorize-security-group-egress")
def authorize_egress(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    return _authorize(ws, p, egress=True)


@handles("ec2", "revoke-security-group-ingress")
def revoke_ingress(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    return _revoke(ws, p, egress=False)


@handles("ec2", "revoke-security-group-egress")
def revoke_egress(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    return _revoke(ws, p, egress=True)


@handles("ec2", "create-security-group")
def create_security_group(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    vpc_id = p.get("VpcId")
    if not vpc_id:
        raise WhatIfError("give --vpc-id: a what-if does not guess the default VPC")
    vpc = ws.get("vpcs", str(vpc_id))
    for g in ws.maps["security_groups"].values():
        if g.vpc_id == vpc.id and g.name == p["GroupName"]:
            raise WhatIfError(f"{vpc.id} already has a group named {p['GroupName']!r}")
    group_id = ws.new_id("sg")
    everything = SecurityGroupRule(egress=True, protocol="-1", ports=ALL_PORTS)
    import ipaddress

    everything = replace(everything, cidr=ipaddress.IPv4Network("0.0.0.0/0"))
    group = SecurityGroup(
        id=group_id,
        vpc_id=vpc.id,
        name=str(p["GroupName"]),
        description=str(p.get("Description", "")),
        egress=(everything,),
        owner_id=vpc.owner_id,
    )
    ws.put("security_groups", group_id, group)
    return {"GroupId": group_id}


# ---- network ACLs ---------------------------------------------------------------------------


def _entry(p: dict[str, Any]) -> NetworkAclEntry:
    raw: dict[str, Any] = {
        k: p[k]
        for k in (
            "RuleNumber",
            "Protocol",
            "RuleAction",
            "Egress",
            "CidrBlock",
            "Ipv6CidrBlock",
            "PortRange",
            "IcmpTypeCode",
        )
        if k in p
    }
    raw["Protocol"] = protocol_number(str(raw.get("Protocol", "-1")))
    number = raw.get("RuleNumber")
    if not isinstance(number, int) or not 1 <= number <= 32766:
        raise WhatIfError(f"--rule-number {number} is not a rule number you can set (1-32766)")
    if raw["Protocol"] in ("6", "17") and "PortRange" not in raw:
        raise WhatIfError("a tcp or udp entry needs --port-range From=…,To=…")
    return nacl_entry(raw)


def _acl(ws: Workspace, p: dict[str, Any]) -> NetworkAcl:
    acl: NetworkAcl = ws.get("network_acls", str(p["NetworkAclId"]))
    return acl


def _sorted(entries: list[NetworkAclEntry]) -> tuple[NetworkAclEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (e.egress, e.rule_number)))


@handles("ec2", "create-network-acl-entry")
def create_nacl_entry(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    acl = _acl(ws, p)
    entry = _entry(p)
    if any(
        e.egress == entry.egress
        and e.rule_number == entry.rule_number
        and e.cidr.version == entry.cidr.version
        for e in acl.entries
    ):
        direction = "egress" if entry.egress else "ingress"
        raise WhatIfError(
            f"{acl.id} already has {direction} rule {entry.rule_number} "
            "(NetworkAclEntryAlreadyExists): use replace-network-acl-entry or another number"
        )
    ws.put("network_acls", acl.id, replace(acl, entries=_sorted([*acl.entries, entry])))
    return {}


def _position(acl: NetworkAcl, number: object, egress: bool) -> int:
    for i, e in enumerate(acl.entries):
        if e.rule_number == number and e.egress == egress:
            return i
    direction = "egress" if egress else "ingress"
    raise WhatIfError(f"{acl.id} has no {direction} rule {number}")


@handles("ec2", "replace-network-acl-entry")
def replace_nacl_entry(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    acl = _acl(ws, p)
    entry = _entry(p)
    i = _position(acl, entry.rule_number, entry.egress)
    entries = list(acl.entries)
    entries[i] = entry
    ws.put("network_acls", acl.id, replace(acl, entries=_sorted(entries)))
    return {}


@handles("ec2", "delete-network-acl-entry")
def delete_nacl_entry(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    acl = _acl(ws, p)
    i = _position(acl, p["RuleNumber"], bool(p["Egress"]))
    entries = acl.entries[:i] + acl.entries[i + 1 :]
    ws.put("network_acls", acl.id, replace(acl, entries=entries))
    return {}


@handles("ec2", "replace-network-acl-association")
def replace_nacl_association(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    assoc = str(p["AssociationId"])
    new = _acl(ws, p)
    known = ws.acl_associations.get(assoc)
    if known is None:
        raise WhatIfError(
            f"{assoc}: no network ACL association of that id is known (the snapshot records "
            "association ids only where describe-network-acls was exported with them)"
        )
    old_id, subnet_id = known
    old: NetworkAcl = ws.get("network_acls", old_id)
    if new.vpc_id != old.vpc_id:
        raise WhatIfError(f"{new.id} is in {new.vpc_id}, the association in {old.vpc_id}")
    ws.put(
        "network_acls",
        old.id,
        replace(old, subnet_ids=tuple(s for s in old.subnet_ids if s != subnet_id)),
    )
    new = ws.get("network_acls", new.id)
    ws.put("network_acls", new.id, replace(new, subnet_ids=(*new.subnet_ids, subnet_id)))
    fresh = ws.new_id("aclassoc")
    del ws.acl_associations[assoc]
    ws.acl_associations[fresh] = (new.id, subnet_id)
    return {"NewAssociationId": fresh}


# ---- interfaces and instances ---------------------------------------------------------------


def _groups_exist(ws: Workspace, ids: list[str], vpc_id: str) -> tuple[str, ...]:
    for group_id in ids:
        group = ws.get("security_groups", group_id)
        if group.vpc_id is not None and group.vpc_id != vpc_id:
            raise WhatIfError(f"{group_id} is in {group.vpc_id}, not in {vpc_id}")
    return tuple(ids)


@handles("ec2", "modify-network-interface-attribute")
def modify_eni_attribute(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    eni = ws.get("network_interfaces", str(p["NetworkInterfaceId"]))
    changes: dict[str, Any] = {}
    if "SourceDestCheck" in p:
        changes["source_dest_check"] = _flag(p["SourceDestCheck"], "--source-dest-check")
    if p.get("Groups"):
        changes["security_group_ids"] = _groups_exist(ws, list(p["Groups"]), eni.vpc_id)
    if not changes:
        raise WhatIfError(
            "a what-if applies --source-dest-check / --no-source-dest-check and --groups of "
            "this command"
        )
    ws.put("network_interfaces", eni.id, replace(eni, **changes))
    return {}


@handles("ec2", "modify-instance-attribute")
def modify_instance_attribute(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    inst = ws.get("instances", str(p["InstanceId"]))
    changes: dict[str, Any] = {}
    sdc = p.get("SourceDestCheck")
    if sdc is None and p.get("Attribute") == "sourceDestCheck" and "Value" in p:
        sdc = {"Value": str(p["Value"]).lower() == "true"}
    if sdc is not None:
        sdc = {"Value": _flag(sdc, "--source-dest-check")}
        changes["source_dest_check"] = sdc["Value"]
        for eni_id in inst.network_interface_ids[:1]:
            eni = ws.maps["network_interfaces"].get(eni_id)
            if eni is not None:
                ws.put(
                    "network_interfaces", eni_id, replace(eni, source_dest_check=bool(sdc["Value"]))
                )
    if p.get("Groups"):
        changes["security_group_ids"] = _groups_exist(ws, list(p["Groups"]), inst.vpc_id or "")
        for eni_id in inst.network_interface_ids[:1]:
            eni = ws.maps["network_interfaces"].get(eni_id)
            if eni is not None:
                ws.put(
                    "network_interfaces",
                    eni_id,
                    replace(eni, security_group_ids=changes["security_group_ids"]),
                )
    if not changes:
        raise WhatIfError(
            "a what-if applies --source-dest-check / --no-source-dest-check and --groups of "
            "this command"
        )
    ws.put("instances", inst.id, replace(inst, **changes))
    return {}


@handles("ec2", "start-instances")
def start_instances(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    out = []
    for instance_id in p["InstanceIds"]:
        inst = ws.get("instances", str(instance_id))
        if inst.state in ("terminated", "shutting-down"):
            raise WhatIfError(f"{inst.id} is {inst.state}: it cannot be started")
        out.append({"InstanceId": inst.id, "CurrentState": {"Name": "running"}})
        ws.put("instances", inst.id, replace(inst, state="running"))
    return {"StartingInstances": out}

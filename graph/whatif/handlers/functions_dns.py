"""Lambda's VPC configuration, Route 53 zones and records, Resolver rule associations."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from typing import Any

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import (
    AliasTarget,
    HostedZone,
    LambdaFunction,
    LambdaState,
    NetworkInterface,
    RecordSet,
    ResolverRuleAssociation,
    VpcConfig,
    ZoneVpc,
    normalize_dns_name,
)
from vpcdoctor.graph.whatif.registry import handles
from vpcdoctor.graph.whatif.workspace import Workspace


def _function(ws: Workspace, name: str) -> LambdaFunction:
    # --function-name takes a name, an ARN or a partial ARN (account:function:name).
    key = name.rsplit(":function:", 1)[-1].split(":", 1)[0]
    fn: LambdaFunction = ws.get("functions", key)
    return fn


def _hyperplane_eni(
    ws: Workspace, fn: LambdaFunction, subnet_id: str, groups: tuple[str, ...]
) -> bool:
    """Make the function's ENI for (subnet, groups) unless one exists; False when no address
    is free (the update then fails with SubnetOutOfIPAddresses)."""
    key = frozenset(groups)
    for eni in ws.maps["network_interfaces"].values():
        if (
            eni.is_lambda
            and eni.subnet_id == subnet_id
            and frozenset(eni.security_group_ids) == key
        ):
            return True
    subnet = ws.get("subnets", subnet_id)
    if subnet.available_ips is not None and subnet.available_ips <= 0:
        return False
    ip = ws.free_ip(subnet)
    if ip is None:
        return False
    eni_id = ws.new_id("eni")
    ws.put(
        "network_interfaces",
        eni_id,
        NetworkInterface(
            id=eni_id,
            subnet_id=subnet.id,
            vpc_id=subnet.vpc_id,
            az=subnet.az,
            interface_type="lambda",
            description=f"AWS Lambda VPC ENI-{fn.name}",
            status="in-use",
            private_ips=(ip,),
            security_group_ids=groups,
        ),
    )
    if subnet.available_ips is not None:
        ws.put("subnets", subnet.id, replace(subnet, available_ips=subnet.available_ips - 1))
    return True


@handles("lambda", "update-function-configuration")
def update_function_configuration(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    fn = _function(ws, str(p["FunctionName"]))
    if "VpcConfig" not in p:
        raise WhatIfError(
            "a what-if applies --vpc-config of this command (nothing else in it "
            "changes the network)"
        )
    config = p["VpcConfig"]
    old = fn.vpc
    subnets = tuple(str(s) for s in config.get("SubnetIds", old.subnet_ids if old else ()))
    groups = tuple(
        str(g) for g in config.get("SecurityGroupIds", old.security_group_ids if old else ())
    )
    ipv6 = bool(
        config.get("Ipv6AllowedForDualStack", old.ipv6_allowed_for_dual_stack if old else False)
    )
    if not subnets:
        if groups:
            raise WhatIfError(
                "security groups without subnets: give both, or SubnetIds=[],"
                "SecurityGroupIds=[] to leave the VPC"
            )
        new_fn = replace(
            fn,
            vpc=None,
            state=LambdaState.ACTIVE,
            state_reason=None,
            state_reason_code=None,
            last_update_status="Successful",
        )
        ws.put("functions", fn.name, new_fn)
        return {"FunctionName": fn.name, "VpcConfig": {"SubnetIds": [], "SecurityGroupIds": []}}
    if not groups:
        raise WhatIfError("a function in a VPC needs at least one security group")
    vpcs = {ws.get("subnets", s).vpc_id for s in subnets}
    if len(vpcs) != 1:
        raise WhatIfError(f"the subnets are in several VPCs ({', '.join(sorted(vpcs))})")
    vpc_id = vpcs.pop()
    for group_id in groups:
        group = ws.get("security_groups", group_id)
        if group.vpc_id is not None and group.vpc_id != vpc_id:
            raise WhatIfError(f"{group_id} is in {group.vpc_id}, the subnets in {vpc_id}")
    full = [s for s in subnets if not _hyperplane_eni(ws, fn, s, groups)]
    changes: dict[str, Any] = {
        "vpc": VpcConfig(
            subnet_ids=subnets,
            security_group_ids=groups,
            vpc_id=vpc_id,
            ipv6_allowed_for_dual_stack=ipv6,
        ),
    }
    if full:
        changes.update(
            state=LambdaState.FAILED if fn.state is LambdaState.FAILED else fn.state,
            last_update_status="Failed",
            last_update_status_reason=f"Lambda was unable to create an ENI: {', '.join(full)} "
            "has no free IP address",
            last_update_status_reason_code="SubnetOutOfIPAddresses",
        )
    else:
        changes.update(
            state=LambdaState.ACTIVE,
            state_reason=None,
            state_reason_code=None,
            last_update_status="Successful",
            last_update_status_reason=None,
            last_update_status_reason_code=None,
        )
    ws.put("functions", fn.name, replace(fn, **changes))
    return {
        "FunctionName": fn.name,
        "VpcConfig": {
            "SubnetIds": list(subnets),
            "SecurityGroupIds": list(groups),
            "VpcId": vpc_id,
        },
    }


# ---- Route 53 -------------------------------------------------------------------------------


def _zone(ws: Workspace, zone_id: str) -> HostedZone:
    key = zone_id.rsplit("/", 1)[-1]
    zone: HostedZone = ws.get("hosted_zones", key)
    return zone


@handles("route53", "associate-vpc-with-hosted-zone")
def associate_vpc_with_zone(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    zone = _zone(ws, str(p["HostedZoneId"]))
    vpc_spec = p["VPC"]
    vpc_id = str(vpc_spec.get("VPCId", ""))
    vpc = ws.get("vpcs", vpc_id)
    if not zone.private:
        raise WhatIfError(f"{zone.id} ({zone.name}) is a public zone: it has no VPCs")
    if zone.vpcs is None:
        raise WhatIfError(
            f"the snapshot lacks {zone.id}'s VPC associations (aws route53 get-hosted-zone "
            f"--id {zone.id}): export them to try this association"
        )
    if any(v.vpc_id == vpc.id for v in zone.vpcs):
        raise WhatIfError(
            f"{vpc.id} is already associated with {zone.id} (ConflictingDomainExists)"
        )
    for other in ws.maps["hosted_zones"].values():
        if (
            other.private
            and other.name == zone.name
            and other.id != zone.id
            and other.associated_with(vpc.id)
        ):
            raise WhatIfError(
                f"{vpc.id} is already associated with {other.id}, another zone for {zone.name} "
                "(ConflictingDomainExists)"
            )
    region = vpc_spec.get("VPCRegion") or ws.base.region
    ws.put(
        "hosted_zones",
        zone.id,
        replace(zone, vpcs=(*zone.vpcs, ZoneVpc(vpc_id=vpc.id, region=region))),
    )
    return {"ChangeInfo": {"Status": "INSYNC"}}


def _record(raw: dict[str, Any]) -> RecordSet:
    kind = str(raw["Type"])
    values: list[str] = []
    for item in raw.get("ResourceRecords") or []:
        value = str(item.get("Value", ""))
        if kind in ("A", "AAAA"):
            try:
                ip = ipaddress.ip_address(value)
            except ValueError:
                raise WhatIfError(f"{value!r} is not an {kind} record value") from None
            if (ip.version == 4) != (kind == "A"):
                raise WhatIfError(f"{value!r} is not an {kind} record value")
        values.append(value)
    alias = raw.get("AliasTarget")
    return RecordSet(
        name=normalize_dns_name(str(raw["Name"])),
        type=kind,
        ttl=raw.get("TTL"),
        values=tuple(values),
        alias=AliasTarget(
            dns_name=normalize_dns_name(str(alias["DNSName"])),
            hosted_zone_id=str(alias["HostedZoneId"]),
            evaluate_target_health=bool(alias.get("EvaluateTargetHealth")),
        )
        if alias
        else None,
        set_identifier=raw.get("SetIdentifier"),
    )


def _key(r: RecordSet) -> tuple[str, str, str]:
    return (r.name, r.type, r.set_identifier or "")


@handles("route53", "change-resource-record-sets")
def change_record_sets(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    zone = _zone(ws, str(p["HostedZoneId"]))
    if zone.records is None:
        raise WhatIfError(
            f"the snapshot lacks {zone.id}'s records (aws route53 list-resource-record-sets "
            f"--hosted-zone-id {zone.id}): export them to try this change"
        )
    records = {_key(r): r for r in zone.records}
    for i, change in enumerate(p["ChangeBatch"]["Changes"], 1):
        action = change["Action"]
        record = _record(change["ResourceRecordSet"])
        if record.name != zone.name and not record.name.endswith("." + zone.name):
            raise WhatIfError(f"change {i}: {record.name} is not in the zone {zone.name}")
        key = _key(record)
        if action == "CREATE" and key in records:
            raise WhatIfError(
                f"change {i}: {record.name} {record.type} already exists "
                "(InvalidChangeBatch): use UPSERT"
            )
        if action == "DELETE":
            if records.get(key) != record:
                raise WhatIfError(
                    f"change {i}: {record.name} {record.type} does not exist with "
                    "exactly these values (InvalidChangeBatch)"
                )
            del records[key]
            continue
        records[key] = record
    new = replace(zone, records=tuple(records.values()), record_count=len(records))
    ws.put("hosted_zones", zone.id, new)
    return {"ChangeInfo": {"Status": "INSYNC"}}


@handles("route53resolver", "associate-resolver-rule")
def associate_resolver_rule(ws: Workspace, p: dict[str, Any]) -> dict[str, Any]:
    rule = ws.get("resolver_rules", str(p["ResolverRuleId"]))
    vpc = ws.get("vpcs", str(p["VPCId"]))
    for assoc in ws.maps["resolver_rule_associations"].values():
        if assoc.rule_id == rule.id and assoc.vpc_id == vpc.id:
            raise WhatIfError(
                f"{rule.id} is already associated with {vpc.id} "
                f"({assoc.id}, ResourceExistsException)"
            )
    assoc_id = ws.new_id("rslvr-rrassoc")
    ws.put(
        "resolver_rule_associations",
        assoc_id,
        ResolverRuleAssociation(
            id=assoc_id, rule_id=rule.id, vpc_id=vpc.id, status="COMPLETE", name=p.get("Name")
        ),
    )
    return {
        "ResolverRuleAssociation": {
            "Id": assoc_id,
            "ResolverRuleId": rule.id,
            "VPCId": vpc.id,
            "Status": "COMPLETE",
        }
    }

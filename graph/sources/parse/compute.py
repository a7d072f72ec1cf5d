"""Parsers of network interfaces, Elastic IPs, instances and Lambda functions."""

from __future__ import annotations

import ipaddress
from typing import Any

from vpcdoctor.graph.model import (
    ElasticIp,
    Instance,
    IPAddress,
    LambdaState,
    NetworkInterface,
    ProvisionedConcurrency,
    VpcConfig,
)
from vpcdoctor.graph.sources.parse.builder import AccountBuilder, _arn_hint, _parser
from vpcdoctor.graph.sources.parse.merge import Collection
from vpcdoctor.graph.sources.parse.values import (
    Invalid,
    Item,
    _enum,
    _ids,
    _ip,
    _ip4,
    _ip6,
    _items,
    _opt_ip4,
    _req,
    _str,
    _strs,
    _tags,
)

_FUNCTION_RANK = {"list-functions": 0, "get-function-configuration": 1, "get-function": 2}
"""Later (more complete) outputs win field by field when describing the same function."""


@_parser("describe-network-interfaces")
def _enis(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, n in _items(data, "NetworkInterfaces"):
        eni_id = _req(n, "NetworkInterfaceId", base)
        private: list[IPAddress] = []
        primary = n.get("PrivateIpAddress")
        if primary:
            private.append(_ip(primary, f"{base}.PrivateIpAddress"))
        for i, p in enumerate(n.get("PrivateIpAddresses") or ()):
            value = p.get("PrivateIpAddress")
            if value and value != primary:
                ip = _ip(value, f"{base}.PrivateIpAddresses[{i}].PrivateIpAddress")
                if p.get("Primary") and not primary:
                    private.insert(0, ip)
                else:
                    private.append(ip)
        ipv6: list[ipaddress.IPv6Address] = []
        for i, p in enumerate(n.get("Ipv6Addresses") or ()):
            if p.get("Ipv6Address"):
                ipv6.append(_ip6(p["Ipv6Address"], f"{base}.Ipv6Addresses[{i}].Ipv6Address"))
        association = n.get("Association") or {}
        attachment = n.get("Attachment") or {}
        eni = NetworkInterface(
            id=eni_id,
            subnet_id=_req(n, "SubnetId", base),
            vpc_id=_req(n, "VpcId", base),
            az=_str(n, "AvailabilityZone"),
            interface_type=_str(n, "InterfaceType") or "interface",
            requester_managed=bool(n.get("RequesterManaged")),
            requester_id=_str(n, "RequesterId"),
            description=_str(n, "Description") or "",
            status=_str(n, "Status"),
            private_ips=tuple(private),
            ipv6_addresses=tuple(ipv6),
            public_ip=_opt_ip4(association, "PublicIp", f"{base}.Association"),
            elastic_ip_allocation_id=_str(association, "AllocationId"),
            security_group_ids=_ids(n.get("Groups"), "GroupId"),
            instance_id=_str(attachment, "InstanceId"),
            attachment_id=_str(attachment, "AttachmentId"),
            source_dest_check=n.get("SourceDestCheck") is not False,
            owner_id=_str(n, "OwnerId"),
            tags=_tags(n.get("TagSet") or n.get("Tags")),
        )
        b.enis.add(eni_id, eni, src, base)


@_parser("describe-addresses")
def _addresses(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "Addresses"):
        public_ip = _ip4(_req(a, "PublicIp", base), f"{base}.PublicIp")
        allocation = _str(a, "AllocationId")
        eip = ElasticIp(
            allocation_id=allocation,
            public_ip=public_ip,
            association_id=_str(a, "AssociationId"),
            network_interface_id=_str(a, "NetworkInterfaceId"),
            private_ip=_opt_ip4(a, "PrivateIpAddress", base),
            instance_id=_str(a, "InstanceId"),
            tags=_tags(a.get("Tags")),
        )
        b.eips.add(allocation or str(public_ip), eip, src, base)


@_parser("describe-instances")
def _instances(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for rbase, reservation in _items(data, "Reservations"):
        for base, i in _items(reservation, "Instances"):
            base = f"{rbase}.{base}"
            instance_id = _req(i, "InstanceId", base)
            state = i.get("State") or {}
            private = i.get("PrivateIpAddress")
            instance = Instance(
                id=instance_id,
                state=_str(state, "Name") or "unknown",
                subnet_id=_str(i, "SubnetId"),
                vpc_id=_str(i, "VpcId"),
                private_ip=_ip(private, f"{base}.PrivateIpAddress") if private else None,
                public_ip=_opt_ip4(i, "PublicIpAddress", base),
                network_interface_ids=_ids(i.get("NetworkInterfaces"), "NetworkInterfaceId"),
                security_group_ids=_ids(i.get("SecurityGroups"), "GroupId"),
                source_dest_check=i.get("SourceDestCheck") is not False,
                tags=_tags(i.get("Tags")),
            )
            b.instances.add(instance_id, instance, src, base)


# ---- Lambda ----------------------------------------------------------------------------------


def _function_fields(c: Item, base: str) -> dict[str, Any]:
    """Model fields present in one function configuration (never Environment)."""
    fields: dict[str, Any] = {"name": _req(c, "FunctionName", base)}
    simple = (
        ("FunctionArn", "arn"),
        ("Runtime", "runtime"),
        ("PackageType", "package_type"),
        ("MemorySize", "memory_mb"),
        ("Timeout", "timeout_s"),
        ("Role", "role"),
        ("StateReason", "state_reason"),
        ("StateReasonCode", "state_reason_code"),
        ("LastUpdateStatus", "last_update_status"),
        ("LastUpdateStatusReason", "last_update_status_reason"),
        ("LastUpdateStatusReasonCode", "last_update_status_reason_code"),
    )
    for key, name in simple:
        value = c.get(key)
        if value is not None:
            fields[name] = value
    if c.get("State") is not None:
        fields["state"] = _enum(LambdaState, c["State"], f"{base}.State")
    vpc = c.get("VpcConfig")
    if isinstance(vpc, dict):
        fields["vpc"] = VpcConfig(
            subnet_ids=_strs(vpc.get("SubnetIds")),
            security_group_ids=_strs(vpc.get("SecurityGroupIds")),
            vpc_id=_str(vpc, "VpcId"),
            ipv6_allowed_for_dual_stack=bool(vpc.get("Ipv6AllowedForDualStack")),
        )
    return fields


def _add_function(
    b: AccountBuilder, rank: int, c: Item, base: str, src: str, tags: object = None
) -> str:
    fields = _function_fields(c, base)
    if tags:
        fields["tags"] = _tags(tags)
    name = fields["name"]
    arn = fields.get("arn")
    _arn_hint(b, arn)
    # Keyed by the unqualified ARN: functions of the same name in two accounts or Regions
    # stay two functions (combine.functions keys them by name when the name is unique).
    key = ":".join(arn.split(":")[:7]) if isinstance(arn, str) and arn.startswith("arn:") else name
    ranks = b.function_parts.setdefault(key, {})
    coll = ranks.setdefault(rank, Collection("Lambda function"))
    coll.add(name, fields, src, base)
    b.function_sources.setdefault(key, []).append((src, base))
    b.function_views.setdefault(key, b.view.key)
    return key


@_parser("list-functions")
def _list_functions(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, c in _items(data, "Functions"):
        _add_function(b, _FUNCTION_RANK["list-functions"], c, base, src)


@_parser("get-function-configuration")
def _get_function_configuration(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    _add_function(b, _FUNCTION_RANK["get-function-configuration"], data, "", src)


@_parser("get-function")
def _get_function(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    config = data.get("Configuration")
    if not isinstance(config, dict):
        raise Invalid("Configuration", "get-function output without a Configuration object")
    key = _add_function(
        b, _FUNCTION_RANK["get-function"], config, "Configuration", src, data.get("Tags")
    )
    concurrency = data.get("Concurrency")
    if isinstance(concurrency, dict):
        coll = _per_function(b, b.concurrency, key, "reserved concurrency of function")
        coll.add(key, (concurrency.get("ReservedConcurrentExecutions"),), src, "Concurrency")


def _per_function(b: AccountBuilder, by_owner: dict[Any, Any], owner: str, what: str) -> Any:
    """The collection of one per-function output, keyed (owner, view account, view Region):
    a function *name* in a file name means the function of that name in the file's account."""
    if owner.startswith("arn:"):
        owner = ":".join(owner.split(":")[:7])
    key = (owner, *b.view.key)
    coll = by_owner.get(key)
    if coll is None:
        coll = by_owner[key] = Collection(what)
    return coll


def _per_function_source(b: AccountBuilder, owner: str, src: str) -> None:
    b.per_function_sources.setdefault((owner, *b.view.key), []).append(src)


@_parser("get-function-concurrency")
def _get_function_concurrency(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = _per_function(b, b.concurrency, owner, "reserved concurrency of function")
    coll.add(owner, (data.get("ReservedConcurrentExecutions"),), src, "(top level)")
    _per_function_source(b, owner, src)


@_parser("list-provisioned-concurrency-configs")
def _provisioned(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = _per_function(b, b.provisioned, owner, f"provisioned concurrency of {owner}:")
    _per_function_source(b, owner, src)
    for base, p in _items(data, "ProvisionedConcurrencyConfigs"):
        arn = _str(p, "FunctionArn") or ""
        parts = arn.split(":")
        qualifier = parts[7] if len(parts) > 7 else ""
        config = ProvisionedConcurrency(
            qualifier=qualifier,
            requested=p.get("RequestedProvisionedConcurrentExecutions"),
            allocated=p.get("AllocatedProvisionedConcurrentExecutions"),
            available=p.get("AvailableProvisionedConcurrentExecutions"),
            status=_str(p, "Status"),
        )
        coll.add(qualifier or base, config, src, base)

"""The changed copy of an account: mutable copies of its mappings, new ids, and the rebuild.

The model is frozen: a what-if never mutates the account it was given. :class:`Workspace`
copies every resource mapping of the :class:`~vpcdoctor.graph.model.Account` into a plain
``dict``; handlers replace records in those dicts (``dataclasses.replace``) and add new ones;
:meth:`Workspace.build` makes a new ``Account`` with ``Account.build(**resources)``, which
recomputes its indexes (the graph is derived from the account, so the graph follows).

Records are built from AWS-shaped dictionaries with the snapshot loader's own converters
(:mod:`vpcdoctor.graph.sources.parse`), so a route, rule or entry a command adds is exactly the
record the loader would make from ``describe-…`` output showing it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections import Counter
from collections.abc import Mapping
from typing import Any, TypeVar

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import (
    Account,
    NetworkAclEntry,
    Route,
    SecurityGroupRule,
    Subnet,
)

T = TypeVar("T")

#: What each id prefix is, for messages ("nat-…: no NAT gateway … in the snapshot").
WHAT = {
    "vpcs": "VPC",
    "subnets": "subnet",
    "route_tables": "route table",
    "internet_gateways": "internet gateway",
    "egress_only_internet_gateways": "egress-only internet gateway",
    "nat_gateways": "NAT gateway",
    "vpc_endpoints": "VPC endpoint",
    "security_groups": "security group",
    "network_acls": "network ACL",
    "network_interfaces": "network interface",
    "elastic_ips": "Elastic IP allocation",
    "prefix_lists": "prefix list",
    "peering_connections": "VPC peering connection",
    "transit_gateways": "transit gateway",
    "transit_gateway_attachments": "transit gateway attachment",
    "transit_gateway_route_tables": "transit gateway route table",
    "functions": "Lambda function",
    "hosted_zones": "hosted zone",
    "resolver_rules": "Resolver rule",
    "resolver_rule_associations": "Resolver rule association",
    "instances": "EC2 instance",
}

PLACEHOLDER_TAG = "whatif"
"""Ids a what-if creates read ``nat-whatif1``, ``vpce-whatif2`` …: valid ids, never AWS's."""

#: Public addresses given to what-if Elastic IPs (TEST-NET-3, RFC 5737: never a real host).
_DOC_NET = ipaddress.IPv4Network("203.0.113.0/24")


class Workspace:
    """A mutable copy of an account's resources, for one what-if."""

    def __init__(self, account: Account) -> None:
        self.base = account
        self.maps: dict[str, dict[str, Any]] = {}
        self.others: dict[str, Any] = {}
        for f in dataclasses.fields(account):
            if f.name.startswith("_"):
                continue
            value = getattr(account, f.name)
            if isinstance(value, Mapping):
                self.maps[f.name] = dict(value)
            else:
                self.others[f.name] = value
        self._counters: Counter[str] = Counter()
        self.created: list[str] = []
        """Ids of the resources this what-if created, in order."""
        self.changed: list[str] = []
        """Ids of the resources it changed or created, in order, once each."""
        self.rtb_associations: dict[str, tuple[str, str]] = {}
        """Route-table association id → (route table, subnet), for the associations this
        what-if made and those the snapshot records."""
        self.acl_associations: dict[str, tuple[str, str]] = {}
        self._known_associations()

    # ---- ids ------------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """A fresh placeholder id (``nat-whatif1``) for a resource this what-if creates."""
        self._counters[prefix] += 1
        new = f"{prefix}-{PLACEHOLDER_TAG}{self._counters[prefix]}"
        self.created.append(new)
        return new

    def public_ip(self) -> ipaddress.IPv4Address:
        self._counters["ip"] += 1
        return _DOC_NET.network_address + self._counters["ip"]

    # ---- lookups --------------------------------------------------------------------------
    def get(self, mapping: str, key: str) -> Any:
        """The record ``key`` of ``mapping``, or an error saying the snapshot has none."""
        record = self.maps[mapping].get(key)
        if record is None:
            what = WHAT.get(mapping, mapping)
            raise WhatIfError(f"{key}: no {what} of that id is in the snapshot")
        return record

    def put(self, mapping: str, key: str, record: Any) -> None:
        self.maps[mapping][key] = record
        if key not in self.changed:
            self.changed.append(key)

    def account(self) -> Account:
        """The changed copy as a new, indexed :class:`Account`."""
        return Account.build(**self.others, **self.maps)

    def _known_associations(self) -> None:
        # The model records association ids only where the snapshot loader keeps them
        # (``association_ids``: subnet id → association id); read them when it does.
        for rtb in self.maps["route_tables"].values():
            for subnet_id, assoc in dict(getattr(rtb, "association_ids", None) or {}).items():
                self.rtb_associations[str(assoc)] = (rtb.id, str(subnet_id))
        for acl in self.maps["network_acls"].values():
            for subnet_id, assoc in dict(getattr(acl, "association_ids", None) or {}).items():
                self.acl_associations[str(assoc)] = (acl.id, str(subnet_id))

    # ---- addresses ------------------------------------------------------------------------
    def free_ip(self, subnet: Subnet) -> ipaddress.IPv4Address | None:
        """An address of ``subnet`` no interface holds (AWS keeps the first four and the last)."""
        if subnet.cidr is None:
            return None
        used = {
            str(ip)
            for eni in self.maps["network_interfaces"].values()
            if eni.subnet_id == subnet.id
            for ip in eni.private_ips
        }
        hosts = subnet.cidr.num_addresses
        for offset in range(4, hosts - 1):
            ip = subnet.cidr.network_address + offset
            if str(ip) not in used:
                return ip
        return None


# ---- records from AWS-shaped dicts (the loader's own converters) ---------------------------


def route(raw: Mapping[str, Any]) -> Route:
    """A :class:`Route` from a ``describe-route-tables`` route dictionary."""
    from vpcdoctor.graph.sources import parse

    try:
        return parse._route(raw, "route")
    except parse.Invalid as error:
        raise WhatIfError(str(error)) from None


def permission_rules(raw: Mapping[str, Any], *, egress: bool) -> list[SecurityGroupRule]:
    """Flattened rules of one ``IpPermissions`` item."""
    from vpcdoctor.graph.sources import parse

    try:
        return parse._permission_rules(raw, "IpPermissions", egress)
    except parse.Invalid as error:
        raise WhatIfError(str(error)) from None


def nacl_entry(raw: Mapping[str, Any]) -> NetworkAclEntry:
    """A :class:`NetworkAclEntry` from a ``describe-network-acls`` entry dictionary."""
    from vpcdoctor.graph.sources import parse

    try:
        return parse._nacl_entry(raw, "entry")
    except parse.Invalid as error:
        raise WhatIfError(str(error)) from None

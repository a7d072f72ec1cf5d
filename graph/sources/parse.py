"""Raw AWS outputs (already checked against botocore's shapes) → the typed model.

One small parser per kind reads the members the model needs and nothing else (so Lambda
environment variables are never kept). Values AWS cannot produce (a ``/33`` CIDR, an invalid
IP address, a NACL rule number outside 1..32766, a port outside 0..65535) raise
:class:`Invalid` with the JSON path; missing pieces (a route to a NAT gateway the snapshot
lacks, a prefix list without its entries) are left ``None`` or absent for the engine to report
as unknown.

Resources that several outputs describe (a Lambda function from list-functions,
get-function-configuration and get-function; a hosted zone and its records; a prefix list and
its entries) are collected per output and combined in :meth:`AccountBuilder.build`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from vpcdoctor.graph.model import (
    ALL_PORTS,
    Account,
    AliasTarget,
    DbCluster,
    DbEndpoint,
    DbInstance,
    DbProxy,
    DhcpOptions,
    DnsEntry,
    EgressOnlyInternetGateway,
    ElasticIp,
    EndpointType,
    Gap,
    GatewayAttachment,
    HostedZone,
    Instance,
    InternetGateway,
    IPAddress,
    IPNetwork,
    LambdaFunction,
    LambdaState,
    LoadBalancer,
    NatAddress,
    NatConnectivity,
    NatGateway,
    NatState,
    NetworkAcl,
    NetworkAclEntry,
    NetworkInterface,
    PeeringSide,
    PortRange,
    PrefixList,
    ProvisionedConcurrency,
    RecordSet,
    ResolverDirection,
    ResolverEndpoint,
    ResolverEndpointIp,
    ResolverRule,
    ResolverRuleAssociation,
    ResolverRuleType,
    Route,
    RouteOrigin,
    RouteState,
    RouteTable,
    RouteTargetType,
    RuleAction,
    SecurityGroup,
    SecurityGroupRule,
    SourceNote,
    Subnet,
    TargetAddress,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    Vpc,
    VpcConfig,
    VpcEndpoint,
    VpcPeeringConnection,
    ZoneVpc,
    normalize_dns_name,
    protocol_number,
)
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
Item = Mapping[str, Any]

_NO_TAGS: Mapping[str, str] = MappingProxyType({})
_MAX_SHOWN = 80


class Invalid(Exception):
    """A value AWS cannot produce, or a missing identifier; ``json_path`` says where."""

    def __init__(self, json_path: str, message: str) -> None:
        super().__init__(message)
        self.json_path = json_path
        self.message = message


class Conflict(Exception):
    """The same resource twice with different content."""

    def __init__(self, message: str, *, source: str, json_path: str) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.json_path = json_path


# --------------------------------------------------------------------------------------------
# Value helpers (types were checked against botocore before; values are checked here)
# --------------------------------------------------------------------------------------------


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…'"


def _at(base: str, key: str) -> str:
    return f"{base}.{key}" if base else key


def _req(item: Item, key: str, base: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise Invalid(_at(base, key), f"{key} is missing; every AWS output of this kind has it")
    return value


def _str(item: Item, key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) and value else None


def _strs(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(v for v in values if isinstance(v, str))


def _ids(items: object, key: str) -> tuple[str, ...]:
    """``[{key: id}, …]`` → ``(id, …)``."""
    if not isinstance(items, list):
        return ()
    return tuple(i[key] for i in items if isinstance(i, dict) and isinstance(i.get(key), str))


def _tags(items: object) -> Mapping[str, str]:
    if not items:
        return _NO_TAGS
    if isinstance(items, dict):  # Lambda and a few others return a map
        return MappingProxyType({str(k): str(v) for k, v in items.items()})
    if not isinstance(items, list):
        return _NO_TAGS
    tags = {
        t["Key"]: str(t.get("Value") or "")
        for t in items
        if isinstance(t, dict) and isinstance(t.get("Key"), str)
    }
    return MappingProxyType(tags) if tags else _NO_TAGS


@lru_cache(maxsize=65536)
def _network(text: str) -> IPNetwork:
    if "/" not in text:
        raise ValueError(text)
    return ipaddress.ip_network(text, strict=False)


def _cidr(value: object, path: str, version: int | None = None) -> IPNetwork:
    try:
        net = _network(str(value))
    except ValueError:
        raise Invalid(path, f"{_shown(value)} is not a CIDR block AWS can produce") from None
    if version is not None and net.version != version:
        raise Invalid(path, f"{_shown(value)} is not an IPv{version} CIDR block")
    return net


def _cidr4(value: object, path: str) -> ipaddress.IPv4Network:
    net = _cidr(value, path, 4)
    assert isinstance(net, ipaddress.IPv4Network)
    return net


def _cidr6(value: object, path: str) -> ipaddress.IPv6Network:
    net = _cidr(value, path, 6)
    assert isinstance(net, ipaddress.IPv6Network)
    return net


def _address(text: str) -> IPAddress:
    """``ipaddress.ip_address`` with a fast path for IPv4: inet_pton accepts exactly the
    dotted quads ipaddress accepts (no leading zeros, no short forms) at a tenth of the cost;
    anything else, including every error, goes through ipaddress itself."""
    try:
        return ipaddress.IPv4Address(int.from_bytes(socket.inet_pton(socket.AF_INET, text)))
    except (OSError, ValueError):
        return ipaddress.ip_address(text)


def _ip(value: object, path: str, version: int | None = None) -> IPAddress:
    try:
        ip = _address(str(value))
    except ValueError:
        raise Invalid(path, f"{_shown(value)} is not an IP address") from None
    if version is not None and ip.version != version:
        raise Invalid(path, f"{_shown(value)} is not an IPv{version} address")
    return ip


def _ip4(value: object, path: str) -> ipaddress.IPv4Address:
    ip = _ip(value, path, 4)
    assert isinstance(ip, ipaddress.IPv4Address)
    return ip


def _ip6(value: object, path: str) -> ipaddress.IPv6Address:
    ip = _ip(value, path, 6)
    assert isinstance(ip, ipaddress.IPv6Address)
    return ip


def _opt_ip4(item: Item, key: str, base: str) -> ipaddress.IPv4Address | None:
    value = item.get(key)
    return _ip4(value, f"{base}.{key}") if value else None


def _port(value: object, path: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 65535:
        raise Invalid(path, f"{_shown(value)} is not a port (0-65535)")
    return value


def _enum(cls: type[E], value: object, path: str) -> E:
    try:
        return cls(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise Invalid(path, f"{_shown(value)} is not one of {allowed}") from None


def _protocol(value: object, path: str) -> str:
    number: str = protocol_number(value if isinstance(value, str | int) else str(value))
    if number == "-1" or (number.isdigit() and 0 <= int(number) <= 255):
        return number
    raise Invalid(path, f"{_shown(value)} is not an IP protocol (a name like tcp, a number, or -1)")


def _ports(protocol: str, low: object, high: object, base: str, keys: tuple[str, str]) -> PortRange:
    """Port range of a security-group or NACL rule (ICMP's type/code are not ports)."""
    if protocol == "-1" or protocol in ("1", "58"):
        return ALL_PORTS
    if low is None and high is None:
        return ALL_PORTS
    if protocol not in ("6", "17") and low == -1 and high == -1:
        return ALL_PORTS
    lo = _port(low, f"{base}.{keys[0]}")
    hi = _port(high, f"{base}.{keys[1]}")
    if lo is None or hi is None:
        lo = hi = lo if lo is not None else hi
    assert lo is not None and hi is not None
    if lo > hi:
        raise Invalid(f"{base}.{keys[0]}", f"port range {lo}-{hi} ends before it starts")
    if lo == 0 and hi == 65535:
        return ALL_PORTS
    return PortRange(low=lo, high=hi)


def _lower_first(state: str) -> str:
    """``Available`` (botocore's enum spelling) → ``available`` (what EC2 returns)."""
    return state[:1].lower() + state[1:]


def _zone_id(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def _function_name(value: str) -> str:
    """A function name from a name or an ARN (``arn:aws:lambda:r:acct:function:name[:q]``)."""
    if value.startswith("arn:"):
        parts = value.split(":")
        if len(parts) >= 7:
            return parts[6]
    return value


_REGION_IN_AZ = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)")


def region_of_az(az: str) -> str | None:
    """``ap-northeast-1a`` → ``ap-northeast-1``."""
    match = _REGION_IN_AZ.match(az)
    return match.group(1) if match else None


# --------------------------------------------------------------------------------------------
# Collections with the "same resource twice" rule
# --------------------------------------------------------------------------------------------


class Collection(Generic[T]):
    """Resources of one kind keyed by id; identical repeats are fine, different ones conflict."""

    __slots__ = ("items", "what", "where")

    def __init__(self, what: str) -> None:
        self.what = what
        self.items: dict[str, T] = {}
        self.where: dict[str, tuple[str, str]] = {}

    def add(self, key: str, value: T, source: str, json_path: str) -> None:
        old = self.items.get(key)
        if old is None:
            self.items[key] = value
            self.where[key] = (source, json_path)
            return
        if old != value:
            other, other_path = self.where[key]
            raise Conflict(
                f"{self.what} {key} appears twice with different content (also in {other} at "
                f"{other_path}); keep one of the two exports, or export both again at the "
                "same time",
                source=source,
                json_path=json_path,
            )

    def __contains__(self, key: object) -> bool:
        return key in self.items

    def get(self, key: str) -> T | None:
        return self.items.get(key)


# --------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------

_FUNCTION_RANK = {"list-functions": 0, "get-function-configuration": 1, "get-function": 2}
"""Later (more complete) outputs win field by field when describing the same function."""


class AccountBuilder:
    """Collects parsed outputs; :meth:`build` combines them into an :class:`Account`."""

    def __init__(self) -> None:
        c = Collection
        self.vpcs: Collection[Vpc] = c("VPC")
        self.vpc_attrs: dict[str, Collection[bool]] = {}
        self.subnets: Collection[Subnet] = c("subnet")
        self.route_tables: Collection[RouteTable] = c("route table")
        self.igws: Collection[InternetGateway] = c("internet gateway")
        self.eigws: Collection[EgressOnlyInternetGateway] = c("egress-only internet gateway")
        self.nats: Collection[NatGateway] = c("NAT gateway")
        self.endpoints: Collection[VpcEndpoint] = c("VPC endpoint")
        self.sgs: Collection[SecurityGroup] = c("security group")
        self.sg_rules: dict[str, Collection[SecurityGroupRule]] = {}
        self.nacls: Collection[NetworkAcl] = c("network ACL")
        self.enis: Collection[NetworkInterface] = c("network interface")
        self.eips: Collection[ElasticIp] = c("Elastic IP")
        self.managed_pls: Collection[PrefixList] = c("prefix list")
        self.aws_pls: Collection[PrefixList] = c("prefix list")
        self.pl_entries: dict[str, Collection[IPNetwork]] = {}
        self.peerings: Collection[VpcPeeringConnection] = c("VPC peering connection")
        self.tgws: Collection[TransitGateway] = c("transit gateway")
        self.tgw_attachments: Collection[TransitGatewayAttachment] = c("transit gateway attachment")
        self.tgw_vpc_attachments: Collection[TransitGatewayAttachment] = c(
            "transit gateway VPC attachment"
        )
        self.tgw_rtbs: Collection[TransitGatewayRouteTable] = c("transit gateway route table")
        self.tgw_routes: dict[str, Collection[TransitGatewayRoute]] = {}
        self.dhcp: Collection[DhcpOptions] = c("DHCP options set")
        self.instances: Collection[Instance] = c("instance")
        self.function_parts: dict[str, dict[int, Collection[dict[str, Any]]]] = {}
        self.function_sources: dict[str, list[tuple[str, str]]] = {}
        self.concurrency: Collection[tuple[int | None]] = c("reserved concurrency of function")
        self.provisioned: dict[str, Collection[ProvisionedConcurrency]] = {}
        self.per_function_sources: dict[str, list[str]] = {}
        self.zones_listed: Collection[HostedZone] = c("hosted zone")
        self.zones_got: Collection[HostedZone] = c("hosted zone")
        self.zone_records: dict[str, Collection[RecordSet]] = {}
        self.per_zone_sources: dict[str, list[str]] = {}
        self.resolver_rules: Collection[ResolverRule] = c("Resolver rule")
        self.resolver_assocs: Collection[ResolverRuleAssociation] = c("Resolver rule association")
        self.resolver_endpoints: Collection[ResolverEndpoint] = c("Resolver endpoint")
        self.resolver_ips: dict[str, Collection[ResolverEndpointIp]] = {}
        self.load_balancers: Collection[LoadBalancer] = c("load balancer")
        self.db_instances: Collection[DbInstance] = c("DB instance")
        self.db_clusters: Collection[DbCluster] = c("DB cluster")
        self.db_proxies: Collection[DbProxy] = c("DB proxy")
        self.sts_accounts: Collection[str] = c("caller identity account")
        self.present: set[str] = set()
        self.notes: dict[str, list[str]] = {}
        self.arn_hints: list[tuple[str, str]] = []
        """(region, account) taken from ARNs."""
        self.az_regions: set[str] = set()

    # ---- entry ---------------------------------------------------------------------------
    def add(self, kind: str, owner: str | None, data: Mapping[str, Any], source: str) -> None:
        """Parse one output; raise :class:`Invalid` or :class:`Conflict`."""
        self.present.add(kind)
        if kind.startswith("describe-vpc-attribute"):
            for attr in ("EnableDnsSupport", "EnableDnsHostnames"):
                if attr in data:
                    self.present.add(f"describe-vpc-attribute-{attr[0].lower()}{attr[1:]}")
        parser = _PARSERS[kind]
        parser(self, data, owner, source)

    def note(self, source: str, text: str) -> None:
        self.notes.setdefault(source, []).append(text)

    # ---- combine -------------------------------------------------------------------------
    def build(
        self,
        *,
        gaps: Iterable[Gap] = (),
        set_aside: Iterable[SourceNote] = (),
        read: Iterable[tuple[str, str]] = (),
        account_id: str | None = None,
        region: str | None = None,
    ) -> Account:
        """Combine everything added; ``read`` is (source, kind) of each output, in order."""
        vpcs = dict(self.vpcs.items)
        for vpc_id, attrs in self.vpc_attrs.items():
            vpc = vpcs.get(vpc_id)
            if vpc is None:
                for src in {where[0] for where in attrs.where.values()}:
                    self.note(src, f"VPC {vpc_id} is not in the snapshot (export describe-vpcs)")
                continue
            vpcs[vpc_id] = replace(
                vpc,
                enable_dns_support=attrs.get("EnableDnsSupport"),
                enable_dns_hostnames=attrs.get("EnableDnsHostnames"),
            )

        route_tables = self.route_tables.items
        _one_owner(
            "main route table",
            ((r.vpc_id, r.id) for r in route_tables.values() if r.is_main),
            self.route_tables.where,
            "VPC",
        )
        _one_owner(
            "route table",
            ((s, r.id) for r in route_tables.values() for s in r.subnet_ids),
            self.route_tables.where,
            "subnet",
        )
        _one_owner(
            "network ACL",
            ((s, a.id) for a in self.nacls.items.values() for s in a.subnet_ids),
            self.nacls.where,
            "subnet",
        )
        _one_owner(
            "default network ACL",
            ((a.vpc_id, a.id) for a in self.nacls.items.values() if a.is_default),
            self.nacls.where,
            "VPC",
        )

        sgs = dict(self.sgs.items)
        for group_id, coll in self.sg_rules.items():
            if group_id in sgs:
                continue  # describe-security-groups already lists the same rules
            rules = list(coll.items.values())
            sgs[group_id] = SecurityGroup(
                id=group_id,
                vpc_id=None,
                name=group_id,
                ingress=tuple(r for r in rules if not r.egress),
                egress=tuple(r for r in rules if r.egress),
            )

        prefix_lists = self._prefix_lists()
        tgw_attachments = self._tgw_attachments()
        tgw_rtbs = self._tgw_route_tables(tgw_attachments)
        functions = self._functions()
        zones = self._zones()
        endpoints = {
            k: replace(e, ip_addresses=tuple(self.resolver_ips[k].items.values()))
            if k in self.resolver_ips
            else e
            for k, e in self.resolver_endpoints.items.items()
        }
        for endpoint_id, ip_coll in self.resolver_ips.items():
            if endpoint_id not in endpoints:
                for src in {s for s, _ in ip_coll.where.values()}:
                    self.note(src, f"Resolver endpoint {endpoint_id} is not in the snapshot")

        all_gaps = list(gaps)
        all_gaps.extend(self._missing(prefix_lists, tgw_rtbs, zones, endpoints, all_gaps))

        account_id = account_id or next(iter(self.sts_accounts.items.values()), None)
        if account_id is None:
            account_id = next((a for _, a in self.arn_hints if a), None)
        if region is None:
            region = next((r for r, _ in self.arn_hints if r), None)
        if region is None and len(self.az_regions) == 1:
            region = next(iter(self.az_regions))

        notes = list(set_aside)
        notes.extend(
            SourceNote(path=src, kind=kind, note="; ".join(self.notes.get(src, ())))
            for src, kind in read
        )
        return Account.build(
            account_id=account_id,
            region=region,
            vpcs=vpcs,
            subnets=self.subnets.items,
            route_tables=route_tables,
            internet_gateways=self.igws.items,
            egress_only_internet_gateways=self.eigws.items,
            nat_gateways=self.nats.items,
            vpc_endpoints=self.endpoints.items,
            security_groups=sgs,
            network_acls=self.nacls.items,
            network_interfaces=self.enis.items,
            elastic_ips=self.eips.items,
            prefix_lists=prefix_lists,
            peering_connections=self.peerings.items,
            transit_gateways=self.tgws.items,
            transit_gateway_attachments=tgw_attachments,
            transit_gateway_route_tables=tgw_rtbs,
            functions=functions,
            hosted_zones=zones,
            resolver_rules=self.resolver_rules.items,
            resolver_rule_associations=self.resolver_assocs.items,
            resolver_endpoints=endpoints,
            dhcp_options=self.dhcp.items,
            instances=self.instances.items,
            load_balancers=self.load_balancers.items,
            db_instances=self.db_instances.items,
            db_clusters=self.db_clusters.items,
            db_proxies=self.db_proxies.items,
            present=frozenset(self.present),
            gaps=tuple(all_gaps),
            sources=tuple(notes),
        )

    def _prefix_lists(self) -> dict[str, PrefixList]:
        result: dict[str, PrefixList] = {}
        for pl_id in {*self.managed_pls.items, *self.aws_pls.items, *self.pl_entries}:
            managed = self.managed_pls.get(pl_id)
            aws = self.aws_pls.get(pl_id)
            base = managed or aws or PrefixList(id=pl_id)
            if managed is not None and aws is not None:
                base = replace(managed, aws_managed=True, name=managed.name or aws.name)
            entries = base.entries if aws is None else aws.entries
            if pl_id in self.pl_entries:
                from_file = tuple(self.pl_entries[pl_id].items.values())
                if entries is not None and set(entries) != set(from_file) and aws is not None:
                    source, path = self.pl_entries[pl_id].where[
                        next(iter(self.pl_entries[pl_id].where))
                    ]
                    other, other_path = self.aws_pls.where[pl_id]
                    raise Conflict(
                        f"entries of prefix list {pl_id} differ from its Cidrs in {other} at "
                        f"{other_path}; export both again at the same time",
                        source=source,
                        json_path=path,
                    )
                entries = from_file
            result[pl_id] = replace(base, entries=entries)
        return result

    def _tgw_attachments(self) -> dict[str, TransitGatewayAttachment]:
        result = dict(self.tgw_attachments.items)
        for att_id, vpc_att in self.tgw_vpc_attachments.items.items():
            att = result.get(att_id)
            if att is None:
                result[att_id] = vpc_att
            else:
                result[att_id] = replace(
                    att,
                    subnet_ids=vpc_att.subnet_ids,
                    resource_id=att.resource_id or vpc_att.resource_id,
                )
        return result

    def _tgw_route_tables(
        self, attachments: Mapping[str, TransitGatewayAttachment]
    ) -> dict[str, TransitGatewayRouteTable]:
        result = dict(self.tgw_rtbs.items)
        for rtb_id, coll in self.tgw_routes.items():
            routes = tuple(coll.items.values())
            table = result.get(rtb_id)
            if table is None:
                tgw_id = next(
                    (
                        a.transit_gateway_id
                        for a in attachments.values()
                        if a.association_route_table_id == rtb_id
                    ),
                    None,
                )
                if tgw_id is None:
                    for src in {s for s, _ in coll.where.values()}:
                        self.note(
                            src,
                            f"transit gateway route table {rtb_id} is not in the snapshot "
                            "(export describe-transit-gateway-route-tables)",
                        )
                    continue
                table = TransitGatewayRouteTable(id=rtb_id, transit_gateway_id=tgw_id)
            result[rtb_id] = replace(table, routes=routes)
        return result

    def _functions(self) -> dict[str, LambdaFunction]:
        result: dict[str, LambdaFunction] = {}
        for name, ranks in self.function_parts.items():
            merged: dict[str, Any] = {}
            for rank in sorted(ranks):
                for fields in ranks[rank].items.values():
                    merged.update(fields)
            if name in self.concurrency:
                reserved = self.concurrency.items[name][0]
                merged["reserved_concurrency"] = reserved
                merged["concurrency_known"] = True
            if name in self.provisioned:
                merged["provisioned"] = tuple(self.provisioned[name].items.values())
            if "arn" not in merged:
                source, path = self.function_sources[name][0]
                raise Conflict(
                    f"FunctionArn of {name} is missing; every Lambda output has it",
                    source=source,
                    json_path=path,
                )
            result[name] = LambdaFunction(**merged)
        for name, srcs in self.per_function_sources.items():
            if name not in result:
                for src in srcs:
                    self.note(
                        src, f"function {name} is not in the snapshot (export list-functions)"
                    )
        return result

    def _zones(self) -> dict[str, HostedZone]:
        result: dict[str, HostedZone] = {}
        for zone_id in {*self.zones_listed.items, *self.zones_got.items}:
            listed = self.zones_listed.get(zone_id)
            got = self.zones_got.get(zone_id)
            zone = got or listed
            assert zone is not None
            if listed is not None and got is not None:
                zone = replace(
                    got,
                    record_count=got.record_count or listed.record_count,
                    comment=got.comment or listed.comment,
                )
            records = self.zone_records.get(zone_id)
            if records is not None:
                zone = replace(zone, records=tuple(records.items.values()))
            result[zone_id] = zone
        for zone_id, srcs in self.per_zone_sources.items():
            if zone_id not in result:
                for src in srcs:
                    self.note(
                        src,
                        f"hosted zone {zone_id} is not in the snapshot (export list-hosted-zones "
                        "and get-hosted-zone)",
                    )
        return result

    def _missing(
        self,
        prefix_lists: Mapping[str, PrefixList],
        tgw_rtbs: Mapping[str, TransitGatewayRouteTable],
        zones: Mapping[str, HostedZone],
        endpoints: Mapping[str, ResolverEndpoint],
        known: list[Gap],
    ) -> list[Gap]:
        """Per-resource outputs the snapshot lacks for resources it references."""
        have = {(g.kind, g.owner) for g in known}
        wanted: list[tuple[str, str]] = []
        referenced: set[str] = set()
        for rtb in self.route_tables.items.values():
            referenced.update(r.prefix_list_id for r in rtb.routes if r.prefix_list_id)
        for sg_id in self.sgs.items:
            sg = self.sgs.items[sg_id]
            referenced.update(
                r.prefix_list_id for r in (*sg.ingress, *sg.egress) if r.prefix_list_id
            )
        for pl_id in sorted(referenced):
            pl = prefix_lists.get(pl_id)
            if pl is None or pl.entries is None:
                wanted.append(("get-managed-prefix-list-entries", pl_id))
        for trt_id, trt in sorted(tgw_rtbs.items()):
            if trt.routes is None:
                wanted.append(("search-transit-gateway-routes", trt_id))
        for zone_id, zone in sorted(zones.items()):
            if zone.private and zone.records is None:
                wanted.append(("list-resource-record-sets", zone_id))
            if zone.private and zone.vpcs is None:
                wanted.append(("get-hosted-zone", zone_id))
        for endpoint_id, endpoint in sorted(endpoints.items()):
            if endpoint.ip_addresses is None:
                wanted.append(("list-resolver-endpoint-ip-addresses", endpoint_id))
        return [
            Gap(kind=k, reason="not exported", iam_action=KINDS_BY_NAME[k].iam_action, owner=o)
            for k, o in wanted
            if (k, o) not in have
        ]


def _one_owner(
    what: str,
    pairs: Iterable[tuple[str, str]],
    where: Mapping[str, tuple[str, str]],
    owner_kind: str,
) -> None:
    """Each owner (VPC or subnet) may be claimed by one resource only."""
    seen: dict[str, str] = {}
    for owner, resource in pairs:
        first = seen.setdefault(owner, resource)
        if first != resource:
            src, path = where[resource]
            other_src, other_path = where[first]
            raise Conflict(
                f"{resource} and {first} (in {other_src} at {other_path}) are both the {what} "
                f"of {owner_kind} {owner}; AWS allows only one. Were they exported at different "
                "times?",
                source=src,
                json_path=path,
            )


# --------------------------------------------------------------------------------------------
# Parsers, one per kind
# --------------------------------------------------------------------------------------------

Parser = Callable[[AccountBuilder, Mapping[str, Any], str | None, str], None]
_PARSERS: dict[str, Parser] = {}


def _parser(*kinds: str) -> Callable[[Parser], Parser]:
    def register(fn: Parser) -> Parser:
        for k in kinds:
            _PARSERS[k] = fn
        return fn

    return register


def _items(data: Mapping[str, Any], key: str) -> Iterable[tuple[str, Item]]:
    values = data.get(key)
    if not isinstance(values, list):
        return ()
    return ((f"{key}[{i}]", item) for i, item in enumerate(values) if isinstance(item, dict))


def _associated(item: Item, state_key: str) -> bool:
    state = item.get(state_key)
    if isinstance(state, dict):
        code = state.get("State")
        return code in (None, "associated", "associating")
    return True


@_parser("describe-vpcs")
def _vpcs(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, v in _items(data, "Vpcs"):
        vpc_id = _req(v, "VpcId", base)
        primary = v.get("CidrBlock")
        cidrs: list[ipaddress.IPv4Network] = []
        assoc = v.get("CidrBlockAssociationSet")
        if isinstance(assoc, list) and assoc:
            for i, a in enumerate(assoc):
                if a.get("CidrBlock") and _associated(a, "CidrBlockState"):
                    cidrs.append(
                        _cidr4(a["CidrBlock"], f"{base}.CidrBlockAssociationSet[{i}].CidrBlock")
                    )
        if primary:
            first = _cidr4(primary, f"{base}.CidrBlock")
            cidrs = [first, *(c for c in cidrs if c != first)]
        ipv6: list[ipaddress.IPv6Network] = []
        for i, a in enumerate(v.get("Ipv6CidrBlockAssociationSet") or ()):
            if a.get("Ipv6CidrBlock") and _associated(a, "Ipv6CidrBlockState"):
                ipv6.append(
                    _cidr6(
                        a["Ipv6CidrBlock"], f"{base}.Ipv6CidrBlockAssociationSet[{i}].Ipv6CidrBlock"
                    )
                )
        vpc = Vpc(
            id=vpc_id,
            owner_id=_str(v, "OwnerId"),
            cidrs=tuple(cidrs),
            ipv6_cidrs=tuple(ipv6),
            is_default=bool(v.get("IsDefault")),
            state=_str(v, "State"),
            dhcp_options_id=_str(v, "DhcpOptionsId"),
            tags=_tags(v.get("Tags")),
        )
        b.vpcs.add(vpc_id, vpc, src, base)


@_parser("describe-vpc-attribute-enableDnsSupport", "describe-vpc-attribute-enableDnsHostnames")
def _vpc_attribute(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    vpc_id = _req(data, "VpcId", "")
    coll = b.vpc_attrs.setdefault(vpc_id, Collection(f"DNS attribute of {vpc_id}:"))
    for attr in ("EnableDnsSupport", "EnableDnsHostnames"):
        value = data.get(attr)
        if isinstance(value, dict) and isinstance(value.get("Value"), bool):
            coll.add(attr, value["Value"], src, f"{attr}.Value")


@_parser("describe-subnets")
def _subnets(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, s in _items(data, "Subnets"):
        subnet_id = _req(s, "SubnetId", base)
        az = _req(s, "AvailabilityZone", base)
        region = region_of_az(az)
        if region:
            b.az_regions.add(region)
        cidr = _cidr4(s["CidrBlock"], f"{base}.CidrBlock") if s.get("CidrBlock") else None
        ipv6 = tuple(
            _cidr6(a["Ipv6CidrBlock"], f"{base}.Ipv6CidrBlockAssociationSet[{i}].Ipv6CidrBlock")
            for i, a in enumerate(s.get("Ipv6CidrBlockAssociationSet") or ())
            if a.get("Ipv6CidrBlock") and _associated(a, "Ipv6CidrBlockState")
        )
        subnet = Subnet(
            id=subnet_id,
            vpc_id=_req(s, "VpcId", base),
            az=az,
            az_id=_str(s, "AvailabilityZoneId"),
            cidr=cidr,
            ipv6_cidrs=ipv6,
            available_ips=s.get("AvailableIpAddressCount"),
            map_public_ip_on_launch=bool(s.get("MapPublicIpOnLaunch")),
            ipv6_native=bool(s.get("Ipv6Native")),
            owner_id=_str(s, "OwnerId"),
            state=_str(s, "State"),
            tags=_tags(s.get("Tags")),
        )
        b.subnets.add(subnet_id, subnet, src, base)


_ROUTE_TARGETS: tuple[tuple[str, RouteTargetType], ...] = (
    ("NatGatewayId", RouteTargetType.NAT_GATEWAY),
    ("TransitGatewayId", RouteTargetType.TRANSIT_GATEWAY),
    ("VpcPeeringConnectionId", RouteTargetType.VPC_PEERING),
    ("EgressOnlyInternetGatewayId", RouteTargetType.EGRESS_ONLY_INTERNET_GATEWAY),
    ("CarrierGatewayId", RouteTargetType.CARRIER_GATEWAY),
    ("LocalGatewayId", RouteTargetType.LOCAL_GATEWAY),
    ("CoreNetworkArn", RouteTargetType.CORE_NETWORK),
    # A route to a NAT instance names both the instance and its ENI: the instance decides.
    ("InstanceId", RouteTargetType.INSTANCE),
    ("NetworkInterfaceId", RouteTargetType.NETWORK_INTERFACE),
)
_GATEWAY_PREFIXES: tuple[tuple[str, RouteTargetType], ...] = (
    ("igw-", RouteTargetType.INTERNET_GATEWAY),
    ("vgw-", RouteTargetType.VIRTUAL_PRIVATE_GATEWAY),
    ("vpce-", RouteTargetType.VPC_ENDPOINT),
)


def _route_target(r: Item) -> tuple[RouteTargetType, str]:
    for key, target_type in _ROUTE_TARGETS:
        value = r.get(key)
        if value:
            return target_type, value
    gateway = r.get("GatewayId")
    if gateway:
        if gateway == "local":
            return RouteTargetType.LOCAL, "local"
        for prefix, target_type in _GATEWAY_PREFIXES:
            if gateway.startswith(prefix):
                return target_type, gateway
        return RouteTargetType.UNKNOWN, gateway
    for key in ("OdbNetworkArn", "IpAddress"):
        if r.get(key):
            return RouteTargetType.UNKNOWN, str(r[key])
    return RouteTargetType.UNKNOWN, "unknown"


def _route(r: Item, base: str) -> Route:
    destination: IPNetwork | None = None
    prefix_list = _str(r, "DestinationPrefixListId")
    if r.get("DestinationCidrBlock"):
        destination = _cidr4(r["DestinationCidrBlock"], f"{base}.DestinationCidrBlock")
    elif r.get("DestinationIpv6CidrBlock"):
        destination = _cidr6(r["DestinationIpv6CidrBlock"], f"{base}.DestinationIpv6CidrBlock")
    elif prefix_list is None:
        raise Invalid(
            base,
            "route has no destination (DestinationCidrBlock, DestinationIpv6CidrBlock or "
            "DestinationPrefixListId)",
        )
    target_type, target_id = _route_target(r)
    state = r.get("State")
    origin = r.get("Origin")
    return Route(
        destination=destination,
        prefix_list_id=prefix_list if destination is None else None,
        target_type=target_type,
        target_id=target_id,
        state=_enum(RouteState, state, f"{base}.State") if state else RouteState.ACTIVE,
        origin=_enum(RouteOrigin, origin, f"{base}.Origin") if origin else RouteOrigin.CREATE_ROUTE,
    )


@_parser("describe-route-tables")
def _route_tables(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, t in _items(data, "RouteTables"):
        rtb_id = _req(t, "RouteTableId", base)
        is_main = False
        subnets: list[str] = []
        gateways: list[str] = []
        for a in t.get("Associations") or ():
            if not _associated(a, "AssociationState"):
                continue
            if a.get("Main"):
                is_main = True
            if a.get("SubnetId"):
                subnets.append(a["SubnetId"])
            if a.get("GatewayId"):
                gateways.append(a["GatewayId"])
        routes = tuple(
            _route(r, f"{base}.Routes[{i}]") for i, r in enumerate(t.get("Routes") or ())
        )
        table = RouteTable(
            id=rtb_id,
            vpc_id=_req(t, "VpcId", base),
            routes=routes,
            subnet_ids=tuple(subnets),
            is_main=is_main,
            gateway_ids=tuple(gateways),
            owner_id=_str(t, "OwnerId"),
            tags=_tags(t.get("Tags")),
        )
        b.route_tables.add(rtb_id, table, src, base)


def _attachments(items: object) -> tuple[GatewayAttachment, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(
        GatewayAttachment(vpc_id=a["VpcId"], state=str(a.get("State") or "attached"))
        for a in items
        if isinstance(a, dict) and a.get("VpcId")
    )


@_parser("describe-internet-gateways")
def _igws(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "InternetGateways"):
        igw_id = _req(g, "InternetGatewayId", base)
        igw = InternetGateway(
            id=igw_id,
            attachments=_attachments(g.get("Attachments")),
            owner_id=_str(g, "OwnerId"),
            tags=_tags(g.get("Tags")),
        )
        b.igws.add(igw_id, igw, src, base)


@_parser("describe-egress-only-internet-gateways")
def _eigws(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, g in _items(data, "EgressOnlyInternetGateways"):
        eigw_id = _req(g, "EgressOnlyInternetGatewayId", base)
        eigw = EgressOnlyInternetGateway(
            id=eigw_id, attachments=_attachments(g.get("Attachments")), tags=_tags(g.get("Tags"))
        )
        b.eigws.add(eigw_id, eigw, src, base)


@_parser("describe-nat-gateways")
def _nats(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, n in _items(data, "NatGateways"):
        nat_id = _req(n, "NatGatewayId", base)
        addresses = []
        for i, a in enumerate(n.get("NatGatewayAddresses") or ()):
            at = f"{base}.NatGatewayAddresses[{i}]"
            addresses.append(
                NatAddress(
                    private_ip=_opt_ip4(a, "PrivateIp", at),
                    public_ip=_opt_ip4(a, "PublicIp", at),
                    allocation_id=_str(a, "AllocationId"),
                    network_interface_id=_str(a, "NetworkInterfaceId"),
                    is_primary=a.get("IsPrimary", True) is not False,
                )
            )
        connectivity = n.get("ConnectivityType")
        nat = NatGateway(
            id=nat_id,
            vpc_id=_req(n, "VpcId", base),
            subnet_id=_req(n, "SubnetId", base),
            state=_enum(NatState, _req(n, "State", base), f"{base}.State"),
            connectivity=_enum(NatConnectivity, connectivity, f"{base}.ConnectivityType")
            if connectivity
            else NatConnectivity.PUBLIC,
            addresses=tuple(addresses),
            failure_code=_str(n, "FailureCode"),
            failure_message=_str(n, "FailureMessage"),
            tags=_tags(n.get("Tags")),
        )
        b.nats.add(nat_id, nat, src, base)


def _endpoint_type(e: Item, base: str) -> EndpointType:
    value = e.get("VpcEndpointType")
    if value:
        return _enum(EndpointType, value, f"{base}.VpcEndpointType")
    # AWS always says; moto leaves it out for CreateVpcEndpoint's default type (Gateway).
    if e.get("RouteTableIds"):
        return EndpointType.GATEWAY
    if e.get("SubnetIds") or e.get("NetworkInterfaceIds"):
        return EndpointType.INTERFACE
    raise Invalid(f"{base}.VpcEndpointType", "VpcEndpointType is missing")


@_parser("describe-vpc-endpoints")
def _endpoints(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, e in _items(data, "VpcEndpoints"):
        vpce_id = _req(e, "VpcEndpointId", base)
        endpoint = VpcEndpoint(
            id=vpce_id,
            vpc_id=_req(e, "VpcId", base),
            type=_endpoint_type(e, base),
            service_name=_req(e, "ServiceName", base),
            state=_lower_first(_str(e, "State") or "available"),
            route_table_ids=_strs(e.get("RouteTableIds")),
            subnet_ids=_strs(e.get("SubnetIds")),
            network_interface_ids=_strs(e.get("NetworkInterfaceIds")),
            security_group_ids=_ids(e.get("Groups"), "GroupId"),
            private_dns_enabled=bool(e.get("PrivateDnsEnabled")),
            policy_document=_str(e, "PolicyDocument"),
            dns_entries=tuple(
                DnsEntry(
                    dns_name=normalize_dns_name(d["DnsName"]),
                    hosted_zone_id=_str(d, "HostedZoneId"),
                )
                for d in e.get("DnsEntries") or ()
                if d.get("DnsName")
            ),
            owner_id=_str(e, "OwnerId"),
            tags=_tags(e.get("Tags")),
        )
        b.endpoints.add(vpce_id, endpoint, src, base)


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
    if not isinstance(number, int) or not (1 <= number <= 32766 or number == 32767):
        raise Invalid(
            f"{base}.RuleNumber",
            f"{_shown(number)} is not a network ACL rule number (1-32766, or 32767 for the "
            "default rule)",
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


@_parser("describe-managed-prefix-lists")
def _managed_prefix_lists(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "PrefixLists"):
        pl_id = _req(p, "PrefixListId", base)
        pl = PrefixList(
            id=pl_id,
            name=_str(p, "PrefixListName") or "",
            address_family=_str(p, "AddressFamily"),
            owner_id=_str(p, "OwnerId"),
            max_entries=p.get("MaxEntries"),
            aws_managed=p.get("OwnerId") == "AWS",
        )
        b.managed_pls.add(pl_id, pl, src, base)


@_parser("describe-prefix-lists")
def _aws_prefix_lists(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "PrefixLists"):
        pl_id = _req(p, "PrefixListId", base)
        cidrs = p.get("Cidrs")
        entries = (
            tuple(_cidr(c, f"{base}.Cidrs[{i}]") for i, c in enumerate(cidrs))
            if isinstance(cidrs, list)
            else None
        )
        pl = PrefixList(
            id=pl_id,
            name=_str(p, "PrefixListName") or "",
            owner_id="AWS",
            aws_managed=True,
            entries=entries,
        )
        b.aws_pls.add(pl_id, pl, src, base)


@_parser("get-managed-prefix-list-entries")
def _prefix_list_entries(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.pl_entries.setdefault(owner, Collection(f"entry of {owner}"))
    for base, e in _items(data, "Entries"):
        cidr = _cidr(_req(e, "Cidr", base), f"{base}.Cidr")
        coll.add(str(cidr), cidr, src, base)


def _peering_side(info: Item, base: str) -> PeeringSide:
    cidrs: list[IPNetwork] = []
    for i, c in enumerate(info.get("CidrBlockSet") or ()):
        if c.get("CidrBlock"):
            cidrs.append(_cidr4(c["CidrBlock"], f"{base}.CidrBlockSet[{i}].CidrBlock"))
    if not cidrs and info.get("CidrBlock"):
        cidrs.append(_cidr4(info["CidrBlock"], f"{base}.CidrBlock"))
    for i, c in enumerate(info.get("Ipv6CidrBlockSet") or ()):
        if c.get("Ipv6CidrBlock"):
            cidrs.append(_cidr6(c["Ipv6CidrBlock"], f"{base}.Ipv6CidrBlockSet[{i}].Ipv6CidrBlock"))
    return PeeringSide(
        vpc_id=_req(info, "VpcId", base),
        owner_id=_str(info, "OwnerId"),
        region=_str(info, "Region"),
        cidrs=tuple(cidrs),
    )


@_parser("describe-vpc-peering-connections")
def _peerings(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "VpcPeeringConnections"):
        pcx_id = _req(p, "VpcPeeringConnectionId", base)
        status = p.get("Status") or {}
        pcx = VpcPeeringConnection(
            id=pcx_id,
            requester=_peering_side(p.get("RequesterVpcInfo") or {}, f"{base}.RequesterVpcInfo"),
            accepter=_peering_side(p.get("AccepterVpcInfo") or {}, f"{base}.AccepterVpcInfo"),
            status=_req(status, "Code", f"{base}.Status"),
            tags=_tags(p.get("Tags")),
        )
        b.peerings.add(pcx_id, pcx, src, base)


@_parser("describe-transit-gateways")
def _tgws(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, t in _items(data, "TransitGateways"):
        tgw_id = _req(t, "TransitGatewayId", base)
        options = t.get("Options") or {}
        tgw = TransitGateway(
            id=tgw_id,
            state=_str(t, "State") or "available",
            owner_id=_str(t, "OwnerId"),
            association_default_route_table_id=_str(options, "AssociationDefaultRouteTableId"),
            propagation_default_route_table_id=_str(options, "PropagationDefaultRouteTableId"),
            tags=_tags(t.get("Tags")),
        )
        b.tgws.add(tgw_id, tgw, src, base)
        _arn_hint(b, _str(t, "TransitGatewayArn"))


@_parser("describe-transit-gateway-attachments")
def _tgw_attachments(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "TransitGatewayAttachments"):
        att_id = _req(a, "TransitGatewayAttachmentId", base)
        association = a.get("Association") or {}
        att = TransitGatewayAttachment(
            id=att_id,
            transit_gateway_id=_req(a, "TransitGatewayId", base),
            resource_type=_str(a, "ResourceType") or "vpc",
            resource_id=_str(a, "ResourceId"),
            state=_str(a, "State") or "available",
            association_route_table_id=_str(association, "TransitGatewayRouteTableId"),
            association_state=_str(association, "State"),
            resource_owner_id=_str(a, "ResourceOwnerId"),
            tags=_tags(a.get("Tags")),
        )
        b.tgw_attachments.add(att_id, att, src, base)


@_parser("describe-transit-gateway-vpc-attachments")
def _tgw_vpc_attachments(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, a in _items(data, "TransitGatewayVpcAttachments"):
        att_id = _req(a, "TransitGatewayAttachmentId", base)
        att = TransitGatewayAttachment(
            id=att_id,
            transit_gateway_id=_req(a, "TransitGatewayId", base),
            resource_type="vpc",
            resource_id=_str(a, "VpcId"),
            state=_str(a, "State") or "available",
            subnet_ids=_strs(a.get("SubnetIds")),
            resource_owner_id=_str(a, "VpcOwnerId"),
            tags=_tags(a.get("Tags")),
        )
        b.tgw_vpc_attachments.add(att_id, att, src, base)


@_parser("describe-transit-gateway-route-tables")
def _tgw_route_tables(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, t in _items(data, "TransitGatewayRouteTables"):
        rtb_id = _req(t, "TransitGatewayRouteTableId", base)
        table = TransitGatewayRouteTable(
            id=rtb_id,
            transit_gateway_id=_req(t, "TransitGatewayId", base),
            state=_str(t, "State") or "available",
            is_default_association=bool(t.get("DefaultAssociationRouteTable")),
            is_default_propagation=bool(t.get("DefaultPropagationRouteTable")),
            tags=_tags(t.get("Tags")),
        )
        b.tgw_rtbs.add(rtb_id, table, src, base)


@_parser("search-transit-gateway-routes")
def _tgw_routes(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    coll = b.tgw_routes.setdefault(owner, Collection(f"route of {owner} to"))
    for base, r in _items(data, "Routes"):
        destination = (
            _cidr(r["DestinationCidrBlock"], f"{base}.DestinationCidrBlock")
            if r.get("DestinationCidrBlock")
            else None
        )
        prefix_list = _str(r, "PrefixListId")
        if destination is None and prefix_list is None:
            raise Invalid(base, "route has neither DestinationCidrBlock nor PrefixListId")
        attachments = r.get("TransitGatewayAttachments") or ()
        route = TransitGatewayRoute(
            destination=destination,
            prefix_list_id=prefix_list,
            attachment_ids=_ids(attachments, "TransitGatewayAttachmentId"),
            resource_ids=_ids(attachments, "ResourceId"),
            route_type=_str(r, "Type") or "static",
            state=_str(r, "State") or "active",
        )
        coll.add(str(destination) if destination else str(prefix_list), route, src, base)


@_parser("describe-dhcp-options")
def _dhcp(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DhcpOptions"):
        dopt_id = _req(d, "DhcpOptionsId", base)
        servers: tuple[str, ...] = ()
        domain: str | None = None
        for c in d.get("DhcpConfigurations") or ():
            values = tuple(
                v["Value"] for v in c.get("Values") or () if isinstance(v.get("Value"), str)
            )
            if c.get("Key") == "domain-name-servers":
                servers = values
            elif c.get("Key") == "domain-name" and values:
                domain = values[0]
        options = DhcpOptions(
            id=dopt_id, domain_name_servers=servers, domain_name=domain, tags=_tags(d.get("Tags"))
        )
        b.dhcp.add(dopt_id, options, src, base)


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


def _arn_hint(b: AccountBuilder, arn: str | None) -> None:
    if arn and arn.startswith("arn:"):
        parts = arn.split(":")
        if len(parts) >= 5:
            b.arn_hints.append((parts[3], parts[4]))


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
    _arn_hint(b, fields.get("arn"))
    ranks = b.function_parts.setdefault(name, {})
    coll = ranks.setdefault(rank, Collection("Lambda function"))
    coll.add(name, fields, src, base)
    b.function_sources.setdefault(name, []).append((src, base))
    return str(name)


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
    name = _add_function(
        b, _FUNCTION_RANK["get-function"], config, "Configuration", src, data.get("Tags")
    )
    concurrency = data.get("Concurrency")
    if isinstance(concurrency, dict):
        b.concurrency.add(
            name, (concurrency.get("ReservedConcurrentExecutions"),), src, "Concurrency"
        )


@_parser("get-function-concurrency")
def _get_function_concurrency(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    name = _function_name(owner)
    b.concurrency.add(name, (data.get("ReservedConcurrentExecutions"),), src, "(top level)")
    b.per_function_sources.setdefault(name, []).append(src)


@_parser("list-provisioned-concurrency-configs")
def _provisioned(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    assert owner is not None
    name = _function_name(owner)
    coll = b.provisioned.setdefault(name, Collection(f"provisioned concurrency of {name}:"))
    b.per_function_sources.setdefault(name, []).append(src)
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


# ---- ELB, RDS, STS ---------------------------------------------------------------------------


@_parser("describe-load-balancers")
def _load_balancers(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, lb in _items(data, "LoadBalancers"):
        arn = _req(lb, "LoadBalancerArn", base)
        state = lb.get("State") or {}
        balancer = LoadBalancer(
            arn=arn,
            name=_str(lb, "LoadBalancerName") or arn.rsplit("/", 2)[-2],
            dns_name=normalize_dns_name(_req(lb, "DNSName", base)),
            scheme=_req(lb, "Scheme", base),
            type=_str(lb, "Type") or "application",
            vpc_id=_str(lb, "VpcId"),
            subnet_ids=_ids(lb.get("AvailabilityZones"), "SubnetId"),
            security_group_ids=_strs(lb.get("SecurityGroups")),
            canonical_hosted_zone_id=_str(lb, "CanonicalHostedZoneId"),
            state=_str(state, "Code"),
        )
        b.load_balancers.add(arn, balancer, src, base)
        _arn_hint(b, arn)


def _db_endpoint(address: object, port: object, base: str) -> DbEndpoint | None:
    if not isinstance(address, str) or not address:
        return None
    return DbEndpoint(address=normalize_dns_name(address), port=_port(port, f"{base}.Port"))


@_parser("describe-db-instances")
def _db_instances(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DBInstances"):
        db_id = _req(d, "DBInstanceIdentifier", base)
        endpoint = d.get("Endpoint") or {}
        group = d.get("DBSubnetGroup") or {}
        instance = DbInstance(
            id=db_id,
            engine=_str(d, "Engine") or "",
            status=_str(d, "DBInstanceStatus"),
            endpoint=_db_endpoint(
                endpoint.get("Address"), endpoint.get("Port"), f"{base}.Endpoint"
            ),
            security_group_ids=_ids(d.get("VpcSecurityGroups"), "VpcSecurityGroupId"),
            subnet_ids=_ids(group.get("Subnets"), "SubnetIdentifier"),
            vpc_id=_str(group, "VpcId"),
            cluster_id=_str(d, "DBClusterIdentifier"),
            publicly_accessible=bool(d.get("PubliclyAccessible")),
        )
        b.db_instances.add(db_id, instance, src, base)
        _arn_hint(b, _str(d, "DBInstanceArn"))


@_parser("describe-db-clusters")
def _db_clusters(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, d in _items(data, "DBClusters"):
        cluster_id = _req(d, "DBClusterIdentifier", base)
        port = _port(d.get("Port"), f"{base}.Port")
        cluster = DbCluster(
            id=cluster_id,
            engine=_str(d, "Engine") or "",
            status=_str(d, "Status"),
            endpoint=_db_endpoint(d.get("Endpoint"), port, base),
            reader_endpoint=_db_endpoint(d.get("ReaderEndpoint"), port, base),
            port=port,
            security_group_ids=_ids(d.get("VpcSecurityGroups"), "VpcSecurityGroupId"),
            member_ids=_ids(d.get("DBClusterMembers"), "DBInstanceIdentifier"),
        )
        b.db_clusters.add(cluster_id, cluster, src, base)
        _arn_hint(b, _str(d, "DBClusterArn"))


@_parser("describe-db-proxies")
def _db_proxies(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    for base, p in _items(data, "DBProxies"):
        name = _req(p, "DBProxyName", base)
        proxy = DbProxy(
            name=name,
            arn=_str(p, "DBProxyArn") or "",
            engine_family=_str(p, "EngineFamily") or "",
            endpoint=normalize_dns_name(_str(p, "Endpoint") or ""),
            status=_str(p, "Status"),
            vpc_id=_str(p, "VpcId"),
            subnet_ids=_strs(p.get("VpcSubnetIds")),
            security_group_ids=_strs(p.get("VpcSecurityGroupIds")),
        )
        b.db_proxies.add(name, proxy, src, base)
        _arn_hint(b, _str(p, "DBProxyArn"))


@_parser("get-caller-identity")
def _caller_identity(b: AccountBuilder, data: Item, owner: str | None, src: str) -> None:
    account = _req(data, "Account", "")
    if not (account.isdigit() and len(account) == 12):
        raise Invalid("Account", f"{_shown(account)} is not an AWS account id (12 digits)")
    b.sts_accounts.add("account", account, src, "Account")


def _check_registry() -> None:
    missing = set(KINDS_BY_NAME) - set(_PARSERS)
    if missing:  # a programming error: every registered kind needs a parser
        raise RuntimeError(f"no parser for kinds: {sorted(missing)}")


_check_registry()

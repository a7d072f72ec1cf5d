"""The account builder: collects parsed outputs and combines them into an :class:`Account`,
and the registry of parsers (one per kind, in the service modules beside this one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from vpcdoctor.graph.model import (
    Account,
    DbCluster,
    DbInstance,
    DbProxy,
    DhcpOptions,
    EgressOnlyInternetGateway,
    ElasticIp,
    Gap,
    HostedZone,
    Instance,
    InternetGateway,
    IPNetwork,
    LambdaFunction,
    LoadBalancer,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    PrefixList,
    ProvisionedConcurrency,
    RecordSet,
    ResolverEndpoint,
    ResolverEndpointIp,
    ResolverRule,
    ResolverRuleAssociation,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    SourceNote,
    Subnet,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
)
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
from vpcdoctor.graph.sources.parse.merge import Collection, Conflict, _one_owner


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


def _arn_hint(b: AccountBuilder, arn: str | None) -> None:
    if arn and arn.startswith("arn:"):
        parts = arn.split(":")
        if len(parts) >= 5:
            b.arn_hints.append((parts[3], parts[4]))

"""The account builder: collects parsed outputs and combines them into an :class:`Account`,
and the registry of parsers (one per kind, in the service modules beside this one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from vpcdoctor.graph.model import (
    Account,
    BlockPublicAccessExclusion,
    BlockPublicAccessOptions,
    CacheCluster,
    CacheReplicationGroup,
    CacheSubnetGroup,
    DbCluster,
    DbInstance,
    DbProxy,
    DbSubnetGroup,
    DhcpOptions,
    EgressOnlyInternetGateway,
    ElasticIp,
    Gap,
    HostedZone,
    Instance,
    InternetGateway,
    IPNetwork,
    LambdaFunction,
    Listener,
    LoadBalancer,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    OpenSearchDomain,
    Origin,
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
    TargetGroup,
    TargetHealth,
    TgwAssociation,
    TgwPropagation,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayPeeringAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from vpcdoctor.graph.sources.parse import combine
from vpcdoctor.graph.sources.parse.merge import Collection, View, _one_owner


class AccountBuilder:
    """Collects parsed outputs; :meth:`build` combines them into an :class:`Account`."""

    def __init__(self) -> None:
        self.view = View()
        """The exporting account and Region of the output being parsed; resource origins."""

        def c(what: str) -> Collection[Any]:
            return Collection(what, self.view, attribute=True)

        def part(what: str) -> Collection[Any]:
            return Collection(what, self.view)

        self.collection = part
        """A collection of parts of a resource (views merged, not attributed)."""
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
        self.tgw_static_routes: dict[str, Collection[TransitGatewayRoute]] = {}
        self.tgw_propagations: dict[str, Collection[TgwPropagation]] = {}
        self.tgw_associations: dict[str, Collection[TgwAssociation]] = {}
        self.tgw_peerings: Collection[TransitGatewayPeeringAttachment] = c(
            "transit gateway peering attachment"
        )
        self.vpn_connections: Collection[VpnConnection] = c("VPN connection")
        self.vpn_gateways: Collection[VpnGateway] = c("virtual private gateway")
        self.bpa_options: Collection[BlockPublicAccessOptions] = c(
            "VPC Block Public Access options of"
        )
        self.bpa_exclusions: Collection[BlockPublicAccessExclusion] = c(
            "VPC Block Public Access exclusion"
        )
        self.dhcp: Collection[DhcpOptions] = c("DHCP options set")
        self.instances: Collection[Instance] = c("instance")
        self.function_parts: dict[str, dict[int, Collection[dict[str, Any]]]] = {}
        """Keyed by the function's unqualified ARN (its name when an output lacks it)."""
        self.function_sources: dict[str, list[tuple[str, str]]] = {}
        self.function_views: dict[str, tuple[str | None, str | None]] = {}
        PerFunction = tuple[str, str | None, str | None]
        self.concurrency: dict[PerFunction, Collection[tuple[int | None]]] = {}
        """Keyed (name or ARN from the file name, view account, view Region)."""
        self.provisioned: dict[PerFunction, Collection[ProvisionedConcurrency]] = {}
        self.per_function_sources: dict[PerFunction, list[str]] = {}
        self.zones_listed: Collection[HostedZone] = c("hosted zone")
        self.zones_got: Collection[HostedZone] = c("hosted zone")
        self.zone_records: dict[str, Collection[RecordSet]] = {}
        self.per_zone_sources: dict[str, list[str]] = {}
        self.resolver_rules: Collection[ResolverRule] = c("Resolver rule")
        self.resolver_assocs: Collection[ResolverRuleAssociation] = c("Resolver rule association")
        self.resolver_endpoints: Collection[ResolverEndpoint] = c("Resolver endpoint")
        self.resolver_ips: dict[str, Collection[ResolverEndpointIp]] = {}
        self.load_balancers: Collection[LoadBalancer] = c("load balancer")
        self.listeners: Collection[Listener] = part("listener")
        self.lbs_without_listeners: set[str] = set()
        """Load balancers a describe-listeners@LB file names that has no listener."""
        self.target_groups: Collection[TargetGroup] = c("target group")
        self.target_health: dict[PerFunction, Collection[TargetHealth]] = {}
        """Keyed (the file's @ owner, view account, view Region)."""
        self.db_instances: Collection[DbInstance] = c("DB instance")
        self.db_clusters: Collection[DbCluster] = c("DB cluster")
        self.db_proxies: Collection[DbProxy] = c("DB proxy")
        self.db_subnet_groups: Collection[DbSubnetGroup] = c("DB subnet group")
        self.cache_clusters: Collection[CacheCluster] = c("cache cluster")
        self.cache_replication_groups: Collection[CacheReplicationGroup] = c("replication group")
        self.cache_subnet_groups: Collection[CacheSubnetGroup] = c("cache subnet group")
        self.opensearch_domains: Collection[OpenSearchDomain] = c("OpenSearch domain")
        self.domain_names: set[str] = set()
        """OpenSearch domains named by list-domain-names."""
        self.sts_accounts: Collection[str] = Collection("caller identity account")
        self.sts_seen: list[str] = []
        self.present: set[str] = set()
        self.exported_by: dict[str, set[str]] = {}
        self.notes: dict[str, list[str]] = {}
        self.arn_hints: list[tuple[str, str]] = []
        """(region, account) taken from ARNs."""
        self.az_regions: set[str] = set()

    # ---- entry ---------------------------------------------------------------------------
    def add(
        self,
        kind: str,
        owner: str | None,
        data: Mapping[str, Any],
        source: str,
        *,
        account: str | None = None,
        region: str | None = None,
    ) -> None:
        """Parse one output exported from ``account`` / ``region`` (None: not known); raise
        :class:`Invalid` or :class:`Conflict`."""
        self.view.set(account, region)
        self.present.add(kind)
        self.exported_by.setdefault(kind, set()).add(account or "")
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

        prefix_lists = combine.prefix_lists(self)
        tgw_attachments = combine.tgw_attachments(self)
        tgw_rtbs = combine.tgw_route_tables(self, tgw_attachments)
        functions, function_origins = combine.functions(self)
        zones = combine.zones(self)
        target_groups = combine.target_groups(self)
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
        all_gaps.extend(
            combine.missing(self, prefix_lists, tgw_rtbs, zones, endpoints, target_groups, all_gaps)
        )

        origins = self.view.origins
        origins.update(function_origins)
        account_id, region = self._primary(account_id, region, functions, origins)
        accounts = {o.account for o in origins.values() if o.account}
        regions = {o.region for o in origins.values() if o.region}
        accounts.update(a for a in (account_id,) if a)
        regions.update(r for r in (region,) if r)

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
            transit_gateway_peering_attachments=self.tgw_peerings.items,
            vpn_connections=self.vpn_connections.items,
            vpn_gateways=self.vpn_gateways.items,
            block_public_access=self.bpa_options.items,
            block_public_access_exclusions=self.bpa_exclusions.items,
            functions=functions,
            hosted_zones=zones,
            resolver_rules=self.resolver_rules.items,
            resolver_rule_associations=self.resolver_assocs.items,
            resolver_endpoints=endpoints,
            dhcp_options=self.dhcp.items,
            instances=self.instances.items,
            load_balancers=combine.load_balancers(self),
            target_groups=target_groups,
            db_instances=self.db_instances.items,
            db_clusters=combine.db_clusters(self),
            db_proxies=self.db_proxies.items,
            db_subnet_groups=self.db_subnet_groups.items,
            cache_clusters=combine.cache_clusters(self),
            cache_replication_groups=self.cache_replication_groups.items,
            cache_subnet_groups=self.cache_subnet_groups.items,
            opensearch_domains=self.opensearch_domains.items,
            origins=origins,
            accounts=tuple(sorted(accounts)),
            regions=tuple(sorted(regions)),
            present=frozenset(self.present),
            exported_by={k: frozenset(v) for k, v in self.exported_by.items()},
            gaps=tuple(all_gaps),
            sources=tuple(notes),
        )

    def _primary(
        self,
        account_id: str | None,
        region: str | None,
        functions: Mapping[str, LambdaFunction],
        origins: Mapping[str, Origin],
    ) -> tuple[str | None, str | None]:
        """The snapshot's account and Region (:attr:`Account.account_id` says the rule).

        ``account_id`` / ``region`` come from the top-level manifest (or the live session).
        Else a single get-caller-identity account; else, with several accounts, the account
        owning the most functions; else the first ARN (a single-account snapshot's only one).
        """
        sts = sorted(set(self.sts_seen))
        if account_id is None and len(sts) == 1:
            account_id = sts[0]
        by_account: Counter[str] = Counter()
        by_region: Counter[str] = Counter()
        for key in functions:
            origin = origins.get(key)
            if origin is not None and origin.account:
                by_account[origin.account] += 1
            if origin is not None and origin.region:
                by_region[origin.region] += 1
        # Several accounts (Regions): the one with the most functions, ties to the lowest (a
        # network account's export has identity and ARNs but often no function at all).
        if account_id is None and by_account:
            account_id = min(by_account, key=lambda a: (-by_account[a], a))
        if region is None and len(by_region) > 1:
            region = min(by_region, key=lambda r: (-by_region[r], r))
        if account_id is None:
            account_id = next((a for _, a in self.arn_hints if a), None)
        if region is None:
            region = next((r for r, _ in self.arn_hints if r), None)
        if region is None and len(self.az_regions) == 1:
            region = next(iter(self.az_regions))
        return account_id, region


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

"""The account: every resource keyed by id, the gaps of the snapshot, and the lookups built once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field
from types import MappingProxyType

from vpcdoctor.graph.model.base import (
    IPAddress,
    IPNetwork,
)
from vpcdoctor.graph.model.compute import (
    DbCluster,
    DbInstance,
    DbProxy,
    ElasticIp,
    Instance,
    LambdaFunction,
    LoadBalancer,
    NetworkInterface,
)
from vpcdoctor.graph.model.dns import (
    DhcpOptions,
    HostedZone,
    ResolverEndpoint,
    ResolverRule,
    ResolverRuleAssociation,
)
from vpcdoctor.graph.model.gateways import (
    EgressOnlyInternetGateway,
    InternetGateway,
    NatGateway,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayPeeringAttachment,
    TransitGatewayRouteTable,
    VpcEndpoint,
    VpcPeeringConnection,
    VpnConnection,
    VpnGateway,
)
from vpcdoctor.graph.model.network import (
    NetworkAcl,
    PrefixList,
    RouteTable,
    SecurityGroup,
    Subnet,
    Vpc,
)
from vpcdoctor.graph.model.scope import (
    NO_ORIGIN,
    BlockPublicAccessExclusion,
    BlockPublicAccessOptions,
    Origin,
    PublicAccessBlock,
    block_public_access_key,
)
from vpcdoctor.graph.model.services import (
    CacheCluster,
    CacheReplicationGroup,
    CacheSubnetGroup,
    DbSubnetGroup,
    OpenSearchDomain,
    TargetGroup,
)

# --------------------------------------------------------------------------------------------
# Gaps: what the snapshot does not say
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap:
    """A kind of output the snapshot lacks, or an operation that failed during collection."""

    kind: str
    """A :data:`vpcdoctor.graph.model.kinds.KINDS` name."""
    reason: str
    """``not exported``, ``AccessDenied``, ``throttled``…"""
    iam_action: str | None = None
    owner: str | None = None
    """For per-resource outputs: which resource's output is missing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceNote:
    """A file the loader read or set aside, for the "not used" note and provenance."""

    path: str
    kind: str | None
    note: str = ""


# --------------------------------------------------------------------------------------------
# The account
# --------------------------------------------------------------------------------------------


def _freeze(d: Mapping[str, object] | None) -> Mapping[str, object]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Account:
    """Everything one snapshot says, with lookups built once: one account and Region, or
    several (each resource's own account and Region in :attr:`origins`; :meth:`origin_of`).

    Build it with :meth:`Account.build`; do not mutate the mappings.
    """

    account_id: str | None = None
    """The account of a single-account snapshot. With several accounts, the primary one: the
    account of the snapshot's top-level manifest (or get-caller-identity output) if any, else
    the account that owns the most Lambda functions (ties: the lowest id)."""
    region: str | None = None
    """The Region of a single-Region snapshot; with several, the primary one, chosen like
    ``account_id`` (top-level manifest, else the Region with the most functions)."""
    vpcs: Mapping[str, Vpc]
    subnets: Mapping[str, Subnet]
    route_tables: Mapping[str, RouteTable]
    internet_gateways: Mapping[str, InternetGateway]
    egress_only_internet_gateways: Mapping[str, EgressOnlyInternetGateway]
    nat_gateways: Mapping[str, NatGateway]
    vpc_endpoints: Mapping[str, VpcEndpoint]
    security_groups: Mapping[str, SecurityGroup]
    network_acls: Mapping[str, NetworkAcl]
    network_interfaces: Mapping[str, NetworkInterface]
    elastic_ips: Mapping[str, ElasticIp]
    """Keyed by allocation id (or public IP for EC2-Classic style records)."""
    prefix_lists: Mapping[str, PrefixList]
    peering_connections: Mapping[str, VpcPeeringConnection]
    transit_gateways: Mapping[str, TransitGateway]
    transit_gateway_attachments: Mapping[str, TransitGatewayAttachment]
    transit_gateway_route_tables: Mapping[str, TransitGatewayRouteTable]
    functions: Mapping[str, LambdaFunction]
    """Keyed by function name."""
    hosted_zones: Mapping[str, HostedZone]
    resolver_rules: Mapping[str, ResolverRule]
    resolver_rule_associations: Mapping[str, ResolverRuleAssociation]
    resolver_endpoints: Mapping[str, ResolverEndpoint]
    dhcp_options: Mapping[str, DhcpOptions]
    instances: Mapping[str, Instance]
    load_balancers: Mapping[str, LoadBalancer]
    """Keyed by ARN."""
    db_instances: Mapping[str, DbInstance]
    db_clusters: Mapping[str, DbCluster]
    db_proxies: Mapping[str, DbProxy]
    """Keyed by proxy name."""
    db_subnet_groups: Mapping[str, DbSubnetGroup]
    """Keyed by subnet group name."""
    vpn_connections: Mapping[str, VpnConnection]
    vpn_gateways: Mapping[str, VpnGateway]
    transit_gateway_peering_attachments: Mapping[str, TransitGatewayPeeringAttachment]
    block_public_access: Mapping[str, BlockPublicAccessOptions]
    """Keyed ``"<account>/<region>"`` (:func:`~.scope.block_public_access_key`)."""
    block_public_access_exclusions: Mapping[str, BlockPublicAccessExclusion]
    """Keyed by exclusion id."""
    target_groups: Mapping[str, TargetGroup]
    """Keyed by ARN."""
    cache_clusters: Mapping[str, CacheCluster]
    cache_replication_groups: Mapping[str, CacheReplicationGroup]
    cache_subnet_groups: Mapping[str, CacheSubnetGroup]
    """Keyed by subnet group name."""
    opensearch_domains: Mapping[str, OpenSearchDomain]
    """Keyed by domain name."""

    origins: Mapping[str, Origin]
    """Account and Region of each resource, keyed by its key in the mapping that holds it
    (resource id; functions by their key in ``functions``; load balancers and target groups by
    ARN). :meth:`origin_of` answers for any key."""
    accounts: tuple[str, ...] = ()
    """Every account the snapshot attributes a resource to, sorted."""
    regions: tuple[str, ...] = ()
    """Every Region the snapshot attributes a resource to, sorted."""

    present: frozenset[str] = frozenset()
    """Kind names the snapshot holds at least one output of."""
    exported_by: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Kind name → the accounts whose exports hold it (``""``: an output whose exporting
    account is not known, which speaks for every account)."""
    gaps: tuple[Gap, ...] = ()
    """Operations that failed during live collection (AccessDenied…) and known missing outputs."""
    sources: tuple[SourceNote, ...] = ()
    """Files read and files set aside ("not used"), in load order."""

    # ---- lookups computed once by build() ---------------------------------------------
    _subnet_route_table: Mapping[str, str] = field(default_factory=dict)
    _subnet_nacl: Mapping[str, str] = field(default_factory=dict)
    _default_nacl: Mapping[str, str] = field(default_factory=dict)
    _main_route_table: Mapping[str, str] = field(default_factory=dict)
    _subnets_by_vpc: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _hyperplane: Mapping[tuple[str, frozenset[str]], tuple[str, ...]] = field(default_factory=dict)
    _eni_by_ip: Mapping[str, str] = field(default_factory=dict)
    _eni_by_vpc_ip: Mapping[tuple[str, str], str] = field(default_factory=dict)
    _eip_by_eni: Mapping[str, str] = field(default_factory=dict)
    _functions_by_eni_key: Mapping[tuple[str, frozenset[str]], tuple[str, ...]] = field(
        default_factory=dict
    )
    _exclusion_by_resource: Mapping[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------------------------
    @classmethod
    def build(cls, **resources: object) -> Account:
        """Create an account from keyword mappings (missing ones empty) and index it once."""
        for name, spec in cls.__dataclass_fields__.items():
            if name.startswith("_"):
                continue
            if spec.default is MISSING and spec.default_factory is MISSING:
                resources.setdefault(name, {})
        for name, value in list(resources.items()):
            if isinstance(value, dict):
                resources[name] = MappingProxyType(value)
        account = cls(**resources)  # type: ignore[arg-type]
        _index(account)
        return account

    # ---- lookups ----------------------------------------------------------------------
    def route_table_for(self, subnet_id: str) -> RouteTable | None:
        """The subnet's explicitly associated route table, else its VPC's main route table."""
        rtb = self._subnet_route_table.get(subnet_id)
        if rtb is None:
            subnet = self.subnets.get(subnet_id)
            if subnet is not None:
                rtb = self._main_route_table.get(subnet.vpc_id)
        return self.route_tables.get(rtb) if rtb else None

    def route_table_is_explicit(self, subnet_id: str) -> bool:
        return subnet_id in self._subnet_route_table

    def main_route_table(self, vpc_id: str) -> RouteTable | None:
        rtb = self._main_route_table.get(vpc_id)
        return self.route_tables.get(rtb) if rtb else None

    def network_acl_for(self, subnet_id: str) -> NetworkAcl | None:
        """The subnet's network ACL (AWS associates every subnet with exactly one)."""
        acl = self._subnet_nacl.get(subnet_id)
        if acl is None:
            subnet = self.subnets.get(subnet_id)
            if subnet is not None:
                acl = self._default_nacl.get(subnet.vpc_id)
        return self.network_acls.get(acl) if acl else None

    def function_vpc(self, fn: LambdaFunction) -> str | None:
        """The VPC ``fn`` is attached to (see :meth:`LambdaFunction.vpc_id_via`)."""
        return fn.vpc_id_via(self._vpc_of_subnet)

    def _vpc_of_subnet(self, subnet_id: str) -> str | None:
        subnet = self.subnets.get(subnet_id)
        return subnet.vpc_id if subnet is not None else None

    def subnets_in_vpc(self, vpc_id: str) -> tuple[Subnet, ...]:
        return tuple(self.subnets[s] for s in self._subnets_by_vpc.get(vpc_id, ()))

    def hyperplane_enis(
        self, subnet_id: str, security_group_ids: tuple[str, ...] | frozenset[str]
    ) -> tuple[NetworkInterface, ...]:
        """Lambda ENIs in ``subnet_id`` whose security-group set is exactly the given one."""
        key = (subnet_id, frozenset(security_group_ids))
        return tuple(self.network_interfaces[e] for e in self._hyperplane.get(key, ()))

    def functions_sharing(
        self, subnet_id: str, security_group_ids: tuple[str, ...]
    ) -> tuple[LambdaFunction, ...]:
        """Functions whose VpcConfig uses this (subnet, security-group set): they share ENIs."""
        key = (subnet_id, frozenset(security_group_ids))
        return tuple(self.functions[f] for f in self._functions_by_eni_key.get(key, ()))

    def eni_for_ip(self, ip: IPAddress | str) -> NetworkInterface | None:
        eni = self._eni_by_ip.get(str(ip))
        return self.network_interfaces.get(eni) if eni else None

    def eni_for_ip_in_vpc(self, ip: IPAddress | str, vpc_id: str) -> NetworkInterface | None:
        """The interface holding ``ip`` inside ``vpc_id`` (VPCs of one account may overlap)."""
        eni = self._eni_by_vpc_ip.get((vpc_id, str(ip)))
        return self.network_interfaces.get(eni) if eni else None

    def elastic_ip_for_eni(self, eni_id: str) -> ElasticIp | None:
        key = self._eip_by_eni.get(eni_id)
        return self.elastic_ips.get(key) if key else None

    def prefix_list_cidrs(self, prefix_list_id: str) -> tuple[IPNetwork, ...] | None:
        """CIDRs of a prefix list; None when the snapshot lacks its entries."""
        pl = self.prefix_lists.get(prefix_list_id)
        return pl.entries if pl is not None else None

    def vpc_for_ip(self, ip: IPAddress) -> Vpc | None:
        for vpc in self.vpcs.values():
            if vpc.contains(ip):
                return vpc
        return None

    def origin_of(self, resource_id: str) -> Origin:
        """The account and Region of a resource (the snapshot's own when it names none)."""
        origin = self.origins.get(resource_id)
        if origin is not None:
            return origin
        if self.account_id is None and self.region is None:
            return NO_ORIGIN
        return Origin(self.account_id, self.region)

    def block_public_access_for(
        self, vpc_id: str, subnet_id: str | None = None
    ) -> PublicAccessBlock:
        """VPC Block Public Access as it applies to ``vpc_id`` (and ``subnet_id``): the pair
        ``(mode, exclusion_mode)``.

        ``mode`` is the option of the VPC's account and Region (None: not exported for them);
        ``exclusion_mode`` that of the active exclusion of the subnet if one is asked and has
        one, else of the VPC (None: none). Only exclusions in an active state
        (create-complete, update-complete) count; :meth:`block_public_access_exclusion` gives
        the exclusion itself.
        """
        origin = self.origin_of(vpc_id)
        options = self.block_public_access.get(
            block_public_access_key(origin.account, origin.region)
        )
        if options is None and len(self.block_public_access) == 1:
            only = next(iter(self.block_public_access.values()))
            # One account and Region exported, and the VPC's own origin not contradicting it.
            if origin.account in (None, only.account_id) and origin.region in (None, only.region):
                options = only
        excl = self.block_public_access_exclusion(vpc_id, subnet_id)
        return PublicAccessBlock(
            options.mode if options is not None else None,
            excl.mode if excl is not None else None,
        )

    def block_public_access_exclusion(
        self, vpc_id: str, subnet_id: str | None = None
    ) -> BlockPublicAccessExclusion | None:
        """The active exclusion of the subnet (if asked and it has one), else of the VPC."""
        for wanted in (subnet_id, vpc_id):
            if wanted is not None:
                key = self._exclusion_by_resource.get(wanted)
                if key is not None:
                    return self.block_public_access_exclusions.get(key)
        return None

    def has(self, kind_name: str, account: str | None = None) -> bool:
        """True when the snapshot holds an output of this kind (exported from ``account``,
        when given: another account's export says nothing about this one's resources)."""
        if kind_name not in self.present:
            return False
        by = self.exported_by.get(kind_name)
        return account is None or by is None or "" in by or account in by

    def gap_for(self, kind_name: str) -> Gap | None:
        for gap in self.gaps:
            if gap.kind == kind_name:
                return gap
        return None


def _index(account: Account) -> None:
    """Compute the lookups once. Called by :meth:`Account.build` on the frozen instance."""
    subnet_rtb: dict[str, str] = {}
    main_rtb: dict[str, str] = {}
    for rtb in account.route_tables.values():
        if rtb.is_main:
            main_rtb[rtb.vpc_id] = rtb.id
        for subnet_id in rtb.subnet_ids:
            subnet_rtb[subnet_id] = rtb.id
    subnet_acl: dict[str, str] = {}
    default_acl: dict[str, str] = {}
    for acl in account.network_acls.values():
        if acl.is_default:
            default_acl[acl.vpc_id] = acl.id
        for subnet_id in acl.subnet_ids:
            subnet_acl[subnet_id] = acl.id
    by_vpc: dict[str, list[str]] = {}
    for subnet in account.subnets.values():
        by_vpc.setdefault(subnet.vpc_id, []).append(subnet.id)
    hyperplane: dict[tuple[str, frozenset[str]], list[str]] = {}
    by_ip: dict[str, str] = {}
    by_vpc_ip: dict[tuple[str, str], str] = {}
    for eni in account.network_interfaces.values():
        for ip in (*eni.private_ips, *eni.ipv6_addresses):
            text = str(ip)
            by_ip.setdefault(text, eni.id)
            by_vpc_ip.setdefault((eni.vpc_id, text), eni.id)
        if eni.is_lambda:
            hyperplane.setdefault((eni.subnet_id, frozenset(eni.security_group_ids)), []).append(
                eni.id
            )
    eip_by_eni: dict[str, str] = {}
    for key, eip in account.elastic_ips.items():
        if eip.network_interface_id:
            eip_by_eni[eip.network_interface_id] = key
    fn_keys: dict[tuple[str, frozenset[str]], list[str]] = {}
    for fn_key, fn in account.functions.items():
        if fn.vpc is None:
            continue
        for subnet_id in fn.vpc.subnet_ids:
            fn_keys.setdefault((subnet_id, frozenset(fn.vpc.security_group_ids)), []).append(fn_key)

    exclusions: dict[str, str] = {}
    for excl in sorted(account.block_public_access_exclusions.values(), key=lambda e: e.id):
        if excl.active and excl.resource_id:
            exclusions.setdefault(excl.resource_id, excl.id)

    def _set(name: str, value: object) -> None:
        object.__setattr__(account, name, MappingProxyType(value))  # type: ignore[arg-type]

    _set("_subnet_route_table", subnet_rtb)
    _set("_main_route_table", main_rtb)
    _set("_subnet_nacl", subnet_acl)
    _set("_default_nacl", default_acl)
    _set("_subnets_by_vpc", {k: tuple(v) for k, v in by_vpc.items()})
    _set("_hyperplane", {k: tuple(v) for k, v in hyperplane.items()})
    _set("_eni_by_ip", by_ip)
    _set("_eni_by_vpc_ip", by_vpc_ip)
    _set("_eip_by_eni", eip_by_eni)
    _set("_functions_by_eni_key", {k: tuple(v) for k, v in fn_keys.items()})
    _set("_exclusion_by_resource", exclusions)

"""A small fluent builder of :class:`Account` objects in code, for tests.

Everything is written in AWS's own words (ids, CIDRs, states) and defaults to what AWS does:
a VPC gets its main route table (with the ``local`` route for every CIDR) and its default
network ACL (allow all, both directions); a security group without explicit egress gets AWS's
default allow-all egress rule; a subnet uses the main table and the default ACL until
associated. A route's target type follows from its id prefix (``igw-``, ``nat-``, ``pcx-`` …).

Example::

    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", az="ap-northeast-1a")
    b.route_table("rtb-a", "vpc-1", subnets=["subnet-a"]).route("0.0.0.0/0", "nat-1")
    b.security_group("sg-fn", "vpc-1")
    b.function("orders", subnets=["subnet-a"], security_groups=["sg-fn"])
    account = b.build()
"""

from __future__ import annotations

import ipaddress
from typing import Any

from tests.support.builder_network import NetworkParts
from tests.support.builder_parts import (
    ALLOW_ALL_EGRESS,
    REGION,
    AclBuilder,
    RouteTableBuilder,
    SgBuilder,
    _default_entries,
    acl_entry,
    net,
    ports,
    sg_rule,
    target_type,
)
from tests.support.builder_transit import TransitParts
from vpcdoctor.graph.model import (
    Account,
    Gap,
    HostedZone,
    LambdaFunction,
    LambdaState,
    NetworkAcl,
    Origin,
    RecordSet,
    Route,
    RouteOrigin,
    RouteTable,
    RouteTargetType,
    SecurityGroup,
    Subnet,
    Vpc,
    VpcConfig,
    ZoneVpc,
)


class AccountBuilder(NetworkParts, TransitParts):
    """Collects resources, then :meth:`build` makes the indexed :class:`Account`."""

    def __init__(self, *, region: str = REGION, account_id: str = "111122223333") -> None:
        self.region = region
        self.account_id = account_id
        self.vpcs: dict[str, Vpc] = {}
        self.subnets: dict[str, Subnet] = {}
        self.route_tables: dict[str, RouteTableBuilder] = {}
        self.acls: dict[str, AclBuilder] = {}
        self.sgs: dict[str, SgBuilder] = {}
        self.resources: dict[str, dict[str, Any]] = {
            "internet_gateways": {},
            "egress_only_internet_gateways": {},
            "nat_gateways": {},
            "vpc_endpoints": {},
            "network_interfaces": {},
            "elastic_ips": {},
            "prefix_lists": {},
            "peering_connections": {},
            "transit_gateways": {},
            "transit_gateway_attachments": {},
            "transit_gateway_route_tables": {},
            "functions": {},
            "hosted_zones": {},
            "instances": {},
            "vpn_connections": {},
            "vpn_gateways": {},
            "block_public_access": {},
            "block_public_access_exclusions": {},
            "target_groups": {},
        }
        self.origins: dict[str, Origin] = {}
        self.gaps: list[Gap] = []
        self.present: set[str] | None = None
        self._eni_counter = 0

    # ---- VPC, subnets, routing ----------------------------------------------------------
    def vpc(
        self,
        vpc_id: str,
        *cidrs: str,
        ipv6: tuple[str, ...] = (),
        dns_support: bool | None = True,
        dns_hostnames: bool | None = True,
        main_route_table: str | None = None,
        default_acl: str | None = None,
    ) -> Vpc:
        """A VPC with its main route table (local routes) and its default allow-all ACL."""
        vpc = Vpc(
            id=vpc_id,
            owner_id=self.account_id,
            cidrs=tuple(ipaddress.IPv4Network(c) for c in (cidrs or ("10.0.0.0/16",))),
            ipv6_cidrs=tuple(ipaddress.IPv6Network(c) for c in ipv6),
            state="available",
            enable_dns_support=dns_support,
            enable_dns_hostnames=dns_hostnames,
        )
        self.vpcs[vpc_id] = vpc
        main = self.route_table(main_route_table or f"rtb-main-{vpc_id}", vpc_id)
        main.is_main = True
        acl = self.network_acl(default_acl or f"acl-default-{vpc_id}", vpc_id, default=True)
        acl.entries = _default_entries()
        return vpc

    def subnet(
        self,
        subnet_id: str,
        vpc_id: str,
        cidr: str,
        *,
        az: str = f"{REGION}a",
        ipv6: tuple[str, ...] = (),
        available_ips: int | None = 200,
    ) -> Subnet:
        subnet = Subnet(
            id=subnet_id,
            vpc_id=vpc_id,
            az=az,
            cidr=ipaddress.IPv4Network(cidr),
            ipv6_cidrs=tuple(ipaddress.IPv6Network(c) for c in ipv6),
            available_ips=available_ips,
            state="available",
            owner_id=self.account_id,
        )
        self.subnets[subnet_id] = subnet
        return subnet

    def route_table(
        self,
        rtb_id: str,
        vpc_id: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        local: bool = True,
    ) -> RouteTableBuilder:
        """A route table with the VPC's local routes (``local=False`` to write them yourself)."""
        if rtb_id in self.route_tables:
            return self.route_tables[rtb_id].associate(*subnets)
        rtb = RouteTableBuilder(id=rtb_id, vpc_id=vpc_id, subnet_ids=list(subnets))
        if local and vpc_id in self.vpcs:
            vpc = self.vpcs[vpc_id]
            for cidr in (*vpc.cidrs, *vpc.ipv6_cidrs):
                rtb.routes.append(
                    Route(
                        destination=cidr,
                        target_type=RouteTargetType.LOCAL,
                        target_id="local",
                        origin=RouteOrigin.CREATE_ROUTE_TABLE,
                    )
                )
        self.route_tables[rtb_id] = rtb
        return rtb

    def main_route_table(self, vpc_id: str) -> RouteTableBuilder:
        return next(r for r in self.route_tables.values() if r.is_main and r.vpc_id == vpc_id)

    def network_acl(
        self,
        acl_id: str,
        vpc_id: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        default: bool = False,
    ) -> AclBuilder:
        """A custom ACL: denies everything until rules are added (the final ``*`` entries)."""
        if acl_id in self.acls:
            self.acls[acl_id].subnet_ids.extend(subnets)
            return self.acls[acl_id]
        acl = AclBuilder(id=acl_id, vpc_id=vpc_id, is_default=default, subnet_ids=list(subnets))
        self.acls[acl_id] = acl
        return acl

    def default_acl(self, vpc_id: str) -> AclBuilder:
        return next(a for a in self.acls.values() if a.is_default and a.vpc_id == vpc_id)

    # ---- DNS ------------------------------------------------------------------------------------
    def hosted_zone(
        self,
        zone_id: str,
        name: str,
        *,
        vpcs: tuple[str, ...] | None = (),
        records: dict[str, str] | None = None,
        private: bool = True,
    ) -> HostedZone:
        """``records``: name → A value (one address each)."""
        recs = (
            None
            if records is None
            else tuple(
                RecordSet(name=n.rstrip(".").lower(), type="A", ttl=60, values=(v,))
                for n, v in records.items()
            )
        )
        zone = HostedZone(
            id=zone_id,
            name=name.rstrip(".").lower(),
            private=private,
            vpcs=None if vpcs is None else tuple(ZoneVpc(vpc_id=v) for v in vpcs),
            records=recs,
        )
        self.resources["hosted_zones"][zone_id] = zone
        return zone

    # ---- Lambda ---------------------------------------------------------------------------------
    def function(
        self,
        name: str,
        *,
        subnets: tuple[str, ...] | list[str] = (),
        security_groups: tuple[str, ...] | list[str] = (),
        state: str | None = "Active",
        state_reason_code: str | None = None,
        state_reason: str | None = None,
        ipv6: bool = False,
        enis: bool = True,
        package_type: str = "Zip",
    ) -> LambdaFunction:
        """A function; with ``enis`` each (subnet, SG set) gets its Hyperplane ENI if none yet."""
        vpc_id = self.subnets[subnets[0]].vpc_id if subnets else None
        fn = LambdaFunction(
            name=name,
            arn=f"arn:aws:lambda:{self.region}:{self.account_id}:function:{name}",
            runtime="python3.12",
            package_type=package_type,
            vpc=VpcConfig(
                subnet_ids=tuple(subnets),
                security_group_ids=tuple(security_groups),
                vpc_id=vpc_id,
                ipv6_allowed_for_dual_stack=ipv6,
            )
            if subnets
            else None,
            state=LambdaState(state) if state else None,
            state_reason_code=state_reason_code,
            state_reason=state_reason,
        )
        self.resources["functions"][name] = fn
        if enis:
            existing = {
                (e.subnet_id, frozenset(e.security_group_ids))
                for e in self.resources["network_interfaces"].values()
                if e.is_lambda
            }
            for subnet_id in subnets:
                if (subnet_id, frozenset(security_groups)) in existing:
                    continue
                cidr = self.subnets[subnet_id].cidr
                assert cidr is not None
                self._eni_counter += 1
                self.eni(
                    f"eni-lambda{self._eni_counter:03d}",
                    subnet_id,
                    str(cidr.network_address + 10 + self._eni_counter),
                    security_groups=security_groups,
                    interface_type="lambda",
                    description=f"AWS Lambda VPC ENI-{name}",
                )
        return fn

    def gap(self, kind: str, reason: str = "AccessDenied", iam_action: str | None = None) -> None:
        self.gaps.append(Gap(kind=kind, reason=reason, iam_action=iam_action))

    # ---- build ------------------------------------------------------------------------
    def build(self) -> Account:
        route_tables = {
            r.id: RouteTable(
                id=r.id,
                vpc_id=r.vpc_id,
                routes=tuple(r.routes),
                subnet_ids=tuple(r.subnet_ids),
                is_main=r.is_main,
            )
            for r in self.route_tables.values()
        }
        acls = {
            a.id: NetworkAcl(
                id=a.id,
                vpc_id=a.vpc_id,
                is_default=a.is_default,
                entries=tuple(
                    sorted(
                        [
                            *a.entries,
                            *(
                                []
                                if a.is_default
                                else [
                                    acl_entry(32767, "deny", "0.0.0.0/0", egress=False),
                                    acl_entry(32767, "deny", "0.0.0.0/0", egress=True),
                                ]
                            ),
                        ],
                        key=lambda e: (e.egress, e.rule_number),
                    )
                ),
                subnet_ids=tuple(a.subnet_ids),
            )
            for a in self.acls.values()
        }
        sgs = {
            s.id: SecurityGroup(
                id=s.id,
                vpc_id=s.vpc_id,
                name=s.name,
                ingress=tuple(s.ingress_rules),
                egress=ALL_EGRESS_DEFAULT if s.egress_rules is None else tuple(s.egress_rules),
                owner_id=self.account_id,
            )
            for s in self.sgs.values()
        }
        present = self.present
        if present is None:
            present = {
                "describe-vpcs",
                "describe-subnets",
                "describe-route-tables",
                "describe-internet-gateways",
                "describe-nat-gateways",
                "describe-vpc-endpoints",
                "describe-security-groups",
                "describe-network-acls",
                "describe-network-interfaces",
                "describe-addresses",
                "list-functions",
                "get-function-configuration",
                "describe-prefix-lists",
                "describe-vpc-peering-connections",
                "describe-instances",
                "describe-vpc-attribute-enableDnsSupport",
                "describe-vpc-attribute-enableDnsHostnames",
            }
        return Account.build(
            account_id=self.account_id,
            region=self.region,
            vpcs=dict(self.vpcs),
            subnets=dict(self.subnets),
            route_tables=route_tables,
            network_acls=acls,
            security_groups=sgs,
            present=frozenset(present),
            gaps=tuple(self.gaps),
            origins=dict(self.origins),
            accounts=tuple(
                sorted({self.account_id, *(o.account for o in self.origins.values() if o.account)})
            ),
            regions=tuple(
                sorted({self.region, *(o.region for o in self.origins.values() if o.region)})
            ),
            **{k: dict(v) for k, v in self.resources.items()},
        )


ALL_EGRESS_DEFAULT = ALLOW_ALL_EGRESS


def private_vpc_with_nat(
    b: AccountBuilder | None = None, *, nat_state: str = "available", two_azs: bool = True
) -> AccountBuilder:
    """The textbook layout: private subnets → NAT gateway in a public subnet → IGW.

    Ids: vpc-1 (10.0.0.0/16), subnet-pub-a (10.0.0.0/24, rtb-pub: 0/0 → igw-1), subnet-priv-a
    (10.0.1.0/24) and subnet-priv-c (10.0.2.0/24) on rtb-priv (0/0 → nat-1 in subnet-pub-a),
    sg-fn (default egress), function ``fn`` in the private subnets.
    """
    b = b or AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-pub-a", "vpc-1", "10.0.0.0/24", az=f"{REGION}a")
    b.subnet("subnet-priv-a", "vpc-1", "10.0.1.0/24", az=f"{REGION}a")
    privs = ["subnet-priv-a"]
    if two_azs:
        b.subnet("subnet-priv-c", "vpc-1", "10.0.2.0/24", az=f"{REGION}c")
        privs.append("subnet-priv-c")
    b.internet_gateway("igw-1", "vpc-1")
    b.route_table("rtb-pub", "vpc-1", subnets=["subnet-pub-a"]).route("0.0.0.0/0", "igw-1")
    b.nat_gateway("nat-1", "subnet-pub-a", state=nat_state)
    b.route_table("rtb-priv", "vpc-1", subnets=privs).route("0.0.0.0/0", "nat-1")
    b.security_group("sg-fn", "vpc-1")
    b.function("fn", subnets=privs, security_groups=["sg-fn"])
    return b


__all__ = [
    "ALLOW_ALL_EGRESS",
    "ALL_EGRESS_DEFAULT",
    "REGION",
    "AccountBuilder",
    "acl_entry",
    "net",
    "ports",
    "private_vpc_with_nat",
    "sg_rule",
    "target_type",
]

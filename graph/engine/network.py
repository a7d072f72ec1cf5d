"""Reading the reachability graph: the one place that knows how relations are stored as edges.

Every question a hop handler asks about topology — which route table a subnet uses, where a
route leads, which VPC an internet gateway is attached to, which attachment joins a VPC to a
transit gateway — is answered here from the graph's edges, never from the account's indexes,
so removing an edge (a subnet's route-table association, a zone's VPC association) changes the
answer. A :class:`Network` is made per question (``check``) or per batch (``audit``) and
memoises within its life only: a graph edited between two checks is read afresh.
"""

from __future__ import annotations

import ipaddress
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from vpcdoctor.graph.engine.graph import (
    ATTACHED_TO,
    BLACKHOLE_NODE,
    HAS_ENI,
    HAS_SG,
    IN_SUBNET,
    IN_VPC,
    PEERS,
    ROUTE,
    TGW_ASSOCIATED,
    TGW_ATTACHES,
    TGW_ROUTE,
    USES_ENI,
    USES_NACL,
    USES_ROUTE_TABLE,
    function_node,
)
from vpcdoctor.graph.model import (
    Account,
    Gap,
    IPAddress,
    IPNetwork,
    LambdaFunction,
    NetworkAcl,
    NetworkInterface,
    PrefixList,
    Route,
    RouteTable,
    SecurityGroup,
    Subnet,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
    Vpc,
)
from vpcdoctor.graph.model.kinds import kind as kind_of
from vpcdoctor.graph.model.verdict import HopKind, kind_for_id


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteEdge:
    """One route of a table with the node it points at (``obj`` None when missing)."""

    route: Route
    target: str
    obj: object | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TgwRouteEdge:
    """One route of a transit gateway route table and the attachments it leads to."""

    route: TransitGatewayRoute
    attachments: tuple[str, ...]
    derived: bool = False
    """True when built from an attachment's propagation (no search-transit-gateway-routes)."""


class Network:
    """Navigation over one reachability graph."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        # networkx's own dicts, not its views: every hop reads several relations, and the views
        # wrap each access in Python objects (the views cost 10x the dict reads here).
        self._succ: dict[str, dict[str, dict[Any, dict[str, Any]]]] = graph._succ
        self._pred: dict[str, dict[str, dict[Any, dict[str, Any]]]] = graph._pred
        self._nodes: dict[str, dict[str, Any]] = graph._node
        self._routes: dict[str, tuple[RouteEdge, ...]] = {}
        self._in_vpc_typed: dict[tuple[str, type], list[Any]] = {}
        self._rels: dict[str, dict[str, list[tuple[str, dict[str, Any]]]]] = {}
        self._lambda_enis: dict[tuple[str, str], tuple[NetworkInterface, ...]] = {}
        self.walk_cache: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        """The shared part of function walks (see evaluate): valid while the graph is unchanged,
        which is the Network's whole life."""
        self._tgw_routes: dict[str, tuple[TgwRouteEdge, ...] | None] = {}

    # ---- the account behind the graph -----------------------------------------------------------
    @property
    def account(self) -> Account:
        found: Account = self.graph.graph["account"]
        return found

    @property
    def region(self) -> str | None:
        region: str | None = self.graph.graph.get("region")
        return region

    def has(self, kind_name: str, of: str | None = None) -> bool:
        """True when the snapshot holds an output of this kind; with ``of`` (a resource id),
        one exported from the account that resource belongs to."""
        if kind_name not in self.graph.graph.get("present", frozenset()):
            return False
        if of is None:
            return True
        exported_by = self.graph.graph.get("exported_by", {})
        by = exported_by.get(kind_name)
        account = self.account.origin_of(of).account
        if by is None or account is None or account in by:
            return True
        if "" in by:
            # An export whose account is unknown (no get-caller-identity beside it) vouches for
            # an account only when that account did not export on its own: when it did, its own
            # export is the one that lacks the kind.
            return not any(account in accounts for accounts in exported_by.values())
        return False

    def gap_for(self, kind_name: str) -> Gap | None:
        for gap in self.graph.graph.get("gaps", ()):
            if gap.kind == kind_name:
                found: Gap = gap
                return found
        return None

    def needs(self, kind_name: str, owner: str | None = None) -> str:
        """What would settle an unknown hop: the export command and its IAM action."""
        try:
            k = kind_of(kind_name)
        except KeyError:  # a kind this version cannot export yet: say the call plainly
            return f"the output of {kind_name}" + (f" for {owner}" if owner else "")
        # The owner is a snapshot value (a prefix list or TGW route table id): quoted, like
        # every word of a command vpcdoctor prints.
        cli = k.cli.replace("{id}", shlex.quote(owner) if owner else "ID")
        gap = self.gap_for(kind_name)
        if gap is not None and gap.reason != "not exported":
            return f"{cli} (collection got {gap.reason}: grant {gap.iam_action or k.iam_action})"
        return f"{cli} (IAM: {k.iam_action})"

    # ---- nodes ----------------------------------------------------------------------------------
    def obj(self, node: str | None) -> Any:
        """The model record of a node, or None when absent from the snapshot."""
        if node is None:
            return None
        data = self._nodes.get(node)
        return None if data is None else data.get("obj")

    def kind(self, node: str) -> HopKind:
        data = self._nodes.get(node)
        if data is None:
            return kind_for_id(node)
        try:
            return HopKind(data.get("kind", ""))
        except ValueError:
            return kind_for_id(node)

    def __contains__(self, node: str) -> bool:
        return node in self._nodes

    def out(self, node: str, rel: str) -> list[tuple[str, dict[str, Any]]]:
        """Targets of ``node``'s edges of relation ``rel``, with the edge data."""
        rels = self._rels.get(node)
        if rels is None:
            rels = {}
            for target, keyed in (self._succ.get(node) or {}).items():
                for data in keyed.values():
                    rels.setdefault(data.get("rel", ""), []).append((target, data))
            self._rels[node] = rels
        return rels.get(rel, [])

    def first(self, node: str, rel: str) -> str | None:
        for target, _ in self.out(node, rel):
            return target
        return None

    def function(self, name: str) -> LambdaFunction | None:
        found = self.obj(function_node(name))
        return found if isinstance(found, LambdaFunction) else None

    def subnet(self, subnet_id: str | None) -> Subnet | None:
        found = self.obj(subnet_id)
        return found if isinstance(found, Subnet) else None

    def vpc(self, vpc_id: str | None) -> Vpc | None:
        found = self.obj(vpc_id)
        return found if isinstance(found, Vpc) else None

    def security_group(self, sg_id: str) -> SecurityGroup | None:
        found = self.obj(sg_id)
        return found if isinstance(found, SecurityGroup) else None

    def eni(self, eni_id: str | None) -> NetworkInterface | None:
        found = self.obj(eni_id)
        return found if isinstance(found, NetworkInterface) else None

    # ---- the filters' PrefixSource and group lookups --------------------------------------------
    @cached_property
    def prefix_lists(self) -> Mapping[str, PrefixList]:
        return {
            n: d["obj"]
            for n, d in self._nodes.items()
            if d.get("kind") == "prefix-list" and isinstance(d.get("obj"), PrefixList)
        }

    def prefix_list_cidrs(self, prefix_list_id: str) -> tuple[IPNetwork, ...] | None:
        pl = self.obj(prefix_list_id)
        return pl.entries if isinstance(pl, PrefixList) else None

    @property
    def security_groups(self) -> _GroupView:
        return _GroupView(self)

    def groups(self, ids: tuple[str, ...]) -> list[tuple[str, SecurityGroup | None]]:
        return [(g, self.security_group(g)) for g in ids]

    # ---- relations ------------------------------------------------------------------------------
    def vpc_of(self, node: str) -> str | None:
        return self.first(node, IN_VPC)

    def subnet_of(self, node: str) -> str | None:
        return self.first(node, IN_SUBNET)

    def route_table_of(self, subnet_id: str) -> RouteTable | None:
        found = self.obj(self.first(subnet_id, USES_ROUTE_TABLE))
        return found if isinstance(found, RouteTable) else None

    def route_table_is_explicit(self, subnet_id: str) -> bool:
        for _, data in self.out(subnet_id, USES_ROUTE_TABLE):
            return bool(data.get("explicit"))
        return False

    def nacl_of(self, subnet_id: str) -> NetworkAcl | None:
        found = self.obj(self.first(subnet_id, USES_NACL))
        return found if isinstance(found, NetworkAcl) else None

    def groups_of(self, node: str) -> tuple[str, ...]:
        return tuple(t for t, _ in self.out(node, HAS_SG))

    def enis_of(self, node: str) -> tuple[str, ...]:
        return tuple(t for t, _ in self.out(node, HAS_ENI))

    def owner_of(self, eni_id: str) -> str | None:
        """The node whose interface this is (an instance, an endpoint, a NAT gateway, a
        function, a database…): an in-edge ``has-eni`` or ``uses-eni``."""
        pred = self._pred.get(eni_id)
        if not pred:
            return None
        for node, keyed in pred.items():
            if any(d.get("rel") in (HAS_ENI, USES_ENI) for d in keyed.values()):
                return str(node)
        return None

    def routes(self, rtb_id: str) -> tuple[RouteEdge, ...]:
        """The table's routes in table order, each with its target node."""
        cached = self._routes.get(rtb_id)
        if cached is None:
            indexed = sorted(
                (
                    (data.get("index", 0), target, data["route"])
                    for target, data in self.out(rtb_id, ROUTE)
                ),
                key=lambda item: item[0],
            )
            cached = tuple(
                RouteEdge(route=route, target=target, obj=self.obj(target))
                for _, target, route in indexed
            )
            self._routes[rtb_id] = cached
        return cached

    def lambda_enis(self, function: str, subnet_id: str) -> tuple[NetworkInterface, ...]:
        """The Hyperplane ENIs the function uses in one subnet (its (subnet, SG set) pair)."""
        key = (function, subnet_id)
        found = self._lambda_enis.get(key)
        if found is None:
            out = []
            for eni_id, _ in self.out(function_node(function), USES_ENI):
                eni = self.eni(eni_id)
                if eni is not None and self.subnet_of(eni_id) == subnet_id:
                    out.append(eni)
            found = self._lambda_enis[key] = tuple(sorted(out, key=lambda e: e.id))
        return found

    def attachments(self, gateway: str) -> list[tuple[str, dict[str, Any]]]:
        """(VPC, edge data) of a gateway's attachments (internet, egress-only, VPN gateways)."""
        return self.out(gateway, ATTACHED_TO)

    def attached(self, gateway: str, vpc_id: str) -> bool | None:
        """Is the gateway attached (available) to the VPC? None when the gateway is unknown."""
        if self.obj(gateway) is None:
            return None
        return any(v == vpc_id and d.get("attached") for v, d in self.attachments(gateway))

    def peer_vpcs(self, pcx_id: str) -> tuple[str, ...]:
        return tuple(t for t, _ in self.out(pcx_id, PEERS))

    def pred(self, node: str, rel: str) -> Iterator[str]:
        """Nodes with an edge of relation ``rel`` to ``node``."""
        for source, keyed in (self._pred.get(node) or {}).items():
            if any(d.get("rel") == rel for d in keyed.values()):
                yield source

    @cached_property
    def _tgw_attachments(self) -> dict[tuple[str, str], list[str]]:
        """(transit gateway, VPC) → attachment ids, from the attachments' ``attaches-to`` edges."""
        index: dict[tuple[str, str], list[str]] = {}
        for n, d in self._nodes.items():
            if d.get("kind") != "transit-gateway-attachment":
                continue
            targets = [t for t, _ in self.out(n, TGW_ATTACHES)]
            tgws = [t for t in targets if self._nodes.get(t, {}).get("kind") == "transit-gateway"]
            vpcs = [t for t in targets if self._nodes.get(t, {}).get("kind") == "vpc"]
            for tgw in tgws:
                for vpc in vpcs:
                    index.setdefault((tgw, vpc), []).append(n)
        return index

    def tgw_attachment(self, tgw_id: str, vpc_id: str) -> TransitGatewayAttachment | None:
        """The attachment that joins ``vpc_id`` to ``tgw_id`` (its ``attaches-to`` edges)."""
        found = [
            a
            for i in self._tgw_attachments.get((tgw_id, vpc_id), ())
            if isinstance(a := self.obj(i), TransitGatewayAttachment)
        ]
        found.sort(key=lambda a: (a.state != "available", a.id))
        return found[0] if found else None

    def attachments_of_vpc(self, vpc_id: str) -> tuple[str, ...]:
        """Transit gateway attachments of a VPC (any transit gateway)."""
        return tuple(
            sorted(a for (_, v), ids in self._tgw_attachments.items() if v == vpc_id for a in ids)
        )

    @cached_property
    def _in_vpc(self) -> dict[str, list[str]]:
        """VPC → nodes with an ``in-vpc`` edge to it (subnets, groups, tables, NATs, endpoints)."""
        index: dict[str, list[str]] = {}
        for n in self._nodes:
            for t, _ in self.out(n, IN_VPC):
                index.setdefault(t, []).append(n)
        return index

    def in_vpc(self, vpc_id: str, cls: type) -> list[Any]:
        """Records of one class whose node has an ``in-vpc`` edge to ``vpc_id``, by id."""
        key = (vpc_id, cls)
        found = self._in_vpc_typed.get(key)
        if found is None:
            found = [o for n in self._in_vpc.get(vpc_id, ()) if isinstance(o := self.obj(n), cls)]
            found.sort(key=lambda o: getattr(o, "id", ""))
            self._in_vpc_typed[key] = found
        return list(found)

    @cached_property
    def _gateways_by_vpc(self) -> dict[str, list[str]]:
        """VPC → gateways attached to it (``attached-to`` edges with ``attached``)."""
        index: dict[str, list[str]] = {}
        for n in self._nodes:
            for t, d in self.out(n, ATTACHED_TO):
                if d.get("attached"):
                    index.setdefault(t, []).append(n)
        return index

    def gateways_attached(self, vpc_id: str) -> tuple[str, ...]:
        return tuple(sorted(self._gateways_by_vpc.get(vpc_id, ())))

    def tgw_route_table_of(self, attachment_id: str) -> str | None:
        """The TGW route table the attachment is associated with (routes what enters there)."""
        return self.first(attachment_id, TGW_ASSOCIATED)

    def tgw_routes(self, trt_id: str) -> tuple[TgwRouteEdge, ...] | None:
        """The routes of a TGW route table (None when the snapshot does not say)."""
        if trt_id in self._tgw_routes:
            return self._tgw_routes[trt_id]
        trt = self.obj(trt_id)
        result: tuple[TgwRouteEdge, ...] | None = None
        if isinstance(trt, TransitGatewayRouteTable):
            by_route: dict[int, tuple[TransitGatewayRoute, list[str], bool]] = {}
            for target, data in self.out(trt_id, TGW_ROUTE):
                entry = by_route.setdefault(
                    data.get("index", 0), (data["route"], [], bool(data.get("derived")))
                )
                if target != BLACKHOLE_NODE:
                    entry[1].append(target)
            if by_route or trt.routes is not None:
                result = tuple(
                    TgwRouteEdge(route=r, attachments=tuple(a), derived=d)
                    for _, (r, a, d) in sorted(by_route.items())
                )
        self._tgw_routes[trt_id] = result
        return result

    # ---- addresses ------------------------------------------------------------------------------
    @cached_property
    def _eni_by_vpc_ip(self) -> dict[tuple[str, str], str]:
        index: dict[tuple[str, str], str] = {}
        for n, d in self._nodes.items():
            eni = d.get("obj")
            if d.get("kind") != "eni" or not isinstance(eni, NetworkInterface):
                continue
            vpc = eni.vpc_id
            for ip in (*eni.private_ips, *eni.ipv6_addresses):
                index.setdefault((vpc, str(ip)), n)
        return index

    @cached_property
    def _enis_by_ip(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for (_, ip), eni_id in self._eni_by_vpc_ip.items():
            index.setdefault(ip, []).append(eni_id)
        return index

    def enis_with(self, ip: IPAddress | str) -> tuple[NetworkInterface, ...]:
        """Every interface holding ``ip``, in any VPC (VPCs of one account may overlap)."""
        return tuple(e for i in self._enis_by_ip.get(str(ip), ()) if (e := self.eni(i)))

    def eni_at(self, vpc_id: str, ip: IPAddress | str) -> NetworkInterface | None:
        """The interface holding ``ip`` in ``vpc_id`` (VPCs of one account may overlap)."""
        return self.eni(self._eni_by_vpc_ip.get((vpc_id, str(ip))))

    @cached_property
    def _subnets_by_vpc(self) -> dict[str, list[Subnet]]:
        index: dict[str, list[Subnet]] = {}
        for n, d in self._nodes.items():
            subnet = d.get("obj")
            if d.get("kind") == "subnet" and isinstance(subnet, Subnet):
                vpc = self.vpc_of(n)
                if vpc is not None:
                    index.setdefault(vpc, []).append(subnet)
        return index

    def subnets_in(self, vpc_id: str) -> tuple[Subnet, ...]:
        return tuple(self._subnets_by_vpc.get(vpc_id, ()))

    def subnet_at(self, vpc_id: str, ip: IPAddress) -> Subnet | None:
        """The subnet of ``vpc_id`` whose range holds ``ip``."""
        for subnet in self._subnets_by_vpc.get(vpc_id, ()):
            nets: tuple[IPNetwork, ...] = (
                (subnet.cidr, *subnet.ipv6_cidrs) if subnet.cidr else subnet.ipv6_cidrs
            )
            if any(n.version == ip.version and ip in n for n in nets):
                return subnet
        return None

    def vpcs_holding(self, ip: IPAddress) -> list[str]:
        """VPCs whose CIDRs hold ``ip`` (several when VPCs overlap)."""
        return sorted(
            n
            for n, d in self._nodes.items()
            if d.get("kind") == "vpc" and isinstance(v := d.get("obj"), Vpc) and v.contains(ip)
        )

    def subnet_ids_of(self, vpc_id: str) -> frozenset[str]:
        return frozenset(s.id for s in self._subnets_by_vpc.get(vpc_id, ()))


class _GroupView(Mapping[str, SecurityGroup]):
    """Security groups by id, read from the graph (what the filters' cross-VPC check needs)."""

    def __init__(self, net: Network) -> None:
        self._net = net

    def __getitem__(self, key: str) -> SecurityGroup:
        found = self._net.security_group(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return (n for n, d in self._net._nodes.items() if d.get("kind") == "security-group")

    def __len__(self) -> int:
        return sum(1 for _ in self)


def parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None

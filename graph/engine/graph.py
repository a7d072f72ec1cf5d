"""The reachability graph: one networkx ``MultiDiGraph`` per :class:`Account`, built once.

Nodes are resources (keyed by their AWS id; a function is ``lambda:<name>``, the public internet
is ``internet``, an AWS service is ``aws-service:<short name>``), each with the attributes
``kind`` (a :data:`Hop.kind` word), ``label`` and ``obj`` (the model record, ``None`` when a route
or association points at something the snapshot does not hold: then ``missing`` is true).
Edges are typed relations (attribute ``rel``): function → ENI, ENI → subnet, subnet → route
table, route table → target (with the :class:`Route` as ``route``), subnet → network ACL, ENI →
security group, …

Path evaluation (:mod:`vpcdoctor.graph.reachability`) navigates through :class:`Topology`,
so the graph is the one source of truth for "what is connected to what"; the exporters print
the part of it around one function as DOT, GraphML or JSON node-link.
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from vpcdoctor.graph.model import (
    Account,
    Instance,
    InternetGateway,
    LambdaFunction,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    Route,
    RouteTable,
    RouteTargetType,
    SecurityGroup,
    Subnet,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    Vpc,
    VpcEndpoint,
    VpcPeeringConnection,
)

# ---- relation names (edge attribute ``rel``) ----------------------------------------------
USES_ENI = "uses-eni"
IN_SUBNET = "in-subnet"
HAS_SG = "has-sg"
USES_ROUTE_TABLE = "uses-route-table"
USES_NACL = "uses-nacl"
IN_VPC = "in-vpc"
ROUTE = "route"
ATTACHED_TO = "attached-to"
EGRESS = "egress"
SERVES = "serves"
PEERS = "peers"
TGW_ATTACHES = "attaches-to"
TGW_ASSOCIATED = "associated-with"
TGW_ROUTE = "tgw-route"
ZONE_ASSOCIATED = "associated-with"
HAS_ENI = "has-eni"

INTERNET_NODE = "internet"
BLACKHOLE_NODE = "blackhole"
"""Where a transit gateway route without attachments (a blackhole) points."""

_KIND_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("igw-", "internet-gateway"),
    ("eigw-", "egress-only-internet-gateway"),
    ("nat-", "nat-gateway"),
    ("pcx-", "peering-connection"),
    ("tgw-attach-", "transit-gateway-attachment"),
    ("tgw-rtb-", "transit-gateway-route-table"),
    ("tgw-", "transit-gateway"),
    ("vgw-", "virtual-private-gateway"),
    ("vpce-", "vpc-endpoint"),
    ("eni-", "eni"),
    ("i-", "instance"),
    ("sg-", "security-group"),
    ("acl-", "network-acl"),
    ("rtb-", "route-table"),
    ("subnet-", "subnet"),
    ("vpc-", "vpc"),
    ("pl-", "prefix-list"),
)


def kind_for_id(resource_id: str) -> str:
    """The hop kind a resource id implies (``nat-…`` → ``nat-gateway``)."""
    for prefix, kind in _KIND_BY_PREFIX:
        if resource_id.startswith(prefix):
            return kind
    return "resource"


def function_node(name: str) -> str:
    return f"lambda:{name}"


def service_node(service: str) -> str:
    return f"aws-service:{service}"


@dataclass(frozen=True, slots=True)
class RouteEdge:
    """One route of a table with the node it points at (``obj`` None when missing)."""

    route: Route
    target: str
    obj: object | None


class Topology:
    """The graph of one account and the navigation the engine needs, all through the graph."""

    def __init__(self, account: Account, graph: nx.MultiDiGraph) -> None:
        self.account = account
        self.graph = graph
        self._routes: dict[str, tuple[RouteEdge, ...]] = {}
        self._in_vpc: dict[tuple[str, str], tuple[Any, ...]] = {}
        """Per-VPC answers (gateways, endpoints, NATs, attachments): a VPC node has thousands
        of in-edges (every ENI, subnet, group), so each answer is computed once."""

    # ---- nodes ------------------------------------------------------------------------------
    def obj(self, node: str) -> Any:
        """The model record of a node, or None when absent from the snapshot."""
        data = self.graph.nodes.get(node)
        return None if data is None else data.get("obj")

    def _succ(self, node: str, rel: str) -> Iterator[str]:
        if node not in self.graph:
            return
        for _, target, data in self.graph.out_edges(node, data=True):
            if data.get("rel") == rel:
                yield target

    def _first(self, node: str, rel: str) -> Any:
        for target in self._succ(node, rel):
            return self.obj(target)
        return None

    def function(self, name: str) -> LambdaFunction | None:
        found: LambdaFunction | None = self.obj(function_node(name))
        return found

    def subnet(self, subnet_id: str) -> Subnet | None:
        found = self.obj(subnet_id)
        return found if isinstance(found, Subnet) else None

    def vpc(self, vpc_id: str | None) -> Vpc | None:
        found = self.obj(vpc_id) if vpc_id else None
        return found if isinstance(found, Vpc) else None

    def security_group(self, sg_id: str) -> SecurityGroup | None:
        found = self.obj(sg_id)
        return found if isinstance(found, SecurityGroup) else None

    # ---- relations ----------------------------------------------------------------------------
    def route_table_of(self, subnet_id: str) -> RouteTable | None:
        found = self._first(subnet_id, USES_ROUTE_TABLE)
        return found if isinstance(found, RouteTable) else None

    def nacl_of(self, subnet_id: str) -> NetworkAcl | None:
        found = self._first(subnet_id, USES_NACL)
        return found if isinstance(found, NetworkAcl) else None

    def routes(self, rtb_id: str) -> tuple[RouteEdge, ...]:
        """The table's routes in table order, each with its target node (cached per table)."""
        cached = self._routes.get(rtb_id)
        if cached is None:
            indexed = sorted(
                (
                    (data.get("index", 0), target, data["route"])
                    for _, target, data in self.graph.out_edges(rtb_id, data=True)
                    if data.get("rel") == ROUTE
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
        out = []
        for eni_id in self._succ(function_node(function), USES_ENI):
            eni = self.obj(eni_id)
            if isinstance(eni, NetworkInterface) and eni.subnet_id == subnet_id:
                out.append(eni)
        return tuple(sorted(out, key=lambda e: e.id))

    def security_groups_of(self, node: str) -> tuple[str, ...]:
        return tuple(self._succ(node, HAS_SG))

    def subnet_of(self, node: str) -> Subnet | None:
        found = self._first(node, IN_SUBNET)
        return found if isinstance(found, Subnet) else None

    def gateways_attached(self, vpc_id: str) -> tuple[InternetGateway, ...]:
        """Internet gateways attached (state available/attached) to the VPC."""
        key = ("gateways_attached", vpc_id)
        found = self._in_vpc.get(key)
        if found is None:
            found = self._in_vpc[key] = self._gateways_attached(vpc_id)
        return found

    def _gateways_attached(self, vpc_id: str) -> tuple[InternetGateway, ...]:
        out = []
        for src, _, data in self.graph.in_edges(vpc_id, data=True):
            if data.get("rel") == ATTACHED_TO and data.get("attached"):
                igw = self.obj(src)
                if isinstance(igw, InternetGateway):
                    out.append(igw)
        return tuple(out)

    def endpoints_in_vpc(self, vpc_id: str) -> tuple[VpcEndpoint, ...]:
        key = ("endpoints_in_vpc", vpc_id)
        found = self._in_vpc.get(key)
        if found is None:
            found = self._in_vpc[key] = self._endpoints_in_vpc(vpc_id)
        return found

    def _endpoints_in_vpc(self, vpc_id: str) -> tuple[VpcEndpoint, ...]:
        out = []
        for src, _, data in self.graph.in_edges(vpc_id, data=True):
            if data.get("rel") == IN_VPC:
                vpce = self.obj(src)
                if isinstance(vpce, VpcEndpoint):
                    out.append(vpce)
        return tuple(sorted(out, key=lambda v: v.id))

    def nat_gateways_in_vpc(self, vpc_id: str) -> tuple[NatGateway, ...]:
        key = ("nat_gateways_in_vpc", vpc_id)
        found = self._in_vpc.get(key)
        if found is None:
            found = self._in_vpc[key] = self._nat_gateways_in_vpc(vpc_id)
        return found

    def _nat_gateways_in_vpc(self, vpc_id: str) -> tuple[NatGateway, ...]:
        out = []
        for src, _, data in self.graph.in_edges(vpc_id, data=True):
            if data.get("rel") == IN_VPC:
                nat = self.obj(src)
                if isinstance(nat, NatGateway):
                    out.append(nat)
        return tuple(sorted(out, key=lambda n: n.id))

    def tgw_attachments_of_vpc(self, vpc_id: str) -> tuple[TransitGatewayAttachment, ...]:
        key = ("tgw_attachments_of_vpc", vpc_id)
        found = self._in_vpc.get(key)
        if found is None:
            found = self._in_vpc[key] = self._tgw_attachments_of_vpc(vpc_id)
        return found

    def _tgw_attachments_of_vpc(self, vpc_id: str) -> tuple[TransitGatewayAttachment, ...]:
        out = []
        for src, _, data in self.graph.in_edges(vpc_id, data=True):
            if data.get("rel") == TGW_ATTACHES:
                att = self.obj(src)
                if isinstance(att, TransitGatewayAttachment):
                    out.append(att)
        return tuple(sorted(out, key=lambda a: a.id))

    def tgw_route_table_of(self, attachment_id: str) -> TransitGatewayRouteTable | None:
        found = self._first(attachment_id, TGW_ASSOCIATED)
        return found if isinstance(found, TransitGatewayRouteTable) else None

    def instance(self, instance_id: str) -> Instance | None:
        found = self.obj(instance_id)
        return found if isinstance(found, Instance) else None

    def peering(self, pcx_id: str) -> VpcPeeringConnection | None:
        found = self.obj(pcx_id)
        return found if isinstance(found, VpcPeeringConnection) else None


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def _label(obj: object, fallback: str) -> str:
    name = getattr(obj, "name", None)
    if isinstance(name, str) and name and name != fallback:
        return f"{fallback} ({name})"
    return fallback


def build_graph(account: Account) -> nx.MultiDiGraph:
    """Build the graph of every resource and relation in the account."""
    # ~100,000 edge dicts on top of a loaded account of ~1M objects: with the cyclic GC
    # running, each generation-2 pass re-traverses the whole account (large synthetic
    # account: 6.2 s with the GC, 1.3 s without). Nothing here creates reference cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_graph(account)
    finally:
        if enabled:
            gc.enable()


def _build_graph(account: Account) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()

    def node(node_id: str, kind: str, obj: object | None) -> None:
        if node_id in g and g.nodes[node_id].get("obj") is not None:
            return
        g.add_node(node_id, kind=kind, label=_label(obj, node_id), obj=obj, missing=obj is None)

    def ref(node_id: str, kind: str | None = None) -> str:
        """Make sure a referenced node exists (a placeholder when the snapshot lacks it)."""
        if node_id not in g:
            g.add_node(
                node_id, kind=kind or kind_for_id(node_id), label=node_id, obj=None, missing=True
            )
        return node_id

    def edge(a: str, b: str, rel: str, **data: Any) -> None:
        g.add_edge(a, b, key=rel if rel != ROUTE else None, rel=rel, **data)

    g.graph.update(
        account=account,
        account_id=account.account_id,
        region=account.region,
        present=account.present,
        gaps=account.gaps,
    )
    g.add_node(INTERNET_NODE, kind="internet", label="internet", obj=None, missing=False)
    for pl in account.prefix_lists.values():
        node(pl.id, "prefix-list", pl)
    for vpc in account.vpcs.values():
        node(vpc.id, "vpc", vpc)
    for subnet in account.subnets.values():
        node(subnet.id, "subnet", subnet)
        edge(subnet.id, ref(subnet.vpc_id, "vpc"), IN_VPC)
    for sg in account.security_groups.values():
        node(sg.id, "security-group", sg)
        if sg.vpc_id:
            edge(sg.id, ref(sg.vpc_id, "vpc"), IN_VPC)
    for acl in account.network_acls.values():
        node(acl.id, "network-acl", acl)
        edge(acl.id, ref(acl.vpc_id, "vpc"), IN_VPC)
    for igw in account.internet_gateways.values():
        node(igw.id, "internet-gateway", igw)
        edge(igw.id, INTERNET_NODE, EGRESS)
        for att in igw.attachments:
            edge(
                igw.id, ref(att.vpc_id, "vpc"), ATTACHED_TO, attached=att.attached, state=att.state
            )
    for eigw in account.egress_only_internet_gateways.values():
        node(eigw.id, "egress-only-internet-gateway", eigw)
        edge(eigw.id, INTERNET_NODE, EGRESS)
        for att in eigw.attachments:
            edge(
                eigw.id, ref(att.vpc_id, "vpc"), ATTACHED_TO, attached=att.attached, state=att.state
            )
    for nat in account.nat_gateways.values():
        node(nat.id, "nat-gateway", nat)
        edge(nat.id, ref(nat.subnet_id, "subnet"), IN_SUBNET)
        edge(nat.id, ref(nat.vpc_id, "vpc"), IN_VPC)
        for address in nat.addresses:
            if address.network_interface_id:
                edge(nat.id, ref(address.network_interface_id, "eni"), HAS_ENI)
    for eni in account.network_interfaces.values():
        node(eni.id, "eni", eni)
        edge(eni.id, ref(eni.subnet_id, "subnet"), IN_SUBNET)
        for sg_id in eni.security_group_ids:
            edge(eni.id, ref(sg_id, "security-group"), HAS_SG)
    for inst in account.instances.values():
        node(inst.id, "instance", inst)
        if inst.subnet_id:
            edge(inst.id, ref(inst.subnet_id, "subnet"), IN_SUBNET)
        for eni_id in inst.network_interface_ids:
            edge(inst.id, ref(eni_id, "eni"), HAS_ENI)
        for sg_id in inst.security_group_ids:
            edge(inst.id, ref(sg_id, "security-group"), HAS_SG)
    for vpce in account.vpc_endpoints.values():
        node(vpce.id, "vpc-endpoint", vpce)
        edge(vpce.id, ref(vpce.vpc_id, "vpc"), IN_VPC)
        svc = service_node(vpce.service_short_name)
        if svc not in g:
            g.add_node(svc, kind="aws-service", label=svc, obj=None, missing=False)
        edge(vpce.id, svc, SERVES)
        for subnet_id in vpce.subnet_ids:
            edge(vpce.id, ref(subnet_id, "subnet"), IN_SUBNET)
        for sg_id in vpce.security_group_ids:
            edge(vpce.id, ref(sg_id, "security-group"), HAS_SG)
        for eni_id in vpce.network_interface_ids:
            edge(vpce.id, ref(eni_id, "eni"), HAS_ENI)
    for pcx in account.peering_connections.values():
        node(pcx.id, "peering-connection", pcx)
        for side in (pcx.requester, pcx.accepter):
            edge(pcx.id, ref(side.vpc_id, "vpc"), PEERS)
    for tgw in account.transit_gateways.values():
        node(tgw.id, "transit-gateway", tgw)
    for trt in account.transit_gateway_route_tables.values():
        node(trt.id, "transit-gateway-route-table", trt)
        for n, troute in enumerate(trt.routes or ()):
            if not troute.attachment_ids:
                if "blackhole" not in g:
                    g.add_node(
                        "blackhole", kind="target", label="blackhole", obj=None, missing=False
                    )
                g.add_edge(trt.id, "blackhole", rel=TGW_ROUTE, route=troute, index=n)
            for att_id in troute.attachment_ids:
                g.add_edge(
                    trt.id,
                    ref(att_id, "transit-gateway-attachment"),
                    rel=TGW_ROUTE,
                    route=troute,
                    index=n,
                )
    for tgw_att in account.transit_gateway_attachments.values():
        node(tgw_att.id, "transit-gateway-attachment", tgw_att)
        edge(tgw_att.id, ref(tgw_att.transit_gateway_id, "transit-gateway"), TGW_ATTACHES)
        if tgw_att.resource_type == "vpc" and tgw_att.resource_id:
            edge(tgw_att.id, ref(tgw_att.resource_id, "vpc"), TGW_ATTACHES)
        for subnet_id in tgw_att.subnet_ids or ():
            edge(tgw_att.id, ref(subnet_id, "subnet"), IN_SUBNET)
        if tgw_att.association_route_table_id:
            edge(
                tgw_att.id,
                ref(tgw_att.association_route_table_id, "transit-gateway-route-table"),
                TGW_ASSOCIATED,
            )
    for rtb in account.route_tables.values():
        node(rtb.id, "route-table", rtb)
        edge(rtb.id, ref(rtb.vpc_id, "vpc"), IN_VPC, main=rtb.is_main)
        for n, route in enumerate(rtb.routes):
            target = route.target_id
            if route.target_type is RouteTargetType.LOCAL:
                target = ref(rtb.vpc_id, "vpc")
            else:
                ref(target)
            g.add_edge(rtb.id, target, rel=ROUTE, route=route, index=n)
    # Subnets → route table and network ACL, through the account's association lookups.
    for subnet in account.subnets.values():
        rtb_found = account.route_table_for(subnet.id)
        if rtb_found is not None:
            edge(
                subnet.id,
                rtb_found.id,
                USES_ROUTE_TABLE,
                explicit=account.route_table_is_explicit(subnet.id),
            )
        acl_found = account.network_acl_for(subnet.id)
        if acl_found is not None:
            edge(subnet.id, acl_found.id, USES_NACL)
    for zone in account.hosted_zones.values():
        node(zone.id, "private-hosted-zone" if zone.private else "hosted-zone", zone)
        for zv in zone.vpcs or ():
            edge(zone.id, ref(zv.vpc_id, "vpc"), ZONE_ASSOCIATED)
    for rule in account.resolver_rules.values():
        node(rule.id, "resolver-rule", rule)
    for assoc in account.resolver_rule_associations.values():
        edge(
            ref(assoc.rule_id, "resolver-rule"),
            ref(assoc.vpc_id, "vpc"),
            ZONE_ASSOCIATED,
            status=assoc.status,
        )
    for fn in account.functions.values():
        fnode = function_node(fn.name)
        g.add_node(fnode, kind="lambda", label=fn.name, obj=fn, missing=False)
        if fn.vpc is None:
            continue
        for subnet_id in fn.vpc.subnet_ids:
            edge(fnode, ref(subnet_id, "subnet"), IN_SUBNET)
            for eni in account.hyperplane_enis(subnet_id, fn.vpc.security_group_ids):
                g.add_edge(fnode, eni.id, key=f"{USES_ENI}:{eni.id}", rel=USES_ENI)
        for sg_id in fn.vpc.security_group_ids:
            edge(fnode, ref(sg_id, "security-group"), HAS_SG)
    return g


_GRAPHS: OrderedDict[int, tuple[Account, nx.MultiDiGraph]] = OrderedDict()


def graph_for(account: Account) -> nx.MultiDiGraph:
    """The account's graph, built on first use and kept for this Account instance (so the CLI,
    the TUI and an audit build it once). Callers must not edit it: :func:`build_graph` gives a
    graph of one's own."""
    key = id(account)
    hit = _GRAPHS.get(key)
    if hit is not None and hit[0] is account:
        _GRAPHS.move_to_end(key)
        return hit[1]
    graph = build_graph(account)
    _GRAPHS[key] = (account, graph)  # holding the account keeps its id from being reused
    while len(_GRAPHS) > _CACHE_SIZE:
        _GRAPHS.popitem(last=False)
    return graph


_CACHE: OrderedDict[int, tuple[Account, Topology]] = OrderedDict()
_CACHE_SIZE = 8


def topology(account: Account) -> Topology:
    """The account's graph, built on first use and cached for this Account instance."""
    key = id(account)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is account:
        _CACHE.move_to_end(key)
        return hit[1]
    topo = Topology(account, build_graph(account))
    _CACHE[key] = (account, topo)  # holding the account keeps its id from being reused
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return topo

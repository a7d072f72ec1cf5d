"""The graph's named-resource nodes (knowledge-facts R12): databases, RDS proxies, load
balancers, ElastiCache clusters and OpenSearch domains, each with ``has-eni`` edges to the
interfaces AWS created for it (recognised as :mod:`vpcdoctor.graph.model.named` describes),
``has-sg`` edges to its groups and ``in-subnet`` edges to its subnets. A packet an interface of
one of them receives is then handed to the resource's own handler
(:mod:`vpcdoctor.graph.engine.hops.named_resource`), which knows whether it answers."""

from __future__ import annotations

from typing import Any

import networkx as nx

from vpcdoctor.graph.engine.graph import HAS_ENI, HAS_SG, IN_SUBNET
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.named import owned_interfaces


def add_named_resources(g: nx.MultiDiGraph, account: Account) -> None:
    """Add a node per named resource (keyed by its id as AWS prints it: DB identifier, proxy
    name, load balancer ARN, cache cluster id, domain name) unless that key is taken."""
    for hop_kind, node, obj, eni_ids in owned_interfaces(account):
        if node in g:
            continue  # a name that is also another resource's id: keep the first
        label = getattr(obj, "name", None) or node
        g.add_node(node, kind=hop_kind, label=f"{hop_kind} {label}", obj=obj, missing=False)
        for eni_id in eni_ids:
            _edge(g, node, eni_id, HAS_ENI)
        for group in getattr(obj, "security_group_ids", ()) or ():
            _edge(g, node, group, HAS_SG)
        for subnet in getattr(obj, "subnet_ids", ()) or ():
            _edge(g, node, subnet, IN_SUBNET)


def _edge(g: nx.MultiDiGraph, a: str, b: str, rel: str, **data: Any) -> None:
    if b not in g:
        return  # only relations to resources the snapshot holds
    g.add_edge(a, b, key=f"{rel}:{b}", rel=rel, **data)

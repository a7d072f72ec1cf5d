"""GraphML and node-link JSON of a (sub)graph."""

from __future__ import annotations

import json

import networkx as nx

from vpcdoctor.graph.views.subgraph import exportable


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(exportable(graph))) + "\n"


def to_node_link(graph: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(exportable(graph), edges="links")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

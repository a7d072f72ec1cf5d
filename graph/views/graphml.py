"""GraphML and node-link JSON of a (sub)graph.

GraphML is XML 1.0, which cannot hold most control characters at all: every id, key and
string attribute goes through the one sanitiser (:func:`vpcdoctor.sanitise.clean`), so the
file always parses and shows hostile names as visible escapes. Node-link JSON keeps the
original values (it is data) and is written by :func:`vpcdoctor.sanitise.json_text`, whose
escapes make it safe to print as well.
"""

from __future__ import annotations

import networkx as nx

from vpcdoctor.graph.views.subgraph import exportable
from vpcdoctor.sanitise import clean, json_text


def _xml_safe(value: object) -> object:
    return clean(value) if isinstance(value, str) else value


def _sanitised(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    for n, data in graph.nodes(data=True):
        out.add_node(clean(n), **{k: _xml_safe(v) for k, v in data.items()})
    for a, b, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _xml_safe(v) for k, v in data.items()}
        out.add_edge(clean(a), clean(b), key=clean(key), **attrs)
    return out


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(_sanitised(exportable(graph)))) + "\n"


def to_node_link(graph: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(exportable(graph), edges="links")
    return json_text(data) + "\n"

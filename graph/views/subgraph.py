"""The part of the graph one function's traffic can touch, and a copy with scalar attributes
only."""

from __future__ import annotations

from typing import Any

import networkx as nx

from vpcdoctor.graph.engine.graph import INTERNET_NODE, function_node


def neighbourhood(graph: nx.MultiDiGraph, function: str, *, depth: int = 8) -> nx.MultiDiGraph:
    """The subgraph a function's traffic can touch: everything reachable within ``depth`` hops
    along out-edges from the function node (route tables, gateways, the next subnet …)."""
    start = function_node(function)
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for _, target in graph.out_edges(n):
                if target not in seen and target != INTERNET_NODE:
                    seen.add(target)
                    nxt.append(target)
                elif target == INTERNET_NODE:
                    seen.add(target)
        frontier = nxt
    sub: nx.MultiDiGraph = graph.subgraph(seen).copy()
    return sub


def _plain(value: Any) -> str | bool | int:
    if isinstance(value, bool | int):
        return value
    return str(value)


def exportable(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with scalar attributes only (model records dropped, routes as text)."""
    out = nx.MultiDiGraph()
    for n, data in graph.nodes(data=True):
        out.add_node(
            n,
            kind=data.get("kind", ""),
            label=data.get("label", n),
            missing=bool(data.get("missing")),
        )
    for a, b, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _plain(v) for k, v in data.items() if k not in ("index",)}
        out.add_edge(a, b, key=str(key), **attrs)
    return out

"""Graphviz DOT of a (sub)graph."""

from __future__ import annotations

import networkx as nx


def _dot_escape(text: str) -> str:
    return "".join(c for c in text if c >= " ").replace("\\", "\\\\").replace('"', '\\"')


def _dot_id(text: str) -> str:
    return f'"{_dot_escape(text)}"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    lines = ["digraph vpcdoctor {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for n, data in graph.nodes(data=True):
        style = ", style=dashed, color=red" if data.get("missing") else ""
        label = f"{_dot_escape(str(data.get('label', n)))}\\n[{data.get('kind', '')}]"
        lines.append(f'  {_dot_id(n)} [label="{label}"{style}];')
    for a, b, data in graph.edges(data=True):
        label = str(data.get("route") or data.get("rel", ""))
        lines.append(f"  {_dot_id(a)} -> {_dot_id(b)} [label={_dot_id(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"

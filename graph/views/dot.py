"""Graphviz DOT of a (sub)graph.

Every id and label is untrusted text: it goes through the one sanitiser
(:func:`vpcdoctor.sanitise.clean`, so no control, bidirectional or invisible character reaches
the file) and is then quoted as a DOT string (backslash and double quote escaped), so a name
cannot end its string, add a node or an attribute.
"""

from __future__ import annotations

import networkx as nx

from vpcdoctor.sanitise import clean


def _dot_escape(text: object) -> str:
    return clean(text).replace("\\", "\\\\").replace('"', '\\"')


def _dot_id(text: object) -> str:
    return f'"{_dot_escape(text)}"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    lines = ["digraph vpcdoctor {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for n, data in graph.nodes(data=True):
        style = ", style=dashed, color=red" if data.get("missing") else ""
        label = f"{_dot_escape(data.get('label', n))}\\n[{_dot_escape(data.get('kind', ''))}]"
        lines.append(f'  {_dot_id(n)} [label="{label}"{style}];')
    for a, b, data in graph.edges(data=True):
        label = str(data.get("route") or data.get("rel", ""))
        lines.append(f"  {_dot_id(a)} -> {_dot_id(b)} [label={_dot_id(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"

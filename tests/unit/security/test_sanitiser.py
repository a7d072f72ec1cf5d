"""The one sanitiser, property-based: text from every Unicode category, lone surrogates
included, through every renderer (issue 12 items 2-7).

And the one-sanitiser rule itself: no other module of the package carries its own character
policy (a second list of "bad" characters is how U+200B, U+2060 and U+FEFF were missed).
"""

from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.paths import ROOT
from tests.unit.security.hostile_corpus import FORGED, INVISIBLE, LOOKALIKE, TERMINAL
from vpcdoctor.diagnostics.safe_text import fenced, markdown_inline, mermaid_label
from vpcdoctor.graph.views.dot import to_dot
from vpcdoctor.graph.views.graphml import to_graphml, to_node_link
from vpcdoctor.sanitise import clean, json_text, unsafe
from vpcdoctor.tui.clipboard import clipboard_text, document_text
from vpcdoctor.tui.text import block, line, literal

# Every code point, surrogates too (hypothesis leaves out category Cs unless told).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=40)
HOSTILE_PARTS = st.sampled_from(
    [TERMINAL, FORGED, INVISIBLE, LOOKALIKE, "\ud800", "\udfff", "\u202e", "\x9b", "\r\n"]
)
NAMES = st.lists(st.one_of(ANY_TEXT, HOSTILE_PARTS), max_size=4).map("".join)


def _safe(text: str, *, newlines: bool = False) -> bool:
    return all(not unsafe(ch) or (newlines and ch == "\n") for ch in text)


@given(NAMES)
def test_clean_is_visible_single_line_text(value: str) -> None:
    text = clean(value)
    assert _safe(text)
    assert "\n" not in text and "\r" not in text
    text.encode("utf-8")
    # Nothing is dropped: each unsafe character shows as an escape of its own.
    assert text.count("\\") >= sum(unsafe(ch) for ch in value)


@given(NAMES, st.integers(min_value=1, max_value=30))
def test_a_limit_never_cuts_an_escape(value: str, limit: int) -> None:
    text = clean(value, limit=limit)
    assert len(text) <= max(limit, 1) and _safe(text)
    assert not re.search(r"\\(?:x[0-9a-f]?|u[0-9a-f]{0,3}|U[0-9a-f]{0,7})…$", text)


@given(NAMES)
def test_multiline_keeps_only_line_feeds(value: str) -> None:
    assert _safe(clean(value, multiline=True), newlines=True)
    assert _safe(block(value), newlines=True)


@given(st.text(ANY_CHAR, min_size=1, max_size=10))
def test_an_invisible_character_never_makes_a_look_alike(value: str) -> None:
    for hidden in ("\u2063", "\u200b", "\ufeff", "\U000e0041", "\u00ad", "\x1b[0m"):
        assert clean(value + hidden) != clean(value)


@given(NAMES)
def test_json_keeps_the_value_and_is_terminal_safe(value: str) -> None:
    text = json_text({"name": value, "list": [value]})
    assert _safe(text, newlines=True)
    text.encode("utf-8")
    # The value back, as the standard encoder would give it (JSON itself reads a high and a
    # low lone surrogate side by side as one pair: json.dumps does the same).
    again = json.loads(json.dumps(value))
    assert json.loads(text) == {"name": again, "list": [again]}


@given(NAMES)
def test_markdown_and_mermaid_hold_one_line(value: str) -> None:
    for text in (markdown_inline(value), mermaid_label(value)):
        assert _safe(text) and "\n" not in text
    assert not re.search(r"(?<!\\)[|<>`\[\]]", markdown_inline(value))
    assert not re.search(r'["\[\](){}|<>]', mermaid_label(value))
    _, body, closing = fenced(value, "sh")
    assert _safe(body, newlines=True) and closing not in body


@given(NAMES)
def test_tui_text_and_clipboard(value: str) -> None:
    assert _safe(line(value)) and _safe(literal(value).plain)
    copied = clipboard_text([value, f"aws lambda get-function --function-name {value}"])
    for part in copied.split("\n"):
        assert _safe(part) and part  # one sanitised command a line, none empty
    assert copied.count("\n") <= 1
    assert all(_safe(part) for part in document_text(f"# {value}\n\n{value}").split("\n"))


def _graph(name: str) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node(f"lambda:{name}", kind="lambda", label=name)
    graph.add_node("rtb-1", kind="route-table", label=f"rt {name}", missing=True)
    graph.add_edge(f"lambda:{name}", "rtb-1", key=name, rel="uses", route=name)
    return graph


@settings(max_examples=60)
@given(NAMES)
def test_graph_views(value: str) -> None:
    graph = _graph(value)
    dot = to_dot(graph)
    assert _safe(dot, newlines=True) and dot.count("\n") == 7  # header 3, 2 nodes, 1 edge, }
    graphml = to_graphml(graph)
    assert _safe(graphml, newlines=True)
    root = ET.fromstring(graphml)  # always valid XML
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert f"lambda:{clean(value)}" in {n.get("id") for n in root.iter(f"{ns}node")}
    node_link = to_node_link(graph)
    assert _safe(node_link, newlines=True)
    assert f"lambda:{value}" in {n["id"] for n in json.loads(node_link)["nodes"]}


# --------------------------------------------------------------------------------------------
# One sanitiser
# --------------------------------------------------------------------------------------------

_POLICY = ROOT / "vpcdoctor" / "sanitise.py"
_PACKAGE = ("vpcdoctor", "graph", "diagnostics", "tui")


def test_no_other_module_has_a_character_policy() -> None:
    """Only vpcdoctor/sanitise.py decides which characters are unsafe: no other module asks
    unicodedata for categories or lists control, bidirectional or zero-width characters, and
    none writes JSON with ensure_ascii=False except through json_text (the export's files are
    data on disk, not output)."""
    escapes = re.compile(r"\\x1b|\\x00-|\\x7f|\\x9b|\\u200b|\\u202e|\\u2066|\\ufeff|\\u2028")
    chars = set("\x1b\x9b\u200b\u202e\u2066\ufeff\u2028")
    offenders = []
    for folder in _PACKAGE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == _POLICY or ".venv" in path.parts or "demo" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            where = str(path.relative_to(ROOT))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == "category"
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "unicodedata"
                ):
                    offenders.append(f"{where}: unicodedata.category")
                if (
                    isinstance(node, ast.keyword)
                    and node.arg == "ensure_ascii"
                    and not (path.name == "export.py" and path.parent.name == "live")
                ):
                    offenders.append(f"{where}: ensure_ascii")
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and (chars & set(node.value) or escapes.search(node.value))
                ):
                    offenders.append(f"{where}:{node.lineno}: {node.value[:40]!r}")
    assert offenders == []

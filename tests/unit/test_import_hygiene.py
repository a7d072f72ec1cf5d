"""Domain code never imports Textual (CONTRIBUTING: tui → diagnostics → graph; knowledge is data),
and the stages of graph/ import one way (the engine never reads sources or views; the model
imports nothing of ours).

Checked two ways: every module of ``vpcdoctor.graph``, ``vpcdoctor.diagnostics`` and
``vpcdoctor.knowledge`` is imported in a fresh interpreter and ``textual`` must not be loaded
afterwards; and, when import-linter is installed, its contracts in pyproject.toml must hold.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

DOMAIN = ("vpcdoctor.graph", "vpcdoctor.diagnostics", "vpcdoctor.knowledge")

_PROBE = """
import importlib, pkgutil, sys
failed = []
for name in {packages!r}:
    package = importlib.import_module(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        try:
            importlib.import_module(info.name)
        except Exception as error:  # report, do not hide
            failed.append(f"{{info.name}}: {{type(error).__name__}}: {{error}}")
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print("FAILED", failed)
print("TEXTUAL", loaded[:5])
"""


def test_domain_packages_never_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(packages=DOMAIN)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines.get("FAILED") == "[]", f"modules that fail to import: {lines.get('FAILED')}"
    assert lines.get("TEXTUAL") == "[]", f"textual imported by domain code: {lines.get('TEXTUAL')}"


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (lazy imports inside functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


# import-linter's contracts in pyproject.toml cannot run here: grimp looks for subpackages on
# disk under vpcdoctor/, and the package-dir mapping (graph/ → vpcdoctor.graph) hides them
# ("Module 'vpcdoctor.graph' does not exist"). The same contracts, checked on the source. The
# pipeline in the folders: sources/live → model → engine → diagnostics → views/tui; a stage
# never reaches forward or sideways into another's input.
_FORBIDDEN = {
    "graph": ("textual", "vpcdoctor.tui", "vpcdoctor.diagnostics"),
    # the engine answers from the graph alone: never from files, live AWS or a rendering
    "graph/engine": ("vpcdoctor.graph.sources", "vpcdoctor.graph.live", "vpcdoctor.graph.views"),
    "diagnostics": ("textual", "vpcdoctor.tui", "vpcdoctor.graph.views"),
    "knowledge": ("textual", "vpcdoctor.tui"),
    "vpcdoctor": ("textual",),  # only tui/ imports Textual (the CLI starts it through tui)
}

_MODEL_MAY_IMPORT = ("vpcdoctor.graph.model", "vpcdoctor.errors")
"""The model imports nothing of ours but itself and the one exception root."""


def _matches(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("folder", sorted(_FORBIDDEN))
def test_no_forbidden_import_anywhere_in_the_source(folder: str) -> None:
    offenders = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for line, module in _imports(path):
            if _matches(module, _FORBIDDEN[folder]):
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offenders == []


def test_the_model_imports_nothing_of_ours() -> None:
    offenders = []
    for path in sorted((ROOT / "graph" / "model").rglob("*.py")):
        for line, module in _imports(path):
            if _matches(module, ("vpcdoctor",)) and not _matches(module, _MODEL_MAY_IMPORT):
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offenders == []


def test_the_rules_can_fail(tmp_path: Path) -> None:
    """The source scan sees lazy imports inside functions (what a contract must catch)."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from vpcdoctor.graph.sources import opener\n", encoding="utf-8")
    found = [m for _, m in _imports(probe)]
    assert _matches(found[0], _FORBIDDEN["graph/engine"])

"""Where the repository's test inputs are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
DATA = TESTS / "data"
FULL = DATA / "snapshot_full"
BAD = DATA / "bad"
DEMO = ROOT / "graph" / "demo"
DEMO_SNAPSHOT = DEMO / "snapshot"
DEMO_EXPECTED = DEMO / "expected.json"
DEMO_GENERATOR = ROOT / "scripts" / "demo" / "make_demo.py"
"""The demo's generator: a script, not package data (issue 14)."""

"""The hostile corpus through the cache (issue 12 items 8, 9, 11): every case that loads also
gets a cache key, quickly, and is served from the cache the second time. The symbolic-link
lattice (25 levels, two links each) made the pre-work key visit 2^24 paths."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from tests.support.paths import ROOT
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources import cache
from vpcdoctor.graph.sources.snapshot import load_snapshot

BAD = ROOT / "tests" / "data" / "bad"
LOADS = [
    case["name"]
    for case in tomllib.loads((BAD / "cases.toml").read_text())["case"]
    if case["outcome"] == "loads" and (BAD / case["name"]).is_dir()
]


@pytest.mark.parametrize("name", LOADS)
def test_every_loading_case_is_keyed_and_cached(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPCDOCTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VPCDOCTOR_NO_CACHE", raising=False)
    calls: list[Path] = []

    def loader(path: Path) -> Account:
        calls.append(path)
        return load_snapshot(path)

    start = time.monotonic()
    key = cache.snapshot_key(BAD / name)
    assert len(key) == 32 and time.monotonic() - start < 10  # bounded, not 2^24 visits
    first = cache.load_snapshot_cached(BAD / name, loader=loader)
    second = cache.load_snapshot_cached(BAD / name, loader=loader)
    assert len(calls) == 1 and list(first.vpcs) == list(second.vpcs)


def test_the_lattice_is_the_issue_s() -> None:
    lattice = BAD / "symlink_lattice"
    levels = sorted(
        (p for p in lattice.iterdir() if p.is_dir() and not p.is_symlink()),
        key=lambda p: int(p.name[1:]),
    )
    assert len(levels) == 25
    assert all(len([c for c in level.iterdir() if c.is_symlink()]) == 2 for level in levels[:-1])

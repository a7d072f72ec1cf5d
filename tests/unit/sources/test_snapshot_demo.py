"""The bundled demo account loads cleanly through the offline loader."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from typing import Any

import pytest

from tests.support.paths import DEMO, DEMO_EXPECTED, DEMO_GENERATOR, DEMO_SNAPSHOT
from vpcdoctor.graph.sources.opener import demo_snapshot_dir
from vpcdoctor.graph.sources.snapshot import load_snapshot


def test_demo_account_loads_without_notes() -> None:
    directory = demo_snapshot_dir()
    if not directory.is_dir():
        pytest.skip("the demo snapshot is not built yet")
    account = load_snapshot(directory)
    assert len(account.functions) >= 14
    assert account.account_id and account.region
    assert [s for s in account.sources if s.kind is None] == [], "files set aside"
    assert [s for s in account.sources if s.note] == [], "unknown keys or odd encodings"
    for fn in account.functions.values():
        if fn.vpc is not None:
            assert all(s in account.subnets for s in fn.vpc.subnet_ids), fn.name


def _make_demo() -> Any:
    """scripts/demo/make_demo.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_demo", DEMO_GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # it hands itself to stories_network by name
    spec.loader.exec_module(module)
    return module


def test_demo_files_pass_botocore_output_shapes_and_references() -> None:
    """``make_demo.py --check``: every file (the network account's export included) against
    botocore's output shape of its operation, strictly, and every id it names exists."""
    proc = subprocess.run(
        [sys.executable, str(DEMO_GENERATOR), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.rstrip().endswith(" 0 problems"), proc.stderr


def test_demo_snapshot_is_what_the_generator_writes() -> None:
    """The committed snapshot, ids.json and expected.json are make_demo.py's current output."""
    demo = _make_demo()
    world, extra = demo.build()
    files = demo.render(world, extra)
    on_disk = {
        p.relative_to(DEMO_SNAPSHOT).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in DEMO_SNAPSHOT.rglob("*.json")
    }
    assert sorted(on_disk) == sorted(files)
    stale = [rel for rel, doc in files.items() if on_disk[rel] != doc]
    assert stale == [], "run python scripts/demo/make_demo.py"
    assert json.loads((DEMO / "ids.json").read_text()) == world.ids
    assert json.loads(DEMO_EXPECTED.read_text()) == demo.expected(world, extra)


def test_demo_holds_the_network_account_export() -> None:
    """Story 18: the network account's export sits in a folder named as its account id, with
    its own identity; the snapshot's account stays the workload account (it owns the functions)."""
    expected = json.loads(DEMO_EXPECTED.read_text())
    account = load_snapshot(DEMO_SNAPSHOT)
    network = sorted(p.name for p in DEMO_SNAPSHOT.iterdir() if p.name.isdigit())
    assert len(network) == 1
    assert (DEMO_SNAPSHOT / network[0] / "sts" / "get-caller-identity.json").is_file()
    assert set(account.accounts) == {expected["account_id"], network[0]}
    assert account.account_id == expected["account_id"]
    assert {account.origin_of(f.arn).account for f in account.functions.values()} == {
        expected["account_id"]
    }
    owners = {account.origin_of(t).account for t in account.transit_gateways}
    assert owners == {network[0]}

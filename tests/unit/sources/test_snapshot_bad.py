"""Bad input: the hostile corpus (tests/data/bad/cases.toml) and cases built at test time.

Every case either loads or raises vpcdoctor's own SnapshotError with one clear line naming the
file (and the JSON path); never another exception, never a hang.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import DATA
from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.sources.snapshot import load_snapshot

BAD = DATA / "bad"
FULL = DATA / "snapshot_full"
CASES: list[dict[str, Any]] = tomllib.loads((BAD / "cases.toml").read_text())["case"]
VPCS = {"Vpcs": [{"VpcId": "vpc-0a1b2c3d4e5f60001", "CidrBlock": "10.0.0.0/16"}]}


def test_corpus_is_large_and_complete() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) >= 25 and len(set(names)) == len(names)
    on_disk = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert on_disk == set(names), "every directory has a row in cases.toml and vice versa"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_corpus(case: dict[str, Any]) -> None:
    directory = BAD / case["name"]
    if case["outcome"] == "error":
        with pytest.raises(SnapshotError) as caught:
            load_snapshot(directory)
        error = caught.value
        text = str(error)
        assert "\n" not in text and "Traceback" not in text
        assert re.search(case["message"], text), text
        assert error.path is not None
        if case["file"] == ".":
            assert Path(error.path) == directory
        else:
            assert error.path.endswith(case["file"]), error.path
        if "json_path" in case:
            assert error.json_path == case["json_path"]
        if "must_not_contain" in case:
            assert case["must_not_contain"] not in text
    else:
        account = load_snapshot(directory)
        if "note" in case:
            assert any(re.search(case["note"], s.note) for s in account.sources), account.sources
        if "gap" in case:
            assert any(case["gap"] in (g.owner, g.kind) for g in account.gaps), account.gaps
        if "vpcs" in case:
            assert len(account.vpcs) == case["vpcs"]


def test_hostile_strings_are_kept_literally() -> None:
    account = load_snapshot(BAD / "hostile_strings")
    name = account.vpcs["vpc-0a1b2c3d4e5f60001"].name
    assert name.startswith("[bold red]pwned[/] \x1b[31mred") and "\u202e" in name
    assert len(name) > 10_000


def test_cyclic_peering_loads_every_connection() -> None:
    account = load_snapshot(BAD / "cyclic_peering")
    assert len(account.peering_connections) == 4
    assert account.peering_connections["pcx-0d"].peer_of("vpc-a") is not None


# --------------------------------------------------------------------------------------------
# Directory-level cases built at test time
# --------------------------------------------------------------------------------------------


def _snapshot(tmp_path: Path) -> Path:
    snap = tmp_path / "snap"
    snap.mkdir()
    (snap / "describe-vpcs.json").write_text(json.dumps(VPCS))
    return snap


def test_directory_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no such directory; a snapshot is a directory"):
        load_snapshot(tmp_path / "nope")


def test_path_is_a_file(tmp_path: Path) -> None:
    file = _snapshot(tmp_path) / "describe-vpcs.json"
    with pytest.raises(SnapshotError, match="this is a file, not a directory") as caught:
        load_snapshot(file)
    assert caught.value.path == str(file)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    snap = _snapshot(tmp_path)
    secret = snap / "describe-subnets.json"
    secret.write_text("{}")
    secret.chmod(0)
    try:
        with pytest.raises(SnapshotError, match="cannot read it") as caught:
            load_snapshot(snap)
        assert caught.value.path == str(secret)
    finally:
        secret.chmod(0o600)


def test_file_over_the_size_cap_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPCDOCTOR_MAX_FILE_MB", "1")
    snap = _snapshot(tmp_path)
    big = snap / "describe-network-interfaces.json"
    with big.open("wb") as handle:
        handle.write(b'{"NetworkInterfaces": [{"Description": "')
        handle.truncate(1 << 30)  # declares 1 GB (sparse), never written
    with pytest.raises(SnapshotError, match="larger than the 1 MB limit") as caught:
        load_snapshot(snap)
    assert caught.value.path == str(big)


def test_fifo_does_not_hang(tmp_path: Path) -> None:
    snap = _snapshot(tmp_path)
    os.mkfifo(snap / "describe-subnets.json")
    with pytest.raises(SnapshotError, match="not a regular file"):
        load_snapshot(snap)


def test_symlinks_leaving_the_snapshot_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "describe-subnets.json").write_text((FULL / "ec2/describe-subnets.json").read_text())
    snap = _snapshot(tmp_path)
    (snap / "subnets.json").symlink_to(outside / "describe-subnets.json")
    (snap / "linked-dir").symlink_to(outside, target_is_directory=True)
    (snap / "inside.json").symlink_to(snap / "describe-vpcs.json")
    (snap / "loop").symlink_to(snap, target_is_directory=True)
    account = load_snapshot(snap)
    assert account.subnets == {}
    refused = [s for s in account.sources if "leading outside" in s.note]
    assert {Path(s.path).name for s in refused} == {"subnets.json", "linked-dir"}
    assert len(account.vpcs) == 1  # inside.json is the same VPC: identical, fine


def test_dangling_symlink(tmp_path: Path) -> None:
    snap = _snapshot(tmp_path)
    (snap / "gone.json").symlink_to(snap / "nowhere.json")
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(snap)
    assert caught.value.path is not None and caught.value.path.endswith("gone.json")


def test_cli_maps_a_bad_snapshot_to_exit_2_without_traceback(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(BAD / "cidr_slash_33", snap)
    result = subprocess.run(
        [sys.executable, "-m", "vpcdoctor", "audit", "--snapshot", str(snap)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "Vpcs[0].CidrBlock" in result.stderr and "describe-vpcs.json" in result.stderr


# --------------------------------------------------------------------------------------------
# Property-based: mutate real files; loading succeeds or raises SnapshotError naming the file
# --------------------------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

_FUZZ_FILES = sorted(p.relative_to(FULL).as_posix() for p in FULL.rglob("*.json"))
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["10.0.0.0/33", "::/129", "999.1.1.1", "pl-", "", "\u202e", "-1", "65536"]),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


@hypothesis.settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
@hypothesis.given(data=st.data())
def test_fuzz_mutated_snapshot_files(tmp_path_factory: pytest.TempPathFactory, data: Any) -> None:
    name = data.draw(st.sampled_from(_FUZZ_FILES))
    document = json.loads((FULL / name).read_text())
    paths = _paths(document)
    path = data.draw(st.sampled_from(paths))
    action = data.draw(st.sampled_from(["replace", "drop", "duplicate", "empty", "nest"]))
    if path:
        parent: Any = document
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if action == "replace":
            parent[last] = data.draw(_SCALARS)
        elif action == "drop":
            del parent[last]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(parent[last])
        elif action == "empty":
            parent[last] = [] if isinstance(parent[last], list) else {}
        elif action == "nest":
            parent[last] = [[[[parent[last]]]]]
    snap = tmp_path_factory.mktemp("fuzz")
    target = snap / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document)
    if data.draw(st.booleans()):
        text = text[: data.draw(st.integers(min_value=0, max_value=len(text)))]
    target.write_text(text)
    try:
        load_snapshot(snap)
    except SnapshotError as error:
        assert error.path is not None
        assert "\n" not in str(error)

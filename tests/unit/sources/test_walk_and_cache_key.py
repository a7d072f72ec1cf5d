"""The walk the loader and the cache key share (issue 12 items 8, 9, 11, 12): deep nesting, a
symbolic-link lattice, upper-case ``.JSON`` and a same-size edit with the old mtime."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources import cache, files
from vpcdoctor.graph.sources.snapshot import load_snapshot

VPCS = {
    "Vpcs": [{"VpcId": "vpc-0a1b2c3d4e5f60001", "CidrBlock": "10.0.0.0/16", "State": "available"}]
}


class CountingLoader:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, path: Path) -> Account:
        self.calls += 1
        return load_snapshot(path)


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CountingLoader:
    monkeypatch.setenv("VPCDOCTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VPCDOCTOR_NO_CACHE", raising=False)
    return CountingLoader()


def test_1200_nested_directories_load_and_key_without_recursion_error(
    tmp_path: Path, cached: CountingLoader
) -> None:
    snap = tmp_path / "snap"
    snap.mkdir()
    # Built one level at a time through directory descriptors (pathlib's mkdir(parents=True)
    # recurses, and the full path is near PATH_MAX).
    fd = os.open(snap, os.O_RDONLY)
    try:
        for _ in range(1200):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("describe-vpcs.json", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, json.dumps(VPCS).encode())
        os.close(out)
    finally:
        os.close(fd)
    try:
        account = cache.load_snapshot_cached(snap, loader=cached)
        assert list(account.vpcs) == ["vpc-0a1b2c3d4e5f60001"]
        again = cache.load_snapshot_cached(snap, loader=cached)
        assert cached.calls == 1 and list(again.vpcs) == list(account.vpcs)
    finally:
        _remove_deep(snap, 1200)


def _remove_deep(snap: Path, depth: int) -> None:
    """Remove the nested tree bottom-up (shutil.rmtree, and so pytest's tmp_path cleanup,
    recurse once per level and would hit the recursion limit)."""
    fds = [os.open(snap, os.O_RDONLY)]
    for _ in range(depth):
        fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
    os.unlink("describe-vpcs.json", dir_fd=fds[-1])
    os.close(fds.pop())
    while fds:
        os.rmdir("d", dir_fd=fds[-1])
        os.close(fds.pop())


def _lattice(root: Path, levels: int) -> None:
    """``levels`` directories, each holding two links to the next one (no loop): 2^levels
    paths to the file at the bottom."""
    for level in range(levels):
        (root / f"l{level}").mkdir(parents=True)
    (root / f"l{levels - 1}" / "describe-vpcs.json").write_text(json.dumps(VPCS))
    for level in range(levels - 1):
        for link in ("a", "b"):
            (root / f"l{level}" / link).symlink_to(root / f"l{level + 1}", target_is_directory=True)


def test_symlink_lattice_is_walked_once_by_loader_and_cache_key(
    tmp_path: Path, cached: CountingLoader
) -> None:
    snap = tmp_path / "snap"
    _lattice(snap, 25)
    listed, _ = files.walk(snap)
    assert [Path(f.path).name for f in listed] == ["describe-vpcs.json"]  # once, not 2^24 times
    key = cache.snapshot_key(snap)
    assert len(key) == 32
    account = cache.load_snapshot_cached(snap, loader=cached)
    assert list(account.vpcs) == ["vpc-0a1b2c3d4e5f60001"]
    assert cached.calls == 1


def test_upper_case_json_is_in_the_key_so_an_edit_misses(
    tmp_path: Path, cached: CountingLoader
) -> None:
    snap = tmp_path / "snap"
    snap.mkdir()
    upper = snap / "DESCRIBE-VPCS.JSON"
    upper.write_text(json.dumps(VPCS))
    first = cache.load_snapshot_cached(snap, loader=cached)
    assert first.vpcs["vpc-0a1b2c3d4e5f60001"].state == "available"
    edited = json.loads(json.dumps(VPCS))
    edited["Vpcs"][0]["State"] = "pending"
    upper.write_text(json.dumps(edited))
    second = cache.load_snapshot_cached(snap, loader=cached)
    assert cached.calls == 2
    assert second.vpcs["vpc-0a1b2c3d4e5f60001"].state == "pending"


def test_same_size_edit_with_the_old_mtime_is_never_served_stale(
    tmp_path: Path, cached: CountingLoader
) -> None:
    snap = tmp_path / "snap"
    snap.mkdir()
    path = snap / "describe-nat-gateways.json"
    doc = {
        "NatGateways": [
            {"NatGatewayId": "nat-0a1b2c3d4e5f60001", "State": "available",
             "SubnetId": "subnet-0a1b2c3d4e5f60001", "VpcId": "vpc-0a1b2c3d4e5f60001"}
        ]
    }  # fmt: skip
    path.write_text(json.dumps(doc))
    before = path.stat()
    assert cache.load_snapshot_cached(snap, loader=cached).nat_gateways
    doc["NatGateways"][0]["State"] = "deleted"
    text = json.dumps(doc).replace('"deleted"', '"deleted"  ', 1)  # same size as "available"
    assert len(text) == before.st_size
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -r
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    account = cache.load_snapshot_cached(snap, loader=cached)
    assert cached.calls == 2
    assert account.nat_gateways["nat-0a1b2c3d4e5f60001"].state.value == "deleted"


def test_walk_and_key_agree_on_what_is_read(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    (snap / "ec2").mkdir(parents=True)
    (snap / "ec2" / "a.json").write_text("{}")
    (snap / "ec2" / "B.JSON").write_text("{}")
    (snap / "ec2" / "notes.txt").write_text("x")
    (snap / ".hidden.json").write_text("{}")
    listed, notes = files.walk(snap)
    assert [f.relative for f in listed] == ["ec2/B.JSON", "ec2/a.json"]
    assert [n.note for n in notes] == ["not used: not a .json file"]
    assert files.is_snapshot_file("X.Json") and not files.is_snapshot_file(".x.json")
    lines = list(cache._file_identities(snap))
    assert [line.split("\0")[0] for line in lines] == ["ec2/B.JSON", "ec2/a.json"]

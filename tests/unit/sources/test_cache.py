"""The account cache: hits, misses, and every way a cache file can be wrong is ignored safely."""

from __future__ import annotations

import dataclasses
import ipaddress
import marshal
import os
import time
from pathlib import Path
from types import MappingProxyType

import pytest

from tests.support.builders import AccountBuilder, private_vpc_with_nat
from vpcdoctor.graph.model import (
    Account,
    HostedZone,
    PrefixList,
    RecordSet,
    ResolverRule,
    ResolverRuleType,
    ZoneVpc,
)
from vpcdoctor.graph.sources import cache


def rich_account() -> Account:
    """An account with enums, IPv4/IPv6 networks and addresses, tags, None and tuples."""
    b = private_vpc_with_nat(AccountBuilder())
    b.vpc("vpc-2", "10.1.0.0/16")
    b.subnet("subnet-2a", "vpc-2", "10.1.1.0/24", az="ap-northeast-1a")
    b.prefix_list("pl-1", "192.168.0.0/24", "2001:db8::/32", name="corp")
    b.peering("pcx-1", "vpc-1", "vpc-2")
    b.hosted_zone("Z1", "corp.internal", vpcs=("vpc-1",))
    b.gap("list-resolver-rules")
    account = b.build()
    extra = {
        "hosted_zones": {
            "Z2": HostedZone(
                id="Z2",
                name="svc.internal",
                private=True,
                vpcs=(ZoneVpc(vpc_id="vpc-2"),),
                records=(RecordSet(name="a.svc.internal", type="A", ttl=60, values=("10.1.1.5",)),),
            ),
            **account.hosted_zones,
        },
        "resolver_rules": {
            "rslvr-rr-1": ResolverRule(
                id="rslvr-rr-1", domain_name="corp.example.com", rule_type=ResolverRuleType.FORWARD
            ),
        },
        "prefix_lists": {
            **account.prefix_lists,
            "pl-2": PrefixList(id="pl-2", entries=None),
        },
    }
    fields = {f: getattr(account, f) for f in cache._ACCOUNT_FIELDS}
    fields.update(extra)
    return Account.build(
        **{k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in fields.items()}
    )


def assert_same_account(a: Account, b: Account) -> None:
    for f in dataclasses.fields(Account):
        left, right = getattr(a, f.name), getattr(b, f.name)
        if isinstance(left, MappingProxyType | dict):
            assert dict(left) == dict(right), f.name
            for key in left:
                assert type(left[key]) is type(right[key]), (f.name, key)
        else:
            assert left == right, f.name


class Loader:
    def __init__(self, account: Account) -> None:
        self.account = account
        self.calls = 0

    def __call__(self, path: Path) -> Account:
        self.calls += 1
        return self.account


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Loader]:
    snap = tmp_path / "snap"
    (snap / "ec2").mkdir(parents=True)
    (snap / "ec2" / "describe-vpcs.json").write_text('{"Vpcs": []}')
    (snap / "lambda").mkdir()
    (snap / "lambda" / "list-functions.json").write_text('{"Functions": []}')
    cdir = tmp_path / "cache"
    monkeypatch.setenv("VPCDOCTOR_CACHE_DIR", str(cdir))
    monkeypatch.delenv("VPCDOCTOR_NO_CACHE", raising=False)
    return snap, cdir, Loader(rich_account())


def load(snap: Path, loader: Loader) -> Account:
    return cache.load_snapshot_cached(snap, loader=loader)


def test_hit_returns_an_equal_account_without_loading(env: tuple[Path, Path, Loader]) -> None:
    snap, cdir, loader = env
    first = load(snap, loader)
    assert loader.calls == 1
    second = load(snap, loader)
    assert loader.calls == 1
    assert second is not first
    assert_same_account(second, first)
    fn = second.functions["fn"]
    assert second.functions_sharing(fn.vpc.subnet_ids[0], fn.vpc.security_group_ids)  # type: ignore[union-attr]
    assert isinstance(second.vpcs["vpc-1"].cidrs[0], ipaddress.IPv4Network)
    assert cdir.stat().st_mode & 0o777 == 0o700
    for f in cdir.iterdir():
        assert f.stat().st_mode & 0o777 == 0o600


def test_cached_account_equals_fresh_field_by_field(env: tuple[Path, Path, Loader]) -> None:
    snap, _, loader = env
    load(snap, loader)
    assert_same_account(load(snap, loader), loader.account)


@pytest.mark.parametrize("change", ["size", "mtime", "new-file", "rename"])
def test_changed_snapshot_misses(env: tuple[Path, Path, Loader], change: str) -> None:
    snap, _, loader = env
    load(snap, loader)
    f = snap / "ec2" / "describe-vpcs.json"
    if change == "size":
        f.write_text('{"Vpcs": [ ]}')
    elif change == "mtime":
        st = f.stat()
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    elif change == "new-file":
        (snap / "ec2" / "describe-subnets.json").write_text('{"Subnets": []}')
    else:
        f.rename(snap / "ec2" / "describe-vpcs-2.json")
    load(snap, loader)
    assert loader.calls == 2
    load(snap, loader)
    assert loader.calls == 2  # rewritten for the new key


def _cache_file(snap: Path, cdir: Path) -> Path:
    return cache.cache_file(snap, cdir)


@pytest.mark.parametrize("damage", ["flip-payload", "flip-mac", "truncate", "empty", "magic"])
def test_corrupt_or_truncated_file_is_ignored_and_rewritten(
    env: tuple[Path, Path, Loader], damage: str
) -> None:
    snap, cdir, loader = env
    load(snap, loader)
    path = _cache_file(snap, cdir)
    blob = bytearray(path.read_bytes())
    if damage == "flip-payload":
        blob[-10] ^= 0xFF
    elif damage == "flip-mac":
        blob[len(cache.MAGIC) + 40] ^= 0x01
    elif damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "empty":
        blob = bytearray()
    else:
        blob[0:4] = b"XXXX"
    path.write_bytes(bytes(blob))
    assert_same_account(load(snap, loader), loader.account)
    assert loader.calls == 2
    load(snap, loader)
    assert loader.calls == 2


def test_foreign_secret_is_ignored(env: tuple[Path, Path, Loader]) -> None:
    snap, cdir, loader = env
    load(snap, loader)
    key = cdir / "key"
    key.write_bytes(os.urandom(32))  # another user's (or an old) secret: the MAC fails
    load(snap, loader)
    assert loader.calls == 2


def test_file_from_another_snapshot_is_ignored(
    env: tuple[Path, Path, Loader], tmp_path: Path
) -> None:
    snap, cdir, loader = env
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.json").write_text("{}")
    load(other, loader)
    _cache_file(other, cdir).replace(_cache_file(snap, cdir))
    load(snap, loader)
    assert loader.calls == 2


def _smuggle(snap: Path, cdir: Path, fields: dict[str, object]) -> None:
    """Write a correctly authenticated file whose payload holds ``fields``."""
    payload = marshal.dumps(fields)
    key = cache.snapshot_key(snap)
    head = cache.MAGIC + key
    mac = cache._mac(cache._secret(cdir), head, payload)
    path = _cache_file(snap, cdir)
    path.write_bytes(head + mac + payload)


def test_code_object_smuggled_in_is_rejected(env: tuple[Path, Path, Loader]) -> None:
    snap, cdir, loader = env
    load(snap, loader)
    good = marshal.loads(_cache_file(snap, cdir).read_bytes()[cache._HEADER :])
    code = compile("open('/tmp/pwned', 'w')", "<cache>", "exec")
    good["vpcs"] = {"vpc-1": code}
    _smuggle(snap, cdir, good)
    account = load(snap, loader)
    assert loader.calls == 2
    assert_same_account(account, loader.account)
    assert not Path("/tmp/pwned").exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"vpcs": {"vpc-1": [10_000, "x"]}},  # unknown tag
        {"vpcs": {"vpc-1": [0]}},  # wrong field count
        {"vpcs": {"vpc-1": b"bytes"}},
        {"present": frozenset({("tuple",)})},
        {"vpcs": {1: "non-string key"}},
        "not even a dict",
    ],
)
def test_malformed_structure_is_rejected(env: tuple[Path, Path, Loader], bad: object) -> None:
    snap, cdir, loader = env
    load(snap, loader)
    good = marshal.loads(_cache_file(snap, cdir).read_bytes()[cache._HEADER :])
    _smuggle(snap, cdir, {**good, **bad} if isinstance(bad, dict) else {"x": bad})
    load(snap, loader)
    assert loader.calls == 2


@pytest.mark.parametrize(
    "what", ["file-world-writable", "key-readable", "dir-group-writable", "file-symlink"]
)
def test_wrong_permissions_are_refused(env: tuple[Path, Path, Loader], what: str) -> None:
    snap, cdir, loader = env
    load(snap, loader)
    path = _cache_file(snap, cdir)
    if what == "file-world-writable":
        path.chmod(0o666)
    elif what == "key-readable":
        (cdir / "key").chmod(0o644)
    elif what == "dir-group-writable":
        cdir.chmod(0o770)
    else:
        target = cdir / "real.account"
        path.replace(target)
        path.symlink_to(target)
    load(snap, loader)
    assert loader.calls == 2


@pytest.mark.skipif(os.getuid() != 0, reason="changing a file's owner needs root")
def test_file_owned_by_someone_else_is_refused(env: tuple[Path, Path, Loader]) -> None:
    snap, cdir, loader = env
    load(snap, loader)
    os.chown(_cache_file(snap, cdir), 4242, 4242)
    load(snap, loader)
    assert loader.calls == 2
    os.chown(cdir, 4242, 4242)
    load(snap, loader)
    load(snap, loader)
    assert loader.calls == 4  # a foreign directory is neither read nor written


def test_env_var_disables_the_cache(
    env: tuple[Path, Path, Loader], monkeypatch: pytest.MonkeyPatch
) -> None:
    snap, cdir, loader = env
    monkeypatch.setenv("VPCDOCTOR_NO_CACHE", "1")
    load(snap, loader)
    load(snap, loader)
    assert loader.calls == 2
    assert not cdir.exists()


def test_unencodable_account_is_simply_not_cached(env: tuple[Path, Path, Loader]) -> None:
    snap, cdir, loader = env
    account = loader.account
    object.__setattr__(account, "region", object())  # not a plain value: cannot be cached
    assert load(snap, loader) is account
    assert not _cache_file(snap, cdir).exists()


def test_real_snapshot_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo snapshot through the real loader: the cached account equals the fresh one."""
    from vpcdoctor.graph.sources.opener import demo_snapshot_dir
    from vpcdoctor.graph.sources.snapshot import load_snapshot

    demo = demo_snapshot_dir()
    if not demo.is_dir():
        pytest.skip("no demo snapshot yet")
    try:
        fresh = load_snapshot(demo)
    except NotImplementedError:
        pytest.skip("loader not implemented yet")
    monkeypatch.setenv("VPCDOCTOR_CACHE_DIR", str(tmp_path / "c"))
    calls: list[float] = []

    def loader(p: Path) -> Account:
        calls.append(time.perf_counter())
        return load_snapshot(p)

    cache.load_snapshot_cached(demo, loader=loader)
    cached = cache.load_snapshot_cached(demo, loader=loader)
    assert len(calls) == 1
    assert_same_account(cached, fresh)

"""Which account and Region each output belongs to without a manifest, and the ``@id`` file
name conventions (tests/data/snapshot_full; the fields of each kind: test_parse_kinds.py)."""

from __future__ import annotations

import ipaddress
import json
import shutil
from pathlib import Path

import pytest

from tests.support.paths import DATA
from vpcdoctor.graph.model.kinds import KINDS
from vpcdoctor.graph.sources.snapshot import load_snapshot

FULL = DATA / "snapshot_full"
V1 = "vpc-0a1b2c3d4e5f60001"
S1, S2, S3 = (f"subnet-0a1b2c3d4e5f6000{i}" for i in (1, 2, 3))


def _copy(tmp_path: Path, *names: str) -> Path:
    snap = tmp_path / "snap"
    for name in names:
        target = snap / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FULL / name, target)
    return snap


def test_account_from_sts_and_region_from_arns(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "sts/get-caller-identity.json", "lambda/list-functions.json")
    account = load_snapshot(snap)
    assert account.account_id == "123456789012" and account.region == "ap-northeast-1"


def test_region_from_availability_zones(tmp_path: Path) -> None:
    account = load_snapshot(_copy(tmp_path, "ec2/describe-subnets.json"))
    assert account.region == "ap-northeast-1" and account.account_id is None


def test_build_account_arguments_win(tmp_path: Path) -> None:
    from vpcdoctor.graph.sources.snapshot import RawOutput, build_account

    data = json.loads((FULL / "sts/get-caller-identity.json").read_text())
    account = build_account(
        [RawOutput(kind="get-caller-identity", owner=None, data=data, source="live:sts")],
        account_id="210987654321",
        region="us-east-1",
    )
    assert account.account_id == "210987654321" and account.region == "us-east-1"
    assert account.sources[0].path == "live:sts"


@pytest.mark.parametrize("kind", [k for k in KINDS if k.owner_in_filename], ids=lambda k: k.name)
def test_every_owner_kind_needs_its_at_id(tmp_path: Path, kind: object) -> None:
    from vpcdoctor.graph.model.kinds import Kind

    assert isinstance(kind, Kind)
    source = next(FULL.rglob(f"{kind.name}@*.json"))
    snap = tmp_path / "snap"
    snap.mkdir()
    shutil.copy(source, snap / f"{kind.name}.json")
    shutil.copy(FULL / "ec2/describe-vpcs.json", snap / "vpcs.json")
    account = load_snapshot(snap)
    (note,) = [s for s in account.sources if s.path.endswith(f"{kind.name}.json")]
    assert note.kind is None
    assert "rename it" in note.note and f"{kind.name}@" in note.note
    assert kind.name not in account.present
    # with its @id it is used
    shutil.move(snap / f"{kind.name}.json", snap / source.name)
    assert kind.name in load_snapshot(snap).present


def test_owner_output_for_resource_not_in_snapshot_is_noted(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "lambda/get-function-concurrency@orders-api.json")
    (snap / "vpcs.json").write_text((FULL / "ec2/describe-vpcs.json").read_text())
    account = load_snapshot(snap)
    note = next(s for s in account.sources if "orders-api" in s.path)
    assert "not in the snapshot" in note.note


def test_files_recognised_by_keys_not_names(tmp_path: Path) -> None:
    snap = tmp_path / "snap" / "deeply" / "nested"
    snap.mkdir(parents=True)
    shutil.copy(FULL / "ec2/describe-subnets.json", snap / "whatever.json")
    shutil.copy(FULL / "ec2/describe-vpcs.json", snap / "describe-subnets.json")
    account = load_snapshot(tmp_path / "snap")
    assert len(account.subnets) == 3 and len(account.vpcs) == 2


def test_prefix_list_kinds_told_apart_by_fields_and_managed_key(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    snap.mkdir()
    managed = json.loads((FULL / "ec2/describe-managed-prefix-lists.json").read_text())
    (snap / "a.json").write_text(json.dumps({"ManagedPrefixLists": managed["PrefixLists"]}))
    shutil.copy(FULL / "ec2/describe-prefix-lists.json", snap / "b.json")
    account = load_snapshot(snap)
    assert {"describe-managed-prefix-lists", "describe-prefix-lists"} <= account.present
    assert account.prefix_lists["pl-0a1b2c3d4e5f60001"].max_entries == 10
    assert account.prefix_lists["pl-78a54011"].entries == (ipaddress.ip_network("52.119.240.0/21"),)


def test_pages_in_several_files_merge(tmp_path: Path) -> None:
    data = json.loads((FULL / "ec2/describe-subnets.json").read_text())
    snap = tmp_path / "snap"
    snap.mkdir()
    (snap / "page1.json").write_text(json.dumps({"Subnets": data["Subnets"][:2]}))
    (snap / "page2.json").write_text(json.dumps({"Subnets": data["Subnets"][1:]}))  # overlap
    assert set(load_snapshot(snap).subnets) == {S1, S2, S3}


def test_unknown_keys_are_accepted_with_a_note(tmp_path: Path) -> None:
    data = json.loads((FULL / "ec2/describe-subnets.json").read_text())
    data["Subnets"][0]["QuantumTunnelMode"] = {"Enabled": True}
    snap = tmp_path / "snap"
    snap.mkdir()
    (snap / "s.json").write_text(json.dumps(data))
    account = load_snapshot(snap)
    (note,) = [s for s in account.sources if s.kind == "describe-subnets"]
    assert "Subnet.QuantumTunnelMode" in note.note and "newer API" in note.note


def test_live_responses_with_response_metadata(tmp_path: Path) -> None:
    from vpcdoctor.graph.sources.snapshot import RawOutput, build_account

    data = json.loads((FULL / "ec2/describe-vpcs.json").read_text())
    data["ResponseMetadata"] = {"RequestId": "x", "HTTPStatusCode": 200}
    account = build_account([RawOutput(kind="describe-vpcs", owner=None, data=data, source="live")])
    assert len(account.vpcs) == 2 and account.sources[0].note == ""

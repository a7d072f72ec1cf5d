"""``vpcdoctor export`` against moto, and live ``check`` == export then offline ``check``."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.support.moto_server import MOTO_LACKS, SECRET_VALUE, build_scenario
from vpcdoctor.cli import main
from vpcdoctor.graph.live import collect as C
from vpcdoctor.graph.live import export as E
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
from vpcdoctor.graph.sources.snapshot import load_snapshot

pytestmark = pytest.mark.moto
pytest_plugins = ("tests.support.moto_server",)

TARGETS = ("s3", "secretsmanager", "sts", "api.corp.internal", "8.8.8.8:443", "10.0.2.50:5432")


def _files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in root.rglob("*") if p.is_file()}


def test_export_writes_the_offline_layout(aws: Any, tmp_path: Path, capsys: Any) -> None:
    sc = build_scenario(aws.url)
    target = tmp_path / "snap"
    assert main(["export", str(target)]) == 0
    files = _files(target)
    assert "ec2/describe-vpcs.json" in files
    assert f"ec2/describe-vpc-attribute-enableDnsSupport@{sc.vpc_id}.json" in files
    assert f"ec2/describe-vpc-attribute-enableDnsHostnames@{sc.vpc_id}.json" in files
    assert "lambda/get-function-configuration@orders-api.json" in files
    assert f"route53/list-resource-record-sets@{sc.zone_id}.json" in files
    assert f"route53/get-hosted-zone@{sc.zone_id}.json" in files
    assert f"ec2/get-managed-prefix-list-entries@{sc.prefix_list}.json" in files
    assert "manifest.json" in files
    # JSON as the AWS CLI prints it
    text = files["ec2/describe-vpcs.json"].read_text()
    assert text.startswith('{\n    "Vpcs": [') and text.endswith("\n")
    assert "ResponseMetadata" not in text
    # owner-only permissions
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    for path in target.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    # never the Lambda environment, never credentials
    for path in files.values():
        body = path.read_text()
        assert SECRET_VALUE not in body
        assert '"Environment"' not in body
        assert "testing" not in body.replace("Testing", "")  # the fake access key / secret
    # the manifest
    manifest = json.loads(files["manifest.json"].read_text())
    assert manifest["account"] == "123456789012"
    assert manifest["region"] == "ap-northeast-1"
    assert manifest["vpcdoctor"]
    assert manifest["collected_at"]
    ops = {(o["kind"], o["owner"]): o for o in manifest["operations"]}
    assert ops[("describe-vpcs", None)] == {
        "kind": "describe-vpcs",
        "owner": None,
        "file": "ec2/describe-vpcs.json",
        "status": "ok",
        "calls": 1,
    }
    for op in manifest["operations"]:
        if op["file"]:
            assert op["file"] in files
    # moto 5.2 serves neither ListProvisionedConcurrencyConfigs nor VPC Block Public Access
    assert {g["kind"] for g in manifest["gaps"]} == {
        "list-provisioned-concurrency-configs",
        *MOTO_LACKS,
    }
    assert "wrote" in capsys.readouterr().err
    # no temporary directory left next to it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aws-config", "snap"]


def test_export_refuses_a_non_empty_directory(aws: Any, tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "snap"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    assert main(["export", str(target)]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and err.count("\n") == 1
    assert (target / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in target.iterdir()) == ["mine.txt"]


def test_export_into_an_existing_empty_directory(aws: Any, tmp_path: Path) -> None:
    build_scenario(aws.url)
    target = tmp_path / "snap"
    target.mkdir()
    assert main(["export", str(target), "--function", "orders-api"]) == 0
    assert (target / "manifest.json").exists()
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["function"] == "orders-api"


def test_an_interrupted_export_leaves_nothing(
    aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_scenario(aws.url)
    original = E._write_file
    written: list[Path] = []

    def flaky(path: Path, text: str) -> None:
        if len(written) == 5:
            raise KeyboardInterrupt
        written.append(path)
        original(path, text)

    monkeypatch.setattr(E, "_write_file", flaky)
    target = tmp_path / "snap"
    assert main(["export", str(target)]) == 130
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aws-config"]
    assert written and not any(p.exists() for p in written)


def test_print_cli_makes_no_aws_call(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    assert main(["export", "--print-cli", "out dir"]) == 0
    script = capsys.readouterr().out
    assert script.startswith("#!/bin/sh")
    assert "D='out dir'" in script
    assert 'aws ec2 describe-vpcs --output json > "$D/ec2/describe-vpcs.json"' in script
    assert (
        'aws route53 list-resource-record-sets --hosted-zone-id "$id" --output json > '
        '"$D/route53/list-resource-record-sets@$id.json"' in script
    )
    assert "Environment: `null`" in script  # get-function-configuration and list-functions
    # every aws command is one vpcdoctor reads (a registered kind, read-only)
    clis = {" ".join(k.cli.split()[:3]) for k in KINDS_BY_NAME.values()}
    for line in script.splitlines():
        line = line.strip()
        if line.startswith("aws "):
            assert " ".join(line.split()[:3]) in clis, line
    # each per-resource kind the collector reads is covered
    # (ELB kinds loop over ARNs and name the file @NAME.ID: $o)
    for name in C.PER_RESOURCE_KINDS:
        stem = KINDS_BY_NAME[name].file_stem
        assert f"{stem}@$id.json" in script or f"{stem}@$o.json" in script, name


def _live_and_offline(
    args: list[str], snapshot: Path, capsys: Any
) -> tuple[tuple[int, Any], tuple[int, Any]]:
    code_live = main(args)
    live = json.loads(capsys.readouterr().out)
    code_off = main([*args, "--snapshot", str(snapshot)])
    offline = json.loads(capsys.readouterr().out)
    return (code_live, live), (code_off, offline)


@pytest.mark.parametrize("scoped", [False, True], ids=["full-export", "scoped-export"])
def test_live_check_equals_export_then_offline_check(
    aws: Any, tmp_path: Path, capsys: Any, scoped: bool
) -> None:
    build_scenario(aws.url, extra_vpcs=1)
    snapshot = tmp_path / "snap"
    export_args = ["export", str(snapshot)] + (["--function", "orders-api"] if scoped else [])
    assert main(export_args) == 0
    capsys.readouterr()
    seen = set()
    for target in TARGETS:
        args = ["check", "--function", "orders-api", "--target", target, "--format", "json"]
        (code_live, live), (code_off, offline) = _live_and_offline(args, snapshot, capsys)
        assert live == offline, target
        assert code_live == code_off
        seen.add(live["verdict"])
    assert seen - {"unknown"}, "every verdict unknown: the scenario says nothing"


def test_export_round_trips_through_the_loader(aws: Any, tmp_path: Path) -> None:
    sc = build_scenario(aws.url)
    collection = C.collect_live()
    live = collection.account()
    path = E.write_snapshot(collection, tmp_path / "snap")
    offline = load_snapshot(path)
    for name in (
        "vpcs",
        "subnets",
        "route_tables",
        "nat_gateways",
        "vpc_endpoints",
        "security_groups",
        "network_acls",
        "network_interfaces",
        "functions",
        "hosted_zones",
        "resolver_rules",
        "prefix_lists",
    ):
        assert getattr(live, name) == getattr(offline, name), name
    assert offline.account_id == live.account_id == "123456789012"
    assert offline.region == live.region
    assert {(g.kind, g.owner) for g in offline.gaps} == {(g.kind, g.owner) for g in live.gaps}
    assert sc.vpc_id in offline.vpcs
    fn = offline.functions["orders-api"]
    assert fn.vpc is not None and set(fn.vpc.subnet_ids) == set(sc.private_subnets)


def test_live_audit_runs(aws: Any, capsys: Any) -> None:
    build_scenario(aws.url)
    code = main(["audit", "--target", "s3", "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1, 3)
    assert "orders-api" in out


def test_environment_is_not_needed_for_the_file_mode(tmp_path: Path) -> None:
    """Files are created 0600 even under a permissive umask."""
    old = os.umask(0o000)
    try:
        E._write_file(tmp_path / "x.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.json").stat().st_mode) == 0o600


def _closed_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS at a port nobody listens on: any AWS call would fail with a connection error."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    for name, value in (("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "x")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")


@pytest.mark.parametrize("where", ["parent-is-a-file", "unwritable-parent", "non-empty"])
def test_export_checks_the_destination_before_any_aws_call(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    _closed_endpoint(monkeypatch)
    if where == "parent-is-a-file":
        (tmp_path / "file").write_text("x")
        target = tmp_path / "file" / "sub" / "snap"
        expected = "is a file, not a directory"
    elif where == "unwritable-parent":
        if os.geteuid() == 0:
            pytest.skip("root can write anywhere")
        parent = tmp_path / "ro"
        parent.mkdir()
        parent.chmod(0o500)
        target = parent / "snap"
        expected = "no permission to write"
    else:
        target = tmp_path / "snap"
        target.mkdir()
        (target / "x.json").write_text("{}")
        expected = "not empty"
    assert main(["export", str(target)]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1, err
    assert "Traceback" not in err and "endpoint" not in err  # refused before any call


def test_check_target_refuses_an_unwritable_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vpcdoctor.errors import SnapshotError

    monkeypatch.setattr(E.os, "access", lambda path, mode: False)
    with pytest.raises(SnapshotError, match="no permission to write in"):
        E.check_target(tmp_path / "new" / "snap")
    monkeypatch.undo()
    E.check_target(tmp_path / "new" / "snap")  # a missing parent is created later: fine

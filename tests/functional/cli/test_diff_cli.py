"""``vpcdoctor diff OLD NEW`` on pairs of demo snapshots that differ by one thing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import snapshot_edits as edits
from tests.support.cli import run_cli


@pytest.fixture(scope="module")
def old(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return edits.copy_demo(tmp_path_factory.mktemp("old") / "snapshot")


def _new(tmp_path: Path) -> Path:
    return edits.copy_demo(tmp_path / "new")


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code, out, err = run_cli(capsys, "diff", *argv, "--format", "json")
    assert err == ""
    return code, json.loads(out)


def _pair(doc: dict, function: str, target: str) -> dict:
    (pair,) = [
        c for c in doc["changed"] if c["function"] == function and c["target"]["input"] == target
    ]
    return pair


def test_same_snapshot_twice_exits_0(capsys: pytest.CaptureFixture[str], old: Path) -> None:
    code, doc = _json(capsys, str(old), str(old))
    assert code == 0
    assert doc["changed"] == [] and doc["compared"] > 40


def test_one_route_removed(capsys: pytest.CaptureFixture[str], old: Path, tmp_path: Path) -> None:
    new = _new(tmp_path)
    edits.remove_route(new, "rtb-0e4235eec76805fd4", "0.0.0.0/0")
    code, doc = _json(capsys, str(old), str(new))
    assert code == 1
    pair = _pair(doc, "orders-api", "internet")
    assert (pair["verdict_before"], pair["verdict_after"]) == ("reachable", "unreachable")
    first = pair["changed_resources"][0]
    assert first["resource"] == "rtb-0e4235eec76805fd4"
    assert first["changes"] == ["route removed: 0.0.0.0/0 → nat-063e37dc12462afc6"]
    assert pair["blocking_after"]["resource"] == "rtb-0e4235eec76805fd4"
    # only functions whose path used that table changed
    assert {c["function"] for c in doc["changed"]} <= {
        "orders-api",
        "catalog-client",
        "directory-sync",
        "tax-calculator",
        "invoice-renderer",
        "ledger-writer",
        "fixed-ip-caller",
    }


def test_one_security_group_rule_removed(
    capsys: pytest.CaptureFixture[str], old: Path, tmp_path: Path
) -> None:
    new = _new(tmp_path)
    edits.remove_sg_rule(new, "sg-0cb7d708ee71fce5c", egress=True, cidr="0.0.0.0/0")
    code, doc = _json(capsys, str(old), str(new), "--function", "orders-api")
    assert code == 1
    pair = _pair(doc, "orders-api", "internet")
    first = pair["changed_resources"][0]
    assert first["resource"] == "sg-0cb7d708ee71fce5c"
    assert "egress rule removed: all all to 0.0.0.0/0" in first["changes"]
    assert {c["function"] for c in doc["changed"]} == {"orders-api"}


def test_one_hosted_zone_association_removed(
    capsys: pytest.CaptureFixture[str], old: Path, tmp_path: Path
) -> None:
    new = _new(tmp_path)
    edits.remove_zone_association(new, "Z00LFWS5OYM6DGPUFLWRL", "vpc-0135f36302291c303")
    code, doc = _json(
        capsys, str(old), str(new), "-f", "catalog-client", "-t", "https://api.corp.internal"
    )
    assert code == 1
    pair = _pair(doc, "catalog-client", "https://api.corp.internal")
    assert pair["verdict_before"] == "reachable" and pair["verdict_after"] == "unreachable"
    zone = pair["changed_resources"][0]
    assert zone["resource"] == "Z00LFWS5OYM6DGPUFLWRL"
    assert zone["changes"] == [
        "VPC association removed: vpc_id=vpc-0135f36302291c303, region=ap-northeast-1"
    ]


def test_one_nat_gateway_failed(
    capsys: pytest.CaptureFixture[str], old: Path, tmp_path: Path
) -> None:
    new = _new(tmp_path)
    edits.fail_nat(new, "nat-063e37dc12462afc6")
    code, out, err = run_cli(
        capsys, "diff", str(old), str(new), "-f", "orders-api", "-t", "internet"
    )
    assert code == 1 and err == ""
    assert "orders-api → internet: reachable" in out
    assert "nat-063e37dc12462afc6 [nat-gateway] (blocking)" in out
    assert "state: available → failed" in out
    code, out, _ = run_cli(
        capsys,
        "diff",
        str(old),
        str(new),
        "-f",
        "orders-api",
        "-t",
        "internet",
        "--format",
        "markdown",
    )
    assert code == 1 and out.startswith("# vpcdoctor diff")
    assert "state: available → failed" in out


def test_the_other_way_round_is_an_improvement(
    capsys: pytest.CaptureFixture[str], old: Path, tmp_path: Path
) -> None:
    new = _new(tmp_path)
    edits.fail_nat(new, "nat-063e37dc12462afc6")
    code, doc = _json(capsys, str(new), str(old), "-f", "orders-api", "-t", "internet")
    pair = _pair(doc, "orders-api", "internet")
    assert code == 1
    assert (pair["verdict_before"], pair["verdict_after"]) == ("unreachable", "reachable")
    assert pair["changed_resources"][0]["changes"][0] == "state: failed → available"


def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], old: Path, tmp_path: Path
) -> None:
    code, out, err = run_cli(capsys, "diff", str(old), str(tmp_path / "missing"))
    assert code == 2 and out == "" and err.count("\n") == 1
    code, out, err = run_cli(capsys, "diff", str(old), str(old), "-f", "no-such-function")
    assert code == 2 and out == "" and err.count("\n") == 1 and "no-such-function" in err

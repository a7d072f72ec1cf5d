"""``--assume FILE`` on check, audit and walk: the verdict of the changed copy, said as such."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli

FIX = (
    "# inventory-sync: the 1c table lacks its NAT route\n"
    "aws ec2 create-route --route-table-id rtb-0147446a36826914c \\\n"
    "    --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-0e605d4a9e2f2e141\n"
)


@pytest.fixture
def fix(tmp_path: Path) -> Path:
    path = tmp_path / "fix.sh"
    path.write_text(FIX, encoding="utf-8")
    return path


def test_check_with_assume(capsys: pytest.CaptureFixture[str], fix: Path) -> None:
    args = ("check", "--demo", "-f", "inventory-sync", "-t", "internet")
    assert run_cli(capsys, *args)[0] == 1
    code, out, err = run_cli(capsys, *args, "--assume", str(fix))
    assert code == 0 and err == ""
    assert out.startswith("What-if: 1 command from ")
    assert "nothing in AWS changed" in out.splitlines()[0]
    code, out, _ = run_cli(capsys, *args, "--assume", str(fix), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["verdict"] == "reachable"
    assert list(doc)[-1] == "assumed"
    assert doc["assumed"]["changed"] == ["rtb-0147446a36826914c"]
    assert doc["assumed"]["commands"][0].startswith("aws ec2 create-route ")


def test_audit_and_walk_with_assume(capsys: pytest.CaptureFixture[str], fix: Path) -> None:
    code, out, _ = run_cli(
        capsys, "audit", "--demo", "-f", "inventory-sync", "--format", "json", "--assume", str(fix)
    )
    doc = json.loads(out)
    assert code == 0
    assert all(r["verdict"] == "reachable" for r in doc["functions"][0]["results"])
    assert doc["assumed"]["file"] == str(fix)
    code, out, _ = run_cli(capsys, "walk", "--demo", "-f", "inventory-sync", "--assume", str(fix))
    assert out.startswith("What-if: 1 command")
    _, out_md, _ = run_cli(
        capsys,
        "walk",
        "--demo",
        "-f",
        "inventory-sync",
        "--assume",
        str(fix),
        "--format",
        "markdown",
    )
    assert out_md.startswith("> What-if: 1 command")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "\n\naws ec2 delete-vpc --vpc-id vpc-0135f36302291c303\n",
            ", line 3: 'aws ec2 delete-vpc' is not a command a what-if can apply",
        ),
        (
            "aws ec2 create-route --route-table-id rtb-nope --destination-cidr-block 0.0.0.0/0 "
            "--nat-gateway-id nat-0e605d4a9e2f2e141\n",
            ", line 1: rtb-nope: no route table",
        ),
        ("aws ec2 describe-route-tables | jq .\n", ", line 1: '|' is shell syntax"),
    ],
)
def test_a_bad_line_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.sh"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(
        capsys, "check", "--demo", "-f", "inventory-sync", "-t", "internet", "--assume", str(path)
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"vpcdoctor: {path}{message}")


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_cli(
        capsys,
        "check",
        "--demo",
        "-f",
        "orders-api",
        "-t",
        "s3",
        "--assume",
        str(tmp_path / "none.sh"),
    )
    assert code == 2 and out == "" and "cannot read" in err and err.count("\n") == 1

"""``check``'s text answer: every ranked fix option (the first to try, then ``or:``), one
command a line, with what it costs and what else it changes; the protocol checked; and one line
naming the files the snapshot held but vpcdoctor did not use."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from vpcdoctor.cli import main
from vpcdoctor.graph.sources.opener import demo_snapshot_dir


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_alternatives_are_ranked_and_separate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "check", "--demo", "-f", "search-indexer", "-t", "dynamodb")
    assert code == 1
    answer = out.split("\n\n")[0].splitlines()
    fix = next(i for i, line in enumerate(answer) if line.startswith("  fix: "))
    alt = next(i for i, line in enumerate(answer) if line.startswith("  or:  "))
    assert fix < alt
    # the gateway endpoint (free, narrow) before the NAT (billable)
    assert "gateway endpoint" in answer[fix] and "NAT gateway" in answer[alt]
    assert answer[fix + 1].strip().startswith("aws ec2 modify-vpc-endpoint")
    nat_block = answer[alt + 1 :]
    assert any(line.strip().startswith("cost: ") and "NAT gateway" in line for line in nat_block)
    # one command a line: nothing joined with && inside an option
    assert not any("&&" in line for line in answer[fix:])


def test_header_names_the_protocol(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _run(capsys, "check", "--demo", "-f", "ledger-writer", "-t", "udp/1.1.1.1:53")
    assert out.splitlines()[0].startswith("ledger-writer → udp/1.1.1.1:53 (udp/53, ")
    _, out = _run(
        capsys,
        "check",
        "--demo",
        "-f",
        "ledger-writer",
        "-t",
        "udp/1.1.1.1:53",
        "--format",
        "markdown",
    )
    assert "udp/53" in out and "tcp/53" not in out


def test_unused_files_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(demo_snapshot_dir(), snap)
    (snap / "ec2" / "describe-something-new.json").write_text(
        json.dumps({"Things": []}), encoding="utf-8"
    )
    _, out = _run(capsys, "check", "--snapshot", str(snap), "-f", "orders-api", "-t", "s3")
    lines = [line for line in out.splitlines() if line.startswith("  not used: ")]
    assert len(lines) == 1 and "describe-something-new.json" in lines[0]
    _, out = _run(capsys, "check", "--demo", "-f", "orders-api", "-t", "s3")
    assert "not used:" not in out

"""Issue 16 item 15, the CLI seams: pipes get the whole table, every command says "did you mean"
with the nearest names, the demo never suggests AWS CLI calls, ``AWS_REGION`` counts, an
``unknown`` is not worded as a failure, and Markdown says which snapshot it comes from."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.functional.cli.test_cli_errors import (
    ROOT,
    _assert_one_clear_line,
    _closed_port,
    _env,
    _run,
)

DEMO = ROOT / "graph" / "demo" / "snapshot"


def test_audit_into_a_pipe_is_not_cut_at_80_columns(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("COLUMNS", None)
    # stdout is a pipe here, exactly as in ``vpcdoctor audit --demo | cat``.
    piped = _run(["audit", "--demo"], env)
    assert piped.returncode == 1, piped.stderr
    data = json.loads(_run(["audit", "--demo", "--format", "json"], env).stdout)
    codes = {
        w["code"]
        for f in data["functions"]
        for r in f.get("results", [])
        for w in r.get("warnings", [])
    }
    assert "NAT_CROSS_AZ" in codes
    for code in codes:
        assert code in piped.stdout, f"{code} cut from the piped table"
    assert max(len(line) for line in piped.stdout.splitlines()) > 80
    # Through a real `cat`, too.
    cat = subprocess.run(
        f"{shlex.quote(sys.executable)} -m vpcdoctor audit --demo | cat",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=90,
    )
    assert "NAT_CROSS_AZ" in cat.stdout


def test_walk_suggests_the_nearest_function_like_check(tmp_path: Path) -> None:
    for command in (
        ["walk", "--demo", "-f", "ordrs-api"],
        ["check", "--demo", "-f", "ordrs-api", "-t", "s3"],
    ):
        result = _run(command, _env(tmp_path))
        _assert_one_clear_line(result, "ordrs-api", "nearest: orders-api")
        assert "aws lambda" not in result.stderr  # the demo has no AWS to ask
        assert "billing-reconciler" not in result.stderr  # not the first ten alphabetically


def test_aws_region_is_honoured_like_aws_default_region(tmp_path: Path) -> None:
    result = _run(
        ["check", "-f", "orders-api", "-t", "s3"],
        _env(
            tmp_path,
            AWS_ACCESS_KEY_ID="AKIAFAKEFAKEFAKEFAKE",
            AWS_SECRET_ACCESS_KEY="fake",
            AWS_REGION="ap-northeast-1",
            AWS_ENDPOINT_URL=f"http://127.0.0.1:{_closed_port()}",
            AWS_MAX_ATTEMPTS="1",
        ),
    )
    # It got past the region (the closed endpoint is what stops it), not "no AWS region".
    _assert_one_clear_line(result, "127.0.0.1", "ap-northeast-1")
    assert "no AWS region" not in result.stderr


def test_unknown_is_not_worded_as_a_failure(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(DEMO, snapshot)
    (snapshot / "ec2" / "describe-network-acls.json").unlink()
    result = _run(
        ["check", "--snapshot", str(snapshot), "-f", "orders-api", "-t", "internet"],
        _env(tmp_path),
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "blocked at" not in result.stdout and "failing subnets" not in result.stdout
    assert "undecided at" in result.stdout
    markdown = _run(
        [
            "check",
            "--snapshot",
            str(snapshot),
            "-f",
            "orders-api",
            "-t",
            "internet",
            "--format",
            "markdown",
        ],
        _env(tmp_path),
    ).stdout
    assert "**Blocked at**" not in markdown and "**Undecided at**" in markdown


def test_markdown_says_which_account_region_and_snapshot(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(DEMO, snapshot)
    (snapshot / "manifest.json").write_text(
        json.dumps(
            {
                "account": "482917365014",
                "region": "ap-northeast-1",
                "collected_at": "2026-11-30T14:02:00+00:00",
            }
        ),
        encoding="utf-8",
    )
    for command in (
        ["check", "-f", "inventory-sync", "-t", "internet"],
        ["audit"],
        ["walk", "-f", "inventory-sync"],
    ):
        out = _run(
            [*command, "--snapshot", str(snapshot), "--format", "markdown"], _env(tmp_path)
        ).stdout
        assert "- Account: 482917365014" in out, command
        assert "- Region: ap-northeast-1" in out, command
        assert "snapshot 2026-11-30 14:02 UTC (" in out and "from the manifest" in out, command

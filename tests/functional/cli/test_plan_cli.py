"""``check --plan``: the plan in text, JSON and Markdown, after the verdict it starts from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from vpcdoctor.cli import main

ARGS = ("check", "--demo", "-f", "inventory-sync", "-t", "internet", "--plan")


def test_json_has_the_plan_after_the_existing_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *ARGS, "--format", "json")
    doc = json.loads(out)
    assert code == 1  # the exit code is the verdict before the plan
    assert list(doc)[:6] == ["function", "target", "verdict", "paths", "blocking", "warnings"]
    assert list(doc)[6] == "plan"
    assert set(doc["plan"]) >= {"verified", "verdict_after", "steps"}
    assert doc["plan"]["verified"] is (doc["plan"]["verdict_after"] == "reachable")
    if not doc["plan"]["verified"]:
        assert doc["plan"]["stopped"]


def test_text_and_markdown_show_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *ARGS)
    assert code == 1
    assert "Plan for inventory-sync → internet (in memory; nothing in AWS changed):" in out
    assert "verified: " in out
    code, out, _ = run_cli(capsys, *ARGS, "--format", "markdown")
    assert "## Plan (in memory; nothing in AWS changed)" in out


def test_plan_with_a_graph_format_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*ARGS, "--format", "dot"])
    out, err = capsys.readouterr()
    assert caught.value.code == 2 and out == "" and "--plan" in err


def test_demo_plan_is_verified_and_assume_agrees(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run_cli(capsys, *ARGS, "--format", "json")
    plan = json.loads(out)["plan"]
    assert plan["verified"] is True and plan["steps"]
    script = tmp_path / "plan.sh"
    script.write_text("\n".join(s["fix"] for s in plan["steps"]) + "\n", encoding="utf-8")
    code, out, _ = run_cli(
        capsys,
        "check",
        "--demo",
        "-f",
        "inventory-sync",
        "-t",
        "internet",
        "--assume",
        str(script),
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["verdict"] == plan["verdict_after"]

"""Every story of the demo account (graph/demo/expected.json): verdict and blocking resource."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.support.paths import ROOT
from vpcdoctor.cli import main

EXPECTED = ROOT / "graph" / "demo" / "expected.json"
SNAPSHOT = ROOT / "graph" / "demo" / "snapshot"

_CASES: list[dict[str, Any]] = (
    json.loads(EXPECTED.read_text())["cases"] if EXPECTED.exists() else []
)


def _id(case: dict[str, Any]) -> str:
    return f"{case['function']}->{case['target']}"


def _assert_case(case: dict[str, Any], doc: dict[str, Any], code: int) -> None:
    assert doc["verdict"] == case["verdict"], case["story"]
    blocking = doc["blocking"]
    assert (blocking["resource"] if blocking else None) == case["blocking_resource"], (
        case["story"],
        blocking,
    )
    assert code == {"reachable": 0, "unreachable": 1, "unknown": 3}[case["verdict"]]
    if "failing_subnets" in case:
        failing = sorted(p["subnet"] for p in doc["paths"] if p["verdict"] != "reachable")
        assert failing == sorted(case["failing_subnets"])
    hint = case.get("code_hint")
    if hint:
        codes = {w["code"] for w in doc["warnings"]}
        if blocking:
            codes.add(blocking["code"])
        assert hint in codes


@pytest.mark.skipif(not _CASES, reason="demo account not present")
@pytest.mark.parametrize("case", _CASES, ids=[_id(c) for c in _CASES])
def test_story(case: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check",
            "--snapshot",
            str(SNAPSHOT),
            "--function",
            case["function"],
            "--target",
            case["target"],
            "--format",
            "json",
        ]
    )
    out, err = capsys.readouterr()
    assert err == ""
    _assert_case(case, json.loads(out), code)


@pytest.mark.skipif(not _CASES, reason="demo account not present")
@pytest.mark.parametrize("index", [0, -1])
def test_story_as_a_real_process(index: int) -> None:
    case = _CASES[index]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vpcdoctor",
            "check",
            "--snapshot",
            str(SNAPSHOT),
            "--function",
            case["function"],
            "--target",
            case["target"],
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.stderr == ""
    _assert_case(case, json.loads(proc.stdout), proc.returncode)

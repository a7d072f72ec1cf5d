"""``vpcdoctor check`` / ``audit`` on the demo account: exit codes, JSON shape, formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.support.cli import run_cli

DEMO = ["--demo"]


def test_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "check", *DEMO, "-f", "orders-api", "-t", "s3")[0] == 0
    assert run_cli(capsys, "check", *DEMO, "-f", "public-subnet", "-t", "1.1.1.1")[0] == 1
    assert (
        run_cli(capsys, "check", *DEMO, "-f", "directory-sync", "-t", "ldap.onprem.local:636")[0]
        == 3
    )


def test_bad_function_and_target_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check", *DEMO, "-f", "orders-apj", "-t", "s3")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "orders-api" in err
    code, out, err = run_cli(capsys, "check", *DEMO, "-f", "orders-api", "-t", "host:99999")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "check", *DEMO, "-f", "public-subnet", "-t", "api.stripe.com", "--format", "json"
    )
    doc = json.loads(out)
    assert code == 1
    assert set(doc) == {"function", "target", "verdict", "paths", "blocking", "warnings"}
    assert doc["target"] == {
        "input": "api.stripe.com",
        "host": "api.stripe.com",
        "port": 443,
        "kind": "internet",
    }
    assert doc["verdict"] == "unreachable"
    assert len(doc["paths"]) == 2
    for path in doc["paths"]:
        assert set(path) == {"subnet", "az", "verdict", "hops"}
        for hop in path["hops"]:
            assert {"resource", "kind", "status", "code", "detail"} <= set(hop)
            assert hop["status"] in ("pass", "fail", "unknown", "skip")
    assert set(doc["blocking"]) >= {"resource", "code", "detail", "fix"}
    assert doc["blocking"]["code"] == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"


def test_reachable_json_has_null_blocking(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "check", *DEMO, "-f", "orders-api", "-t", "s3", "--format", "json")
    assert json.loads(out)["blocking"] is None


def test_text_answer_first(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run_cli(capsys, "check", *DEMO, "-f", "public-subnet", "-t", "1.1.1.1")
    first = out.splitlines()[0]
    assert "UNREACHABLE" in first
    assert "blocked at igw-" in out.splitlines()[1]
    assert "fix:" in out


def test_markdown_and_mermaid(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(
        capsys, "check", *DEMO, "-f", "etl-loader", "-t", "api.stripe.com", "--format", "markdown"
    )
    assert out.startswith("## etl-loader") and "| ✗ |" in out
    _, out, _ = run_cli(
        capsys, "check", *DEMO, "-f", "etl-loader", "-t", "api.stripe.com", "--format", "mermaid"
    )
    assert out.startswith("flowchart LR")
    assert out.count("subgraph ") == 2 and out.count("\n  end") == 2
    assert "class " in out and " blocking" in out


def test_graph_exports(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "check", *DEMO, "-f", "orders-api", "-t", "s3", "--format", "dot")
    assert out.startswith("digraph") and '"lambda:orders-api"' in out
    _, out, _ = run_cli(
        capsys, "check", *DEMO, "-f", "orders-api", "-t", "s3", "--format", "graphml"
    )
    root = ET.fromstring(out)
    assert root.tag.endswith("graphml")
    _, out, _ = run_cli(
        capsys, "check", *DEMO, "-f", "orders-api", "-t", "s3", "--format", "node-link"
    )
    doc = json.loads(out)
    ids = {n["id"] for n in doc["nodes"]}
    assert "lambda:orders-api" in ids and "internet" in ids
    assert all({"source", "target", "rel"} <= set(e) for e in doc["links"])


def test_audit_json_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "audit", *DEMO, "--format", "json")
    doc = json.loads(out)
    assert code == 1  # the demo has broken functions
    assert set(doc) == {"functions", "summary"}
    names = [f["function"] for f in doc["functions"]]
    assert names == sorted(names) and "orders-api" in names
    first = doc["functions"][0]
    assert set(first) >= {"function", "vpc", "results"}
    assert doc["summary"]["checks"] == sum(len(f["results"]) for f in doc["functions"])
    orders = next(f for f in doc["functions"] if f["function"] == "orders-api")
    targets = [r["target"]["input"] for r in orders["results"]]
    assert targets[:2] == ["internet", "s3"] and "secretsmanager" in targets


def test_audit_glob_and_targets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "audit", *DEMO, "-f", "orders-*", "-t", "s3", "-t", "kms", "--format", "json"
    )
    doc = json.loads(out)
    assert [f["function"] for f in doc["functions"]] == ["orders-api"]
    assert [r["target"]["input"] for r in doc["functions"][0]["results"]] == ["s3", "kms"]
    code, _, err = run_cli(capsys, "audit", *DEMO, "-f", "nomatch-*")
    assert code == 2 and "nomatch" in err


def test_audit_text_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "audit", *DEMO)
    assert "vpcdoctor audit" in out and "checks:" in out
    _, out, _ = run_cli(capsys, "audit", *DEMO, "--format", "markdown")
    assert out.startswith("## vpcdoctor audit") and "| orders-api |" in out

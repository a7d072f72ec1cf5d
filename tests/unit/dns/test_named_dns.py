"""`dns` and `check` agree on named resources (R12), run as a user runs them on one snapshot
directory: the name answers with the resource's private addresses, decided by the zone that
points at it, and `check` traces to exactly those addresses (never the internet)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.named_exports import ADDRESSES, NAMES, PORTS, ZONE, write_export
from vpcdoctor.cli import main


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(tmp_path_factory.mktemp("named"), "denies")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


@pytest.mark.parametrize("kind", list(NAMES))
def test_dns_and_check_agree_on_a_named_resource(
    snapshot: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    name = NAMES[kind]
    code, dns = _run(
        capsys, "dns", name, "--function", "fn", "--snapshot", str(snapshot), "--format", "json"
    )
    assert dns["outcome"] == "answer", dns
    assert sorted(dns["addresses"]) == sorted(ADDRESSES[kind])
    assert dns["decided_by"]["resource"] == ZONE
    code, result = _run(
        capsys,
        "check",
        "--function",
        "fn",
        "--target",
        f"{name}:{PORTS[kind]}",
        "--snapshot",
        str(snapshot),
        "--format",
        "json",
    )
    hops = [h for p in result["paths"] for h in p["hops"]]
    assert not any(h["kind"] in ("internet", "nat-gateway") for h in hops)
    # every interface the trace reached holds an address dns answered
    reached = {
        a
        for h in hops
        if h["code"] == "TARGET_ENI"
        for a in dns["addresses"]
        if f"({a})" in h["detail"]
    }
    assert reached and reached <= set(dns["addresses"])
    if kind == "nlb":  # no security groups: it does not filter
        assert (code, result["verdict"]) == (0, "reachable")
    else:
        assert (code, result["verdict"]) == (1, "unreachable")
        assert result["blocking"]["code"] == "ENI_SG_RULES_MISMATCH"

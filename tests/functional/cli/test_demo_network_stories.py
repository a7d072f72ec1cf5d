"""Demo stories 18 and 19 (graph/demo/STORIES.md): the fix each story documents, applied in
memory with ``--assume``, makes the broken function reachable; ``--plan`` finds the return
route in the network account by itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import DEMO_EXPECTED
from vpcdoctor.cli import main

V6 = "[2606:4700:4700::1111]:443"


def _case(function: str, target: str) -> dict[str, Any]:
    cases = json.loads(DEMO_EXPECTED.read_text())["cases"]
    found: dict[str, Any] = next(
        c for c in cases if (c["function"], c["target"]) == (function, target)
    )
    return found


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--demo", *argv, "--format", "json"])
    out, _ = capsys.readouterr()
    doc: dict[str, Any] = json.loads(out)
    return code, doc


def test_the_return_route_in_the_network_account_is_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _case("carrier-tracking", "api.stripe.com")
    code, doc = _check(capsys, "-f", "carrier-tracking", "-t", "api.stripe.com")
    assert (code, doc["blocking"]["resource"]) == (1, broken["blocking_resource"])
    fix = doc["blocking"]["fix"]
    assert "--destination-cidr-block 10.101.0.0/16" in fix and "--transit-gateway-id tgw-" in fix
    commands = tmp_path / "fix.txt"
    commands.write_text(fix + "\n")
    code, doc = _check(
        capsys, "-f", "carrier-tracking", "-t", "api.stripe.com", "--assume", str(commands)
    )
    assert (code, doc["verdict"]) == (0, "reachable")


def test_the_dual_stack_nacl_needs_ipv6_rules_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acl = _case("push-notifier", V6)["blocking_resource"]
    outbound = (
        f"aws ec2 create-network-acl-entry --network-acl-id {acl} --egress --rule-number 101 "
        "--protocol -1 --ipv6-cidr-block ::/0 --rule-action allow\n"
    )
    inbound = (
        f"aws ec2 create-network-acl-entry --network-acl-id {acl} --ingress --rule-number 101 "
        "--protocol tcp --port-range From=1024,To=65535 --ipv6-cidr-block ::/0 "
        "--rule-action allow\n"
    )
    commands = tmp_path / "fix.txt"
    commands.write_text(outbound)
    code, doc = _check(capsys, "-f", "push-notifier", "-t", V6, "--assume", str(commands))
    # outbound alone is not enough: the replies meet the inbound 32768 rule
    assert (code, doc["blocking"]["resource"]) == (1, acl)
    assert "inbound" in doc["blocking"]["detail"] or "return" in doc["blocking"]["detail"]
    commands.write_text(outbound + inbound)
    code, doc = _check(capsys, "-f", "push-notifier", "-t", V6, "--assume", str(commands))
    assert (code, doc["verdict"]) == (0, "reachable")

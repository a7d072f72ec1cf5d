"""The demo account's checklist expectations (graph/demo/expected.json "checklist"), in both
languages, and fixes that carry the account's real ids."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest

from tests.support.paths import ROOT
from vpcdoctor.diagnostics.checklist import walk
from vpcdoctor.diagnostics.findings import Walk
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources.opener import demo_snapshot_dir

EXPECTED = ROOT / "graph" / "demo" / "expected.json"


def _expected() -> dict[str, Any]:
    if not EXPECTED.is_file():
        pytest.skip("graph/demo/expected.json is not there yet")
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


def _cases() -> list[dict[str, str]]:
    if not EXPECTED.is_file():
        return []
    cases: list[dict[str, str]] = json.loads(EXPECTED.read_text("utf-8")).get("checklist", [])
    return cases


@cache
def demo() -> Account:
    from vpcdoctor.graph.sources.snapshot import load_snapshot

    return load_snapshot(demo_snapshot_dir())


@cache
def demo_walk(function: str, lang: str) -> Walk:
    return walk(demo(), function, lang=lang)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(
    "case", _cases(), ids=lambda c: f"{c['function']}:{c['step']}={c['status']}"
)
def test_demo_checklist_expectation(case: dict[str, str], lang: str) -> None:
    finding = demo_walk(case["function"], lang).step(case["step"])
    assert str(finding.status) == case["status"], "\n".join(finding.evidence)
    assert finding.evidence, "a step always shows its evidence"


def test_every_demo_function_walks_in_both_languages() -> None:
    account = demo()
    for name in account.functions:
        en, ja = demo_walk(name, "en"), demo_walk(name, "ja")
        assert [s.id for s in en.steps] == [s.id for s in ja.steps]
        assert [s.status for s in en.steps] == [s.status for s in ja.steps]
        for a, b in zip(en.steps, ja.steps, strict=True):
            assert a.title != b.title
            assert len(a.evidence) == len(b.evidence)


def _real_ids(account: Account) -> set[str]:
    return {
        *account.vpcs,
        *account.subnets,
        *account.security_groups,
        *account.route_tables,
        *account.functions,
    }


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_demo_fixes_contain_the_accounts_real_ids(lang: str) -> None:
    account = demo()
    ids = _real_ids(account)
    checked = 0
    for name in account.functions:
        for finding in demo_walk(name, lang).steps:
            fix = finding.fix
            if not fix:
                continue
            # No template placeholder is left unrendered ({vpc_id}, {subnet_ids} …).
            leftovers = re.findall(r"\{[a-z_]+\}", fix)
            assert not leftovers, f"{name}/{finding.id}: {leftovers}"
            tokens = set(re.findall(r"(?:vpc|subnet|sg|rtb)-[0-9a-f]{8,17}", fix))
            assert tokens <= ids, f"{name}/{finding.id}: ids not in the account {tokens - ids}"
            checked += 1
    assert checked >= 5


def test_demo_public_subnet_fix_uses_the_functions_ids() -> None:
    account = demo()
    fn = account.functions["public-subnet"]
    assert fn.vpc is not None
    finding = demo_walk("public-subnet", "ja").step("public-subnet")
    assert fn.vpc.security_group_ids[0] in finding.fix
    assert "--function-name public-subnet" in finding.fix
    vpc = account.subnets[fn.vpc.subnet_ids[0]].vpc_id
    assert vpc in finding.fix


def test_demo_nat_endpoints_renders_appendix_a_with_real_ids() -> None:
    account = demo()
    for name in account.functions:
        finding = demo_walk(name, "en").step("nat-endpoints")
        if "create-vpc-endpoint" not in finding.fix:
            continue
        fn = account.functions[name]
        assert fn.vpc is not None
        assert f"--source-group {fn.vpc.security_group_ids[0]}" in finding.fix
        assert "com.amazonaws.ap-northeast-1." in finding.fix
        assert "AWS::EC2::VPCEndpoint" in finding.fix
        assert "ap-northeast-1" in "\n".join(finding.evidence)
        return
    pytest.fail("no demo function got the endpoint set")

"""The walk as a whole: DESIGN's JSON, exit codes, languages, output formats, reach steps."""

from __future__ import annotations

import json

import pytest

from tests.support.builders import AccountBuilder
from tests.support.checklist_fixtures import base, set_fn
from vpcdoctor.diagnostics import diagnose
from vpcdoctor.diagnostics.checklist import walk
from vpcdoctor.diagnostics.findings import Finding, StepStatus, Walk
from vpcdoctor.errors import FunctionNotFound
from vpcdoctor.graph.model import LambdaState
from vpcdoctor.graph.model.verdict import (
    CheckResult,
    Hop,
    HopStatus,
    PathResult,
    Target,
    TargetKind,
    Verdict,
)


def test_json_is_designs_walk_document() -> None:
    doc = walk(base().build(), "fn").to_json()
    assert set(doc) == {"function", "lang", "steps"}
    assert doc["function"] == "fn" and doc["lang"] == "en"
    for step in doc["steps"]:
        assert {"id", "title", "status", "evidence", "fix"} <= set(step)
        assert step["status"] in {"ok", "warn", "fail", "unknown", "not-applicable"}
        assert isinstance(step["evidence"], list) and isinstance(step["fix"], str)
    json.dumps(doc)


def test_lang_switches_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    account = base().build()
    en = walk(account, "fn", lang="en")
    monkeypatch.setenv("VPCDOCTOR_LANG", "ja")
    ja = walk(account, "fn", lang=None)
    assert ja.lang == "ja"
    for a, b in zip(en.steps, ja.steps, strict=True):
        assert a.status is b.status
        assert a.title != b.title and a.why != b.why
        assert a.evidence != b.evidence or not a.evidence


def test_unknown_function_is_a_clear_error() -> None:
    with pytest.raises(FunctionNotFound, match=r"no Lambda function named 'nope'.*fn"):
        walk(base().build(), "nope")


def _walk(*statuses: StepStatus) -> Walk:
    return Walk(
        function="f",
        lang="en",
        steps=tuple(Finding(id=f"s{i}", title="t", status=s) for i, s in enumerate(statuses)),
    )


def test_exit_codes() -> None:
    ok, warn, fail, unknown, na = (
        StepStatus.OK,
        StepStatus.WARN,
        StepStatus.FAIL,
        StepStatus.UNKNOWN,
        StepStatus.NOT_APPLICABLE,
    )
    assert _walk(ok, warn, na).exit_code == 0
    assert _walk(ok, unknown, warn).exit_code == 0
    assert _walk(ok, fail, unknown).exit_code == 1
    assert _walk(unknown, unknown, na).exit_code == 3
    b = base()
    set_fn(b, state=LambdaState.FAILED, state_reason_code="InvalidSubnet")
    assert walk(b.build(), "fn").exit_code == 1


# ---- reach:<target> ----------------------------------------------------------------------------


def test_reach_guard_when_engine_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args: object) -> CheckResult:
        raise NotImplementedError

    monkeypatch.setattr(diagnose, "check", missing)
    result = walk(base().build(), "fn", targets=("api.example.com",), lang="ja")
    step = result.step("reach:api.example.com")
    assert step.status is StepStatus.UNKNOWN
    assert "到達性エンジン" in step.evidence[0]
    assert step.title == "fn から api.example.com に到達できるか"


def test_reach_maps_the_engines_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    target = Target(input="10.9.9.9:5432", host="10.9.9.9", port=5432, kind=TargetKind.PRIVATE_IP)
    blocking = Hop(
        resource="rtb-priv",
        kind="route-table",
        status=HopStatus.FAIL,
        code="NO_ROUTE_TO_DESTINATION",
        detail="no route to 10.9.9.9",
        fix="aws ec2 create-route --route-table-id rtb-priv --destination-cidr-block "
        "10.9.0.0/16 --vpc-peering-connection-id pcx-1",
    )
    answer = CheckResult(
        function="fn",
        target=target,
        verdict=Verdict.UNREACHABLE,
        paths=(
            PathResult(
                subnet="subnet-priv-a",
                az="ap-northeast-1a",
                verdict=Verdict.UNREACHABLE,
                hops=(blocking,),
            ),
        ),
    )
    monkeypatch.setattr(diagnose, "check", lambda *a: answer)
    step = walk(base().build(), "fn", targets=("10.9.9.9:5432",)).step("reach:10.9.9.9:5432")
    assert step.status is StepStatus.FAIL
    assert any("NO_ROUTE_TO_DESTINATION" in line and "rtb-priv" in line for line in step.evidence)
    assert "create-route --route-table-id rtb-priv" in step.fix


def test_reach_uses_the_real_engine() -> None:
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16")
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", az="ap-northeast-1a")
    b.route_table("rtb-a", "vpc-1", subnets=["subnet-a"])
    b.security_group("sg-fn", "vpc-1")
    b.function("fn", subnets=["subnet-a"], security_groups=["sg-fn"])
    step = walk(b.build(), "fn", targets=("api.stripe.com",)).step("reach:api.stripe.com")
    assert step.status in (StepStatus.FAIL, StepStatus.UNKNOWN)


# ---- the command --------------------------------------------------------------------------------


def test_cli_walk_json_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    from vpcdoctor.cli import main

    code = main(["walk", "--demo", "-f", "public-subnet", "--format", "json", "--lang", "ja"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert doc["lang"] == "ja" and doc["function"] == "public-subnet"
    public = next(s for s in doc["steps"] if s["id"] == "public-subnet")
    assert public["status"] == "fail" and "パブリック" in public["title"]


def test_cli_walk_markdown_and_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vpcdoctor.cli import main

    assert main(["walk", "--demo", "-f", "orders-api", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Checklist for orders-api")
    assert "| 1 | Is a VPC needed at all? (`vpc-needed`)" in out
    monkeypatch.setenv("VPCDOCTOR_LANG", "ja")
    assert main(["walk", "--demo", "-f", "tax-calculator"]) == 0
    out = capsys.readouterr().out
    assert "tax-calculator のチェックリスト" in out and "注意" in out and "Lambda.5" in out


def test_cli_walk_unknown_function_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from vpcdoctor.cli import main

    assert main(["walk", "--demo", "-f", "does-not-exist"]) == 2
    assert "does-not-exist" in capsys.readouterr().err

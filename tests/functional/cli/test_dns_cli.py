"""``vpcdoctor dns``: JSON contract, exit codes, text output, disagreements, the demo cases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.cli import run_cli
from tests.support.dns_accounts import associate, base
from tests.support.dns_servers import DnsServer, closed_port, fleet
from tests.support.paths import ROOT
from vpcdoctor.commands import dns as dns_command
from vpcdoctor.graph.model import ResolverRule, ResolverRuleType, TargetAddress
from vpcdoctor.graph.sources import opener as source

pytestmark = pytest.mark.dns

DEMO_EXPECTED = ROOT / "graph" / "demo" / "expected.json"
DESIGN_KEYS = [
    "name",
    "vpc",
    "outcome",
    "addresses",
    "decided_by",
    "forwarded_to",
    "steps",
    "probes",
]


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, DnsServer]]:
    with fleet() as started:
        yield started


@pytest.fixture(autouse=True)
def no_vpc_resolver_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never send anything to a VPC resolver address from a test host."""
    monkeypatch.setenv(dns_command.NO_VPC_PROBE_ENV, "1")


@pytest.fixture
def built_account(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``open_account`` returns the account of test_dns_simulate.base(), whatever the source."""
    b = base()
    associate(
        b,
        ResolverRule(
            id="rslvr-rr-weird",
            domain_name="weird.example",
            rule_type=ResolverRuleType.FORWARD,
            target_ips=(TargetAddress(ip="192.168.10.2"),),
            resolver_endpoint_id="rslvr-out-1",
            name="[bold red]pwned[/] \x1b[31mred\x1b[0m \u202eevil",
        ),
    )
    account = b.build()
    monkeypatch.setattr(source, "open_account", lambda **kw: account)
    return account


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run_cli(capsys, "dns", *argv, "--format", "json")
    assert err == ""
    return code, json.loads(out)


# ---- probes only ---------------------------------------------------------------------------


def test_probe_only_answer_json(
    capsys: pytest.CaptureFixture[str], servers: dict[str, DnsServer]
) -> None:
    code, doc = run_json(
        capsys,
        "api.corp.internal",
        "--nameserver",
        servers["corp"].address,
        "--timeout",
        "0.5",
        "--tries",
        "1",
    )
    assert code == 0
    assert list(doc)[: len(DESIGN_KEYS)] == DESIGN_KEYS
    assert doc["outcome"] == "answer" and doc["vpc"] is None and doc["decided_by"] is None
    assert doc["addresses"] == ["10.20.11.50"]
    probe = doc["probes"][0]
    assert probe["nameserver"] == servers["corp"].address
    assert probe["outcome"] == "answer" and probe["addresses"] == ["10.20.11.50"]
    assert isinstance(probe["ms"], float)


@pytest.mark.parametrize(
    ("role", "name", "outcome", "exit_code"),
    [
        ("corp", "nope.corp.internal", "nxdomain", 1),
        ("corp", "txt.corp.internal", "nodata", 1),
        ("servfail", "api.corp.internal", "servfail", 1),
        ("refused", "api.corp.internal", "refused", 1),
        ("silent", "api.corp.internal", "timeout", 1),
        ("garbage", "api.corp.internal", "timeout", 1),
        ("wrong_id", "api.corp.internal", "timeout", 1),
        ("forwarder", "app.onprem.local", "answer", 0),
    ],
)
def test_probe_only_outcomes_and_exit_codes(
    capsys: pytest.CaptureFixture[str],
    servers: dict[str, DnsServer],
    role: str,
    name: str,
    outcome: str,
    exit_code: int,
) -> None:
    code, doc = run_json(
        capsys, name, "-n", servers[role].address, "--timeout", "0.3", "--tries", "1"
    )
    assert doc["outcome"] == outcome
    assert code == exit_code


def test_unreachable_server_is_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(capsys, "api.corp.internal", "-n", closed_port(), "--timeout", "0.3")
    assert doc["probes"][0]["code"] == "DNS_PROBE_UNREACHABLE"
    assert code == 3


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["a..b", "-n", "127.0.0.1"],
        ["x" * 300, "-n", "127.0.0.1"],
        ["xn--zz.example", "-n", "127.0.0.1"],
        ["api.corp.internal", "-n", "not-an-ip"],
        ["api.corp.internal", "-n", "127.0.0.1", "--timeout", "0"],
        ["api.corp.internal"],
        ["api.corp.internal", "--snapshot", "/nonexistent"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run_cli(capsys, "dns", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("vpcdoctor: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_unknown_vpc_is_bad_input(capsys: pytest.CaptureFixture[str], built_account: Any) -> None:
    code, _, err = run_cli(
        capsys, "dns", "erp.corp.internal", "--vpc", "vpc-404", "--snapshot", "x"
    )
    assert code == 2 and "vpc-404" in err and "vpc-1" in err


# ---- simulation, and both side by side -----------------------------------------------------


def test_simulation_json(capsys: pytest.CaptureFixture[str], built_account: Any) -> None:
    code, doc = run_json(capsys, "api.corp.internal", "--vpc", "vpc-1", "--snapshot", "x")
    assert code == 0
    assert list(doc)[: len(DESIGN_KEYS)] == DESIGN_KEYS
    assert doc["decided_by"]["resource"] == "Z0CORP"
    assert doc["probes"] == []
    assert any("not probed" in n for n in doc["notes"])


def test_function_selects_its_vpc(capsys: pytest.CaptureFixture[str], built_account: Any) -> None:
    code, doc = run_json(capsys, "ldap.onprem.local", "--function", "fn", "--snapshot", "x")
    assert doc["vpc"] == "vpc-1" and doc["function"] == "fn"
    assert doc["outcome"] == "forwarded" and code == 3


def test_forwarded_then_probed_exit_follows_the_probe(
    capsys: pytest.CaptureFixture[str], built_account: Any, servers: dict[str, DnsServer]
) -> None:
    code, doc = run_json(
        capsys,
        "app.onprem.local",
        "--vpc",
        "vpc-1",
        "--snapshot",
        "x",
        "-n",
        servers["forwarder"].address,
        "--timeout",
        "0.5",
    )
    assert doc["outcome"] == "forwarded"  # DESIGN: the simulation's outcome
    assert doc["probes"][0]["outcome"] == "answer"
    assert code == 0


def test_disagreement_stale_record(
    capsys: pytest.CaptureFixture[str], built_account: Any, servers: dict[str, DnsServer]
) -> None:
    # The snapshot's zone aliases api.corp.internal to the ALB; the live server says otherwise.
    _, doc = run_json(
        capsys,
        "api.corp.internal",
        "--vpc",
        "vpc-1",
        "--snapshot",
        "x",
        "-n",
        servers["corp"].address,
        "--timeout",
        "0.5",
    )
    assert [d["code"] for d in doc["disagreements"]] == ["DNS_DISAGREE_STALE_RECORD"]


def test_disagreement_zone_shadowing(
    capsys: pytest.CaptureFixture[str], built_account: Any, servers: dict[str, DnsServer]
) -> None:
    _, doc = run_json(
        capsys,
        "v6only.corp.internal",
        "--vpc",
        "vpc-1",
        "--snapshot",
        "x",
        "-n",
        servers["corp"].address,
        "--timeout",
        "0.5",
    )
    assert doc["outcome"] == "nxdomain"
    assert [d["code"] for d in doc["disagreements"]] == ["DNS_DISAGREE_SHADOWED"]


def test_disagreement_unassociated_zone(
    capsys: pytest.CaptureFixture[str], built_account: Any, servers: dict[str, DnsServer]
) -> None:
    code, doc = run_json(
        capsys,
        "api.corp.internal",
        "--vpc",
        "vpc-2",
        "--snapshot",
        "x",
        "-n",
        servers["corp"].address,
        "--timeout",
        "0.5",
    )
    assert doc["outcome"] == "nxdomain" and code == 1
    assert doc["decided_by"]["resource"] == "Z0CORP"
    disagreement = doc["disagreements"][0]
    assert disagreement["code"] == "DNS_DISAGREE_NOT_ASSOCIATED"
    assert "associate-vpc-with-hosted-zone" in disagreement["detail"]


def test_text_output_answer_first_and_literal(
    capsys: pytest.CaptureFixture[str], built_account: Any
) -> None:
    code, out, err = run_cli(capsys, "dns", "x.weird.example", "--vpc", "vpc-1", "--snapshot", "x")
    assert err == ""
    first = out.splitlines()[0]
    assert first.startswith("x.weird.example") and "FORWARDED" in first
    assert "[bold red]pwned[/]" in out  # markup shown, not interpreted
    assert "\x1b" not in out and "\u202e" not in out  # escapes and bidi overrides removed
    assert "Resolution steps" in out
    assert code == 3


def test_text_output_with_probes_and_disagreement(
    capsys: pytest.CaptureFixture[str], built_account: Any, servers: dict[str, DnsServer]
) -> None:
    _, out, _ = run_cli(
        capsys,
        "dns",
        "api.corp.internal",
        "--vpc",
        "vpc-2",
        "--snapshot",
        "x",
        "-n",
        servers["corp"].address,
        "--timeout",
        "0.5",
    )
    assert out.splitlines()[0].startswith("api.corp.internal")
    assert "NXDOMAIN" in out.splitlines()[0]
    assert "Live probes" in out and "disagree" in out
    assert "aws route53 associate-vpc-with-hosted-zone --hosted-zone-id Z0CORP" in out


def test_vpc_resolver_is_probed_only_from_inside(
    capsys: pytest.CaptureFixture[str], built_account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[list[str]] = []

    def fake_probe(name: str, nameservers: list[str], **kw: Any) -> list[Any]:
        asked.append(list(nameservers))
        return []

    from vpcdoctor.diagnostics.dns import probe as probe_module

    monkeypatch.setattr(probe_module, "probe", fake_probe)
    from vpcdoctor.diagnostics.dns import report as report_module

    monkeypatch.setattr(report_module, "host_inside_vpc", lambda vpc: "10.0.1.99")
    _, doc = run_json(capsys, "erp.corp.internal", "--vpc", "vpc-1", "--snapshot", "x")
    assert asked == [["10.0.0.2", "169.254.169.253"]]
    assert any("inside vpc-1" in n for n in doc["notes"])


# ---- the demo account ----------------------------------------------------------------------


def _demo_cases() -> list[dict[str, Any]]:
    if not DEMO_EXPECTED.exists():
        return []
    cases: list[dict[str, Any]] = json.loads(DEMO_EXPECTED.read_text())["dns"]
    return cases


@pytest.mark.skipif(not DEMO_EXPECTED.exists(), reason="graph/demo/expected.json not present")
@pytest.mark.parametrize("case", _demo_cases(), ids=lambda c: f"{c['function']}:{c['name']}")
def test_demo_dns_cases(capsys: pytest.CaptureFixture[str], case: dict[str, Any]) -> None:
    code, doc = run_json(capsys, case["name"], "--demo", "--function", case["function"])
    assert doc["outcome"] == case["outcome"]
    decided = doc["decided_by"]["resource"] if doc["decided_by"] else None
    assert decided == case["decided_by"]
    assert sorted(doc["addresses"]) == sorted(case["addresses"])
    if "forwarded_to" in case:
        assert doc["forwarded_to"] == case["forwarded_to"]
    assert code == dns_command.exit_code(dns_command.DnsOutcome(case["outcome"]))


def _demo_dns_blocks() -> list[dict[str, Any]]:
    if not DEMO_EXPECTED.exists():
        return []
    cases = json.loads(DEMO_EXPECTED.read_text())["cases"]
    return [c for c in cases if str(c.get("code_hint", "")).startswith("DNS_")]


@pytest.mark.skipif(not DEMO_EXPECTED.exists(), reason="graph/demo/expected.json not present")
@pytest.mark.parametrize("case", _demo_dns_blocks(), ids=lambda c: f"{c['function']}:{c['target']}")
def test_demo_dns_blocking_step(capsys: pytest.CaptureFixture[str], case: dict[str, Any]) -> None:
    """The step the engine will report as blocking: first failing, else first unknown."""
    from vpcdoctor.graph.model.targets import parse_target

    target = parse_target(case["target"])
    host = target.host
    if target.service and "." not in host:  # a service short name: its Regional endpoint
        host = f"{target.service}.ap-northeast-1.amazonaws.com"
    _, doc = run_json(capsys, host, "--demo", "--function", case["function"])
    steps = doc["steps"]
    deciding = next((s for s in steps if s["status"] == "fail"), None) or next(
        s for s in steps if s["status"] == "unknown"
    )
    assert deciding["resource"] == case["blocking_resource"]
    assert deciding["code"] == case["code_hint"]

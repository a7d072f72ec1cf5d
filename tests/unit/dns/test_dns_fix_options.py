"""DNS steps whose fix is one AWS CLI command carry it as a runnable option (the plan and the
what-if apply it), every value checked; advice that is prose never carries a raw snapshot id."""

from __future__ import annotations

from dataclasses import replace

import pytest

from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.diagnostics.plan import plan
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources.opener import open_account


@pytest.fixture(scope="module")
def demo() -> Account:
    return open_account(demo=True)


def _hop(result, code):  # type: ignore[no-untyped-def]
    return next(h for p in result.paths for h in p.hops if h.code == code)


@pytest.mark.parametrize(
    ("function", "target", "code", "operation"),
    [
        (
            "dashboard-api",
            "https://api.corp.internal",
            "DNS_PHZ_NOT_ASSOCIATED",
            "associate-vpc-with-hosted-zone",
        ),
        ("hr-sync", "ldap.onprem.local:636", "DNS_RULE_NOT_ASSOCIATED", "associate-resolver-rule"),
    ],
)
def test_association_fix_is_a_runnable_option(
    demo: Account, function: str, target: str, code: str, operation: str
) -> None:
    hop = _hop(check(demo, function, target), code)
    assert hop.fixes and hop.fixes[0].commands
    command = hop.fixes[0].commands[0]
    assert command.argv[2] == operation
    assert not command.suspicious
    assert hop.fix == command.text
    # the plan applies it (then stops, honestly, at what the account cannot fix)
    p = plan(demo, function, target)
    assert p.steps and p.steps[0].code == code


def test_a_hostile_zone_id_never_reaches_the_command(demo: Account) -> None:
    zone_id = "Z00LFWS5OYM6DGPUFLWRL"
    zones = dict(demo.hosted_zones)
    zones[zone_id] = replace(zones[zone_id], id="Z1;touch${IFS}/tmp/PWNED")
    hostile = replace(demo, hosted_zones=zones)
    hop = _hop(
        check(hostile, "dashboard-api", "https://api.corp.internal"), "DNS_PHZ_NOT_ASSOCIATED"
    )
    command = hop.fixes[0].commands[0]
    assert "touch" not in command.text
    assert "<hosted-zone>" in command.text
    assert command.suspicious

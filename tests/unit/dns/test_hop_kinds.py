"""Every DNS step and every decider names its kind as a HopKind (issue 14: one enum, one label)."""

from __future__ import annotations

import json

import pytest

from tests.support.dns_accounts import base
from vpcdoctor.diagnostics.dns import simulate
from vpcdoctor.graph.model.verdict import HopKind
from vpcdoctor.tui.console import console_url
from vpcdoctor.tui.labels import kind_label

NAMES = (
    "erp.corp.internal",  # private hosted zone
    "api.corp.internal",  # alias to an internal load balancer
    "nothing.corp.internal",  # NXDOMAIN in the zone
    "ldap.onprem.local",  # forwarded: rule, outbound endpoint, its groups and routes
    "example.com",  # public DNS
    "host.localhost",  # special-use name
)


@pytest.mark.parametrize("vpc_id", ["vpc-1", "vpc-2", None])
@pytest.mark.parametrize("name", NAMES)
def test_steps_and_deciders_carry_hop_kinds(name: str, vpc_id: str | None) -> None:
    res = simulate(base().build(), vpc_id, name)
    assert res.steps
    for step in res.steps:
        assert type(step.kind) is HopKind, (step.code, step.kind)
    if res.decided_by is not None:
        assert type(res.decided_by.kind) is HopKind
    # A str-valued enum: the JSON shows the same words as before.
    doc = json.loads(json.dumps(res.to_json()))
    assert [s["kind"] for s in doc["steps"]] == [s.kind.value for s in res.steps]


def test_dns_support_off_is_decided_by_the_vpc() -> None:
    res = simulate(base(dns_support=False).build(), "vpc-1", "erp.corp.internal")
    assert res.decided_by is not None and res.decided_by.kind is HopKind.VPC


def test_labels_and_console_pages_key_on_the_enum() -> None:
    assert kind_label(HopKind.FUNCTION) == kind_label(HopKind.LAMBDA) == "λ"
    assert kind_label(HopKind.NAT_INSTANCE) == "NAT instance"
    assert kind_label(HopKind.DHCP_OPTIONS) == "dhcp options"
    assert kind_label("not-a-kind") == "not a kind"
    url = console_url("Z0CORP", HopKind.PRIVATE_HOSTED_ZONE, "ap-northeast-1")
    assert url is not None and url.endswith("ListRecordSets/Z0CORP")
    assert console_url("i-0abc", HopKind.NAT_INSTANCE, "ap-northeast-1") is not None

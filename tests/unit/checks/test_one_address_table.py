"""The checklist reads addresses and service names from the same tables as the engine (one
rule per fact): RFC 6890's special-use ranges, and the target parser's service names."""

from __future__ import annotations

import ipaddress

import pytest

from vpcdoctor.diagnostics.checks.context import ip_is_private
from vpcdoctor.diagnostics.checks.vpc_needed import _private_egress
from vpcdoctor.graph.model import SecurityGroupRule
from vpcdoctor.graph.model.addresses import is_private


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "100.64.0.5",
        "198.18.0.9",
        "192.0.2.10",
        "169.254.169.254",
        "fd00::1",
        "8.8.8.8",
        "2600:1f14::1",
    ],
)
def test_private_means_what_the_engine_means(address: str) -> None:
    assert ip_is_private(address) is is_private(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("cidr", "private"),
    [
        ("10.0.0.0/16", True),
        ("100.64.0.0/10", True),
        ("198.18.0.0/15", True),
        ("0.0.0.0/0", False),
        ("52.94.0.0/16", False),
        ("0.0.0.0/1", False),
    ],
)
def test_private_egress_rule(cidr: str, private: bool) -> None:
    rule = SecurityGroupRule(egress=True, protocol="-1", cidr=ipaddress.ip_network(cidr))
    assert _private_egress(rule) is private

"""UDP targets (issue 16, item 16): DNS to an on-premises resolver, syslog, statsd.

The same walk as TCP, with the UDP rules: a security group or network ACL rule for tcp/53 does
not allow udp/53 (security-group-rules.html, vpc-network-acls.html: rules name a protocol).
"""

from __future__ import annotations

import pytest

from tests.support.builders import AccountBuilder, private_vpc_with_nat
from tests.support.engine import blocking, evaluate
from vpcdoctor.errors import TargetError
from vpcdoctor.graph.model.targets import parse_target
from vpcdoctor.graph.model.verdict import Verdict


def _dns_server(protocol: str) -> AccountBuilder:
    b = private_vpc_with_nat()
    b.subnet("subnet-dns", "vpc-1", "10.0.9.0/24")
    b.security_group("sg-dns", "vpc-1").ingress("10.0.0.0/16", port=53, protocol=protocol)
    b.eni("eni-dns", "subnet-dns", "10.0.9.53", security_groups=["sg-dns"])
    return b


def _check(b: AccountBuilder, target: str) -> object:
    account = b.build()
    return evaluate(account, account.functions["fn"], parse_target(target))


def test_udp_target_parses_with_a_prefix_or_an_option() -> None:
    t = parse_target("udp/10.0.9.53:53")
    assert (t.protocol, t.host, t.port) == ("udp", "10.0.9.53", 53)
    assert parse_target("10.0.9.53:53", protocol="udp").protocol == "udp"
    assert parse_target("10.0.9.53:53").protocol == "tcp"
    assert parse_target("udp/10.0.9.53:53").to_json()["protocol"] == "udp"
    with pytest.raises(TargetError):
        parse_target("udp/s3")


def test_a_tcp_rule_does_not_allow_udp() -> None:
    result = _check(_dns_server("tcp"), "udp/10.0.9.53:53")
    assert result.verdict is Verdict.UNREACHABLE  # type: ignore[attr-defined]
    assert blocking(result) == ("sg-dns", "ENI_SG_RULES_MISMATCH")  # type: ignore[arg-type]
    assert "IpProtocol=udp" in (result.blocking.fix or "")  # type: ignore[attr-defined]
    assert _check(_dns_server("tcp"), "10.0.9.53:53").verdict is Verdict.REACHABLE  # type: ignore[attr-defined]


def test_a_udp_rule_allows_udp_and_the_nacls_are_checked_for_udp() -> None:
    b = _dns_server("udp")
    assert _check(b, "udp/10.0.9.53:53").verdict is Verdict.REACHABLE  # type: ignore[attr-defined]
    # A NACL on the server's subnet that allows only TCP in: UDP is denied there.
    acl = b.network_acl("acl-dns", "vpc-1", subnets=["subnet-dns"])
    acl.inbound(100, "allow", "0.0.0.0/0", protocol="tcp").outbound(100, "allow", "0.0.0.0/0")
    result = _check(b, "udp/10.0.9.53:53")
    assert blocking(result) == ("acl-dns", "SUBNET_ACL_RESTRICTION")  # type: ignore[arg-type]
    assert "udp/53" in result.blocking.detail  # type: ignore[attr-defined]

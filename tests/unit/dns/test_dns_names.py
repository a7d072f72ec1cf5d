"""Name validation never raises anything but DnsError, and the simulation never crashes."""

from __future__ import annotations

import dns.name
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.dns_accounts import base
from vpcdoctor.diagnostics.dns import simulate
from vpcdoctor.diagnostics.dns.names import parse_nameserver, validate_name
from vpcdoctor.errors import DnsError
from vpcdoctor.graph.model import HostedZone, RecordSet, ZoneVpc

ACCOUNT = base().build()
LABEL = st.text(alphabet="abcxyz019-_*.é☃ \t\x00[]/:", min_size=0, max_size=70)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(LABEL, max_size=8).map(".".join)))
def test_validate_name_returns_a_valid_name_or_raises_dns_error(text: str) -> None:
    try:
        name = validate_name(text)
    except DnsError as error:
        assert str(error)
        return
    assert name == name.lower() and not name.endswith(".")
    assert len(name) <= 253
    dns.name.from_text(name)  # dnspython accepts it


@settings(
    max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.lists(LABEL, min_size=1, max_size=5).map(".".join),
    st.sampled_from(["vpc-1", "vpc-2", None, "vpc-404"]),
)
def test_simulation_never_crashes(text: str, vpc: str | None) -> None:
    try:
        res = simulate(ACCOUNT, vpc, text)
    except DnsError:
        return
    assert res.steps, "every resolution explains itself"


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(max_size=60))
def test_parse_nameserver_never_crashes(text: str) -> None:
    try:
        ip, port = parse_nameserver(text)
    except DnsError:
        return
    assert 1 <= port <= 65535 and ip


def test_hostile_record_values_do_not_leak_into_addresses() -> None:
    b = base()
    b.resources["hosted_zones"]["Z0BAD"] = HostedZone(
        id="Z0BAD",
        name="bad.internal",
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-1"),),
        records=(
            RecordSet(name="a.bad.internal", type="A", values=("10.0.0.1", "[bold]x\x1b[31m")),
            RecordSet(name="b.bad.internal", type="A", values=("not-an-ip",)),
            RecordSet(name="c.bad.internal", type="CNAME", values=()),
        ),
    )
    account = b.build()
    a = simulate(account, "vpc-1", "a.bad.internal")
    assert a.addresses == ("10.0.0.1",) and "not addresses" in a.steps[0].detail
    assert simulate(account, "vpc-1", "b.bad.internal").outcome == "servfail"
    assert simulate(account, "vpc-1", "c.bad.internal").outcome == "servfail"

"""Live probes against real DNS servers on 127.0.0.1 (tests/support/dns_servers.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.support.dns_servers import DnsServer, closed_port, fleet
from vpcdoctor.diagnostics.dns import DnsOutcome, ProbeResult
from vpcdoctor.diagnostics.dns.names import parse_nameserver, validate_name
from vpcdoctor.diagnostics.dns.probe import ADVICE, probe
from vpcdoctor.errors import DnsError

pytestmark = pytest.mark.dns

FAST = {"timeout": 0.3, "tries": 1}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, DnsServer]]:
    with fleet() as started:
        yield started


def one(name: str, server: str, **kw: float) -> ProbeResult:
    args = {**FAST, **kw}
    results = probe(name, [server], timeout=float(args["timeout"]), tries=int(args["tries"]))
    assert len(results) == 1
    return results[0]


def test_answer_with_ttl_server_and_time(servers: dict[str, DnsServer]) -> None:
    r = one("api.corp.internal", servers["corp"].address)
    assert r.outcome is DnsOutcome.ANSWER
    assert r.addresses == ("10.20.11.50",)
    assert r.ttl == 60
    assert r.nameserver == servers["corp"].address
    assert r.ms is not None and r.ms > 0
    assert ("api.corp.internal", "A") in servers["corp"].queries
    assert ("api.corp.internal", "AAAA") in servers["corp"].queries


def test_cname_chain_is_followed(servers: dict[str, DnsServer]) -> None:
    r = probe("www.corp.internal", [servers["corp"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.ANSWER
    assert r.addresses == ("10.20.11.50",)
    assert r.cname_chain == ("www.corp.internal", "web.corp.internal", "api.corp.internal")


def test_nxdomain(servers: dict[str, DnsServer]) -> None:
    r = probe("nope.corp.internal", [servers["corp"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.NXDOMAIN and r.code == "DNS_PROBE_NXDOMAIN"
    assert r.ttl == 30  # the SOA minimum
    assert r.advice == ADVICE["DNS_PROBE_NXDOMAIN"]


def test_nodata_when_no_type_has_data(servers: dict[str, DnsServer]) -> None:
    r = probe("txt.corp.internal", [servers["corp"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.NODATA


def test_nodata_for_a_only_query_of_an_aaaa_only_name(servers: dict[str, DnsServer]) -> None:
    r = probe("v6only.corp.internal", [servers["corp"].address], rdtypes=("A",), **FAST)[0]
    assert r.outcome is DnsOutcome.NODATA
    both = probe("v6only.corp.internal", [servers["corp"].address], **FAST)[0]
    assert both.outcome is DnsOutcome.ANSWER and both.addresses == ("fd00::10",)


def test_cname_loop_is_detected(servers: dict[str, DnsServer]) -> None:
    r = probe("loop-a.corp.internal", [servers["corp"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.SERVFAIL and r.code == "DNS_PROBE_CNAME_LOOP"
    assert "loop-a.corp.internal → loop-b.corp.internal → loop-a.corp.internal" in r.detail


def test_onprem_name_through_the_forwarder(servers: dict[str, DnsServer]) -> None:
    r = probe("app.onprem.local", [servers["forwarder"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.ANSWER and r.addresses == ("192.168.10.20",)
    assert ("app.onprem.local", "A") in servers["onprem"].queries


def test_forwarder_refuses_other_names(servers: dict[str, DnsServer]) -> None:
    r = probe("api.corp.internal", [servers["forwarder"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.REFUSED


def test_chain_leaving_the_servers_zone_is_chased(servers: dict[str, DnsServer]) -> None:
    r = probe("legacy.corp.internal", [servers["corp"].address], **FAST)[0]
    # The corp server is authoritative only: it refuses the on-prem target it was asked next.
    assert r.outcome is DnsOutcome.REFUSED
    assert r.cname_chain == ("legacy.corp.internal", "app.onprem.local")


def test_servfail(servers: dict[str, DnsServer]) -> None:
    r = probe("api.corp.internal", [servers["servfail"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.SERVFAIL and "outbound endpoint" in r.advice


def test_refused(servers: dict[str, DnsServer]) -> None:
    r = probe("api.corp.internal", [servers["refused"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.REFUSED and r.code == "DNS_PROBE_REFUSED"


def test_timeout_respects_the_deadline(servers: dict[str, DnsServer]) -> None:
    start = time.monotonic()
    r = probe("api.corp.internal", [servers["silent"].address], timeout=0.2, tries=2)[0]
    elapsed = time.monotonic() - start
    assert r.outcome is DnsOutcome.TIMEOUT and r.code == "DNS_PROBE_TIMEOUT"
    assert "2 attempts" in r.detail
    # The overall deadline is timeout × tries × types + timeout = 1.0 s; A timed out, so AAAA
    # was not tried. A generous bound: this asserts "never hangs", not a speed.
    assert elapsed < 5


def test_garbage_is_malformed(servers: dict[str, DnsServer]) -> None:
    r = probe("api.corp.internal", [servers["garbage"].address], **FAST)[0]
    assert r.code == "DNS_PROBE_MALFORMED"
    assert r.outcome is DnsOutcome.TIMEOUT  # a client discards it and times out
    assert r.advice == ADVICE["DNS_PROBE_MALFORMED"]


def test_wrong_message_id(servers: dict[str, DnsServer]) -> None:
    r = probe("api.corp.internal", [servers["wrong_id"].address], **FAST)[0]
    assert r.code == "DNS_PROBE_WRONG_ID"
    assert "does not match query ID" in r.detail


def test_truncated_udp_falls_back_to_tcp(servers: dict[str, DnsServer]) -> None:
    r = probe("db.corp.internal", [servers["truncating"].address], **FAST)[0]
    assert r.outcome is DnsOutcome.ANSWER and r.tcp
    assert set(r.addresses) == {"10.20.12.10", "10.20.12.11"}


def test_unreachable_server() -> None:
    r = probe("api.corp.internal", [closed_port()], **FAST)[0]
    assert r.code == "DNS_PROBE_UNREACHABLE" and r.outcome is DnsOutcome.UNKNOWN
    assert "unreachable" in r.detail


def test_each_failure_has_distinct_advice() -> None:
    failures = [c for c in ADVICE if c != "DNS_PROBE_ANSWER"]
    assert len({ADVICE[c] for c in failures}) == len(failures)


def test_several_servers_in_order_and_in_parallel(servers: dict[str, DnsServer]) -> None:
    order = [servers[k].address for k in ("silent", "corp", "garbage", "refused")]
    start = time.monotonic()
    results = probe("api.corp.internal", order, timeout=0.5, tries=1)
    elapsed = time.monotonic() - start
    assert [r.nameserver for r in results] == order
    assert [r.outcome for r in results] == [
        DnsOutcome.TIMEOUT,
        DnsOutcome.ANSWER,
        DnsOutcome.TIMEOUT,
        DnsOutcome.REFUSED,
    ]
    assert elapsed < 5  # parallel: two silent servers do not add up to a hang


@pytest.mark.parametrize("bad", ["", "a..b", "x" * 254, "xn--zz", "☃.example", "a_b c"])
def test_invalid_names_are_refused_before_any_traffic(
    servers: dict[str, DnsServer], bad: str
) -> None:
    before = len(servers["corp"].queries)
    with pytest.raises(DnsError):
        probe(bad, [servers["corp"].address], **FAST)
    assert len(servers["corp"].queries) == before


@pytest.mark.parametrize("bad", ["dns.google", "1.2.3.4:0", "1.2.3.4:99999", "[::1", "a:b:c:"])
def test_invalid_nameservers(bad: str) -> None:
    with pytest.raises(DnsError):
        probe("api.corp.internal", [bad], **FAST)


def test_invalid_timeout_and_tries() -> None:
    with pytest.raises(DnsError):
        probe("api.corp.internal", ["127.0.0.1"], timeout=0, tries=1)
    with pytest.raises(DnsError):
        probe("api.corp.internal", ["127.0.0.1"], timeout=1, tries=0)


def test_nameserver_forms() -> None:
    assert parse_nameserver("127.0.0.1") == ("127.0.0.1", 53)
    assert parse_nameserver("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_nameserver("[::1]:5353") == ("::1", 5353)
    assert parse_nameserver("::1") == ("::1", 53)


def test_name_normalisation() -> None:
    assert validate_name(" API.Corp.Internal. ") == "api.corp.internal"
    assert validate_name("bücher.example") == "xn--bcher-kva.example"
    assert validate_name("_ldap._tcp.onprem.local") == "_ldap._tcp.onprem.local"

"""The ``dns --format json`` document: keys, their order and when one is left out (DESIGN)."""

from __future__ import annotations

from vpcdoctor.diagnostics.dns.model import (
    DecidedBy,
    Disagreement,
    DnsOutcome,
    ProbeResult,
    Resolution,
)
from vpcdoctor.diagnostics.dns.report import DnsReport
from vpcdoctor.graph.model.verdict import Hop, HopKind, HopStatus

DESIGN = ["name", "vpc", "outcome", "addresses", "decided_by", "forwarded_to", "steps"]

STEP = Hop(
    resource="Z1",
    kind=HopKind.PRIVATE_HOSTED_ZONE,
    status=HopStatus.PASS,
    code="DNS_PHZ_ANSWER",
    detail="answered",
    fix="aws route53 …",
)
RESOLUTION = Resolution(
    name="db.corp.internal",
    vpc_id="vpc-1",
    outcome=DnsOutcome.ANSWER,
    addresses=("10.0.0.5",),
    decided_by=DecidedBy(resource="Z1", kind=HopKind.PRIVATE_HOSTED_ZONE, detail="zone"),
    steps=(STEP,),
)
PROBE = ProbeResult(nameserver="127.0.0.1:53", outcome=DnsOutcome.ANSWER, ms=1.26, ttl=0)


def test_simulated_report_keys_in_order() -> None:
    report = DnsReport(
        name="db.corp.internal",
        vpc_id="vpc-1",
        function="fn",
        resolution=RESOLUTION,
        probes=[PROBE],
        disagreements=[Disagreement(nameserver="127.0.0.1:53", code="DNS_X", detail="d")],
    )
    doc = report.to_json()
    assert list(doc) == [
        *DESIGN,
        "probes",
        "canonical_name",
        "target_resources",
        "function",
        "disagreements",
        "notes",
    ]
    assert doc["decided_by"] == {"resource": "Z1", "kind": "private-hosted-zone", "detail": "zone"}
    assert doc["steps"] == [
        {
            "resource": "Z1",
            "status": "pass",
            "code": "DNS_PHZ_ANSWER",
            "detail": "answered",
            "kind": "private-hosted-zone",
            "fix": "aws route53 …",
        }
    ]
    assert doc["canonical_name"] is None  # shown, as null, when the simulation ran
    assert doc["probes"] == [
        {"nameserver": "127.0.0.1:53", "outcome": "answer", "addresses": [], "ms": 1.3, "ttl": 0}
    ]
    assert doc["disagreements"] == [{"nameserver": "127.0.0.1:53", "code": "DNS_X", "detail": "d"}]


def test_probe_only_report_leaves_the_simulation_keys_out() -> None:
    probe = ProbeResult(
        nameserver="127.0.0.1:5353",
        outcome=DnsOutcome.ANSWER,
        addresses=("192.0.2.1",),
        cname_chain=("a.example", "b.example"),
        tcp=True,
    )
    report = DnsReport(
        name="a.example", vpc_id=None, function=None, resolution=None, probes=[probe]
    )
    doc = report.to_json()
    assert list(doc) == [*DESIGN, "probes", "disagreements", "notes"]
    assert doc["addresses"] == ["192.0.2.1"] and doc["decided_by"] is None and doc["steps"] == []
    keys = ["nameserver", "outcome", "addresses", "ms", "cname_chain", "tcp"]
    assert list(doc["probes"][0]) == keys
    assert doc["probes"][0]["ms"] is None

"""The one JSON serialiser: every record's shape names attributes the record has, and the
rules (omitted keys, renamed keys, computed keys) produce DESIGN's documents."""

from __future__ import annotations

import dataclasses

import pytest

from vpcdoctor.diagnostics import diff, findings, plan
from vpcdoctor.diagnostics.dns import model as dns_model
from vpcdoctor.diagnostics.dns import report as dns_report
from vpcdoctor.graph.model import jsonshape, verdict
from vpcdoctor.graph.model.commands import Command
from vpcdoctor.graph.whatif import apply

MODULES = (verdict, diff, findings, plan, apply, dns_model, dns_report)
RECORDS = sorted(
    {
        obj
        for module in MODULES
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, jsonshape.JsonRecord)
        and obj is not jsonshape.JsonRecord
    },
    key=lambda cls: cls.__qualname__,
)


def test_the_records_are_found() -> None:
    names = {cls.__name__ for cls in RECORDS}
    assert {"CheckResult", "Hop", "Target", "Walk", "Finding", "Diff", "Plan", "WhatIf"} <= names
    assert {"Resolution", "DecidedBy", "ProbeResult", "Disagreement", "DnsReport"} <= names


@pytest.mark.parametrize("record", RECORDS, ids=lambda cls: cls.__name__)
def test_every_key_reads_an_attribute_of_the_record(record: type) -> None:
    fields = {f.name for f in dataclasses.fields(record)}
    properties = {n for n in dir(record) if isinstance(getattr(record, n, None), property)}
    for k in record.JSON.keys:
        head = k.attr.split(".")[0]
        assert head in fields | properties, f"{record.__name__}.JSON key {k.name!r} reads {head!r}"


def test_omission_rules_and_order() -> None:
    hop = verdict.Hop(
        resource="rtb-1",
        kind=verdict.HopKind.ROUTE_TABLE,
        status=verdict.HopStatus.FAIL,
        code="NO_ROUTE_TO_DESTINATION",
        detail="no route",
        fixes=(verdict.FixOption(summary="add", commands=(Command(("aws", "ec2", "x")),)),),
    )
    assert hop.to_json() == {
        "resource": "rtb-1",
        "kind": "route-table",
        "status": "fail",
        "code": "NO_ROUTE_TO_DESTINATION",
        "detail": "no route",
        "fixes": [{"summary": "add", "commands": ["aws ec2 x"]}],
    }
    assert type(hop.to_json()["status"]) is str  # enums by value, not the enum member
    target = verdict.Target(input="x", host="x", kind=verdict.TargetKind.INTERNET, protocol="udp")
    assert list(target.to_json()) == ["input", "host", "port", "kind", "protocol"]
    path = verdict.PathResult(
        subnet="subnet-1", az=None, verdict=verdict.Verdict.UNREACHABLE, hops=(hop,)
    )
    result = verdict.CheckResult(function="f", target=target, verdict=path.verdict, paths=(path,))
    document = result.to_json()
    assert list(document) == ["function", "target", "verdict", "paths", "blocking", "warnings"]
    assert document["blocking"] == {
        "resource": "rtb-1",
        "code": "NO_ROUTE_TO_DESTINATION",
        "detail": "no route",
        "fix": "",
    }


def test_a_value_without_a_json_form_is_refused() -> None:
    with pytest.raises(TypeError, match="no JSON form"):
        jsonshape.plain(object())

"""Whatever a what-if file says: the changed copy or one WhatIfError, never a crash."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.sources.opener import open_account
from vpcdoctor.graph.whatif import vocabulary, what_if
from vpcdoctor.graph.whatif.options import _arg_table

_DEMO: Account | None = None

VALUES = st.sampled_from(
    [
        "rtb-0147446a36826914c",
        "nat-0e605d4a9e2f2e141",
        "sg-0cb7d708ee71fce5c",
        "subnet-043d3d92c42aa3773",
        "vpc-0135f36302291c303",
        "acl-0688803b5a9ae2d8a",
        "vpce-054af6b2c57e904d0",
        "igw-0dfa6d362c180009d",
        "pcx-0612397d808473678",
        "Z00LFWS5OYM6DGPUFLWRL",
        "rslvr-rr-9d389708ca02a5d8f",
        "orders-api",
        "eni-0b8d94a0cc88b33df",
        "0.0.0.0/0",
        "10.20.99.0/24",
        "10.20.0.1/16",
        "::/0",
        "443",
        "-1",
        "100",
        "true",
        "x",
        "",
        "{}",
        "[]",
        '{"Value": true}',
        '{"Value": "x"}',
        "Value=false",
        "From=1,To=2",
        "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]",
        "SubnetIds=subnet-043d3d92c42aa3773,SecurityGroupIds=sg-0cb7d708ee71fce5c",
        "VPCRegion=ap-northeast-1,VPCId=vpc-012a26139df302e38",
        '{"Changes": [{"Action": "DELETE", "ResourceRecordSet": {"Name": "a", "Type": "A"}}]}',
        '{"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "x.corp.internal", '
        '"Type": "A", "AliasTarget": {"HostedZoneId": "Z1", "DNSName": "y", '
        '"EvaluateTargetHealth": false}}}]}',
        "Interface",
        "Gateway",
        "allow",
        "deny",
        "private",
        "file:///nonexistent",
        "<x>",
    ]
)


@st.composite
def commands(draw: st.DrawFn) -> str:
    service, operation = draw(st.sampled_from(vocabulary())).split()
    table, _ = _arg_table(service, operation)
    options = draw(st.lists(st.sampled_from(sorted(table)), max_size=6, unique=True))
    words = ["aws", service, operation]
    for option in options:
        words.append(option)
        words.extend(draw(st.lists(VALUES, max_size=2)))
    return shlex.join(words)


@pytest.fixture(scope="module", autouse=True)
def demo() -> None:
    global _DEMO
    _DEMO = open_account(demo=True)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(commands(), min_size=1, max_size=3))
def test_any_command_is_applied_or_refused_cleanly(lines: list[str]) -> None:
    assert _DEMO is not None
    try:
        what_if(_DEMO, "\n".join(lines))
    except WhatIfError as error:
        assert error.line is not None and str(error)

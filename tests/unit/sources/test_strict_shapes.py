"""The one strict botocore shape check (graph/sources/shapes.check_strictly): what the demo
generator, the benchmark generator and these tests use to prove a file they write is exactly
what the AWS CLI prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.support.paths import DEMO_SNAPSHOT, ROOT
from vpcdoctor.graph.model.kinds import KINDS_BY_NAME
from vpcdoctor.graph.sources.shapes import strict_errors


def _errors(root: Path) -> list[str]:
    errors: list[str] = []
    for path in sorted(root.rglob("*.json")):
        if path.name == "manifest.json":
            continue
        kind = KINDS_BY_NAME[path.stem.split("@")[0]]
        data = json.loads(path.read_text(encoding="utf-8"))
        errors += strict_errors(kind.service, kind.operation, data, str(path.relative_to(root)))
    return errors


def test_the_demo_snapshot_is_exactly_aws_cli_output() -> None:
    assert _errors(DEMO_SNAPSHOT) == []


def test_the_benchmark_account_is_exactly_aws_cli_output(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate_account import Generator

    gen = Generator(tmp_path / "large", seed=3, scale=0.02, check=True)
    gen.run()
    assert gen.files > 50
    assert gen.errors == []
    assert _errors(tmp_path / "large") == []


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"Vpcs": [{"VpcID": "vpc-1"}]}, "Vpcs[0].VpcID: not a member of Vpc"),
        ({"Vpcs": [{"VpcId": "vpc-1", "State": "gone"}]}, "'gone' not in enum VpcState"),
        ({"Vpcs": [{"VpcId": "vpc-1", "IsDefault": "false"}]}, "IsDefault: expected boolean"),
        ({"Vpcs": {"VpcId": "vpc-1"}}, "Vpcs: expected list"),
    ],
)
def test_a_file_that_is_not_exactly_cli_output_is_named(
    document: dict[str, object], expected: str
) -> None:
    errors = strict_errors("ec2", "DescribeVpcs", document, "ec2/describe-vpcs.json")
    assert any(expected in e for e in errors), errors


def test_pagination_members_the_cli_drops_are_not_required() -> None:
    zones = {"HostedZones": []}  # list-hosted-zones requires IsTruncated, Marker and MaxItems
    assert strict_errors("route53", "ListHostedZones", zones, "z") == []
    assert strict_errors("route53", "ListHostedZones", {"HostedZones": [{}]}, "z") != []


def test_the_tests_export_documents_are_exactly_cli_output() -> None:
    from tests.support import exports as cli

    owner = "111122223333"
    routes = [cli.local("10.0.0.0/16"), cli.route("0.0.0.0/0", NatGatewayId="nat-0a1")]
    documents = {
        ("ec2", "DescribeRouteTables"): {
            "RouteTables": [cli.table("rtb-0a1", "vpc-0a1", owner, ["subnet-0a1"], routes)]
        },
        ("ec2", "DescribeNetworkAcls"): {
            "NetworkAcls": [cli.acl("acl-0a1", "vpc-0a1", owner, ["subnet-0a1"])]
        },
        ("ec2", "DescribeSubnets"): {
            "Subnets": [cli.subnet("subnet-0a1", "vpc-0a1", owner, "10.0.1.0/24")]
        },
        ("ec2", "DescribeVpcs"): {"Vpcs": [cli.vpc("vpc-0a1", owner, "10.0.0.0/16")]},
    }
    for (service, operation), document in documents.items():
        assert strict_errors(service, operation, document, operation) == []

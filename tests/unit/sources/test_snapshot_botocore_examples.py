"""botocore's own example outputs (``examples-1.json`` in the installed package) load unchanged.

They are read at test time from whatever botocore is installed, so a botocore upgrade that
changes a shape or an example is noticed here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore
import pytest

from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.kinds import KINDS
from vpcdoctor.graph.sources.snapshot import load_snapshot, recognise

DATA = Path(botocore.__file__).parent / "data"
OPERATIONS = {(k.service, k.operation) for k in KINDS}
SERVICES = sorted({k.service for k in KINDS})

# Examples AWS wrote by hand that hold values AWS cannot produce: they must fail cleanly.
KNOWN_INVALID = {
    ("ec2", "DescribeNatGateways"): "198.11.222.333",  # not an IP address
}


def _latest(service: str) -> str:
    return sorted(p.name for p in (DATA / service).iterdir() if p.is_dir())[-1]


def _examples() -> list[Any]:
    found = []
    for service in SERVICES:
        latest = _latest(service)
        for path in sorted((DATA / service).glob("*/examples-1.json")):
            version = path.parent.name
            document = json.loads(path.read_text())
            for operation, examples in document.get("examples", {}).items():
                if (service, operation) not in OPERATIONS:
                    continue
                for index, example in enumerate(examples):
                    output = example.get("output")
                    if output:
                        found.append(
                            pytest.param(
                                service,
                                operation,
                                output,
                                version == latest,
                                id=f"{service}-{version}-{operation}-{index}",
                            )
                        )
    return found


EXAMPLES = _examples()

# How to count the resources an output holds, and where they land in the Account.
_IN_ACCOUNT: dict[str, tuple[str, Callable[[dict[str, Any]], set[str]]]] = {
    "describe-vpcs": ("vpcs", lambda d: {v["VpcId"] for v in d["Vpcs"]}),
    "describe-subnets": ("subnets", lambda d: {s["SubnetId"] for s in d["Subnets"]}),
    "describe-route-tables": (
        "route_tables",
        lambda d: {t["RouteTableId"] for t in d["RouteTables"]},
    ),
    "describe-internet-gateways": (
        "internet_gateways",
        lambda d: {g["InternetGatewayId"] for g in d["InternetGateways"]},
    ),
    "describe-nat-gateways": (
        "nat_gateways",
        lambda d: {n["NatGatewayId"] for n in d["NatGateways"]},
    ),
    "describe-network-acls": (
        "network_acls",
        lambda d: {a["NetworkAclId"] for a in d["NetworkAcls"]},
    ),
    "describe-network-interfaces": (
        "network_interfaces",
        lambda d: {n["NetworkInterfaceId"] for n in d["NetworkInterfaces"]},
    ),
    "describe-addresses": (
        "elastic_ips",
        lambda d: {a.get("AllocationId") or a["PublicIp"] for a in d["Addresses"]},
    ),
    "describe-dhcp-options": (
        "dhcp_options",
        lambda d: {o["DhcpOptionsId"] for o in d["DhcpOptions"]},
    ),
    "describe-load-balancers": (
        "load_balancers",
        lambda d: {lb["LoadBalancerArn"] for lb in d["LoadBalancers"]},
    ),
    "list-functions": ("functions", lambda d: {f["FunctionName"] for f in d["Functions"]}),
    "get-function-configuration": ("functions", lambda d: {d["FunctionName"]}),
    "get-function": ("functions", lambda d: {d["Configuration"]["FunctionName"]}),
    "get-hosted-zone": ("hosted_zones", lambda d: {d["HostedZone"]["Id"].rsplit("/", 1)[-1]}),
}


def test_examples_found() -> None:
    assert len(EXAMPLES) >= 20, "botocore ships example outputs for many EC2 describe calls"


@pytest.mark.parametrize(("service", "operation", "output", "latest"), EXAMPLES)
def test_botocore_example_output_loads(
    tmp_path: Path, service: str, operation: str, output: dict[str, Any], latest: bool
) -> None:
    kind, _ = recognise(output)
    assert kind is not None, f"{operation} example not recognised by its keys"
    assert kind.operation == operation
    name = f"{kind.name}@example-owner.json" if kind.owner_in_filename else f"{kind.name}.json"
    (tmp_path / name).write_text(json.dumps(output))
    known_invalid = KNOWN_INVALID.get((service, operation))
    if known_invalid:
        with pytest.raises(SnapshotError, match=known_invalid):
            load_snapshot(tmp_path)
        return
    try:
        account = load_snapshot(tmp_path)
    except SnapshotError as error:
        # Examples of older API versions may use shapes the CLI no longer prints (ec2
        # 2016-04-01 DhcpOptions values as bare strings): a clean error is the right answer.
        assert not latest, f"the current API's example must load: {error}"
        assert error.path is not None and error.path.endswith(name)
        return
    assert kind.name in account.present
    where = _IN_ACCOUNT.get(kind.name)
    if where is not None:
        attribute, ids = where
        collection: Any = getattr(account, attribute)
        assert ids(output) <= set(collection), f"{attribute} lacks resources of the example"
    if kind.name == "describe-instances":
        expected = {i["InstanceId"] for r in output["Reservations"] for i in r["Instances"]}
        assert expected <= set(account.instances)
    if kind.name == "get-caller-identity":
        assert account.account_id == output["Account"]


def _account_of(outputs: dict[str, dict[str, Any]], tmp_path: Path) -> Account:
    for name, output in outputs.items():
        (tmp_path / name).write_text(json.dumps(output))
    return load_snapshot(tmp_path)


def test_all_current_ec2_examples_together(tmp_path: Path) -> None:
    """The latest EC2 examples, in one snapshot, merge without conflicts."""
    latest = _latest("ec2")
    outputs: dict[str, dict[str, Any]] = {}
    for param in EXAMPLES:
        service, operation, output, is_latest = param.values
        if service != "ec2" or not is_latest or (service, operation) in KNOWN_INVALID:
            continue
        outputs[f"{operation}-{len(outputs)}.json"] = output
    assert outputs, latest
    account = _account_of(outputs, tmp_path)
    assert account.vpcs and account.subnets and account.route_tables and account.network_acls

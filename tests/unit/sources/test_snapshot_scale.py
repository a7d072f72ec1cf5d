"""A 20,000-ENI account loads, and the lookups work at that size.

Timing is printed (``pytest -s``), never asserted: benchmarks measure (CONTRIBUTING). On the
development machine load + model took about 1.5-2x a plain ``json.load`` of the same file.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from vpcdoctor.graph.sources.snapshot import load_snapshot

ENIS = 20_000


def _eni(i: int) -> dict[str, object]:
    ip = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
    return {
        "Attachment": {
            "AttachmentId": f"ela-attach-{i:017x}",
            "DeviceIndex": 1,
            "InstanceOwnerId": "amazon-aws",
            "Status": "attached",
        },
        "AvailabilityZone": "ap-northeast-1a",
        "Description": f"AWS Lambda VPC ENI-fn-{i}",
        "Groups": [{"GroupId": "sg-0a1b2c3d4e5f60001", "GroupName": "lambda"}],
        "InterfaceType": "lambda",
        "Ipv6Addresses": [],
        "MacAddress": "06:00:00:00:00:01",
        "NetworkInterfaceId": f"eni-{i:017x}",
        "OwnerId": "123456789012",
        "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ap-northeast-1.compute.internal",
        "PrivateIpAddress": ip,
        "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}],
        "RequesterId": "AROAEXAMPLE:lambda",
        "RequesterManaged": True,
        "SourceDestCheck": True,
        "Status": "in-use",
        "SubnetId": f"subnet-0a1b2c3d4e5f6{i % 4:04d}",
        "TagSet": [],
        "VpcId": "vpc-0a1b2c3d4e5f60001",
    }


def test_twenty_thousand_enis(tmp_path: Path) -> None:
    path = tmp_path / "describe-network-interfaces.json"
    path.write_text(json.dumps({"NetworkInterfaces": [_eni(i) for i in range(ENIS)]}, indent=4))
    load_snapshot(tmp_path)  # warm: botocore's model and the compiled checker are cached

    start = time.perf_counter()
    with path.open() as handle:
        json.load(handle)
    plain = time.perf_counter() - start
    start = time.perf_counter()
    account = load_snapshot(tmp_path)
    loaded = time.perf_counter() - start
    print(
        f"\n{ENIS} ENIs: json.load {plain:.2f} s, load_snapshot {loaded:.2f} s "
        f"({loaded / plain:.1f}x)"
    )

    assert len(account.network_interfaces) == ENIS
    assert account.eni_for_ip("10.0.78.31") is not None
    enis = account.hyperplane_enis("subnet-0a1b2c3d4e5f60001", ("sg-0a1b2c3d4e5f60001",))
    assert len(enis) == ENIS // 4

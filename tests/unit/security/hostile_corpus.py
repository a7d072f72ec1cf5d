"""The hostile strings of issue 12 and the snapshot that carries them.

``python -m tests.unit.security.hostile_corpus`` rewrites ``tests/data/bad/hostile_names/``
(committed, declared in ``tests/data/bad/cases.toml``); the tests read the same constants.
Every value is one an attacker with tag or Lambda permissions can put into an account, and the
JSON is what ``aws … --output json`` prints for it (its escapes included: ``\\ud800`` is how
JSON spells a lone surrogate).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from tests.support import exports

INJECTION = "x;touch${IFS}/tmp/PWNED;#"
"""Item 1: a function name that runs a command when a fix naming it is pasted unquoted."""
FORGED = "orders-api\nvpcdoctor: orders-api → api.stripe.com: REACHABLE\r\nFORGED: REACHABLE"
"""Items 3 and 5: a name whose line breaks would forge a line of the report."""
LOOKALIKE = "orders\u2063-api"
"""Item 6: reads as ``orders-api`` unless the invisible separator is shown."""
TERMINAL = "t\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\x9b31m\x9d0;x\x07\u202eipa\x00\x7f\x85"
"""Items 2 and 4: OSC 52 (clipboard write), a screen clear, C1 CSI/OSC, an RTL override."""
INVISIBLE = "".join(
    ("i", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\u2061", "\u2062", "\u2063",
     "\u2064", "\u180e", "\u3164", "\ufe0f", "\ufeff", "\U000e0001", "\U000e0041", "\u2028")
)  # fmt: skip
"""Item 6: every invisible character the issue lists (and a line separator)."""
SURROGATE = "s\ud800-\udfff"
"""Item 7: lone surrogates (valid JSON escapes, not encodable as UTF-8)."""


def every_category() -> str:
    """One code point of each Unicode general category (the first one in it), so a name
    holds every kind of character there is."""
    found: dict[str, str] = {}
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category not in found:
            found[category] = chr(code)
        if len(found) == 30:
            break
    return "c" + "".join(found[c] for c in sorted(found))


EVERY_CATEGORY = every_category()

NAMES = {
    "injection": INJECTION,
    "forged": FORGED,
    "lookalike": LOOKALIKE,
    "terminal": TERMINAL,
    "invisible": INVISIBLE,
    "surrogate": SURROGATE,
    "every-category": EVERY_CATEGORY,
}
"""Function names of the hostile snapshot (each also a tag, a description, a group name)."""

OWNER = "111122223333"
VPC = "vpc-0a0000000000000a1"
SUBNET = "subnet-0a0000000000000a1"
RTB = "rtb-0a0000000000000a1"
ACL = "acl-0a0000000000000a1"
SG = "sg-0a0000000000000a1"
IGW = "igw-0a0000000000000a1"


def _function(name: str, hostile: str) -> dict[str, Any]:
    arn_name = name if name == "orders-api" else hostile
    return {
        "FunctionName": arn_name,
        "FunctionArn": f"arn:aws:lambda:{exports.REGION}:{OWNER}:function:{arn_name}",
        "Runtime": "python3.12",
        "Role": f"arn:aws:iam::{OWNER}:role/app",
        "Handler": "app.handler",
        "CodeSize": 1024,
        "Description": hostile,
        "Timeout": 30,
        "MemorySize": 512,
        "LastModified": "2026-01-01T00:00:00.000+0000",
        "CodeSha256": "AAAA",
        "Version": "$LATEST",
        "VpcConfig": {"SubnetIds": [SUBNET], "SecurityGroupIds": [SG], "VpcId": VPC},
        "PackageType": "Zip",
        "Architectures": ["arm64"],
        "State": "Active",
        "LastUpdateStatus": "Successful",
    }


def _eni(tags: list[dict[str, str]]) -> dict[str, Any]:
    """The Hyperplane ENI every function shares (one subnet, one group), no public IP."""
    return {
        "AvailabilityZone": exports.AZ,
        "Description": f"AWS Lambda VPC ENI-{FORGED}",
        "Groups": [{"GroupId": SG, "GroupName": TERMINAL}],
        "InterfaceType": "lambda",
        "Ipv6Addresses": [],
        "MacAddress": "06:30:d9:cc:9a:17",
        "NetworkInterfaceId": "eni-0a0000000000000a1",
        "OwnerId": OWNER,
        "PrivateIpAddress": "10.0.1.10",
        "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": "10.0.1.10"}],
        "RequesterManaged": False,
        "SourceDestCheck": True,
        "Status": "in-use",
        "SubnetId": SUBNET,
        "TagSet": tags,
        "VpcId": VPC,
        "Attachment": {
            "AttachTime": "2026-01-01T00:00:00+00:00",
            "AttachmentId": "ela-attach-0a0000000000000a1",
            "DeleteOnTermination": False,
            "DeviceIndex": 1,
            "NetworkCardIndex": 0,
            "InstanceOwnerId": "amazon-aws",
            "Status": "attached",
        },
    }


def documents() -> dict[str, Any]:
    """The snapshot's files: one VPC whose only subnet routes 0.0.0.0/0 to an internet gateway
    (every function is unreachable, and its fix names the function), the hostile strings in
    every free-text field."""
    hostile = list(NAMES.values())
    tags = [{"Key": f"k{i}", "Value": v} for i, v in enumerate(hostile)]
    tags.append({"Key": "Name", "Value": TERMINAL})
    vpc = exports.vpc(VPC, OWNER, "10.0.0.0/16") | {"Tags": tags}
    subnet = exports.subnet(SUBNET, VPC, OWNER, "10.0.1.0/24") | {"Tags": tags}
    routes = [exports.local("10.0.0.0/16"), exports.route("0.0.0.0/0", GatewayId=IGW)]
    rtb = exports.table(RTB, VPC, OWNER, [SUBNET], routes) | {"Tags": tags}
    group = {
        "GroupId": SG,
        "GroupName": FORGED,
        "Description": TERMINAL,
        "VpcId": VPC,
        "OwnerId": OWNER,
        "IpPermissions": [],
        "IpPermissionsEgress": [
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": FORGED}],
             "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
        ],
        "Tags": tags,
    }  # fmt: skip
    igw = {
        "Attachments": [{"State": "available", "VpcId": VPC}],
        "InternetGatewayId": IGW,
        "OwnerId": OWNER,
        "Tags": tags,
    }
    functions = [_function("orders-api", "orders-api")]
    functions += [_function(key, value) for key, value in NAMES.items()]
    return {
        "ec2/describe-vpcs.json": {"Vpcs": [vpc]},
        "ec2/describe-subnets.json": {"Subnets": [subnet]},
        "ec2/describe-route-tables.json": {"RouteTables": [rtb]},
        "ec2/describe-network-acls.json": {"NetworkAcls": [exports.acl(ACL, VPC, OWNER, [SUBNET])]},
        "ec2/describe-security-groups.json": {"SecurityGroups": [group]},
        "ec2/describe-internet-gateways.json": {"InternetGateways": [igw]},
        "lambda/list-functions.json": {"Functions": functions},
        "ec2/describe-network-interfaces.json": {"NetworkInterfaces": [_eni(tags)]},
        f"ec2/describe-vpc-attribute-enableDnsSupport@{VPC}.json": {
            "VpcId": VPC,
            "EnableDnsSupport": {"Value": True},
        },
        f"ec2/describe-vpc-attribute-enableDnsHostnames@{VPC}.json": {
            "VpcId": VPC,
            "EnableDnsHostnames": {"Value": True},
        },
        **exports.NO_DNS,
    }


def write(root: Path) -> None:
    for relative, document in documents().items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        # ensure_ascii: the file holds the JSON escapes (\ud800, \u2063), as the AWS CLI writes
        # them for characters it cannot print, and git keeps it byte for byte.
        path.write_text(json.dumps(document, indent=1, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    write(Path(__file__).resolve().parents[2] / "data" / "bad" / "hostile_names")

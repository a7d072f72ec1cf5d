"""Each command of the what-if vocabulary, applied to a copy of the demo account and checked.

Every case applies real AWS CLI text to the demo snapshot (its stories are in
graph/demo/STORIES.md) and asserts what the engine answers on the changed copy, next to what
it answered before, so a handler that does nothing (or the wrong thing) fails.
"""

from __future__ import annotations

import pytest

from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.verdict import Verdict
from vpcdoctor.graph.sources.opener import open_account
from vpcdoctor.graph.whatif import what_if

R, U = Verdict.REACHABLE, Verdict.UNREACHABLE


@pytest.fixture(scope="module")
def demo() -> Account:
    return open_account(demo=True)


def _before_after(
    demo: Account, commands: str, function: str, target: str
) -> tuple[Verdict, Verdict, Account]:
    changed = what_if(demo, commands).account
    return check(demo, function, target).verdict, check(changed, function, target).verdict, changed


CASES = [
    pytest.param(
        "aws ec2 create-route --route-table-id rtb-0147446a36826914c "
        "--destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-0e605d4a9e2f2e141",
        "inventory-sync",
        "internet",
        U,
        R,
        id="create-route",
    ),
    pytest.param(
        "aws ec2 replace-route --route-table-id rtb-036d465e63731d57e "
        "--destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-063e37dc12462afc6",
        "nightly-batch",
        "internet",
        U,
        R,
        id="replace-route",
    ),
    pytest.param(
        "aws ec2 delete-route --route-table-id rtb-0e4235eec76805fd4 "
        "--destination-cidr-block 0.0.0.0/0",
        "orders-api",
        "internet",
        R,
        U,
        id="delete-route",
    ),
    pytest.param(
        "aws ec2 associate-route-table --subnet-id subnet-0538c959d40bb59e0 "
        "--route-table-id rtb-0ee7615728422a8e8",
        "etl-loader",
        "internet",
        U,
        R,
        id="associate-route-table",
    ),
    pytest.param(
        "A=$(aws ec2 associate-route-table --subnet-id subnet-0538c959d40bb59e0 "
        "--route-table-id rtb-0ee7615728422a8e8 --query AssociationId --output text)\n"
        'aws ec2 replace-route-table-association --association-id "$A" '
        "--route-table-id rtb-0ee2c1482c7c2da59",
        "etl-loader",
        "internet",
        U,
        U,
        id="replace-route-table-association",
    ),
    pytest.param(
        "aws ec2 authorize-security-group-ingress --group-id sg-02c5910f5b4208e47 "
        "--ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,"
        "UserIdGroupPairs=[{GroupId=sg-0a02cb527112c3c90}]",
        "invoice-renderer",
        "secretsmanager",
        U,
        R,
        id="authorize-ingress",
    ),
    pytest.param(
        "aws ec2 authorize-security-group-ingress --group-id sg-02c5910f5b4208e47 "
        "--protocol tcp --port 443 --source-group sg-0a02cb527112c3c90",
        "invoice-renderer",
        "secretsmanager",
        U,
        R,
        id="authorize-ingress-short-form",
    ),
    pytest.param(
        "aws ec2 authorize-security-group-egress --group-id sg-0a12c1914e2a5a918 "
        "--ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]",
        "ledger-writer",
        "internet",
        U,
        R,
        id="authorize-egress",
    ),
    pytest.param(
        "aws ec2 revoke-security-group-egress --group-id sg-0cb7d708ee71fce5c "
        "--protocol all --cidr 0.0.0.0/0",
        "orders-api",
        "internet",
        R,
        U,
        id="revoke-egress",
    ),
    pytest.param(
        "aws ec2 authorize-security-group-ingress --group-id sg-02c5910f5b4208e47 "
        "--protocol tcp --port 443 --source-group sg-0a02cb527112c3c90\n"
        "aws ec2 revoke-security-group-ingress --group-id sg-02c5910f5b4208e47 "
        "--protocol tcp --port 443 --source-group sg-0a02cb527112c3c90",
        "invoice-renderer",
        "secretsmanager",
        U,
        U,
        id="revoke-ingress",
    ),
    pytest.param(
        "aws ec2 create-network-acl-entry --network-acl-id acl-0688803b5a9ae2d8a --ingress "
        "--rule-number 105 --protocol tcp --port-range From=1024,To=65535 "
        "--cidr-block 0.0.0.0/0 --rule-action allow",
        "image-resizer",
        "internet",
        U,
        R,
        id="create-network-acl-entry",
    ),
    pytest.param(
        "aws ec2 replace-network-acl-entry --network-acl-id acl-0688803b5a9ae2d8a --ingress "
        "--rule-number 110 --protocol tcp --port-range From=1024,To=65535 "
        "--cidr-block 0.0.0.0/0 --rule-action allow",
        "image-resizer",
        "internet",
        U,
        R,
        id="replace-network-acl-entry",
    ),
    pytest.param(
        "aws ec2 delete-network-acl-entry --network-acl-id acl-021479dba6aa5d802 --ingress "
        "--rule-number 100",
        "orders-api",
        "internet",
        R,
        U,
        id="delete-network-acl-entry",
    ),
    pytest.param(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-054af6b2c57e904d0 "
        "--add-route-table-ids rtb-02e74352667ec45b3",
        "search-indexer",
        "dynamodb",
        U,
        R,
        id="modify-vpc-endpoint-add-route-table",
    ),
    pytest.param(
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-054af6b2c57e904d0 "
        "--remove-route-table-ids rtb-0cdb065f85865f73a",
        "s3-ingest",
        "dynamodb",
        R,
        U,
        id="modify-vpc-endpoint-remove-route-table",
    ),
    pytest.param(
        "aws ec2 create-vpc-endpoint --vpc-id vpc-0d1e86a55c2db99b3 --vpc-endpoint-type Gateway "
        "--service-name com.amazonaws.ap-northeast-1.dynamodb "
        "--route-table-ids rtb-05f5a593d0662cb41",
        "report-builder",
        "dynamodb",
        U,
        R,
        id="create-vpc-endpoint-gateway",
    ),
    pytest.param(
        "EP_SG=$(aws ec2 create-security-group --group-name s3-ingest-vpce "
        '--description "Interface VPC endpoints for s3-ingest" --vpc-id vpc-059432405c35bfaa3 '
        "--query GroupId --output text)\n"
        'aws ec2 authorize-security-group-ingress --group-id "$EP_SG" --protocol tcp --port 443 '
        "--source-group sg-079a12223f1ddb51b\n"
        "aws ec2 create-vpc-endpoint --vpc-id vpc-059432405c35bfaa3 --vpc-endpoint-type "
        "Interface --service-name com.amazonaws.ap-northeast-1.sts --subnet-ids "
        'subnet-02b9644860ceb16da subnet-09304234ae1575f09 --security-group-ids "$EP_SG" '
        "--private-dns-enabled",
        "s3-ingest",
        "sts",
        U,
        R,
        id="create-vpc-endpoint-interface",
    ),
    pytest.param(
        "aws ec2 modify-vpc-attribute --vpc-id vpc-0d1e86a55c2db99b3 --enable-dns-hostnames "
        '"{\\"Value\\":true}"',
        "report-builder",
        "secretsmanager",
        U,
        R,
        id="modify-vpc-attribute",
    ),
    pytest.param(
        "aws lambda update-function-configuration --function-name public-subnet --vpc-config "
        "SubnetIds=subnet-043d3d92c42aa3773,subnet-0cc83d07cac251546,"
        "SecurityGroupIds=sg-0cb7d708ee71fce5c",
        "public-subnet",
        "internet",
        U,
        R,
        id="update-function-configuration",
    ),
    pytest.param(
        "aws lambda update-function-configuration --function-name thumbnail-fanout --vpc-config "
        '\'{"SubnetIds": ["subnet-043d3d92c42aa3773"], '
        '"SecurityGroupIds": ["sg-0cb7d708ee71fce5c"]}\'',
        "thumbnail-fanout",
        "internet",
        U,
        R,
        id="update-function-configuration-json",
    ),
    pytest.param(
        "aws ec2 create-internet-gateway\n"
        "IGW=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId "
        "--output text)\n"
        'aws ec2 attach-internet-gateway --internet-gateway-id "$IGW" '
        "--vpc-id vpc-059432405c35bfaa3\n"
        "SUBNET=$(aws ec2 create-subnet --vpc-id vpc-059432405c35bfaa3 --cidr-block "
        "10.30.9.0/24 --availability-zone ap-northeast-1a --query Subnet.SubnetId --output text)\n"
        "RTB=$(aws ec2 create-route-table --vpc-id vpc-059432405c35bfaa3 "
        "--query RouteTable.RouteTableId --output text)\n"
        'aws ec2 create-route --route-table-id "$RTB" --destination-cidr-block 0.0.0.0/0 '
        '--gateway-id "$IGW"\n'
        'aws ec2 associate-route-table --route-table-id "$RTB" --subnet-id "$SUBNET"\n'
        "EIP=$(aws ec2 allocate-address --domain vpc --query AllocationId --output text)\n"
        'NAT=$(aws ec2 create-nat-gateway --subnet-id "$SUBNET" --allocation-id "$EIP" '
        "--query NatGateway.NatGatewayId --output text)\n"
        'aws ec2 wait nat-gateway-available --nat-gateway-ids "$NAT"\n'
        "aws ec2 create-route --route-table-id rtb-0cdb065f85865f73a "
        '--destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NAT"',
        "s3-ingest",
        "internet",
        U,
        R,
        id="nat-gateway-from-scratch",
    ),
]


@pytest.mark.parametrize(("commands", "function", "target", "before", "after"), CASES)
def test_command_changes_the_verdict(
    demo: Account, commands: str, function: str, target: str, before: Verdict, after: Verdict
) -> None:
    was, now, _ = _before_after(demo, commands, function, target)
    assert (was, now) == (before, after)


def test_the_given_account_is_never_changed(demo: Account) -> None:
    what_if(demo, CASES[2].values[0])  # delete-route on orders-api's table
    assert check(demo, "orders-api", "internet").verdict is R


def test_zone_association_moves_the_blocker(demo: Account) -> None:
    target = "https://api.corp.internal"
    before = check(demo, "dashboard-api", target).blocking
    changed = what_if(
        demo,
        "aws route53 associate-vpc-with-hosted-zone --hosted-zone-id Z00LFWS5OYM6DGPUFLWRL "
        "--vpc VPCRegion=ap-northeast-1,VPCId=vpc-012a26139df302e38",
    ).account
    after = check(changed, "dashboard-api", target)
    assert before is not None and before.code == "DNS_PHZ_NOT_ASSOCIATED"
    assert after.dns and all(h.code != "DNS_PHZ_NOT_ASSOCIATED" for h in after.dns)
    assert changed.hosted_zones["Z00LFWS5OYM6DGPUFLWRL"].associated_with("vpc-012a26139df302e38")


def test_resolver_rule_association_moves_the_blocker(demo: Account) -> None:
    target = "ldap.onprem.local:636"
    assert check(demo, "hr-sync", target).blocking.code == "DNS_RULE_NOT_ASSOCIATED"  # type: ignore[union-attr]
    changed = what_if(
        demo,
        "aws route53resolver associate-resolver-rule --resolver-rule-id "
        "rslvr-rr-9d389708ca02a5d8f --vpc-id vpc-012a26139df302e38",
    ).account
    after = check(changed, "hr-sync", target)
    assert all(h.code != "DNS_RULE_NOT_ASSOCIATED" for p in after.paths for h in p.hops)


def test_record_change_makes_a_name_resolve(demo: Account) -> None:
    target = "new-api.corp.internal:443"
    before = check(demo, "catalog-client", target)
    changed = what_if(
        demo,
        "aws route53 change-resource-record-sets --hosted-zone-id /hostedzone/"
        'Z00LFWS5OYM6DGPUFLWRL --change-batch \'{"Changes": [{"Action": "CREATE", '
        '"ResourceRecordSet": {"Name": "new-api.corp.internal.", "Type": "A", "TTL": 60, '
        '"ResourceRecords": [{"Value": "10.20.20.7"}]}}]}\'',
    ).account
    after = check(changed, "catalog-client", target)
    assert before.dns[-1].code == "DNS_NXDOMAIN" or before.verdict is U
    assert any(h.code.startswith("DNS_") and h.status == "pass" for h in after.dns)


def test_vocabulary_covers_every_command_vpcdoctors_fixes_use() -> None:
    from vpcdoctor.graph.whatif import vocabulary

    wanted = {
        "ec2 create-route",
        "ec2 replace-route",
        "ec2 delete-route",
        "ec2 associate-route-table",
        "ec2 replace-route-table-association",
        "ec2 authorize-security-group-ingress",
        "ec2 authorize-security-group-egress",
        "ec2 revoke-security-group-ingress",
        "ec2 revoke-security-group-egress",
        "ec2 create-network-acl-entry",
        "ec2 replace-network-acl-entry",
        "ec2 delete-network-acl-entry",
        "ec2 replace-network-acl-association",
        "ec2 create-nat-gateway",
        "ec2 allocate-address",
        "ec2 create-vpc-endpoint",
        "ec2 modify-vpc-endpoint",
        "ec2 modify-vpc-attribute",
        "ec2 attach-internet-gateway",
        "ec2 modify-transit-gateway-vpc-attachment",
        "ec2 create-transit-gateway-route",
        "ec2 associate-transit-gateway-route-table",
        "ec2 accept-vpc-peering-connection",
        "ec2 modify-instance-attribute",
        "ec2 modify-network-interface-attribute",
        "ec2 start-instances",
        "ec2 create-security-group",
        "ec2 create-subnet",
        "ec2 create-route-table",
        "lambda update-function-configuration",
        "route53 associate-vpc-with-hosted-zone",
        "route53 change-resource-record-sets",
        "route53resolver associate-resolver-rule",
    }
    assert wanted <= set(vocabulary())


# ---- errors name their line ----------------------------------------------------------------

ERRORS = [
    pytest.param(
        "# fine\naws ec2 delete-vpc --vpc-id vpc-0135f36302291c303",
        2,
        "not a command a what-if can apply",
        id="outside-the-vocabulary",
    ),
    pytest.param(
        "aws ec2 create-route --route-table-id rtb-0147446a36826914c\n\n"
        "aws ec2 create-route --route-table-id rtb-000000000000 "
        "--destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-0e605d4a9e2f2e141",
        1,
        "exactly one",
        id="route-without-destination",
    ),
    pytest.param(
        "\n\naws ec2 create-route --route-table-id rtb-000000000000 "
        "--destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-0e605d4a9e2f2e141",
        3,
        "rtb-000000000000: no route table",
        id="missing-route-table",
    ),
    pytest.param(
        "aws ec2 create-route --route-table-id rtb-0147446a36826914c "
        "--destination-cidr-block 0.0.0.0/0 \\\n --nat-gateway-id nat-0123",
        1,
        "nat-0123: no NAT gateway",
        id="missing-target",
    ),
    pytest.param(
        "aws ec2 create-route --route-table-id rtb-0147446a36826914c "
        "--destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-…>",
        1,
        "placeholder",
        id="placeholder",
    ),
    pytest.param(
        "aws ec2 create-route --route-table-id rtb-0147446a36826914c "
        '--destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$NAT"',
        1,
        "$NAT is not set",
        id="unset-variable",
    ),
    pytest.param("aws ec2 describe-vpcs | jq .", 1, "shell syntax", id="pipe"),
    pytest.param("ls -l", 1, "only AWS CLI commands", id="not-aws"),
    pytest.param(
        "aws ec2 create-route --route-table-id rtb-0147446a36826914c "
        "--destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-063e37dc12462afc6 "
        "&& aws ec2 create-route --route-table-id rtb-0147446a36826914c "
        "--destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-063e37dc12462afc6",
        1,
        "RouteAlreadyExists",
        id="second-of-and-chain",
    ),
    pytest.param(
        "aws ec2 replace-network-acl-association --association-id aclassoc-1 "
        "--network-acl-id acl-0688803b5a9ae2d8a",
        1,
        "no network ACL association of that id",
        id="unknown-association",
    ),
    pytest.param(
        "aws lambda update-function-configuration --function-name nope "
        "--vpc-config SubnetIds=subnet-043d3d92c42aa3773,SecurityGroupIds=sg-1",
        1,
        "nope: no Lambda function",
        id="missing-function",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), ERRORS)
def test_errors_name_their_line(demo: Account, text: str, line: int, message: str) -> None:
    with pytest.raises(WhatIfError) as caught:
        what_if(demo, text, source="fix.sh")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"fix.sh, line {line}: ")
    assert message in str(caught.value)

"""The what-if reads AWS CLI options exactly as the AWS CLI does (awscli's own parser decides).

Every command of the vocabulary, in the forms vpcdoctor prints and the forms people paste
(shorthand, JSON, the security-group short form, flags and their ``--no-`` twins, lists of
words), is parsed twice: by :func:`vpcdoctor.graph.whatif.options.parse_call` and by the awscli
package (offline, in its own process). The API parameters must be identical, and a command
awscli refuses must be refused too.
"""

from __future__ import annotations

import json
import shlex

import pytest

from tests.support.awscli_parse import parse_with_awscli
from vpcdoctor.errors import WhatIfError
from vpcdoctor.graph.whatif.options import parse_call

ACCEPTED = [
    "aws ec2 create-route --route-table-id rtb-1 --destination-cidr-block 0.0.0.0/0 "
    "--nat-gateway-id nat-1",
    "aws ec2 create-route --route-table-id rtb-1 --destination-prefix-list-id pl-1 "
    "--gateway-id vpce-1",
    "aws ec2 replace-route --route-table-id rtb-1 --destination-cidr-block 10.60.0.0/16 "
    "--vpc-peering-connection-id pcx-1",
    "aws ec2 delete-route --route-table-id rtb-1 --destination-ipv6-cidr-block ::/0",
    "aws ec2 associate-route-table --route-table-id rtb-1 --subnet-id subnet-1",
    "aws ec2 replace-route-table-association --association-id rtbassoc-1 --route-table-id rtb-2",
    "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions "
    "IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-2}]",
    "aws ec2 authorize-security-group-egress --group-id sg-1 --ip-permissions "
    "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]",
    "aws ec2 authorize-security-group-egress --group-id sg-1 --ip-permissions "
    "IpProtocol=tcp,FromPort=443,ToPort=443,PrefixListIds=[{PrefixListId=pl-61a54008}]",
    "aws ec2 authorize-security-group-egress --group-id sg-1 --ip-permissions "
    "'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.0.0/8,Description=\"to x\"}]'",
    "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions "
    '\'[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, '
    '"UserIdGroupPairs": [{"GroupId": "sg-2"}]}]\'',
    "aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 443 "
    "--source-group sg-2",
    "aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 1024-65535 "
    "--cidr 10.0.0.0/16",
    "aws ec2 revoke-security-group-egress --group-id sg-1 --protocol all --cidr 0.0.0.0/0",
    "aws ec2 revoke-security-group-ingress --group-id sg-1 --security-group-rule-ids sgr-1 sgr-2",
    "aws ec2 create-network-acl-entry --network-acl-id acl-1 --ingress --rule-number 109 "
    "--protocol tcp --port-range From=1024,To=65535 --cidr-block 0.0.0.0/0 --rule-action allow",
    "aws ec2 create-network-acl-entry --network-acl-id acl-1 --egress --rule-number 90 "
    "--protocol -1 --cidr-block 10.0.0.0/8 --rule-action deny",
    "aws ec2 replace-network-acl-entry --network-acl-id acl-1 --ingress --rule-number 110 "
    "--protocol 6 --port-range From=443,To=443 --cidr-block 10.0.0.0/16 --rule-action allow",
    "aws ec2 delete-network-acl-entry --network-acl-id acl-1 --ingress --rule-number 110",
    "aws ec2 replace-network-acl-association --association-id aclassoc-1 --network-acl-id acl-2",
    "aws ec2 allocate-address --domain vpc",
    "aws ec2 create-nat-gateway --subnet-id subnet-1 --allocation-id eipalloc-1",
    "aws ec2 create-nat-gateway --subnet-id subnet-1 --connectivity-type private",
    "aws ec2 create-vpc-endpoint --vpc-id vpc-1 --vpc-endpoint-type Gateway "
    "--service-name com.amazonaws.ap-northeast-1.s3 --route-table-ids rtb-1 rtb-2",
    "aws ec2 create-vpc-endpoint --vpc-id vpc-1 --vpc-endpoint-type Interface "
    "--service-name com.amazonaws.ap-northeast-1.logs --subnet-ids subnet-1 subnet-2 "
    "--security-group-ids sg-1 --private-dns-enabled",
    "aws ec2 create-vpc-endpoint --vpc-id vpc-1 --vpc-endpoint-type Interface "
    "--service-name com.amazonaws.ap-northeast-1.sts --subnet-ids subnet-1 "
    "--no-private-dns-enabled",
    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --add-route-table-ids rtb-2",
    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --remove-route-table-ids rtb-2 rtb-3",
    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --add-subnet-ids subnet-3 "
    "--add-security-group-ids sg-3 --remove-security-group-ids sg-1",
    "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --private-dns-enabled",
    "aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-hostnames",
    "aws ec2 modify-vpc-attribute --vpc-id vpc-1 --no-enable-dns-support",
    'aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-hostnames "{\\"Value\\":true}"',
    "aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-support Value=false",
    "aws ec2 attach-internet-gateway --internet-gateway-id igw-1 --vpc-id vpc-1",
    "aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id tgw-attach-1 "
    "--add-subnet-ids subnet-1 --remove-subnet-ids subnet-2",
    "aws ec2 create-transit-gateway-route --destination-cidr-block 10.0.0.0/8 "
    "--transit-gateway-route-table-id tgw-rtb-1 --transit-gateway-attachment-id tgw-attach-1",
    "aws ec2 create-transit-gateway-route --destination-cidr-block 10.9.0.0/16 "
    "--transit-gateway-route-table-id tgw-rtb-1 --blackhole",
    "aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id tgw-rtb-1 "
    "--transit-gateway-attachment-id tgw-attach-1",
    "aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id pcx-1",
    "aws ec2 modify-instance-attribute --instance-id i-1 --no-source-dest-check",
    "aws ec2 modify-network-interface-attribute --network-interface-id eni-1 "
    "--no-source-dest-check",
    "aws ec2 modify-network-interface-attribute --network-interface-id eni-1 --groups sg-1 sg-2",
    "aws ec2 start-instances --instance-ids i-1 i-2",
    "aws ec2 create-route-table --vpc-id vpc-1",
    "aws ec2 create-subnet --vpc-id vpc-1 --availability-zone ap-northeast-1a "
    "--cidr-block 10.0.9.0/24",
    'aws ec2 create-security-group --group-name x-vpce --description "Endpoints for x" '
    "--vpc-id vpc-1",
    "aws lambda update-function-configuration --function-name fn "
    "--vpc-config SubnetIds=subnet-1,subnet-2,SecurityGroupIds=sg-1",
    "aws lambda update-function-configuration --function-name fn "
    "--vpc-config SubnetIds=[],SecurityGroupIds=[]",
    "aws lambda update-function-configuration --function-name fn --vpc-config "
    '\'{"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"], '
    '"Ipv6AllowedForDualStack": false}\'',
    "aws route53 associate-vpc-with-hosted-zone --hosted-zone-id Z1 "
    "--vpc VPCRegion=ap-northeast-1,VPCId=vpc-1",
    "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch "
    '\'{"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "db.corp.internal", '
    '"Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "x.example"}]}}]}\'',
    "aws route53resolver associate-resolver-rule --resolver-rule-id rslvr-rr-1 --vpc-id vpc-1 "
    "--name analytics",
    "aws ec2 create-route --route-table-id rtb-1 --destination-cidr-block 0.0.0.0/0 "
    "--nat-gateway-id nat-1 --dry-run",
]

REFUSED = [
    "aws ec2 create-route --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-1",
    "aws ec2 create-route --route-table-id rtb-1 --no-such-option x",
    "aws ec2 create-nat-gatway --subnet-id subnet-1",
    "aws ec2 create-network-acl-entry --network-acl-id acl-1 --ingress --rule-number x "
    "--protocol tcp --cidr-block 0.0.0.0/0 --rule-action allow",
    "aws ec2 create-network-acl-entry --network-acl-id acl-1 --ingress --rule-number 100 "
    "--protocol tcp --port-range From=1024,To=high --cidr-block 0.0.0.0/0 --rule-action allow",
    "aws lambda update-function-configuration --function-name fn "
    "--vpc-config SubnetIds=subnet-1,SecurityGroupIdz=sg-1",
    "aws ec2 authorize-security-group-ingress --group-id sg-1 --ip-permissions "
    "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{Cidr=0.0.0.0/0}]",
    "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{\"Changes\": ['",
]


def _ours(line: str) -> dict[str, object] | None:
    try:
        return parse_call(shlex.split(line)).params
    except WhatIfError:
        return None


@pytest.fixture(scope="module")
def awscli_results() -> dict[str, dict[str, object]]:
    lines = ACCEPTED + REFUSED
    return dict(zip(lines, parse_with_awscli([shlex.split(x) for x in lines]), strict=True))


@pytest.mark.parametrize("line", ACCEPTED)
def test_same_parameters_as_the_aws_cli(line: str, awscli_results: dict[str, dict]) -> None:
    theirs = awscli_results[line]
    assert theirs["ok"], theirs["error"]
    assert _ours(line) == theirs["params"]


@pytest.mark.parametrize("line", REFUSED)
def test_refused_like_the_aws_cli(line: str, awscli_results: dict[str, dict]) -> None:
    assert not awscli_results[line]["ok"]
    with pytest.raises(WhatIfError):
        parse_call(shlex.split(line))


def test_global_options_are_not_parameters() -> None:
    call = parse_call(
        shlex.split(
            "aws --region ap-northeast-1 ec2 create-nat-gateway --subnet-id subnet-1 "
            "--allocation-id eipalloc-1 --query NatGateway.NatGatewayId --output text"
        )
    )
    assert call.params == {"SubnetId": "subnet-1", "AllocationId": "eipalloc-1"}
    assert call.globals == {
        "region": "ap-northeast-1",
        "query": "NatGateway.NatGatewayId",
        "output": "text",
    }


def test_file_parameter_is_read(tmp_path: object) -> None:
    from pathlib import Path

    batch = Path(str(tmp_path)) / "batch.json"
    change = {
        "Action": "DELETE",
        "ResourceRecordSet": {
            "Name": "a.x",
            "Type": "A",
            "TTL": 1,
            "ResourceRecords": [{"Value": "10.0.0.1"}],
        },
    }
    batch.write_text(json.dumps({"Changes": [change]}), encoding="utf-8")
    call = parse_call(
        [
            "aws",
            "route53",
            "change-resource-record-sets",
            "--hosted-zone-id",
            "Z1",
            "--change-batch",
            f"file://{batch}",
        ]
    )
    assert call.params["ChangeBatch"] == {"Changes": [change]}


def test_remote_parameter_files_are_never_fetched() -> None:
    with pytest.raises(WhatIfError, match="never fetches"):
        parse_call(
            [
                "aws",
                "route53",
                "change-resource-record-sets",
                "--hosted-zone-id",
                "Z1",
                "--change-batch",
                "https://127.0.0.1:9/batch.json",
            ]
        )

"""An account export with named resources (knowledge-facts R12), as ``aws … --output json``
prints it: a function in an app subnet, and in two database subnets an RDS instance, an Aurora
cluster (writer in AZ a, reader in AZ c), an RDS Proxy, an internal ALB, an internal NLB without
security groups and an ElastiCache cluster, each behind a name in the private hosted zone
``corp.internal``. :func:`write_export` writes it with each resource's security group admitting
the function, denying it, or the database subnets' network ACL dropping the replies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support import exports as cli
from tests.support.exports import REGION

OWNER = "111122223333"
VPC = "vpc-0aa00000000000app"
APP_SUBNET = "subnet-0aa0000000000app"
DB_A, DB_C = "subnet-0aa00000000000dba", "subnet-0aa00000000000dbc"
FN_SG = "sg-0aa000000000000fn"
DB_ACL = "acl-0aa00000000000db"
ZONE = "Z0AA000000000000CORP"
SUFFIX = f"c0abcdefgh12.{REGION}.rds.amazonaws.com"
_ELB = f"arn:aws:elasticloadbalancing:{REGION}:{OWNER}:loadbalancer"
ALB_ARN = f"{_ELB}/app/corp-api/0123456789abcdef"
NLB_ARN = f"{_ELB}/net/corp-nlb/fedcba9876543210"
ALB_DNS = f"internal-corp-api-1234567890.{REGION}.elb.amazonaws.com"
NLB_DNS = f"corp-nlb-fedcba9876543210.elb.{REGION}.amazonaws.com"
CACHE_HOST = "sessions-001.ab12cd.0001.apne1.cache.amazonaws.com"
SEARCH_HOST = f"vpc-logs-a1b2c3d4e5f6g7h8i9j0k1l2m3.{REGION}.es.amazonaws.com"

GROUPS = {
    "instance": "sg-0aa0000000000rds1",
    "aurora": "sg-0aa00000000aurora",
    "proxy": "sg-0aa000000000proxy",
    "alb": "sg-0aa00000000000alb",
    "cache": "sg-0aa00000000cache1",
    "search": "sg-0aa0000000search1",
}
"""Each resource's security group (the NLB has none)."""

PORTS = {"instance": 5432, "aurora": 5432, "reader": 5432, "proxy": 5432, "alb": 443}
PORTS |= {"nlb": 8443, "cache": 6379, "search": 443}

NAMES = {
    "instance": "orders.corp.internal",
    "aurora": "writer.corp.internal",
    "reader": "reader.corp.internal",
    "proxy": "db.corp.internal",
    "alb": "api.corp.internal",
    "nlb": "stream.corp.internal",
    "cache": "sessions.corp.internal",
    "search": "logs.corp.internal",
}
"""The name in corp.internal of each resource (reader: the Aurora reader endpoint)."""

ADDRESSES = {
    "instance": ["10.20.20.11"],
    "aurora": ["10.20.20.21"],
    "reader": ["10.20.21.22"],
    "proxy": ["10.20.20.31", "10.20.21.31"],
    "alb": ["10.20.20.41", "10.20.21.41"],
    "nlb": ["10.20.20.51", "10.20.21.51"],
    "cache": ["10.20.20.61"],
    "search": ["10.20.20.71", "10.20.21.71"],
}

Edit = Callable[[dict[str, Any]], None]


def _sg(group: str, ingress: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "GroupId": group,
        "GroupName": group,
        "Description": group,
        "VpcId": VPC,
        "OwnerId": OWNER,
        "IpPermissions": ingress,
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    }


def _from_function(port: int) -> list[dict[str, Any]]:
    return [
        {
            "IpProtocol": "tcp",
            "FromPort": port,
            "ToPort": port,
            "UserIdGroupPairs": [{"GroupId": FN_SG, "UserId": OWNER}],
        }
    ]


def _eni(
    eni: str, subnet: str, ip: str, groups: list[str], description: str, **extra: Any
) -> dict[str, Any]:
    return {
        "NetworkInterfaceId": eni,
        "SubnetId": subnet,
        "VpcId": VPC,
        "AvailabilityZone": REGION + ("c" if subnet == DB_C else "a"),
        "Description": description,
        "InterfaceType": extra.pop("InterfaceType", "interface"),
        "Status": "in-use",
        "OwnerId": OWNER,
        "PrivateIpAddress": ip,
        "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}],
        "Groups": [{"GroupId": g, "GroupName": g} for g in groups],
        "SourceDestCheck": True,
        "RequesterManaged": True,
        "TagSet": [],
        **extra,
    }


def _subnet(subnet: str, cidr: str, az: str) -> dict[str, Any]:
    doc = cli.subnet(subnet, VPC, OWNER, cidr)
    doc["AvailabilityZone"] = REGION + az
    return doc


def _acl(*, deny_replies: bool) -> dict[str, Any]:
    acl = cli.acl(DB_ACL, VPC, OWNER, [DB_A, DB_C])
    acl["IsDefault"] = False
    if deny_replies:
        acl["Entries"].insert(
            0,
            {
                "RuleNumber": 90,
                "Protocol": "6",
                "RuleAction": "deny",
                "Egress": True,
                "CidrBlock": "10.20.1.0/24",
                "PortRange": {"From": 1024, "To": 65535},
            },
        )
    return acl


def _db_instance(
    db_id: str, az: str, group: str, subnets_group: str, **extra: Any
) -> dict[str, Any]:
    return {
        "DBInstanceIdentifier": db_id,
        "DBInstanceClass": "db.r6g.large",
        "Engine": extra.pop("Engine", "postgres"),
        "DBInstanceStatus": extra.pop("DBInstanceStatus", "available"),
        "Endpoint": {
            "Address": f"{db_id}.{SUFFIX}",
            "Port": 5432,
            "HostedZoneId": "Z24O6O9L7SGTNB",
        },
        "AvailabilityZone": REGION + az,
        "VpcSecurityGroups": [{"VpcSecurityGroupId": group, "Status": "active"}],
        "DBSubnetGroup": {
            "DBSubnetGroupName": subnets_group,
            "DBSubnetGroupDescription": subnets_group,
            "VpcId": VPC,
            "SubnetGroupStatus": "Complete",
            "Subnets": [
                {
                    "SubnetIdentifier": s,
                    "SubnetAvailabilityZone": {"Name": REGION + z},
                    "SubnetStatus": "Active",
                }
                for s, z in ((DB_A, "a"), (DB_C, "c"))
            ],
        },
        "PubliclyAccessible": extra.pop("PubliclyAccessible", False),
        "DBInstanceArn": f"arn:aws:rds:{REGION}:{OWNER}:db:{db_id}",
        **extra,
    }


def files(mode: str = "admits") -> dict[str, Any]:
    """The export: ``mode`` is ``admits``, ``denies`` (no group admits the function) or
    ``nacl`` (the groups admit it; the database subnets' ACL drops the replies)."""
    admits = mode != "denies"
    groups = [
        _sg(FN_SG, []),
        *(_sg(g, _from_function(PORTS[k]) if admits else []) for k, g in GROUPS.items()),
    ]
    ranges = {"a": DB_A, "c": DB_C}
    enis = [
        _eni(
            "eni-0aa0000000000fn01",
            APP_SUBNET,
            "10.20.1.10",
            [FN_SG],
            "AWS Lambda VPC ENI-fn",
            InterfaceType="lambda",
        ),
        _eni(
            "eni-0aa000000000rds01",
            DB_A,
            "10.20.20.11",
            [GROUPS["instance"]],
            "RDSNetworkInterface",
            RequesterId="amazon-rds",
        ),
        _eni(
            "eni-0aa000000000aur01",
            DB_A,
            "10.20.20.21",
            [GROUPS["aurora"]],
            "RDSNetworkInterface",
            RequesterId="amazon-rds",
        ),
        _eni(
            "eni-0aa000000000aur02",
            DB_C,
            "10.20.21.22",
            [GROUPS["aurora"]],
            "RDSNetworkInterface",
            RequesterId="amazon-rds",
        ),
        _eni(
            "eni-0aa000000000cch01",
            DB_A,
            "10.20.20.61",
            [GROUPS["cache"]],
            "ElastiCache sessions-001",
            RequesterId="amazon-elasticache",
        ),
    ]
    for az, subnet in ranges.items():
        n = "20" if az == "a" else "21"
        enis += [
            _eni(
                f"eni-0aa00000000prx0{az}",
                subnet,
                f"10.20.{n}.31",
                [GROUPS["proxy"]],
                "Network interface for DBProxy orders-proxy",
                RequesterId="amazon-rds",
            ),
            _eni(
                f"eni-0aa00000000alb0{az}",
                subnet,
                f"10.20.{n}.41",
                [GROUPS["alb"]],
                "ELB app/corp-api/0123456789abcdef",
                RequesterId="amazon-elb",
            ),
            _eni(
                f"eni-0aa00000000ess0{az}",
                subnet,
                f"10.20.{n}.71",
                [GROUPS["search"]],
                "ES logs",
                RequesterId="amazon-elasticsearch",
            ),
            _eni(
                f"eni-0aa00000000nlb0{az}",
                subnet,
                f"10.20.{n}.51",
                [],
                "ELB net/corp-nlb/fedcba9876543210",
                InterfaceType="network_load_balancer",
                RequesterId="amazon-elb",
            ),
        ]
    records = [
        _cname(NAMES["instance"], f"orders-1.{SUFFIX}"),
        _cname(NAMES["aurora"], f"orders-cl.cluster-{SUFFIX}"),
        _cname(NAMES["reader"], f"orders-cl.cluster-ro-{SUFFIX}"),
        _cname(NAMES["proxy"], f"orders-proxy.proxy-{SUFFIX}"),
        _alias(NAMES["alb"], f"dualstack.{ALB_DNS}."),
        _cname(NAMES["nlb"], NLB_DNS),
        _cname(NAMES["cache"], CACHE_HOST),
        _cname(NAMES["search"], SEARCH_HOST),
    ]
    return {
        "ec2/describe-vpcs.json": {"Vpcs": [cli.vpc(VPC, OWNER, "10.20.0.0/16")]},
        "ec2/describe-subnets.json": {
            "Subnets": [
                _subnet(APP_SUBNET, "10.20.1.0/24", "a"),
                _subnet(DB_A, "10.20.20.0/24", "a"),
                _subnet(DB_C, "10.20.21.0/24", "c"),
            ]
        },
        "ec2/describe-route-tables.json": {
            "RouteTables": [
                cli.table(
                    "rtb-0aa0000000000app",
                    VPC,
                    OWNER,
                    [APP_SUBNET, DB_A, DB_C],
                    [cli.local("10.20.0.0/16")],
                )
            ]
        },
        "ec2/describe-network-acls.json": {
            "NetworkAcls": [
                cli.acl("acl-0aa0000000000app", VPC, OWNER, [APP_SUBNET]),
                _acl(deny_replies=mode == "nacl"),
            ]
        },
        "ec2/describe-security-groups.json": {"SecurityGroups": groups},
        "ec2/describe-network-interfaces.json": {"NetworkInterfaces": enis},
        f"ec2/describe-vpc-attribute-enableDnsSupport@{VPC}.json": {
            "VpcId": VPC,
            "EnableDnsSupport": {"Value": True},
        },
        f"ec2/describe-vpc-attribute-enableDnsHostnames@{VPC}.json": {
            "VpcId": VPC,
            "EnableDnsHostnames": {"Value": True},
        },
        "lambda/get-function-configuration@fn.json": {
            "FunctionName": "fn",
            "FunctionArn": f"arn:aws:lambda:{REGION}:{OWNER}:function:fn",
            "Runtime": "python3.12",
            "Role": f"arn:aws:iam::{OWNER}:role/fn",
            "Handler": "app.handler",
            "State": "Active",
            "LastUpdateStatus": "Successful",
            "PackageType": "Zip",
            "VpcConfig": {"SubnetIds": [APP_SUBNET], "SecurityGroupIds": [FN_SG], "VpcId": VPC},
        },
        "rds/describe-db-instances.json": {
            "DBInstances": [
                _db_instance("orders-1", "a", GROUPS["instance"], "orders-subnets"),
                _db_instance(
                    "orders-cl-1",
                    "a",
                    GROUPS["aurora"],
                    "orders-subnets",
                    Engine="aurora-postgresql",
                    DBClusterIdentifier="orders-cl",
                ),
                _db_instance(
                    "orders-cl-2",
                    "c",
                    GROUPS["aurora"],
                    "orders-subnets",
                    Engine="aurora-postgresql",
                    DBClusterIdentifier="orders-cl",
                ),
            ]
        },
        "rds/describe-db-clusters.json": {
            "DBClusters": [
                {
                    "DBClusterIdentifier": "orders-cl",
                    "DBSubnetGroup": "orders-subnets",
                    "Status": "available",
                    "Endpoint": f"orders-cl.cluster-{SUFFIX}",
                    "ReaderEndpoint": f"orders-cl.cluster-ro-{SUFFIX}",
                    "Engine": "aurora-postgresql",
                    "Port": 5432,
                    "DBClusterMembers": [
                        {
                            "DBInstanceIdentifier": "orders-cl-1",
                            "IsClusterWriter": True,
                            "DBClusterParameterGroupStatus": "in-sync",
                            "PromotionTier": 1,
                        },
                        {
                            "DBInstanceIdentifier": "orders-cl-2",
                            "IsClusterWriter": False,
                            "DBClusterParameterGroupStatus": "in-sync",
                            "PromotionTier": 1,
                        },
                    ],
                    "VpcSecurityGroups": [
                        {"VpcSecurityGroupId": GROUPS["aurora"], "Status": "active"}
                    ],
                    "DBClusterArn": f"arn:aws:rds:{REGION}:{OWNER}:cluster:orders-cl",
                }
            ]
        },
        "rds/describe-db-proxies.json": {
            "DBProxies": [
                {
                    "DBProxyName": "orders-proxy",
                    "DBProxyArn": f"arn:aws:rds:{REGION}:{OWNER}:db-proxy:prx-0aa0000000000001",
                    "Status": "available",
                    "EngineFamily": "POSTGRESQL",
                    "VpcId": VPC,
                    "VpcSecurityGroupIds": [GROUPS["proxy"]],
                    "VpcSubnetIds": [DB_A, DB_C],
                    "Endpoint": f"orders-proxy.proxy-{SUFFIX}",
                    "RequireTLS": True,
                    "IdleClientTimeout": 1800,
                    "DebugLogging": False,
                }
            ]
        },
        "elbv2/describe-load-balancers.json": {
            "LoadBalancers": [
                _lb(ALB_ARN, ALB_DNS, "application", [GROUPS["alb"]]),
                _lb(NLB_ARN, NLB_DNS, "network", None),
            ]
        },
        "elbv2/describe-listeners.json": {
            "Listeners": [_listener(ALB_ARN, 443, "HTTPS"), _listener(NLB_ARN, 8443, "TCP")]
        },
        "elasticache/describe-cache-clusters.json": {
            "CacheClusters": [
                {
                    "CacheClusterId": "sessions-001",
                    "CacheNodeType": "cache.t4g.small",
                    "Engine": "redis",
                    "CacheClusterStatus": "available",
                    "NumCacheNodes": 1,
                    "CacheSubnetGroupName": "sessions-subnets",
                    "CacheNodes": [
                        {
                            "CacheNodeId": "0001",
                            "CacheNodeStatus": "available",
                            "Endpoint": {"Address": CACHE_HOST, "Port": 6379},
                            "CustomerAvailabilityZone": REGION + "a",
                        }
                    ],
                    "SecurityGroups": [{"SecurityGroupId": GROUPS["cache"], "Status": "active"}],
                    "ARN": f"arn:aws:elasticache:{REGION}:{OWNER}:cluster:sessions-001",
                }
            ]
        },
        "elasticache/describe-cache-subnet-groups.json": {
            "CacheSubnetGroups": [
                {
                    "CacheSubnetGroupName": "sessions-subnets",
                    "CacheSubnetGroupDescription": "sessions",
                    "VpcId": VPC,
                    "Subnets": [{"SubnetIdentifier": DB_A}, {"SubnetIdentifier": DB_C}],
                }
            ]
        },
        "opensearch/describe-domains.json": {
            "DomainStatusList": [
                {
                    "DomainId": f"{OWNER}/logs",
                    "DomainName": "logs",
                    "ARN": f"arn:aws:es:{REGION}:{OWNER}:domain/logs",
                    "Created": True,
                    "Deleted": False,
                    "Endpoints": {"vpc": SEARCH_HOST},
                    "Processing": False,
                    "UpgradeProcessing": False,
                    "EngineVersion": "OpenSearch_2.13",
                    "ClusterConfig": {"InstanceType": "r6g.large.search", "InstanceCount": 2},
                    "VPCOptions": {
                        "VPCId": VPC,
                        "SubnetIds": [DB_A, DB_C],
                        "AvailabilityZones": [REGION + "a", REGION + "c"],
                        "SecurityGroupIds": [GROUPS["search"]],
                    },
                }
            ]
        },
        "route53/list-hosted-zones.json": {
            "HostedZones": [
                {
                    "Id": f"/hostedzone/{ZONE}",
                    "Name": "corp.internal.",
                    "CallerReference": "corp-internal-1",
                    "Config": {"PrivateZone": True},
                    "ResourceRecordSetCount": len(records) + 2,
                }
            ],
            "IsTruncated": False,
            "MaxItems": "100",
        },
        f"route53/get-hosted-zone@{ZONE}.json": {
            "HostedZone": {
                "Id": f"/hostedzone/{ZONE}",
                "Name": "corp.internal.",
                "CallerReference": "corp-internal-1",
                "Config": {"PrivateZone": True},
                "ResourceRecordSetCount": len(records) + 2,
            },
            "VPCs": [{"VPCRegion": REGION, "VPCId": VPC}],
        },
        f"route53/list-resource-record-sets@{ZONE}.json": {
            "ResourceRecordSets": records,
            "IsTruncated": False,
            "MaxItems": "300",
        },
        "route53resolver/list-resolver-rules.json": {"ResolverRules": []},
        "route53resolver/list-resolver-rule-associations.json": {"ResolverRuleAssociations": []},
        "route53resolver/list-resolver-endpoints.json": {"ResolverEndpoints": []},
    }


def _cname(name: str, target: str) -> dict[str, Any]:
    return {
        "Name": name + ".",
        "Type": "CNAME",
        "TTL": 300,
        "ResourceRecords": [{"Value": target}],
    }


def _alias(name: str, target: str) -> dict[str, Any]:
    return {
        "Name": name + ".",
        "Type": "A",
        "AliasTarget": {
            "HostedZoneId": "Z14GRHDCWA56QT",
            "DNSName": target,
            "EvaluateTargetHealth": True,
        },
    }


def _lb(arn: str, dns: str, lb_type: str, groups: list[str] | None) -> dict[str, Any]:
    name = arn.split("/")[-2]
    doc: dict[str, Any] = {
        "LoadBalancerArn": arn,
        "DNSName": dns,
        "CanonicalHostedZoneId": "Z14GRHDCWA56QT",
        "CreatedTime": "2024-03-14T03:12:40.120000+00:00",
        "LoadBalancerName": name,
        "Scheme": "internal",
        "VpcId": VPC,
        "State": {"Code": "active"},
        "Type": lb_type,
        "AvailabilityZones": [
            {"ZoneName": REGION + z, "SubnetId": s, "LoadBalancerAddresses": []}
            for s, z in ((DB_A, "a"), (DB_C, "c"))
        ],
        "IpAddressType": "ipv4",
    }
    if groups is not None:
        doc["SecurityGroups"] = groups
    return doc


def _listener(lb_arn: str, port: int, protocol: str) -> dict[str, Any]:
    name = lb_arn.split("/")[-2]
    tg = f"arn:aws:elasticloadbalancing:{REGION}:{OWNER}:targetgroup/{name}-tg/1a2b3c4d5e6f7a8b"
    return {
        "ListenerArn": lb_arn.replace("loadbalancer/", "listener/") + f"/{port:016x}",
        "LoadBalancerArn": lb_arn,
        "Port": port,
        "Protocol": protocol,
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg, "Order": 1}],
    }


def write_export(root: Path, mode: str = "admits", edit: Edit | None = None) -> Path:
    """Write the export under ``root`` (``edit`` may change the documents first)."""
    docs = files(mode)
    if edit is not None:
        edit(docs)
    for name, doc in docs.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, indent=4))
    return root

"""Named resources as targets (issue 13 item 4, knowledge-facts R12), from an unmodified export:
an RDS instance, an Aurora writer and reader, an RDS Proxy, an internal ALB, an internal NLB
without security groups and an ElastiCache cluster, each reached by a name in a private hosted
zone. The name is the resource's private addresses, its groups decide the ingress, its subnets'
ACL the replies; never the internet path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.named_exports import (
    ADDRESSES,
    CACHE_HOST,
    DB_ACL,
    DB_C,
    GROUPS,
    NAMES,
    PORTS,
    SUFFIX,
    VPC,
    ZONE,
    write_export,
)
from vpcdoctor.diagnostics.diagnose import check
from vpcdoctor.graph.engine.graph import ZONE_ASSOCIATED, build_graph
from vpcdoctor.graph.model import Account
from vpcdoctor.graph.model.verdict import CheckResult, HopKind, HopStatus, Verdict
from vpcdoctor.graph.sources.snapshot import load_snapshot

KINDS = list(NAMES)


def _load(tmp_path: Path, mode: str = "admits", edit: Any = None) -> Account:
    return load_snapshot(write_export(tmp_path / mode, mode, edit))


def _check(account: Account, kind: str, port: int | None = None) -> CheckResult:
    return check(account, "fn", f"{NAMES[kind]}:{port or PORTS[kind]}")


def _blocking(result: CheckResult) -> tuple[str | None, str | None]:
    b = result.blocking
    return (b.resource, b.code) if b else (None, None)


def _delivered_to(result: CheckResult) -> set[str]:
    """The addresses the paths' receiving interfaces hold (TARGET_ENI hops' details)."""
    found = set()
    for path in result.paths:
        for hop in path.hops:
            if hop.code == "TARGET_ENI":
                found |= {a for a in ADDRESSES_ALL if f"({a})" in hop.detail}
    return found


ADDRESSES_ALL = {a for v in ADDRESSES.values() for a in v}


@pytest.mark.parametrize("kind", KINDS)
def test_the_resources_group_admits_the_function(tmp_path: Path, kind: str) -> None:
    result = _check(_load(tmp_path), kind)
    assert result.verdict is Verdict.REACHABLE, result.to_json()
    hops = [h for p in result.paths for h in p.hops]
    assert not any(h.kind in (HopKind.INTERNET, HopKind.NAT_GATEWAY) for h in hops)
    # the worst address is shown; the warning-free reachable path went to one of its addresses
    assert _delivered_to(result) <= set(ADDRESSES[kind]) and _delivered_to(result)


@pytest.mark.parametrize("kind", KINDS)
def test_the_resources_group_does_not_admit_the_function(tmp_path: Path, kind: str) -> None:
    result = _check(_load(tmp_path, "denies"), kind)
    if kind == "nlb":
        # An NLB without security groups does not filter: every client reaches its listener.
        assert result.verdict is Verdict.REACHABLE, result.to_json()
        return
    group = GROUPS["aurora" if kind == "reader" else kind]
    assert result.verdict is Verdict.UNREACHABLE
    assert _blocking(result) == (group, "ENI_SG_RULES_MISMATCH")


@pytest.mark.parametrize("kind", KINDS)
def test_the_database_subnets_acl_drops_the_replies(tmp_path: Path, kind: str) -> None:
    result = _check(_load(tmp_path, "nacl"), kind)
    assert result.verdict is Verdict.UNREACHABLE
    assert _blocking(result) == (DB_ACL, "SUBNET_ACL_RESTRICTION")
    assert result.blocking is not None and result.blocking.direction == "reply"


def test_the_aurora_reader_endpoint_is_the_readers_interface_not_the_writers(
    tmp_path: Path,
) -> None:
    def writer_denied(docs: dict[str, Any]) -> None:
        # the reader lives in DB_C: give that subnet its own ACL that drops the replies
        acl = docs["ec2/describe-network-acls.json"]["NetworkAcls"][1]
        acl["Associations"] = [a for a in acl["Associations"] if a["SubnetId"] != DB_C]
        deny = {
            "NetworkAclId": "acl-0aa0000000000dbc",
            "VpcId": VPC,
            "OwnerId": acl["OwnerId"],
            "IsDefault": False,
            "Entries": [
                {
                    "RuleNumber": 100,
                    "Protocol": "-1",
                    "RuleAction": "allow",
                    "Egress": False,
                    "CidrBlock": "0.0.0.0/0",
                },
                {
                    "RuleNumber": 32767,
                    "Protocol": "-1",
                    "RuleAction": "deny",
                    "Egress": True,
                    "CidrBlock": "0.0.0.0/0",
                },
            ],
            "Associations": [
                {
                    "NetworkAclAssociationId": "aclassoc-0aa00000000000dbc",
                    "NetworkAclId": "acl-0aa0000000000dbc",
                    "SubnetId": DB_C,
                }
            ],
            "Tags": [],
        }
        docs["ec2/describe-network-acls.json"]["NetworkAcls"].append(deny)

    account = _load(tmp_path, "admits", writer_denied)
    assert _check(account, "aurora").verdict is Verdict.REACHABLE  # the writer is in DB_A
    reader = _check(account, "reader")
    assert _blocking(reader) == ("acl-0aa0000000000dbc", "SUBNET_ACL_RESTRICTION")
    # the proxy answers from both subnets: one address failing fails the name, and says which
    proxy = _check(account, "proxy")
    assert proxy.verdict is Verdict.UNREACHABLE
    warning = next(w for w in proxy.warnings if w.code == "SOME_ADDRESSES_FAIL")
    assert "10.20.20.31): reachable" in warning.detail
    assert "10.20.21.31): unreachable" in warning.detail


@pytest.mark.parametrize("mode", ["admits", "denies"])
def test_without_its_interfaces_a_resource_is_its_subnets_and_groups(
    tmp_path: Path, mode: str
) -> None:
    def drop_proxy_enis(docs: dict[str, Any]) -> None:
        enis = docs["ec2/describe-network-interfaces.json"]["NetworkInterfaces"]
        docs["ec2/describe-network-interfaces.json"]["NetworkInterfaces"] = [
            e for e in enis if "DBProxy" not in e["Description"]
        ]

    result = _check(_load(tmp_path, mode, drop_proxy_enis), "proxy")
    codes = [h.code for p in result.paths for h in p.hops]
    assert "TARGET_SUBNET" in codes and "DNS_DATABASE_NAME_ADDRESSES_UNKNOWN" in codes
    if mode == "admits":
        assert result.verdict is Verdict.REACHABLE, result.to_json()
    else:
        assert _blocking(result) == (GROUPS["proxy"], "ENI_SG_RULES_MISMATCH")


def test_a_stopped_database_answers_nothing(tmp_path: Path) -> None:
    def stop(docs: dict[str, Any]) -> None:
        docs["rds/describe-db-instances.json"]["DBInstances"][0]["DBInstanceStatus"] = "stopped"

    result = _check(_load(tmp_path, "admits", stop), "instance")
    assert _blocking(result) == ("orders-1", "RESOURCE_NOT_AVAILABLE")


def test_a_load_balancer_answers_only_on_its_listeners(tmp_path: Path) -> None:
    account = _load(tmp_path)
    result = _check(account, "alb", 80)
    assert result.verdict is Verdict.UNREACHABLE
    assert _blocking(result)[1] == "LB_NO_LISTENER"
    assert "HTTPS:443" in (result.blocking.detail if result.blocking else "")

    def no_listeners(docs: dict[str, Any]) -> None:
        del docs["elbv2/describe-listeners.json"]

    unknown = _check(_load(tmp_path / "x", "admits", no_listeners), "alb")
    assert unknown.verdict is Verdict.UNKNOWN
    assert any(
        h.code == "LB_LISTENERS_UNKNOWN" and h.status is HopStatus.UNKNOWN
        for p in unknown.paths
        for h in p.hops
    )


def test_a_publicly_accessible_database_is_still_its_private_address(tmp_path: Path) -> None:
    def public(docs: dict[str, Any]) -> None:
        docs["rds/describe-db-instances.json"]["DBInstances"][0]["PubliclyAccessible"] = True
        eni = docs["ec2/describe-network-interfaces.json"]["NetworkInterfaces"][1]
        eni["Association"] = {
            "IpOwnerId": "amazon-rds",
            "PublicIp": "203.0.113.40",
            "PublicDnsName": "ec2-203-0-113-40.ap-northeast-1.compute.amazonaws.com",
        }

    result = _check(_load(tmp_path, "denies", public), "instance")
    assert result.verdict is Verdict.UNREACHABLE
    assert _blocking(result) == (GROUPS["instance"], "ENI_SG_RULES_MISMATCH")


def test_removing_the_zones_vpc_association_edge_and_adding_it_back(tmp_path: Path) -> None:
    graph = build_graph(_load(tmp_path))
    target = f"{NAMES['proxy']}:5432"
    assert check(graph, "fn", target).verdict is Verdict.REACHABLE
    key = ZONE_ASSOCIATED
    data = dict(graph.edges[ZONE, VPC, key])
    graph.remove_edge(ZONE, VPC, key=key)
    after = check(graph, "fn", target)
    assert after.verdict is Verdict.UNREACHABLE
    assert _blocking(after) == (ZONE, "DNS_PHZ_NOT_ASSOCIATED")
    graph.add_edge(ZONE, VPC, key=key, **data)
    assert check(graph, "fn", target).verdict is Verdict.REACHABLE


@pytest.mark.parametrize(
    ("dropped", "kind"),
    [
        ("rds/describe-db-proxies.json", "proxy"),
        ("rds/describe-db-instances.json", "instance"),
        ("elasticache/describe-cache-clusters.json", "cache"),
        ("opensearch/describe-domains.json", "search"),
        ("elbv2/describe-load-balancers.json", "nlb"),
    ],
)
def test_a_resource_name_the_snapshot_does_not_hold_is_never_the_internet(
    tmp_path: Path, dropped: str, kind: str
) -> None:
    def drop(docs: dict[str, Any]) -> None:
        del docs[dropped]
        if dropped.startswith("elbv2/describe-load"):
            del docs["elbv2/describe-listeners.json"]

    account = _load(tmp_path, "denies", drop)
    result = _check(account, kind)
    # its name still CNAMEs to an RDS / cache / search / ELB endpoint: public DNS does not
    # decide it, so without the resource the verdict is unknown, never "reachable"
    assert result.verdict is Verdict.UNKNOWN, result.to_json()
    assert _blocking(result)[1] == "DNS_RESOURCE_NOT_IN_SNAPSHOT"
    assert result.blocking is not None and dropped.split("/")[1][:-5] in (
        result.blocking.needs or ""
    )


def test_an_address_of_a_stopped_database_answers_nothing_and_the_graph_says_whose(
    tmp_path: Path,
) -> None:
    def stop(docs: dict[str, Any]) -> None:
        docs["rds/describe-db-instances.json"]["DBInstances"][0]["DBInstanceStatus"] = "stopped"

    graph = build_graph(_load(tmp_path, "admits", stop))
    assert graph.nodes["orders-1"]["kind"] == "database"
    assert graph.has_edge("orders-1", "eni-0aa000000000rds01", key="has-eni:eni-0aa000000000rds01")
    result = check(graph, "fn", "10.20.20.11:5432")
    assert _blocking(result) == ("orders-1", "RESOURCE_NOT_AVAILABLE")
    # without the edge the interface has no known owner: its group decides alone
    graph.remove_edge("orders-1", "eni-0aa000000000rds01", key="has-eni:eni-0aa000000000rds01")
    assert check(graph, "fn", "10.20.20.11:5432").verdict is Verdict.REACHABLE


def test_an_address_of_a_load_balancer_answers_only_on_its_listeners(tmp_path: Path) -> None:
    account = _load(tmp_path)
    assert check(account, "fn", "10.20.20.41:443").verdict is Verdict.REACHABLE
    result = check(account, "fn", "10.20.20.51:9999")  # the NLB: no groups, TCP 8443 only
    assert _blocking(result) == (
        "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/net/corp-nlb/"
        "fedcba9876543210",
        "LB_NO_LISTENER",
    )


def test_a_load_balancer_without_a_healthy_target_is_reached_but_warned(tmp_path: Path) -> None:
    tg = (
        "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/corp-api-tg/"
        "1a2b3c4d5e6f7a8b"
    )

    def unhealthy(docs: dict[str, Any]) -> None:
        docs["elbv2/describe-target-groups.json"] = {
            "TargetGroups": [
                {
                    "TargetGroupArn": tg,
                    "TargetGroupName": "corp-api-tg",
                    "Protocol": "HTTP",
                    "Port": 8080,
                    "VpcId": VPC,
                    "TargetType": "ip",
                    "LoadBalancerArns": [
                        "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/"
                        "app/corp-api/0123456789abcdef"
                    ],
                }
            ]
        }
        docs["elbv2/describe-target-health@corp-api-tg.1a2b3c4d5e6f7a8b.json"] = {
            "TargetHealthDescriptions": [
                {
                    "Target": {"Id": "10.20.20.90", "Port": 8080, "AvailabilityZone": "all"},
                    "HealthCheckPort": "8080",
                    "TargetHealth": {
                        "State": "unhealthy",
                        "Reason": "Target.ResponseCodeMismatch",
                        "Description": "Health checks failed with these codes: [502]",
                    },
                }
            ]
        }

    result = _check(_load(tmp_path, "admits", unhealthy), "alb")
    assert result.verdict is Verdict.REACHABLE
    warning = next(w for w in result.warnings if w.code == "LB_NO_HEALTHY_TARGETS")
    assert warning.resource == tg and "unhealthy" in warning.detail


def test_an_elasticache_replication_group_endpoint_is_its_members(tmp_path: Path) -> None:
    primary = "master.sessions.ab12cd.apne1.cache.amazonaws.com"

    def group(docs: dict[str, Any]) -> None:
        cluster = docs["elasticache/describe-cache-clusters.json"]["CacheClusters"][0]
        cluster["ReplicationGroupId"] = "sessions"
        docs["elasticache/describe-replication-groups.json"] = {
            "ReplicationGroups": [
                {
                    "ReplicationGroupId": "sessions",
                    "Description": "sessions",
                    "Status": "available",
                    "MemberClusters": ["sessions-001"],
                    "NodeGroups": [
                        {
                            "NodeGroupId": "0001",
                            "Status": "available",
                            "PrimaryEndpoint": {"Address": primary, "Port": 6379},
                            "ReaderEndpoint": {
                                "Address": "replica.sessions.ab12cd.apne1.cache.amazonaws.com",
                                "Port": 6379,
                            },
                        }
                    ],
                    "ARN": "arn:aws:elasticache:ap-northeast-1:111122223333:"
                    "replicationgroup:sessions",
                }
            ]
        }

    for mode, verdict in (("admits", Verdict.REACHABLE), ("denies", Verdict.UNREACHABLE)):
        account = _load(tmp_path, mode, group)
        result = check(account, "fn", f"{primary}:6379")
        assert result.verdict is verdict, result.to_json()
        assert _delivered_to(result) == {"10.20.20.61"}


def _outside(docs: dict[str, Any]) -> None:
    """A second function, not attached to a VPC."""
    fn = dict(docs["lambda/get-function-configuration@fn.json"])
    fn.pop("VpcConfig")
    fn["FunctionName"] = "edge"
    fn["FunctionArn"] = fn["FunctionArn"].replace(":fn", ":edge")
    docs["lambda/get-function-configuration@edge.json"] = fn
    docs["rds/describe-db-instances.json"]["DBInstances"][0]["PubliclyAccessible"] = True


@pytest.mark.parametrize(
    ("target", "verdict", "code"),
    [
        (f"orders-proxy.proxy-{SUFFIX}:5432", Verdict.UNREACHABLE, "LAMBDA_NOT_IN_VPC"),
        (CACHE_HOST + ":6379", Verdict.UNREACHABLE, "LAMBDA_NOT_IN_VPC"),
        (f"orders-1.{SUFFIX}:5432", Verdict.UNKNOWN, "DNS_PUBLIC_ADDRESS_UNKNOWN"),
        (f"other-db.{SUFFIX}:5432", Verdict.UNKNOWN, "DNS_RESOURCE_NOT_IN_SNAPSHOT"),
    ],
)
def test_outside_any_vpc_a_private_resource_is_never_reachable(
    tmp_path: Path, target: str, verdict: Verdict, code: str
) -> None:
    result = check(_load(tmp_path, "admits", _outside), "edge", target)
    assert result.verdict is verdict, result.to_json()
    assert _blocking(result)[1] == code

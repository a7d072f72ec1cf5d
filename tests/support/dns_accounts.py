"""The DNS test account (a VPC with a private zone, Resolver rules and endpoints), shared by
the simulation, name and CLI tests."""

from __future__ import annotations

from typing import Any

from tests.support.builders import REGION, AccountBuilder
from vpcdoctor.graph.model import (
    AliasTarget,
    HostedZone,
    LoadBalancer,
    RecordSet,
    ResolverDirection,
    ResolverEndpoint,
    ResolverEndpointIp,
    ResolverRule,
    ResolverRuleAssociation,
    ResolverRuleType,
    TargetAddress,
    ZoneVpc,
)

ALB_ARN = f"arn:aws:elasticloadbalancing:{REGION}:111122223333:loadbalancer/app/corp-api/0123abcd"
ALB_DNS = "internal-corp-api-123.ap-northeast-1.elb.amazonaws.com"


def rec(name: str, rtype: str, *values: str, alias: AliasTarget | None = None) -> RecordSet:
    return RecordSet(name=name, type=rtype, ttl=None if alias else 60, values=values, alias=alias)


CORP_RECORDS = (
    rec("corp.internal", "SOA", "ns. host. 1 2 3 4 5"),
    rec("corp.internal", "NS", "ns-1.awsdns-00.com."),
    rec(
        "api.corp.internal",
        "A",
        alias=AliasTarget(dns_name=f"dualstack.{ALB_DNS}.", hosted_zone_id="Z14GRHDCWA56QT"),
    ),
    rec("erp.corp.internal", "A", "10.90.1.25"),
    rec("db.corp.internal", "A", "10.0.5.10", "10.0.5.11"),
    rec("www.corp.internal", "CNAME", "web.corp.internal"),
    rec("web.corp.internal", "CNAME", "erp.corp.internal."),
    rec("loop-a.corp.internal", "CNAME", "loop-b.corp.internal"),
    rec("loop-b.corp.internal", "CNAME", "loop-a.corp.internal"),
    rec("txt.corp.internal", "TXT", '"v=1"'),
    rec("host.deep.corp.internal", "A", "10.0.9.9"),
    rec("*.apps.corp.internal", "A", "10.0.7.7"),
    rec("legacy.corp.internal", "CNAME", "app.onprem.local"),
    rec("sm.corp.internal", "CNAME", "secretsmanager.ap-northeast-1.amazonaws.com"),
)


def base(**vpc_kw: Any) -> AccountBuilder:
    b = AccountBuilder()
    b.vpc("vpc-1", "10.0.0.0/16", **vpc_kw)
    b.vpc("vpc-2", "10.1.0.0/16")
    b.subnet("subnet-a", "vpc-1", "10.0.1.0/24", az=f"{REGION}a")
    b.subnet("subnet-c", "vpc-1", "10.0.2.0/24", az=f"{REGION}c")
    b.subnet("subnet-2", "vpc-2", "10.1.1.0/24", az=f"{REGION}a")
    b.security_group("sg-fn", "vpc-1")
    b.security_group("sg-resolver", "vpc-1")
    b.security_group("sg-alb", "vpc-1")
    b.function("fn", subnets=["subnet-a", "subnet-c"], security_groups=["sg-fn"])
    b.resources["hosted_zones"]["Z0CORP"] = HostedZone(
        id="Z0CORP",
        name="corp.internal",
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-1", region=REGION),),
        records=CORP_RECORDS,
    )
    b.resources["load_balancers"] = {
        ALB_ARN: LoadBalancer(
            arn=ALB_ARN,
            name="corp-api",
            dns_name=ALB_DNS,
            scheme="internal",
            type="application",
            vpc_id="vpc-1",
            subnet_ids=("subnet-a", "subnet-c"),
        )
    }
    b.eni(
        "eni-alb-a",
        "subnet-a",
        "10.0.1.200",
        description="ELB app/corp-api/0123abcd",
        interface_type="interface",
        security_groups=["sg-alb"],
    )
    b.eni(
        "eni-alb-c",
        "subnet-c",
        "10.0.2.200",
        description="ELB app/corp-api/0123abcd",
        interface_type="interface",
        security_groups=["sg-alb"],
    )
    # on-prem forwarding: rule + outbound endpoint in both subnets, routed over a VGW
    b.route_table("rtb-app", "vpc-1", subnets=["subnet-a", "subnet-c"]).route(
        "192.168.0.0/16", "vgw-1"
    )
    b.resources["resolver_rules"] = {
        "rslvr-rr-onprem": ResolverRule(
            id="rslvr-rr-onprem",
            domain_name="onprem.local",
            rule_type=ResolverRuleType.FORWARD,
            target_ips=(TargetAddress(ip="192.168.10.2"), TargetAddress(ip="192.168.10.3")),
            resolver_endpoint_id="rslvr-out-1",
            owner_id="111122223333",
        ),
        "rslvr-autodefined-rr-internet-resolver": ResolverRule(
            id="rslvr-autodefined-rr-internet-resolver",
            domain_name="",
            rule_type=ResolverRuleType.RECURSIVE,
        ),
    }
    b.resources["resolver_rule_associations"] = {
        "rslvr-rrassoc-1": ResolverRuleAssociation(
            id="rslvr-rrassoc-1", rule_id="rslvr-rr-onprem", vpc_id="vpc-1"
        ),
        "rslvr-auto-1": ResolverRuleAssociation(
            id="rslvr-auto-1", rule_id="rslvr-autodefined-rr-internet-resolver", vpc_id="vpc-1"
        ),
    }
    b.resources["resolver_endpoints"] = {
        "rslvr-out-1": ResolverEndpoint(
            id="rslvr-out-1",
            direction=ResolverDirection.OUTBOUND,
            vpc_id="vpc-1",
            security_group_ids=("sg-resolver",),
            ip_addresses=(
                ResolverEndpointIp(subnet_id="subnet-a", ip="10.0.1.10"),
                ResolverEndpointIp(subnet_id="subnet-c", ip="10.0.2.10"),
            ),
        )
    }
    b.present = {
        "list-hosted-zones",
        "list-resolver-rules",
        "list-resolver-rule-associations",
        "list-resolver-endpoints",
        "describe-load-balancers",
        "describe-network-interfaces",
        "describe-vpcs",
    }
    return b


def rule(
    rule_id: str,
    domain: str,
    rtype: ResolverRuleType = ResolverRuleType.FORWARD,
    endpoint: str = "rslvr-out-1",
    targets: tuple[str, ...] = ("192.168.10.2",),
) -> ResolverRule:
    return ResolverRule(
        id=rule_id,
        domain_name=domain,
        rule_type=rtype,
        target_ips=tuple(TargetAddress(ip=t) for t in targets),
        resolver_endpoint_id=(endpoint if rtype is ResolverRuleType.FORWARD else None),
    )


def associate(
    b: AccountBuilder, rule_obj: ResolverRule, vpc: str = "vpc-1", status: str = "COMPLETE"
) -> None:
    b.resources["resolver_rules"][rule_obj.id] = rule_obj
    b.resources["resolver_rule_associations"][f"assoc-{rule_obj.id}-{vpc}"] = (
        ResolverRuleAssociation(
            id=f"assoc-{rule_obj.id}-{vpc}", rule_id=rule_obj.id, vpc_id=vpc, status=status
        )
    )

"""The demo's named-resource stories (issue 13, knowledge-facts R12), kept apart from
make_demo.py's other stories so each can grow without touching the other.

- ``db.corp.internal`` is a CNAME (private hosted zone ``corp.internal``) to the endpoint of the
  RDS Proxy ``orders-db-proxy``. Inside the VPC that endpoint answers with the proxy's private
  interfaces, and the proxy's security group admits ``lambda-app`` but not
  ``lambda-invoice-renderer``: a database reached by name whose proxy SG does not admit the
  function. Before engine v2 the name went to public DNS and the trace to NAT → IGW: a wrong
  "reachable".
- The internal ALB ``corp-api`` (behind ``api.corp.internal``) has its listener exported: HTTPS
  443 forwarding to the target group ``corp-api-web`` (so the healthy ``catalog-client`` story
  knows the ALB listens on 443); nothing listens on 80.

The proxy's interfaces carry the description AWS gives them ("Network interface for DBProxy
<name>"), not the DB instances' ``RDSNetworkInterface``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PROXY = "orders-db-proxy"
PROXY_ENIS = ("orders-db-proxy-1a", "orders-db-proxy-1c")
TG_NAME = "corp-api-web"
TG_ID = "9c3b5e7a1d2f4086"


def build(w: Any) -> None:
    """Label the proxy's interfaces as AWS does."""
    for key in PROXY_ENIS:
        w.enis[key]["description"] = f"Network interface for DBProxy {PROXY}"


def render(w: Any, files: dict[str, Any], *, region: str, account: str, alb_arn: str) -> None:
    """describe-listeners (one file per load balancer, ``@NAME.ID``) and describe-target-groups
    for the internal ALB."""
    name, lb_id = alb_arn.split("/")[-2:]
    tg_arn = f"arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{TG_NAME}/{TG_ID}"
    w.ids["tg:corp-api-web"] = tg_arn
    files[f"elbv2/describe-listeners@{name}.{lb_id}.json"] = {
        "Listeners": [
            {
                "ListenerArn": f"arn:aws:elasticloadbalancing:{region}:{account}:listener/app/"
                f"{name}/{lb_id}/7b1d3f5e9a2c4e68",
                "LoadBalancerArn": alb_arn,
                "Port": 443,
                "Protocol": "HTTPS",
                "Certificates": [
                    {
                        "CertificateArn": f"arn:aws:acm:{region}:{account}:certificate/"
                        "3f6c2a1e-8b4d-4e7a-9c5f-1d2e3f4a5b6c"
                    }
                ],
                "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "DefaultActions": [
                    {
                        "Type": "forward",
                        "TargetGroupArn": tg_arn,
                        "Order": 1,
                        "ForwardConfig": {
                            "TargetGroups": [{"TargetGroupArn": tg_arn, "Weight": 1}],
                            "TargetGroupStickinessConfig": {"Enabled": False},
                        },
                    }
                ],
            }
        ]
    }
    files["elbv2/describe-target-groups.json"] = {
        "TargetGroups": [
            {
                "TargetGroupArn": tg_arn,
                "TargetGroupName": TG_NAME,
                "Protocol": "HTTP",
                "Port": 8080,
                "VpcId": w.vpcs["prod-core"]["id"],
                "HealthCheckProtocol": "HTTP",
                "HealthCheckPort": "traffic-port",
                "HealthCheckEnabled": True,
                "HealthCheckIntervalSeconds": 30,
                "HealthCheckTimeoutSeconds": 5,
                "HealthyThresholdCount": 5,
                "UnhealthyThresholdCount": 2,
                "HealthCheckPath": "/healthz",
                "Matcher": {"HttpCode": "200"},
                "LoadBalancerArns": [alb_arn],
                "TargetType": "ip",
                "ProtocolVersion": "HTTP1",
                "IpAddressType": "ipv4",
            }
        ]
    }


def cases(case: Callable[..., None], w: Any, rds_suffix: str) -> None:
    """The expected verdicts of the named-resource stories."""
    R, U = "reachable", "unreachable"
    proxy_sg = w.ids["sg:rds-proxy-orders"]
    st = (
        "a database reached by name: db.corp.internal is a CNAME to the RDS Proxy's endpoint, "
        "which answers inside the VPC with the proxy's private interfaces; the proxy's security "
        "group admits lambda-app, not this function's group"
    )
    case("invoice-renderer", "db.corp.internal:5432", U, proxy_sg, "ENI_SG_RULES_MISMATCH", st)
    case(
        "invoice-renderer",
        f"{PROXY}.proxy-{rds_suffix}:5432",
        U,
        proxy_sg,
        "ENI_SG_RULES_MISMATCH",
        st + " (the proxy's own endpoint name)",
    )
    case(
        "orders-api",
        "db.corp.internal:5432",
        R,
        None,
        "",
        "the proxy's security group admits lambda-app: the name reaches both proxy interfaces",
    )


def dns_cases(w: Any, proxy_ips: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "name": "db.corp.internal",
            "function": "invoice-renderer",
            "outcome": "answer",
            "decided_by": w.ids["zone:corp.internal"],
            "addresses": sorted(proxy_ips),
        }
    ]

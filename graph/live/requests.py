"""What the live collector calls: the kinds of a full collection, the per-resource ones, the
IAM actions they need, and the requests (kind, owner, parameters) the plans are made of.
Lambda ``Environment`` (secrets in practice) is dropped here from every function document,
before anything else sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vpcdoctor.graph.model.kinds import KINDS_BY_NAME

MAX_WORKERS = 8
MAX_ATTEMPTS = 6
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
FILTER_VALUES_MAX = 200
"""EC2 accepts at most 200 values in one filter."""


# --------------------------------------------------------------------------------------------
# What the collector calls
# --------------------------------------------------------------------------------------------

# Region-wide list kinds read by a full collection (everything in the region).
FULL_KINDS: tuple[str, ...] = (
    "describe-vpcs",
    "describe-subnets",
    "describe-route-tables",
    "describe-internet-gateways",
    "describe-egress-only-internet-gateways",
    "describe-nat-gateways",
    "describe-vpc-endpoints",
    "describe-security-groups",
    "describe-security-group-rules",
    "describe-network-acls",
    "describe-network-interfaces",
    "describe-addresses",
    "describe-prefix-lists",
    "describe-managed-prefix-lists",
    "describe-vpc-peering-connections",
    "describe-transit-gateways",
    "describe-transit-gateway-attachments",
    "describe-transit-gateway-vpc-attachments",
    "describe-transit-gateway-route-tables",
    "describe-dhcp-options",
    "describe-instances",
    "list-functions",
    "list-hosted-zones",
    "list-resolver-rules",
    "list-resolver-rule-associations",
    "list-resolver-endpoints",
    "describe-load-balancers",
    "describe-db-instances",
    "describe-db-clusters",
    "describe-db-proxies",
    "describe-db-subnet-groups",
    "describe-vpn-connections",
    "describe-vpn-gateways",
    "describe-transit-gateway-peering-attachments",
    "describe-vpc-block-public-access-options",
    "describe-vpc-block-public-access-exclusions",
    "describe-target-groups",
    "describe-cache-clusters",
    "describe-replication-groups",
    "describe-cache-subnet-groups",
    "list-domain-names",
)

LIST_PARAMS: Mapping[str, Mapping[str, Any]] = {
    "describe-cache-clusters": {"ShowCacheNodeInfo": True},  # node endpoints
}
"""Parameters a region-wide list call always gets."""

# Per-resource kinds (one call per VPC, function, zone, endpoint, prefix list, TGW route table).
PER_RESOURCE_KINDS: tuple[str, ...] = (
    "describe-vpc-attribute-enableDnsSupport",
    "describe-vpc-attribute-enableDnsHostnames",
    "get-function-configuration",
    "get-function-concurrency",
    "list-provisioned-concurrency-configs",
    "get-hosted-zone",
    "list-resource-record-sets",
    "list-resolver-endpoint-ip-addresses",
    "get-managed-prefix-list-entries",
    "search-transit-gateway-routes",
    "get-transit-gateway-route-table-propagations",
    "get-transit-gateway-route-table-associations",
    "describe-listeners",
    "describe-target-health",
    "describe-domains",
)

IDENTITY_KIND = "get-caller-identity"

DISCOVERY_OPERATIONS: Mapping[str, tuple[str, str, str]] = {
    # name: (service, operation, IAM action). Calls that only steer a scoped collection; their
    # answers are not snapshot files (the loader does not read them).
    "list-hosted-zones-by-vpc": ("route53", "ListHostedZonesByVPC", "route53:ListHostedZonesByVPC"),
}

COLLECTED_KINDS: tuple[str, ...] = (IDENTITY_KIND, *FULL_KINDS, *PER_RESOURCE_KINDS)


def used_iam_actions() -> list[str]:
    """Every IAM action the collector may call (the read-only policy lists exactly these)."""
    actions = {KINDS_BY_NAME[name].iam_action for name in COLLECTED_KINDS}
    actions.update(action for _, _, action in DISCOVERY_OPERATIONS.values())
    return sorted(actions)


def _allowed_operations() -> set[tuple[str, str]]:
    allowed = {(KINDS_BY_NAME[n].service, KINDS_BY_NAME[n].operation) for n in COLLECTED_KINDS}
    allowed.update((s, o) for s, o, _ in DISCOVERY_OPERATIONS.values())
    return allowed


# Lambda function documents: keys that never leave the collector.
LAMBDA_SECRET_KEYS: tuple[str, ...] = ("Environment",)


def scrub_function(doc: dict[str, Any]) -> dict[str, Any]:
    """Drop environment variables (secrets in practice) from a Lambda function document."""
    for key in LAMBDA_SECRET_KEYS:
        doc.pop(key, None)
    return doc


def _scrub(kind_name: str, data: dict[str, Any]) -> dict[str, Any]:
    data.pop("ResponseMetadata", None)
    if kind_name == "list-functions":
        for fn in data.get("Functions") or []:
            if isinstance(fn, dict):
                scrub_function(fn)
    elif kind_name in ("get-function-configuration",):
        scrub_function(data)
    elif kind_name == "get-function":
        data.pop("Code", None)
        if isinstance(data.get("Configuration"), dict):
            scrub_function(data["Configuration"])
    return data


@dataclass(frozen=True, slots=True, eq=False)
class Request:
    kind: str
    owner: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    discovery: str | None = None
    """A :data:`DISCOVERY_OPERATIONS` name: steer the collection, do not export."""

    @property
    def operation_label(self) -> str:
        if self.discovery is not None:
            service, op, _ = DISCOVERY_OPERATIONS[self.discovery]
            return f"{service}:{op}"
        k = KINDS_BY_NAME[self.kind]
        return f"{k.service}:{k.operation}"


def _f(name: str, values: Iterable[str]) -> dict[str, Any]:
    return {"Name": name, "Values": sorted(set(values))}


def _zone_id(raw: str) -> str:
    return raw.rsplit("/", 1)[-1]


def _function_requests(name: str) -> list[Request]:
    return [
        Request("get-function-configuration", name, {"FunctionName": name}),
        Request("get-function-concurrency", name, {"FunctionName": name}),
        Request("list-provisioned-concurrency-configs", name, {"FunctionName": name}),
    ]


def _vpc_attribute_requests(vpc_id: str) -> list[Request]:
    return [
        Request(
            "describe-vpc-attribute-enableDnsSupport",
            vpc_id,
            {"VpcId": vpc_id, "Attribute": "enableDnsSupport"},
        ),
        Request(
            "describe-vpc-attribute-enableDnsHostnames",
            vpc_id,
            {"VpcId": vpc_id, "Attribute": "enableDnsHostnames"},
        ),
    ]


def _zone_requests(zone_id: str) -> list[Request]:
    return [
        Request("get-hosted-zone", zone_id, {"Id": zone_id}),
        Request("list-resource-record-sets", zone_id, {"HostedZoneId": zone_id}),
    ]


def _tgw_route_requests(rtb_ids: Iterable[str]) -> list[Request]:
    """Per TGW route table: its routes, and what they are made of (propagations and
    associations: the engine derives the routes from them when the search is denied)."""
    requests: list[Request] = []
    for rtb in sorted(set(rtb_ids)):
        param = {"TransitGatewayRouteTableId": rtb}
        requests += [
            Request(
                "search-transit-gateway-routes",
                rtb,
                {**param, "Filters": [{"Name": "state", "Values": ["active", "blackhole"]}]},
            ),
            Request("get-transit-gateway-route-table-propagations", rtb, param),
            Request("get-transit-gateway-route-table-associations", rtb, param),
        ]
    return requests


def arn_owner(arn: str) -> str:
    """``NAME.ID`` of an ELB ARN (``…:loadbalancer/app/web/50dc…`` → ``web.50dc…``;
    ``…:targetgroup/web/73e2…`` → ``web.73e2…``): the ``@`` part of its per-resource files."""
    parts = arn.split("/")
    return ".".join(parts[-2:]) if len(parts) >= 2 else arn


def _elb_requests(lb_arns: Iterable[str], tg_arns: Iterable[str]) -> list[Request]:
    """Listeners of these load balancers and the health of these target groups."""
    return [
        Request("describe-listeners", arn_owner(arn), {"LoadBalancerArn": arn})
        for arn in sorted(set(lb_arns))
    ] + [
        Request("describe-target-health", arn_owner(arn), {"TargetGroupArn": arn})
        for arn in sorted(set(tg_arns))
    ]


def _domain_requests(names: Iterable[str]) -> list[Request]:
    """One describe-domains per OpenSearch domain (the file names the domain after ``@``)."""
    return [
        Request("describe-domains", name, {"DomainNames": [name]}) for name in sorted(set(names))
    ]

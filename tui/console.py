"""The AWS console page of a resource, for the Region it lives in.

Only ids that match their kind's syntax (the same :data:`~vpcdoctor.graph.model.commands.PATTERNS`
the fix commands use) go into a URL, so a hostile name never becomes part of a link. Pure: no
Textual; the ``o`` key shows and copies what :func:`console_url` returns.
"""

from __future__ import annotations

from urllib.parse import quote

from vpcdoctor.graph.model.commands import PATTERNS
from vpcdoctor.graph.model.verdict import HopKind

_VPC = "https://{r}.console.aws.amazon.com/vpcconsole/home?region={r}#"
_EC2 = "https://{r}.console.aws.amazon.com/ec2/home?region={r}#"

# hop kind → (pattern kind, URL with {r} the Region and {id} the resource id)
_PAGES: dict[HopKind, tuple[str, str]] = {
    HopKind.VPC: ("vpc", _VPC + "VpcDetails:VpcId={id}"),
    HopKind.SUBNET: ("subnet", _VPC + "SubnetDetails:subnetId={id}"),
    HopKind.ROUTE_TABLE: ("route-table", _VPC + "RouteTableDetails:RouteTableId={id}"),
    HopKind.NETWORK_ACL: ("network-acl", _VPC + "NetworkAclDetails:networkAclId={id}"),
    HopKind.SECURITY_GROUP: ("security-group", _VPC + "SecurityGroup:groupId={id}"),
    HopKind.NAT_GATEWAY: ("nat-gateway", _VPC + "NatGatewayDetails:natGatewayId={id}"),
    HopKind.INTERNET_GATEWAY: ("internet-gateway", _VPC + "InternetGateway:internetGatewayId={id}"),
    HopKind.EGRESS_ONLY_INTERNET_GATEWAY: (
        "egress-only-internet-gateway",
        _VPC + "EgressOnlyInternetGateways:egressOnlyInternetGatewayId={id}",
    ),
    HopKind.VPC_ENDPOINT: ("vpc-endpoint", _VPC + "EndpointDetails:vpcEndpointId={id}"),
    HopKind.PEERING_CONNECTION: (
        "peering-connection",
        _VPC + "PeeringConnectionDetails:VpcPeeringConnectionId={id}",
    ),
    HopKind.TRANSIT_GATEWAY: (
        "transit-gateway",
        _VPC + "TransitGatewayDetails:transitGatewayId={id}",
    ),
    HopKind.ENI: ("network-interface", _EC2 + "NetworkInterface:networkInterfaceId={id}"),
    HopKind.NAT_INSTANCE: ("instance", _EC2 + "InstanceDetails:instanceId={id}"),
    HopKind.LAMBDA: (
        "function-name",
        "https://{r}.console.aws.amazon.com/lambda/home?region={r}#/functions/{id}",
    ),
    HopKind.PRIVATE_HOSTED_ZONE: (
        "hosted-zone",
        "https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/{id}",
    ),
    HopKind.RESOLVER_RULE: (
        "resolver-rule",
        "https://{r}.console.aws.amazon.com/route53resolver/home?region={r}#/rules/{id}",
    ),
}
_PAGES[HopKind.FUNCTION] = _PAGES[HopKind.LAMBDA]

_PREFIX_KINDS: dict[str, HopKind] = {
    "rtb-": HopKind.ROUTE_TABLE,
    "acl-": HopKind.NETWORK_ACL,
    "sg-": HopKind.SECURITY_GROUP,
    "nat-": HopKind.NAT_GATEWAY,
    "igw-": HopKind.INTERNET_GATEWAY,
    "eigw-": HopKind.EGRESS_ONLY_INTERNET_GATEWAY,
    "vpce-": HopKind.VPC_ENDPOINT,
    "pcx-": HopKind.PEERING_CONNECTION,
    "tgw-": HopKind.TRANSIT_GATEWAY,
    "eni-": HopKind.ENI,
    "subnet-": HopKind.SUBNET,
    "vpc-": HopKind.VPC,
    "i-": HopKind.NAT_INSTANCE,
}


def kind_of(resource: str, kind: HopKind) -> HopKind:
    """The console page kind for a hop: its own kind when the id fits it, else what the id's
    prefix says (a NAT hop that blamed the NAT's route table carries ``rtb-…``)."""
    page = _PAGES.get(kind)
    if page is not None and PATTERNS[page[0]].fullmatch(resource):
        return kind
    for prefix, other in sorted(_PREFIX_KINDS.items(), key=lambda item: -len(item[0])):
        if resource.startswith(prefix):
            return other
    return kind


def console_url(resource: str | None, kind: HopKind, region: str | None) -> str | None:
    """The console URL of ``resource`` in ``region``, or None (unknown kind, no Region, or an
    id that does not look like one AWS prints)."""
    if not resource or not region or not PATTERNS["region"].fullmatch(region):
        return None
    page = _PAGES.get(kind_of(resource, kind))
    if page is None:
        return None
    pattern_kind, template = page
    if not PATTERNS[pattern_kind].fullmatch(resource):
        return None
    return template.format(r=region, id=quote(resource, safe=""))

"""The AWS console page of a resource, for the Region it lives in.

Only ids that match their kind's syntax (the same :data:`~vpcdoctor.graph.model.commands.PATTERNS`
the fix commands use) go into a URL, so a hostile name never becomes part of a link. Pure: no
Textual; the ``o`` key shows and copies what :func:`console_url` returns.
"""

from __future__ import annotations

from urllib.parse import quote

from vpcdoctor.graph.model.commands import PATTERNS

_VPC = "https://{r}.console.aws.amazon.com/vpcconsole/home?region={r}#"
_EC2 = "https://{r}.console.aws.amazon.com/ec2/home?region={r}#"

# hop kind → (pattern kind, URL with {r} the Region and {id} the resource id)
_PAGES: dict[str, tuple[str, str]] = {
    "vpc": ("vpc", _VPC + "VpcDetails:VpcId={id}"),
    "subnet": ("subnet", _VPC + "SubnetDetails:subnetId={id}"),
    "route-table": ("route-table", _VPC + "RouteTableDetails:RouteTableId={id}"),
    "network-acl": ("network-acl", _VPC + "NetworkAclDetails:networkAclId={id}"),
    "security-group": ("security-group", _VPC + "SecurityGroup:groupId={id}"),
    "nat-gateway": ("nat-gateway", _VPC + "NatGatewayDetails:natGatewayId={id}"),
    "internet-gateway": ("internet-gateway", _VPC + "InternetGateway:internetGatewayId={id}"),
    "egress-only-internet-gateway": (
        "egress-only-internet-gateway",
        _VPC + "EgressOnlyInternetGateways:egressOnlyInternetGatewayId={id}",
    ),
    "vpc-endpoint": ("vpc-endpoint", _VPC + "EndpointDetails:vpcEndpointId={id}"),
    "peering-connection": (
        "peering-connection",
        _VPC + "PeeringConnectionDetails:VpcPeeringConnectionId={id}",
    ),
    "transit-gateway": ("transit-gateway", _VPC + "TransitGatewayDetails:transitGatewayId={id}"),
    "eni": ("network-interface", _EC2 + "NetworkInterface:networkInterfaceId={id}"),
    "nat-instance": ("instance", _EC2 + "InstanceDetails:instanceId={id}"),
    "lambda": (
        "function-name",
        "https://{r}.console.aws.amazon.com/lambda/home?region={r}#/functions/{id}",
    ),
    "private-hosted-zone": (
        "hosted-zone",
        "https://console.aws.amazon.com/route53/v2/hostedzones#ListRecordSets/{id}",
    ),
    "resolver-rule": (
        "resolver-rule",
        "https://{r}.console.aws.amazon.com/route53resolver/home?region={r}#/rules/{id}",
    ),
}
_PAGES["function"] = _PAGES["lambda"]

_PREFIX_KINDS = {
    "rtb-": "route-table",
    "acl-": "network-acl",
    "sg-": "security-group",
    "nat-": "nat-gateway",
    "igw-": "internet-gateway",
    "eigw-": "egress-only-internet-gateway",
    "vpce-": "vpc-endpoint",
    "pcx-": "peering-connection",
    "tgw-": "transit-gateway",
    "eni-": "eni",
    "subnet-": "subnet",
    "vpc-": "vpc",
    "i-": "nat-instance",
}


def kind_of(resource: str, kind: str) -> str:
    """The console page kind for a hop: its own kind when the id fits it, else what the id's
    prefix says (a NAT hop that blamed the NAT's route table carries ``rtb-…``)."""
    page = _PAGES.get(kind)
    if page is not None and PATTERNS[page[0]].fullmatch(resource):
        return kind
    for prefix, other in sorted(_PREFIX_KINDS.items(), key=lambda item: -len(item[0])):
        if resource.startswith(prefix):
            return other
    return kind


def console_url(resource: str | None, kind: str, region: str | None) -> str | None:
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

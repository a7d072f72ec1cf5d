"""The AWS outputs vpcdoctor understands: one registry shared by loader, collector and export.

A *kind* is one AWS CLI / API read operation whose JSON output can sit in a snapshot. The
offline loader recognises a file's kind by its top-level keys (never its name); the live
collector calls the same operations; ``export --print-cli`` prints ``cli``; the IAM policy
lists ``iam_action``. A hop that lacks data names the kind's ``cli`` so the user knows which
export would settle it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Kind:
    """One recognised AWS output."""

    name: str
    """Stable identifier, the AWS CLI sub-command, e.g. ``describe-vpcs``."""
    service: str
    """botocore service name, e.g. ``ec2``."""
    operation: str
    """botocore operation name, e.g. ``DescribeVpcs``."""
    keys: tuple[str, ...]
    """Top-level keys that must all be present for a file to be this kind."""
    list_key: str | None
    """The key holding the list of resources, if the output is a list."""
    owner_in_filename: bool = False
    """True for outputs that do not name their owner: the file name carries it after ``@``."""
    owner_hint: str = ""
    """What the ``@id`` names (``hosted zone id``, ``function name`` …), for messages."""
    cli: str
    """The AWS CLI command that produces this output (``{id}`` stands for the owner)."""
    iam_action: str
    """The IAM action the call needs."""

    @property
    def file_stem(self) -> str:
        """Base file name used by ``vpcdoctor export`` (``ec2/describe-vpcs``)."""
        return f"{self.service}/{self.name}"


def _k(
    service: str,
    operation: str,
    name: str,
    keys: tuple[str, ...],
    list_key: str | None,
    cli: str,
    *,
    owner: str = "",
    iam: str | None = None,
) -> Kind:
    return Kind(
        name=name,
        service=service,
        operation=operation,
        keys=keys,
        list_key=list_key,
        owner_in_filename=bool(owner),
        owner_hint=owner,
        cli=cli,
        iam_action=iam or f"{_IAM_PREFIX.get(service, service)}:{operation}",
    )


_IAM_PREFIX = {
    "elbv2": "elasticloadbalancing",
    "route53resolver": "route53resolver",
    "opensearch": "es",
}

# The registry is a table, one kind per call: ruff format would spread each call over 7-9
# lines (the table would grow from 110 to 350 lines and stop reading as a table).
# fmt: off
KINDS: tuple[Kind, ...] = (
    # --- EC2 -----------------------------------------------------------------------------
    _k("ec2", "DescribeVpcs", "describe-vpcs", ("Vpcs",), "Vpcs", "aws ec2 describe-vpcs"),
    _k("ec2", "DescribeVpcAttribute", "describe-vpc-attribute-enableDnsSupport",
       ("VpcId", "EnableDnsSupport"), None,
       "aws ec2 describe-vpc-attribute --vpc-id {id} --attribute enableDnsSupport"),
    _k("ec2", "DescribeVpcAttribute", "describe-vpc-attribute-enableDnsHostnames",
       ("VpcId", "EnableDnsHostnames"), None,
       "aws ec2 describe-vpc-attribute --vpc-id {id} --attribute enableDnsHostnames"),
    _k("ec2", "DescribeSubnets", "describe-subnets", ("Subnets",), "Subnets",
       "aws ec2 describe-subnets"),
    _k("ec2", "DescribeRouteTables", "describe-route-tables", ("RouteTables",), "RouteTables",
       "aws ec2 describe-route-tables"),
    _k("ec2", "DescribeInternetGateways", "describe-internet-gateways", ("InternetGateways",),
       "InternetGateways", "aws ec2 describe-internet-gateways"),
    _k("ec2", "DescribeEgressOnlyInternetGateways", "describe-egress-only-internet-gateways",
       ("EgressOnlyInternetGateways",), "EgressOnlyInternetGateways",
       "aws ec2 describe-egress-only-internet-gateways"),
    _k("ec2", "DescribeNatGateways", "describe-nat-gateways", ("NatGateways",), "NatGateways",
       "aws ec2 describe-nat-gateways"),
    _k("ec2", "DescribeVpcEndpoints", "describe-vpc-endpoints", ("VpcEndpoints",),
       "VpcEndpoints", "aws ec2 describe-vpc-endpoints"),
    _k("ec2", "DescribeSecurityGroups", "describe-security-groups", ("SecurityGroups",),
       "SecurityGroups", "aws ec2 describe-security-groups"),
    _k("ec2", "DescribeSecurityGroupRules", "describe-security-group-rules",
       ("SecurityGroupRules",), "SecurityGroupRules", "aws ec2 describe-security-group-rules"),
    _k("ec2", "DescribeNetworkAcls", "describe-network-acls", ("NetworkAcls",), "NetworkAcls",
       "aws ec2 describe-network-acls"),
    _k("ec2", "DescribeNetworkInterfaces", "describe-network-interfaces",
       ("NetworkInterfaces",), "NetworkInterfaces", "aws ec2 describe-network-interfaces"),
    _k("ec2", "DescribeAddresses", "describe-addresses", ("Addresses",), "Addresses",
       "aws ec2 describe-addresses"),
    # describe-prefix-lists and describe-managed-prefix-lists both answer with "PrefixLists";
    # the loader tells them apart by the items' fields (Cidrs vs AddressFamily/MaxEntries).
    _k("ec2", "DescribePrefixLists", "describe-prefix-lists", ("PrefixLists",), "PrefixLists",
       "aws ec2 describe-prefix-lists"),
    _k("ec2", "DescribeManagedPrefixLists", "describe-managed-prefix-lists", ("PrefixLists",),
       "PrefixLists", "aws ec2 describe-managed-prefix-lists"),
    _k("ec2", "GetManagedPrefixListEntries", "get-managed-prefix-list-entries", ("Entries",),
       "Entries", "aws ec2 get-managed-prefix-list-entries --prefix-list-id {id}",
       owner="prefix list id"),
    _k("ec2", "DescribeVpcPeeringConnections", "describe-vpc-peering-connections",
       ("VpcPeeringConnections",), "VpcPeeringConnections",
       "aws ec2 describe-vpc-peering-connections"),
    _k("ec2", "DescribeTransitGateways", "describe-transit-gateways", ("TransitGateways",),
       "TransitGateways", "aws ec2 describe-transit-gateways"),
    _k("ec2", "DescribeTransitGatewayAttachments", "describe-transit-gateway-attachments",
       ("TransitGatewayAttachments",), "TransitGatewayAttachments",
       "aws ec2 describe-transit-gateway-attachments"),
    _k("ec2", "DescribeTransitGatewayVpcAttachments", "describe-transit-gateway-vpc-attachments",
       ("TransitGatewayVpcAttachments",), "TransitGatewayVpcAttachments",
       "aws ec2 describe-transit-gateway-vpc-attachments"),
    _k("ec2", "DescribeTransitGatewayRouteTables", "describe-transit-gateway-route-tables",
       ("TransitGatewayRouteTables",), "TransitGatewayRouteTables",
       "aws ec2 describe-transit-gateway-route-tables"),
    _k("ec2", "SearchTransitGatewayRoutes", "search-transit-gateway-routes", ("Routes",),
       "Routes",
       "aws ec2 search-transit-gateway-routes --transit-gateway-route-table-id {id} "
       "--filters Name=state,Values=active,blackhole",
       owner="transit gateway route table id"),
    # Batfish's TransitGatewayStaticRoutes, or a search filtered to static routes; a plain file
    # with Routes is the full search above (the first registered wins a tie): the file name's
    # stem, ``search-transit-gateway-routes-static@tgw-rtb-….json``, says it is this one.
    _k("ec2", "SearchTransitGatewayRoutes", "search-transit-gateway-routes-static", ("Routes",),
       "Routes",
       "aws ec2 search-transit-gateway-routes --transit-gateway-route-table-id {id} "
       "--filters Name=type,Values=static",
       owner="transit gateway route table id"),
    _k("ec2", "GetTransitGatewayRouteTablePropagations",
       "get-transit-gateway-route-table-propagations", ("TransitGatewayRouteTablePropagations",),
       "TransitGatewayRouteTablePropagations",
       "aws ec2 get-transit-gateway-route-table-propagations "
       "--transit-gateway-route-table-id {id}",
       owner="transit gateway route table id"),
    _k("ec2", "GetTransitGatewayRouteTableAssociations",
       "get-transit-gateway-route-table-associations", ("Associations",), "Associations",
       "aws ec2 get-transit-gateway-route-table-associations "
       "--transit-gateway-route-table-id {id}",
       owner="transit gateway route table id"),
    _k("ec2", "DescribeTransitGatewayPeeringAttachments",
       "describe-transit-gateway-peering-attachments", ("TransitGatewayPeeringAttachments",),
       "TransitGatewayPeeringAttachments", "aws ec2 describe-transit-gateway-peering-attachments"),
    _k("ec2", "DescribeVpnConnections", "describe-vpn-connections", ("VpnConnections",),
       "VpnConnections", "aws ec2 describe-vpn-connections"),
    _k("ec2", "DescribeVpnGateways", "describe-vpn-gateways", ("VpnGateways",), "VpnGateways",
       "aws ec2 describe-vpn-gateways"),
    _k("ec2", "DescribeVpcBlockPublicAccessOptions", "describe-vpc-block-public-access-options",
       ("VpcBlockPublicAccessOptions",), None,
       "aws ec2 describe-vpc-block-public-access-options"),
    _k("ec2", "DescribeVpcBlockPublicAccessExclusions",
       "describe-vpc-block-public-access-exclusions", ("VpcBlockPublicAccessExclusions",),
       "VpcBlockPublicAccessExclusions", "aws ec2 describe-vpc-block-public-access-exclusions"),
    _k("ec2", "DescribeDhcpOptions", "describe-dhcp-options", ("DhcpOptions",), "DhcpOptions",
       "aws ec2 describe-dhcp-options"),
    _k("ec2", "DescribeInstances", "describe-instances", ("Reservations",), "Reservations",
       "aws ec2 describe-instances"),
    # --- Lambda --------------------------------------------------------------------------
    _k("lambda", "ListFunctions", "list-functions", ("Functions",), "Functions",
       "aws lambda list-functions"),
    _k("lambda", "GetFunctionConfiguration", "get-function-configuration",
       ("FunctionArn", "State"), None,
       "aws lambda get-function-configuration --function-name {id}"),
    _k("lambda", "GetFunction", "get-function", ("Configuration",), None,
       "aws lambda get-function --function-name {id}"),
    _k("lambda", "GetFunctionConcurrency", "get-function-concurrency",
       ("ReservedConcurrentExecutions",), None,
       "aws lambda get-function-concurrency --function-name {id}", owner="function name"),
    _k("lambda", "ListProvisionedConcurrencyConfigs", "list-provisioned-concurrency-configs",
       ("ProvisionedConcurrencyConfigs",), "ProvisionedConcurrencyConfigs",
       "aws lambda list-provisioned-concurrency-configs --function-name {id}",
       owner="function name"),
    # --- Route 53 ------------------------------------------------------------------------
    _k("route53", "ListHostedZones", "list-hosted-zones", ("HostedZones",), "HostedZones",
       "aws route53 list-hosted-zones"),
    _k("route53", "GetHostedZone", "get-hosted-zone", ("HostedZone",), None,
       "aws route53 get-hosted-zone --id {id}"),
    _k("route53", "ListResourceRecordSets", "list-resource-record-sets",
       ("ResourceRecordSets",), "ResourceRecordSets",
       "aws route53 list-resource-record-sets --hosted-zone-id {id}", owner="hosted zone id"),
    # --- Route 53 Resolver ---------------------------------------------------------------
    _k("route53resolver", "ListResolverRules", "list-resolver-rules", ("ResolverRules",),
       "ResolverRules", "aws route53resolver list-resolver-rules"),
    _k("route53resolver", "ListResolverRuleAssociations", "list-resolver-rule-associations",
       ("ResolverRuleAssociations",), "ResolverRuleAssociations",
       "aws route53resolver list-resolver-rule-associations"),
    _k("route53resolver", "ListResolverEndpoints", "list-resolver-endpoints",
       ("ResolverEndpoints",), "ResolverEndpoints",
       "aws route53resolver list-resolver-endpoints"),
    _k("route53resolver", "ListResolverEndpointIpAddresses",
       "list-resolver-endpoint-ip-addresses", ("IpAddresses",), "IpAddresses",
       "aws route53resolver list-resolver-endpoint-ip-addresses --resolver-endpoint-id {id}",
       owner="resolver endpoint id"),
    # --- ELB, RDS, STS -------------------------------------------------------------------
    _k("elbv2", "DescribeLoadBalancers", "describe-load-balancers", ("LoadBalancers",),
       "LoadBalancers", "aws elbv2 describe-load-balancers"),
    _k("elbv2", "DescribeTargetGroups", "describe-target-groups", ("TargetGroups",),
       "TargetGroups", "aws elbv2 describe-target-groups"),
    # Every listener names its LoadBalancerArn: one file may hold several load balancers'.
    _k("elbv2", "DescribeListeners", "describe-listeners", ("Listeners",), "Listeners",
       "aws elbv2 describe-listeners --load-balancer-arn {id}"),
    # The output does not name its target group: the file name carries it after @, as the
    # group's name and the id segment of its ARN joined by a dot (an ARN holds ':' and '/'):
    # arn:aws:elasticloadbalancing:r:a:targetgroup/web/73e2d6bc24d8a067 → @web.73e2d6bc24d8a067
    # (the plain name, @web, is accepted too when no other group has it).
    _k("elbv2", "DescribeTargetHealth", "describe-target-health", ("TargetHealthDescriptions",),
       "TargetHealthDescriptions", "aws elbv2 describe-target-health --target-group-arn {id}",
       owner="target group (NAME.ID of its ARN)"),
    # --- ElastiCache, OpenSearch ---------------------------------------------------------
    _k("elasticache", "DescribeCacheClusters", "describe-cache-clusters", ("CacheClusters",),
       "CacheClusters", "aws elasticache describe-cache-clusters --show-cache-node-info"),
    _k("elasticache", "DescribeReplicationGroups", "describe-replication-groups",
       ("ReplicationGroups",), "ReplicationGroups", "aws elasticache describe-replication-groups"),
    _k("elasticache", "DescribeCacheSubnetGroups", "describe-cache-subnet-groups",
       ("CacheSubnetGroups",), "CacheSubnetGroups",
       "aws elasticache describe-cache-subnet-groups"),
    _k("opensearch", "ListDomainNames", "list-domain-names", ("DomainNames",), "DomainNames",
       "aws opensearch list-domain-names"),
    _k("opensearch", "DescribeDomains", "describe-domains", ("DomainStatusList",),
       "DomainStatusList", "aws opensearch describe-domains --domain-names {id}"),
    # --- RDS -----------------------------------------------------------------------------
    _k("rds", "DescribeDBSubnetGroups", "describe-db-subnet-groups", ("DBSubnetGroups",),
       "DBSubnetGroups", "aws rds describe-db-subnet-groups"),
    _k("rds", "DescribeDBInstances", "describe-db-instances", ("DBInstances",), "DBInstances",
       "aws rds describe-db-instances"),
    _k("rds", "DescribeDBClusters", "describe-db-clusters", ("DBClusters",), "DBClusters",
       "aws rds describe-db-clusters"),
    _k("rds", "DescribeDBProxies", "describe-db-proxies", ("DBProxies",), "DBProxies",
       "aws rds describe-db-proxies"),
    _k("sts", "GetCallerIdentity", "get-caller-identity", ("Account", "Arn", "UserId"), None,
       "aws sts get-caller-identity"),
)
# fmt: on

KINDS_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}


def kind(name: str) -> Kind:
    """Return the registered kind called ``name`` (a KeyError is a programming error)."""
    return KINDS_BY_NAME[name]

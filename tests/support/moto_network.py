"""The multi-VPC network a live-mode test can add to a moto scenario: VGW and Site-to-Site VPN,
transit gateway, load balancer, cache, directory (split from :mod:`tests.support.moto_server`)."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.moto_server import REGION, Scenario, clients


@dataclass
class NetworkScenario:
    """What :func:`add_network` built next to a :class:`Scenario`."""

    vgw_id: str
    vpn_id: str
    tgw_id: str
    tgw_rtb: str
    tgw_attachment: str
    lb_arn: str
    tg_arn: str
    listener_arn: str
    cache_cluster: str
    cache_subnet_group: str
    domain: str
    db_subnet_group: str


def add_network(endpoint: str, sc: Scenario, region: str = REGION) -> NetworkScenario:
    """Add to the function's VPC what multi-VPC networks have: a VGW with a Site-to-Site VPN, a
    transit gateway (VPC attachment associated with and propagating into its route table), an
    internal ALB with a listener forwarding to an ip target group with a registered target, an
    ElastiCache cluster in a subnet group, an OpenSearch domain in the VPC and a DB subnet
    group."""
    c = clients(endpoint, region)
    ec2 = c["ec2"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1", AmazonSideAsn=64512)["VpnGateway"]["VpnGatewayId"]
    ec2.attach_vpn_gateway(VpcId=sc.vpc_id, VpnGatewayId=vgw)
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.7", BgpAsn=65000)[
        "CustomerGateway"
    ]["CustomerGatewayId"]
    vpn = ec2.create_vpn_connection(
        Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw, Options={"StaticRoutesOnly": True}
    )["VpnConnection"]["VpnConnectionId"]
    tgw = ec2.create_transit_gateway(
        Options={
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
        }
    )["TransitGateway"]["TransitGatewayId"]
    rtb = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)["TransitGatewayRouteTable"][
        "TransitGatewayRouteTableId"
    ]
    att = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=tgw, VpcId=sc.vpc_id, SubnetIds=sc.private_subnets[:1]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=rtb, TransitGatewayAttachmentId=att
    )
    ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=rtb, TransitGatewayAttachmentId=att
    )
    ec2.create_route(
        RouteTableId=sc.private_rtb, DestinationCidrBlock="10.100.0.0/16", TransitGatewayId=tgw
    )
    elb = c["elbv2"]
    lb = elb.create_load_balancer(
        Name="internal-api",
        Subnets=sc.private_subnets,
        SecurityGroups=[sc.endpoint_sg],
        Scheme="internal",
        Type="application",
    )["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(
        Name="api-targets", Protocol="HTTP", Port=8080, VpcId=sc.vpc_id, TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": "10.0.1.20", "Port": 8080}])
    listener = elb.create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
    )["Listeners"][0]["ListenerArn"]
    cache = c["elasticache"]
    cache.create_cache_subnet_group(
        CacheSubnetGroupName="cache-private",
        CacheSubnetGroupDescription="private",
        SubnetIds=sc.private_subnets,
    )
    cache.create_cache_cluster(
        CacheClusterId="sessions",
        Engine="redis",
        CacheNodeType="cache.t4g.micro",
        NumCacheNodes=1,
        CacheSubnetGroupName="cache-private",
        SecurityGroupIds=[sc.endpoint_sg],
    )
    c["opensearch"].create_domain(
        DomainName="logs",
        VPCOptions={"SubnetIds": sc.private_subnets[:1], "SecurityGroupIds": [sc.endpoint_sg]},
    )
    c["rds"].create_db_subnet_group(
        DBSubnetGroupName="orders-db-subnets",
        DBSubnetGroupDescription="orders",
        SubnetIds=sc.private_subnets,
    )
    return NetworkScenario(
        vgw_id=vgw,
        vpn_id=vpn,
        tgw_id=tgw,
        tgw_rtb=rtb,
        tgw_attachment=att,
        lb_arn=lb,
        tg_arn=tg,
        listener_arn=listener,
        cache_cluster="sessions",
        cache_subnet_group="cache-private",
        domain="logs",
        db_subnet_group="orders-db-subnets",
    )

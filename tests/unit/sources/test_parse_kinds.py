"""Every kind of output, parsed into the model with its fields (tests/data/snapshot_full)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from tests.support.paths import DATA
from vpcdoctor.graph.model import (
    Account,
    EndpointType,
    LambdaState,
    NatConnectivity,
    NatState,
    PortRange,
    ResolverDirection,
    ResolverRuleType,
    RouteOrigin,
    RouteState,
    RouteTargetType,
    RuleAction,
)
from vpcdoctor.graph.model.kinds import KINDS
from vpcdoctor.graph.sources.snapshot import load_snapshot

FULL = DATA / "snapshot_full"
V1 = "vpc-0a1b2c3d4e5f60001"
S1, S2, S3 = (f"subnet-0a1b2c3d4e5f6000{i}" for i in (1, 2, 3))


@pytest.fixture(scope="module")
def account() -> Account:
    return load_snapshot(FULL)


def net(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text)


def test_every_registered_kind_is_exercised(account: Account) -> None:
    assert {k.name for k in KINDS} <= account.present


def test_account_and_region_from_manifest(account: Account) -> None:
    assert account.account_id == "123456789012"
    assert account.region == "ap-northeast-1"
    assert any(g.kind == "describe-instances" and g.reason == "AccessDenied" for g in account.gaps)


def test_vpc_cidrs_only_associated_primary_first_and_ipv6(account: Account) -> None:
    vpc = account.vpcs[V1]
    assert vpc.cidrs == (net("10.0.0.0/16"), net("100.64.0.0/16"))
    assert vpc.ipv6_cidrs == (net("2406:da14:abc:de00::/56"),)
    assert vpc.owner_id == "123456789012"
    assert vpc.dhcp_options_id == "dopt-0a1b2c3d4e5f60001"
    assert vpc.state == "available" and vpc.is_default is False
    assert vpc.name == "prod"
    assert vpc.resolver_ip == ipaddress.ip_address("10.0.0.2")


def test_vpc_dns_attributes(account: Account) -> None:
    assert account.vpcs[V1].enable_dns_support is True
    assert account.vpcs[V1].enable_dns_hostnames is False
    other = account.vpcs["vpc-0a1b2c3d4e5f60002"]
    assert other.enable_dns_support is None and other.enable_dns_hostnames is None


def test_subnets(account: Account) -> None:
    s = account.subnets[S1]
    assert (s.vpc_id, s.az, s.az_id) == (V1, "ap-northeast-1a", "apne1-az4")
    assert s.cidr == net("10.0.1.0/24")
    assert s.ipv6_cidrs == (net("2406:da14:abc:de01::/64"),)
    assert s.is_dual_stack
    assert s.available_ips == 245
    assert s.map_public_ip_on_launch is False
    assert s.name == "private-a"
    assert account.subnets[S2].map_public_ip_on_launch is True
    assert account.subnets[S3].available_ips == 0


def test_route_tables_associations(account: Account) -> None:
    main = account.route_tables["rtb-0a1b2c3d4e5f60001"]
    assert main.is_main and main.subnet_ids == ()
    private = account.route_tables["rtb-0a1b2c3d4e5f60002"]
    assert private.subnet_ids == (S1,)  # the disassociated one is dropped
    edge = account.route_tables["rtb-0a1b2c3d4e5f60003"]
    assert edge.gateway_ids == ("igw-0a1b2c3d4e5f60001",)
    assert account.route_table_for(S1) is private
    assert account.route_table_for(S2) is main
    assert account.route_table_is_explicit(S1) and not account.route_table_is_explicit(S2)


def test_route_target_types(account: Account) -> None:
    routes = {r.destination_text: r for r in account.route_tables["rtb-0a1b2c3d4e5f60002"].routes}
    expected = {
        "10.0.0.0/16": (RouteTargetType.LOCAL, "local"),
        "0.0.0.0/0": (RouteTargetType.NAT_GATEWAY, "nat-0a1b2c3d4e5f60001"),
        "192.168.0.0/16": (RouteTargetType.TRANSIT_GATEWAY, "tgw-0a1b2c3d4e5f60001"),
        "172.16.0.0/16": (RouteTargetType.VPC_PEERING, "pcx-0a1b2c3d4e5f60001"),
        "10.50.0.0/16": (RouteTargetType.INSTANCE, "i-0a1b2c3d4e5f60001"),
        "10.51.0.0/16": (RouteTargetType.NETWORK_INTERFACE, "eni-0a1b2c3d4e5f60003"),
        "10.52.0.0/16": (RouteTargetType.VIRTUAL_PRIVATE_GATEWAY, "vgw-0a1b2c3d4e5f60001"),
        "10.53.0.0/16": (RouteTargetType.CARRIER_GATEWAY, "cagw-0a1b2c3d4e5f60001"),
        "10.54.0.0/16": (RouteTargetType.LOCAL_GATEWAY, "lgw-0a1b2c3d4e5f60001"),
        "10.56.0.0/16": (RouteTargetType.NAT_GATEWAY, "nat-0deleted00000001"),
        "pl-61a54008": (RouteTargetType.VPC_ENDPOINT, "vpce-0a1b2c3d4e5f60001"),
        "pl-0a1b2c3d4e5f60099": (RouteTargetType.TRANSIT_GATEWAY, "tgw-0a1b2c3d4e5f60001"),
    }
    for destination, (target_type, target_id) in expected.items():
        assert (routes[destination].target_type, routes[destination].target_id) == (
            target_type,
            target_id,
        ), destination
    assert routes["10.55.0.0/16"].target_type is RouteTargetType.CORE_NETWORK
    assert routes["10.56.0.0/16"].state is RouteState.BLACKHOLE
    assert routes["0.0.0.0/0"].state is RouteState.ACTIVE
    assert routes["10.0.0.0/16"].origin is RouteOrigin.CREATE_ROUTE_TABLE
    assert routes["10.52.0.0/16"].origin is RouteOrigin.ENABLE_VGW_ROUTE_PROPAGATION
    assert routes["pl-61a54008"].destination is None
    assert routes["pl-61a54008"].prefix_list_id == "pl-61a54008"
    public = {r.destination_text: r for r in account.route_tables["rtb-0a1b2c3d4e5f60001"].routes}
    assert public["0.0.0.0/0"].target_type is RouteTargetType.INTERNET_GATEWAY
    assert public["::/0"].target_type is RouteTargetType.EGRESS_ONLY_INTERNET_GATEWAY
    assert public["::/0"].destination == net("::/0")


def test_gateways(account: Account) -> None:
    igw = account.internet_gateways["igw-0a1b2c3d4e5f60001"]
    assert igw.attached_to(V1) and not igw.attached_to("vpc-other")
    assert igw.owner_id == "123456789012"
    eigw = account.egress_only_internet_gateways["eigw-0a1b2c3d4e5f60001"]
    assert eigw.attached_to(V1) and eigw.name == "v6"


def test_nat_gateways(account: Account) -> None:
    nat = account.nat_gateways["nat-0a1b2c3d4e5f60001"]
    assert (nat.vpc_id, nat.subnet_id, nat.state) == (V1, S2, NatState.AVAILABLE)
    assert nat.connectivity is NatConnectivity.PUBLIC
    assert nat.public_ips == (ipaddress.ip_address("203.0.113.10"),)
    address = nat.addresses[0]
    assert address.private_ip == ipaddress.ip_address("10.0.101.10")
    assert address.allocation_id == "eipalloc-0a1b2c3d4e5f60001"
    assert address.network_interface_id == "eni-0a1b2c3d4e5f60004"
    assert address.is_primary
    failed = account.nat_gateways["nat-0a1b2c3d4e5f60002"]
    assert failed.state is NatState.FAILED and failed.connectivity is NatConnectivity.PRIVATE
    assert failed.failure_code == "InsufficientFreeAddressesInSubnet"
    assert failed.failure_message == "no free addresses"
    assert "nat-0deleted00000001" not in account.nat_gateways  # a gap, not an error


def test_vpc_endpoints(account: Account) -> None:
    s3 = account.vpc_endpoints["vpce-0a1b2c3d4e5f60001"]
    assert s3.type is EndpointType.GATEWAY and s3.service_short_name == "s3"
    assert s3.route_table_ids == ("rtb-0a1b2c3d4e5f60002",)
    assert s3.policy_document == '{"Version":"2008-10-17"}'
    assert s3.state == "available" and s3.owner_id == "123456789012"
    sm = account.vpc_endpoints["vpce-0a1b2c3d4e5f60002"]
    assert sm.type is EndpointType.INTERFACE and sm.private_dns_enabled
    assert sm.subnet_ids == (S1,) and sm.security_group_ids == ("sg-0a1b2c3d4e5f60002",)
    assert sm.network_interface_ids == ("eni-0a1b2c3d4e5f60005",)
    assert sm.dns_entries[1].dns_name == "secretsmanager.ap-northeast-1.amazonaws.com"
    assert sm.dns_entries[1].hosted_zone_id == "Z0PRIVATE0001"


def test_security_groups_flattened(account: Account) -> None:
    sg = account.security_groups["sg-0a1b2c3d4e5f60001"]
    assert (sg.name, sg.description, sg.vpc_id) == ("lambda", "lambda functions", V1)
    assert sg.ingress == ()
    peers = {r.peer_text: r for r in sg.egress}
    assert set(peers) == {"0.0.0.0/0", "::/0", "pl-61a54008", "sg-0a1b2c3d4e5f60003"}
    assert peers["0.0.0.0/0"].protocol == "-1" and peers["0.0.0.0/0"].ports == PortRange()
    assert peers["::/0"].cidr == net("::/0")
    pl = peers["pl-61a54008"]
    assert pl.protocol == "6" and pl.ports == PortRange(low=5432, high=5432) and pl.egress
    assert pl.description == "s3"
    ref = peers["sg-0a1b2c3d4e5f60003"]
    assert ref.referenced_user_id == "123456789012" and ref.description == "db"
    endpoints = account.security_groups["sg-0a1b2c3d4e5f60002"]
    cross = next(r for r in endpoints.ingress if r.referenced_group_id == "sg-0a1b2c3d4e5f60009")
    assert cross.referenced_vpc_id == "vpc-0peer" and cross.peering_status == "active"
    icmp = next(r for r in endpoints.ingress if r.protocol == "1")
    assert icmp.ports == PortRange()  # ICMP type/code are not ports
    udp = next(r for r in endpoints.ingress if r.protocol == "17")
    assert udp.ports.contains(53) and udp.ports.contains(65535)


def test_security_group_rules_as_alternative_source(account: Account) -> None:
    # sg-…3 appears only in describe-security-group-rules
    db = account.security_groups["sg-0a1b2c3d4e5f60003"]
    assert db.vpc_id is None
    (ingress,) = db.ingress
    assert ingress.referenced_group_id == "sg-0a1b2c3d4e5f60001"
    assert ingress.ports == PortRange(low=5432, high=5432)
    assert ingress.rule_id == "sgr-0a1b2c3d4e5f60001"
    (egress,) = db.egress
    assert egress.cidr == net("0.0.0.0/0") and egress.protocol == "-1"
    # sg-…1 is in both: describe-security-groups wins (its rules are complete)
    assert len(account.security_groups["sg-0a1b2c3d4e5f60001"].egress) == 4


def test_network_acls_sorted(account: Account) -> None:
    default = account.network_acls["acl-0a1b2c3d4e5f60001"]
    assert default.is_default
    numbers = [(e.egress, e.rule_number) for e in default.entries]
    assert numbers == sorted(numbers)
    assert [e.rule_number for e in default.rules(egress=True)] == [100, 32767]
    assert default.rules(egress=True)[-1].is_default_deny
    assert default.rules(egress=False)[1].cidr == net("::/0")
    custom = account.network_acls["acl-0a1b2c3d4e5f60002"]
    assert custom.subnet_ids == (S1,)
    inbound = custom.rules(egress=False)
    assert [e.rule_number for e in inbound] == [50, 200]
    assert inbound[0].protocol == "1" and inbound[0].icmp_type == 8 and inbound[0].icmp_code == -1
    assert inbound[1].ports == PortRange(low=1024, high=65535)
    assert inbound[1].action is RuleAction.ALLOW
    (out,) = custom.rules(egress=True)
    assert out.action is RuleAction.DENY and out.ports == PortRange(low=53, high=53)
    assert account.network_acl_for(S1) is custom
    assert account.network_acl_for(S2) is default
    # a subnet with no association in the export uses the VPC's default ACL
    assert account.network_acl_for("subnet-0a1b2c3d4e5f60003") is None  # other VPC: none exported


def test_network_interfaces(account: Account) -> None:
    eni = account.network_interfaces["eni-0a1b2c3d4e5f60001"]
    assert eni.is_lambda and eni.requester_managed and eni.requester_id == "AROAEXAMPLE:1234"
    assert eni.interface_type == "lambda" and eni.az == "ap-northeast-1a"
    assert eni.private_ips == (ipaddress.ip_address("10.0.1.10"), ipaddress.ip_address("10.0.1.11"))
    assert eni.primary_ip == ipaddress.ip_address("10.0.1.10")
    assert eni.ipv6_addresses == (ipaddress.ip_address("2406:da14:abc:de01::10"),)
    assert eni.public_ip == ipaddress.ip_address("203.0.113.20")
    assert eni.elastic_ip_allocation_id == "eipalloc-0a1b2c3d4e5f60002"
    assert eni.security_group_ids == ("sg-0a1b2c3d4e5f60001",)
    assert eni.attachment_id == "ela-attach-0a1b2c3d4e5f60001" and eni.instance_id is None
    assert eni.status == "in-use" and eni.description.startswith("AWS Lambda VPC ENI")
    assert eni.tags == {"team": "payments"}
    nat_instance_eni = account.network_interfaces["eni-0a1b2c3d4e5f60003"]
    assert nat_instance_eni.instance_id == "i-0a1b2c3d4e5f60001"
    assert nat_instance_eni.source_dest_check is False
    assert account.eni_for_ip("10.0.1.11") is eni
    assert account.hyperplane_enis(S1, ("sg-0a1b2c3d4e5f60001",)) == (eni,)


def test_elastic_ips(account: Account) -> None:
    eip = account.elastic_ips["eipalloc-0a1b2c3d4e5f60002"]
    assert eip.public_ip == ipaddress.ip_address("203.0.113.20")
    assert eip.network_interface_id == "eni-0a1b2c3d4e5f60001"
    assert eip.private_ip == ipaddress.ip_address("10.0.1.10")
    assert eip.association_id == "eipassoc-2" and eip.tags == {"Name": "the trick"}
    assert account.elastic_ip_for_eni("eni-0a1b2c3d4e5f60001") is eip
    assert account.elastic_ips["eipalloc-0a1b2c3d4e5f60003"].instance_id == "i-0a1b2c3d4e5f60001"


def test_prefix_lists(account: Account) -> None:
    s3 = account.prefix_lists["pl-61a54008"]
    assert s3.aws_managed and s3.address_family == "IPv4"
    assert s3.name == "com.amazonaws.ap-northeast-1.s3"
    assert s3.entries == (net("52.219.0.0/20"), net("3.5.152.0/21"))
    dynamo = account.prefix_lists["pl-78a54011"]
    assert dynamo.aws_managed and dynamo.entries == (net("52.119.240.0/21"),)
    corp = account.prefix_lists["pl-0a1b2c3d4e5f60001"]
    assert not corp.aws_managed and corp.max_entries == 10 and corp.owner_id == "123456789012"
    assert account.prefix_list_cidrs("pl-0a1b2c3d4e5f60001") == (
        net("198.51.100.0/24"),
        net("192.0.2.0/24"),
    )
    # a route to a prefix list the snapshot knows nothing about: loads, unknown, and a gap
    assert account.prefix_list_cidrs("pl-0a1b2c3d4e5f60099") is None
    gap = next(g for g in account.gaps if g.owner == "pl-0a1b2c3d4e5f60099")
    assert gap.kind == "get-managed-prefix-list-entries"
    assert gap.iam_action == "ec2:GetManagedPrefixListEntries"


def test_peering(account: Account) -> None:
    pcx = account.peering_connections["pcx-0a1b2c3d4e5f60001"]
    assert pcx.status == "active"
    assert pcx.requester.cidrs == (
        net("10.0.0.0/16"),
        net("100.64.0.0/16"),
        net("2406:da14:abc:de00::/56"),
    )
    assert pcx.accepter.cidrs == (net("172.16.0.0/16"),)
    assert pcx.requester.region == "ap-northeast-1" and pcx.accepter.owner_id == "123456789012"
    assert pcx.peer_of(V1) == pcx.accepter
    assert pcx.tags == {"Name": "prod-to-shared"}


def test_transit_gateways(account: Account) -> None:
    tgw = account.transit_gateways["tgw-0a1b2c3d4e5f60001"]
    assert tgw.state == "available"
    assert tgw.association_default_route_table_id == "tgw-rtb-0a1b2c3d4e5f60001"
    assert tgw.propagation_default_route_table_id == "tgw-rtb-0a1b2c3d4e5f60001"
    vpc_att = account.transit_gateway_attachments["tgw-attach-0a1b2c3d4e5f60001"]
    assert (vpc_att.resource_type, vpc_att.resource_id) == ("vpc", V1)
    assert vpc_att.association_route_table_id == "tgw-rtb-0a1b2c3d4e5f60001"
    assert vpc_att.association_state == "associated"
    assert vpc_att.subnet_ids == (S1,)  # merged from describe-transit-gateway-vpc-attachments
    vpn = account.transit_gateway_attachments["tgw-attach-0a1b2c3d4e5f60002"]
    assert vpn.resource_type == "vpn" and vpn.subnet_ids is None
    rtb = account.transit_gateway_route_tables["tgw-rtb-0a1b2c3d4e5f60001"]
    assert rtb.is_default_association and rtb.is_default_propagation
    assert rtb.routes is not None
    routes = {str(r.destination): r for r in rtb.routes}
    assert routes["10.0.0.0/16"].route_type == "propagated"
    assert routes["10.0.0.0/16"].attachment_ids == ("tgw-attach-0a1b2c3d4e5f60001",)
    assert routes["192.168.0.0/16"].resource_ids == ("vpn-0a1b2c3d4e5f60001",)
    assert routes["192.168.99.0/24"].state == "blackhole"
    # routes exported for a table that describe-… lacks: its TGW comes from the attachment
    other = account.transit_gateway_route_tables["tgw-rtb-0a1b2c3d4e5f60002"]
    assert other.transit_gateway_id == "tgw-0a1b2c3d4e5f60001"
    assert other.routes is not None and len(other.routes) == 1


def test_dhcp_options(account: Account) -> None:
    amazon = account.dhcp_options["dopt-0a1b2c3d4e5f60001"]
    assert amazon.uses_amazon_dns and amazon.domain_name == "ap-northeast-1.compute.internal"
    custom = account.dhcp_options["dopt-0a1b2c3d4e5f60002"]
    assert custom.domain_name_servers == ("10.0.0.53", "10.0.1.53")
    assert not custom.uses_amazon_dns


def test_instances(account: Account) -> None:
    i = account.instances["i-0a1b2c3d4e5f60001"]
    assert (i.state, i.subnet_id, i.vpc_id) == ("running", S2, V1)
    assert i.private_ip == ipaddress.ip_address("10.0.101.20")
    assert i.public_ip == ipaddress.ip_address("203.0.113.30")
    assert i.network_interface_ids == ("eni-0a1b2c3d4e5f60003",)
    assert i.security_group_ids == ("sg-0a1b2c3d4e5f60002",)
    assert i.source_dest_check is False and i.name == "nat-instance"


def test_lambda_merged_from_three_outputs(account: Account) -> None:
    fn = account.functions["orders-api"]
    assert fn.arn.endswith(":function:orders-api")
    assert (fn.runtime, fn.package_type, fn.memory_mb, fn.timeout_s) == (
        "python3.12",
        "Zip",
        512,
        30,
    )
    assert fn.role == "arn:aws:iam::123456789012:role/orders"
    assert fn.vpc is not None and fn.in_vpc
    assert fn.vpc.subnet_ids == (S1,) and fn.vpc.security_group_ids == ("sg-0a1b2c3d4e5f60001",)
    assert fn.vpc.vpc_id == V1 and fn.vpc.ipv6_allowed_for_dual_stack
    assert fn.state is LambdaState.FAILED
    assert fn.state_reason_code == "SubnetOutOfIPAddresses"
    assert fn.state_reason == "subnet has no free IPs"
    assert fn.last_update_status == "Failed"
    assert fn.last_update_status_reason == "no ips"
    assert fn.last_update_status_reason_code == "SubnetOutOfIPAddresses"
    assert fn.reserved_concurrency == 100 and fn.concurrency_known
    assert fn.provisioned is not None
    (pc,) = fn.provisioned
    assert (pc.qualifier, pc.requested, pc.allocated, pc.available, pc.status) == (
        "live",
        10,
        8,
        8,
        "READY",
    )
    assert account.functions_sharing(S1, ("sg-0a1b2c3d4e5f60001",)) == (fn,)
    worker = account.functions["worker"]
    # get-function (more complete) wins over list-functions
    assert worker.memory_mb == 256 and worker.state is LambdaState.ACTIVE
    assert worker.package_type == "Image" and worker.tags == {"team": "batch"}
    assert not worker.in_vpc and worker.vpc is not None and worker.vpc.vpc_id is None
    assert worker.reserved_concurrency == 5 and worker.provisioned is None
    idle = account.functions["idle-fn"]
    # get-function-concurrency printed {}: known, no reservation
    assert idle.concurrency_known and idle.reserved_concurrency is None
    assert idle.state is None and idle.vpc is None


def test_lambda_environment_never_kept(account: Account) -> None:
    text = repr(account.functions) + repr(account.sources)
    assert "hunter2" not in text and "DB_PASSWORD" not in text


def test_hosted_zones(account: Account) -> None:
    corp = account.hosted_zones["Z0PRIVATE0001"]
    assert corp.name == "corp.internal" and corp.private
    assert corp.comment == "corp zone" and corp.record_count == 4
    assert corp.vpcs is not None and corp.vpcs[0].vpc_id == "vpc-0a1b2c3d4e5f60002"
    assert corp.vpcs[0].region == "ap-northeast-1"
    assert corp.associated_with("vpc-0a1b2c3d4e5f60002") is True
    assert corp.associated_with(V1) is False
    assert corp.records is not None
    records = {(r.name, r.type): r for r in corp.records}
    assert records[("api.corp.internal", "A")].values == ("10.20.11.50",)
    assert records[("api.corp.internal", "A")].ttl == 60
    assert ("*.corp.internal", "CNAME") in records
    alias = records[("alb.corp.internal", "A")].alias
    assert alias is not None
    assert alias.dns_name == "internal-api-123.ap-northeast-1.elb.amazonaws.com"
    assert alias.hosted_zone_id == "Z14GRHDCWA56QT" and alias.evaluate_target_health
    assert records[("v6.corp.internal", "AAAA")].set_identifier == "one"
    public = account.hosted_zones["Z0PUBLIC00001"]
    assert public.name == "example.com" and not public.private
    assert public.vpcs is None and public.records is None


def test_resolver(account: Account) -> None:
    rule = account.resolver_rules["rslvr-rr-0a1b2c3d4e5f60001"]
    assert rule.domain_name == "onprem.example" and rule.rule_type is ResolverRuleType.FORWARD
    assert [(t.ip, t.port) for t in rule.target_ips] == [("192.168.10.2", 53), ("192.168.10.3", 53)]
    assert rule.resolver_endpoint_id == "rslvr-out-0a1b2c3d4e5f60001"
    assert rule.share_status == "NOT_SHARED" and rule.name == "onprem"
    root = account.resolver_rules["rslvr-autodefined-rr-internet-resolver"]
    assert root.domain_name == "" and root.rule_type is ResolverRuleType.RECURSIVE
    assoc = account.resolver_rule_associations["rslvr-rrassoc-0a1b2c3d4e5f60001"]
    assert (assoc.rule_id, assoc.vpc_id, assoc.status) == (
        "rslvr-rr-0a1b2c3d4e5f60001",
        "vpc-0a1b2c3d4e5f60002",
        "COMPLETE",
    )
    out = account.resolver_endpoints["rslvr-out-0a1b2c3d4e5f60001"]
    assert out.direction is ResolverDirection.OUTBOUND and out.vpc_id == V1
    assert out.security_group_ids == ("sg-0a1b2c3d4e5f60002",) and out.ip_address_count == 2
    assert out.ip_addresses is not None
    assert [(a.subnet_id, a.ip, a.id) for a in out.ip_addresses] == [
        (S1, "10.0.1.53", "rni-1"),
        (S2, "10.0.101.53", "rni-2"),
    ]
    inbound = account.resolver_endpoints["rslvr-in-0a1b2c3d4e5f60001"]
    assert inbound.ip_addresses is None
    assert any(
        g.kind == "list-resolver-endpoint-ip-addresses" and g.owner == inbound.id
        for g in account.gaps
    )


def test_load_balancers_and_databases(account: Account) -> None:
    (lb,) = account.load_balancers.values()
    assert lb.name == "internal-api" and lb.scheme == "internal" and lb.type == "application"
    assert lb.dns_name == "internal-api-123.ap-northeast-1.elb.amazonaws.com"
    assert lb.subnet_ids == (S1, S2) and lb.security_group_ids == ("sg-0a1b2c3d4e5f60002",)
    assert lb.canonical_hosted_zone_id == "Z14GRHDCWA56QT" and lb.state == "active"
    assert lb.vpc_id == V1
    db = account.db_instances["orders-db-1"]
    assert db.engine == "aurora-postgresql" and db.status == "available"
    assert db.endpoint is not None and db.endpoint.port == 5432
    assert db.endpoint.address == "orders-db-1.abc.ap-northeast-1.rds.amazonaws.com"
    assert db.security_group_ids == ("sg-0a1b2c3d4e5f60003",) and db.subnet_ids == (S1,)
    assert db.vpc_id == V1 and db.cluster_id == "orders-db" and not db.publicly_accessible
    cluster = account.db_clusters["orders-db"]
    assert cluster.reader_endpoint is not None
    assert cluster.reader_endpoint.address.startswith("orders-db.cluster-ro-")
    assert cluster.port == 5432 and cluster.member_ids == ("orders-db-1",)
    proxy = account.db_proxies["orders-proxy"]
    assert proxy.endpoint == "orders-proxy.proxy-abc.ap-northeast-1.rds.amazonaws.com"
    assert proxy.engine_family == "POSTGRESQL" and proxy.subnet_ids == (S1, S2)
    assert proxy.vpc_id == V1 and proxy.security_group_ids == ("sg-0a1b2c3d4e5f60003",)


def test_sources_list_read_and_not_used(account: Account) -> None:
    by_path = {Path(s.path).name: s for s in account.sources}
    assert by_path["README.json"].kind is None and "not used" in by_path["README.json"].note
    assert by_path["describe-vpcs.json"].kind == "describe-vpcs"
    assert "manifest.json" not in by_path

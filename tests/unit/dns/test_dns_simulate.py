"""The simulated Route 53 Resolver, on accounts built in code (tests/support/builders.py)."""

from __future__ import annotations

import pytest

from tests.support.builders import REGION, AccountBuilder
from tests.support.dns_accounts import ALB_ARN, ALB_DNS, CORP_RECORDS, associate, base, rec, rule
from vpcdoctor.diagnostics.dns import DnsOutcome, simulate
from vpcdoctor.diagnostics.dns.model import Resolution
from vpcdoctor.errors import DnsError
from vpcdoctor.graph.engine.endpoint import Endpoint
from vpcdoctor.graph.engine.graph import graph_for
from vpcdoctor.graph.engine.network import Network
from vpcdoctor.graph.engine.routing import lookup
from vpcdoctor.graph.model import (
    Account,
    DhcpOptions,
    HostedZone,
    ResolverEndpoint,
    ResolverRule,
    ResolverRuleType,
    Route,
    TargetAddress,
    ZoneVpc,
)
from vpcdoctor.graph.model.verdict import HopStatus


@pytest.fixture
def account() -> Account:
    return base().build()


def codes(res: Resolution) -> list[str]:
    return [s.code for s in res.steps]


def failing(res: Resolution) -> list[str]:
    return [s.code for s in res.steps if s.status is HopStatus.FAIL]


# ---- private hosted zones ------------------------------------------------------------------


def test_phz_a_record_answers(account: Account) -> None:
    res = simulate(account, "vpc-1", "ERP.corp.internal.")
    assert res.name == "erp.corp.internal"
    assert res.outcome is DnsOutcome.ANSWER
    assert res.addresses == ("10.90.1.25",)
    assert res.decided_by is not None and res.decided_by.resource == "Z0CORP"
    assert codes(res) == ["DNS_PHZ_ANSWER"]
    assert res.steps[0].status is HopStatus.PASS


def test_several_values_all_listed(account: Account) -> None:
    res = simulate(account, "vpc-1", "db.corp.internal")
    assert res.addresses == ("10.0.5.10", "10.0.5.11")


def test_missing_name_is_nxdomain_without_public_fallback(account: Account) -> None:
    res = simulate(account, "vpc-1", "nope.corp.internal")
    assert res.outcome is DnsOutcome.NXDOMAIN
    step = res.steps[0]
    assert step.code == "DNS_NXDOMAIN_PHZ" and step.status is HopStatus.FAIL
    assert step.resource == "Z0CORP"
    assert "does not fall back to public DNS" in step.detail
    assert "surprises" in step.detail
    assert res.deciding_step is step


def test_missing_name_in_non_special_phz_is_still_nxdomain() -> None:
    b = base()
    b.resources["hosted_zones"]["Z0PUBNAME"] = HostedZone(
        id="Z0PUBNAME",
        name="example.com",
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-1"),),
        records=(rec("only.example.com", "A", "10.0.0.9"),),
    )
    res = simulate(b.build(), "vpc-1", "www.example.com")
    assert res.outcome is DnsOutcome.NXDOMAIN  # not "public": the zone shadows public DNS


def test_record_of_another_type_is_nodata(account: Account) -> None:
    res = simulate(account, "vpc-1", "txt.corp.internal")
    assert res.outcome is DnsOutcome.NODATA
    assert failing(res) == ["DNS_NODATA_PHZ"]
    assert "TXT" in res.steps[0].detail


def test_empty_non_terminal_is_nodata(account: Account) -> None:
    assert simulate(account, "vpc-1", "deep.corp.internal").outcome is DnsOutcome.NODATA


def test_zone_apex_is_nodata_not_nxdomain(account: Account) -> None:
    assert simulate(account, "vpc-1", "corp.internal").outcome is DnsOutcome.NODATA


def test_cname_chain_inside_zone(account: Account) -> None:
    res = simulate(account, "vpc-1", "www.corp.internal")
    assert res.outcome is DnsOutcome.ANSWER
    assert res.addresses == ("10.90.1.25",)
    assert res.canonical_name == "erp.corp.internal"
    assert codes(res) == ["DNS_PHZ_CNAME", "DNS_PHZ_CNAME", "DNS_PHZ_ANSWER"]


def test_cname_loop_is_detected(account: Account) -> None:
    res = simulate(account, "vpc-1", "loop-a.corp.internal")
    assert res.outcome is DnsOutcome.SERVFAIL
    assert failing(res) == ["DNS_CNAME_LOOP"]
    assert "loop-a.corp.internal → loop-b.corp.internal → loop-a.corp.internal" in (
        res.steps[-1].detail
    )


def test_cname_chain_length_is_capped() -> None:
    b = base()
    chain = tuple(rec(f"c{i}.long.internal", "CNAME", f"c{i + 1}.long.internal") for i in range(20))
    b.resources["hosted_zones"]["Z0LONG"] = HostedZone(
        id="Z0LONG",
        name="long.internal",
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-1"),),
        records=chain,
    )
    res = simulate(b.build(), "vpc-1", "c0.long.internal")
    assert res.outcome is DnsOutcome.SERVFAIL
    assert failing(res) == ["DNS_CNAME_CHAIN_TOO_LONG"]


def test_wildcard_record(account: Account) -> None:
    res = simulate(account, "vpc-1", "billing.apps.corp.internal")
    assert res.outcome is DnsOutcome.ANSWER and res.addresses == ("10.0.7.7",)
    assert "wildcard" in res.steps[0].detail


def test_alias_to_internal_alb_gives_its_eni_addresses(account: Account) -> None:
    res = simulate(account, "vpc-1", "api.corp.internal")
    assert res.outcome is DnsOutcome.ANSWER
    assert set(res.addresses) == {"10.0.1.200", "10.0.2.200"}
    assert res.target_resources == (ALB_ARN,)
    assert res.decided_by is not None and res.decided_by.resource == "Z0CORP"
    assert res.canonical_name == ALB_DNS
    assert codes(res) == ["DNS_PHZ_ALIAS", "DNS_LOAD_BALANCER"]


def test_alias_to_alb_without_enis_is_an_unknown_step() -> None:
    b = base()
    del b.resources["network_interfaces"]["eni-alb-a"]
    del b.resources["network_interfaces"]["eni-alb-c"]
    res = simulate(b.build(), "vpc-1", "api.corp.internal")
    assert res.outcome is DnsOutcome.ANSWER and res.addresses == ()
    assert res.target_resources == (ALB_ARN,)
    step = res.steps[-1]
    assert step.status is HopStatus.UNKNOWN and "ELB app/corp-api/0123abcd" in (step.needs or "")


def test_cname_out_of_the_zone_is_resolved_from_scratch(account: Account) -> None:
    res = simulate(account, "vpc-1", "legacy.corp.internal")
    assert res.outcome is DnsOutcome.FORWARDED  # the CNAME target is under a FORWARD rule
    assert res.forwarded_to == ("192.168.10.2:53", "192.168.10.3:53")
    assert res.decided_by is not None and res.decided_by.resource == "rslvr-rr-onprem"


def test_zone_with_unknown_records_is_unknown() -> None:
    b = base()
    b.resources["hosted_zones"]["Z0CORP"] = HostedZone(
        id="Z0CORP",
        name="corp.internal",
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-1"),),
        records=None,
    )
    res = simulate(b.build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.UNKNOWN
    assert "list-resource-record-sets --hosted-zone-id Z0CORP" in (res.steps[0].needs or "")


def test_zone_with_unknown_association_is_unknown() -> None:
    b = base()
    b.resources["hosted_zones"]["Z0CORP"] = HostedZone(
        id="Z0CORP", name="corp.internal", private=True, vpcs=None, records=CORP_RECORDS
    )
    res = simulate(b.build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.UNKNOWN
    assert "get-hosted-zone --id Z0CORP" in (res.steps[0].needs or "")


def test_most_specific_zone_wins_and_shadows_the_broader_one() -> None:
    b = base()
    b.resources["hosted_zones"]["Z0DEEP"] = HostedZone(
        id="Z0DEEP",
        name="deep.corp.internal",
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-1"),),
        records=(rec("other.deep.corp.internal", "A", "10.0.8.8"),),
    )
    res = simulate(b.build(), "vpc-1", "host.deep.corp.internal")
    assert res.outcome is DnsOutcome.NXDOMAIN
    assert res.decided_by is not None and res.decided_by.resource == "Z0DEEP"
    assert "Z0CORP" in res.steps[0].detail  # names the zone that does hold the record


# ---- rules ---------------------------------------------------------------------------------


def test_forward_rule_checks_endpoint_sg_and_routes(account: Account) -> None:
    res = simulate(account, "vpc-1", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.FORWARDED
    assert res.forwarded_to == ("192.168.10.2:53", "192.168.10.3:53")
    assert codes(res) == [
        "DNS_FORWARDED",
        "DNS_RESOLVER_ENDPOINT_OPERATIONAL",
        "DNS_ENDPOINT_SG_ALLOWS",
        "DNS_ENDPOINT_ROUTES",
    ]
    assert res.steps[0].status is HopStatus.UNKNOWN  # the answer itself is unknown offline
    assert "vgw-1" in res.steps[-1].detail


def test_forward_rule_beats_phz_on_equal_name() -> None:
    b = base()
    associate(b, rule("rslvr-rr-corp", "corp.internal"))
    res = simulate(b.build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.FORWARDED
    assert codes(res)[0] == "DNS_PHZ_SHADOWED_BY_RULE"
    assert res.decided_by is not None and res.decided_by.resource == "rslvr-rr-corp"


def test_more_specific_phz_beats_a_broader_forward_rule() -> None:
    b = base()
    associate(b, rule("rslvr-rr-internal", "internal"))
    res = simulate(b.build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.ANSWER


def test_system_rule_carves_a_subdomain_out_of_a_forwarded_one() -> None:
    b = base()
    associate(b, rule("rslvr-rr-corp", "corp.internal"))
    associate(b, rule("rslvr-rr-sys", "apps.corp.internal", ResolverRuleType.SYSTEM))
    account = b.build()
    carved = simulate(account, "vpc-1", "x.apps.corp.internal")
    assert carved.outcome is DnsOutcome.ANSWER  # the PHZ's wildcard answers
    assert carved.addresses == ("10.0.7.7",)
    assert codes(carved)[0] == "DNS_SYSTEM_RULE"
    assert "rslvr-rr-corp" in carved.steps[0].detail
    assert simulate(account, "vpc-1", "erp.corp.internal").outcome is DnsOutcome.FORWARDED


def test_system_rule_without_zone_goes_public() -> None:
    b = base()
    associate(b, rule("rslvr-rr-all", "example.org"))
    associate(b, rule("rslvr-rr-sys", "www.example.org", ResolverRuleType.SYSTEM))
    res = simulate(b.build(), "vpc-1", "www.example.org")
    assert res.outcome is DnsOutcome.PUBLIC


def test_recursive_root_rule_is_silent(account: Account) -> None:
    res = simulate(account, "vpc-1", "api.stripe.com")
    assert res.outcome is DnsOutcome.PUBLIC
    assert codes(res) == ["DNS_PUBLIC"]
    assert res.steps[0].status is HopStatus.PASS


def test_outbound_endpoint_not_operational_fails() -> None:
    b = base()
    ep = b.resources["resolver_endpoints"]["rslvr-out-1"]
    b.resources["resolver_endpoints"]["rslvr-out-1"] = ResolverEndpoint(
        id=ep.id,
        direction=ep.direction,
        vpc_id=ep.vpc_id,
        security_group_ids=ep.security_group_ids,
        ip_addresses=ep.ip_addresses,
        status="ACTION_NEEDED",
    )
    res = simulate(b.build(), "vpc-1", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.SERVFAIL
    assert failing(res) == ["DNS_RESOLVER_ENDPOINT_NOT_OPERATIONAL"]
    assert res.forwarded_to  # still says where it would have gone


def test_missing_outbound_endpoint_fails() -> None:
    b = base()
    del b.resources["resolver_endpoints"]["rslvr-out-1"]
    res = simulate(b.build(), "vpc-1", "ldap.onprem.local")
    assert failing(res) == ["DNS_RESOLVER_ENDPOINT_MISSING"]


def test_outbound_endpoint_sg_without_udp_egress_fails() -> None:
    b = base()
    b.security_group("sg-resolver", "vpc-1").egress("192.168.0.0/16", protocol="tcp", port=53)
    res = simulate(b.build(), "vpc-1", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.SERVFAIL
    step = next(s for s in res.steps if s.status is HopStatus.FAIL)
    assert step.code == "DNS_ENDPOINT_SG_BLOCKS" and step.resource == "sg-resolver"
    assert "authorize-security-group-egress --group-id sg-resolver" in (step.fix or "")
    assert "IpProtocol=udp" in (step.fix or "")


def test_outbound_endpoint_sg_without_tcp_passes_with_a_warning() -> None:
    b = base()
    b.security_group("sg-resolver", "vpc-1").egress("192.168.0.0/16", protocol="udp", port=53)
    res = simulate(b.build(), "vpc-1", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.FORWARDED
    step = next(s for s in res.steps if s.code == "DNS_ENDPOINT_SG_ALLOWS")
    assert "TCP" in step.detail and step.fix


def test_outbound_endpoint_without_route_fails() -> None:
    b = base()
    b.route_tables["rtb-app"].routes = [
        r for r in b.route_tables["rtb-app"].routes if str(r.destination) != "192.168.0.0/16"
    ]
    res = simulate(b.build(), "vpc-1", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.SERVFAIL
    step = next(s for s in res.steps if s.status is HopStatus.FAIL)
    assert step.code == "DNS_ENDPOINT_NO_ROUTE" and step.resource == "rtb-app"


def test_outbound_endpoint_routed_to_igw_fails() -> None:
    b = base()
    b.internet_gateway("igw-1", "vpc-1")
    b.route_tables["rtb-app"].routes = [
        r for r in b.route_tables["rtb-app"].routes if str(r.destination) != "192.168.0.0/16"
    ]
    b.route_tables["rtb-app"].route("0.0.0.0/0", "igw-1")
    res = simulate(b.build(), "vpc-1", "ldap.onprem.local")
    assert failing(res) == ["DNS_ENDPOINT_NO_ROUTE"]
    assert "internet gateway" in next(s for s in res.steps if s.status is HopStatus.FAIL).detail


def test_shared_rule_with_endpoint_elsewhere_is_unknown() -> None:
    b = base()
    associate(
        b,
        ResolverRule(
            id="rslvr-rr-shared",
            domain_name="partner.example",
            rule_type=ResolverRuleType.FORWARD,
            target_ips=(TargetAddress(ip="10.200.0.2"),),
            resolver_endpoint_id="rslvr-out-other",
            owner_id="999988887777",
        ),
    )
    res = simulate(b.build(), "vpc-1", "x.partner.example")
    assert res.outcome is DnsOutcome.FORWARDED
    assert "DNS_RESOLVER_ENDPOINT_SHARED" in codes(res)


# ---- VPC attributes and DHCP options -------------------------------------------------------


def test_dns_support_off_resolves_nothing() -> None:
    res = simulate(base(dns_support=False).build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.SERVFAIL
    step = res.steps[0]
    assert step.code == "DNS_SUPPORT_DISABLED" and step.status is HopStatus.FAIL
    assert step.resource == "vpc-1"
    assert step.fix == (
        "aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-support '{\"Value\":true}'"
    )
    assert res.decided_by is not None and res.decided_by.kind == "vpc"


def test_dns_support_unknown_makes_a_positive_answer_unknown() -> None:
    res = simulate(base(dns_support=None).build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.UNKNOWN and res.addresses == ()
    step = res.steps[-1]
    assert step.status is HopStatus.UNKNOWN
    assert "10.90.1.25" in step.detail
    assert "enableDnsSupport" in (step.needs or "")


def test_dns_support_unknown_keeps_a_negative_answer() -> None:
    res = simulate(base(dns_support=None).build(), "vpc-1", "nope.corp.internal")
    assert res.outcome is DnsOutcome.NXDOMAIN  # it fails either way


def test_dns_hostnames_off_disables_the_phz() -> None:
    res = simulate(base(dns_hostnames=False).build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.NXDOMAIN  # .internal: public DNS never answers
    step = res.deciding_step
    assert step is not None and step.code == "DNS_PHZ_NEEDS_DNS_HOSTNAMES"
    assert step.resource == "vpc-1" and step.status is HopStatus.FAIL
    assert "--enable-dns-hostnames" in (step.fix or "")
    assert res.decided_by is not None and res.decided_by.resource == "vpc-1"


def test_custom_dhcp_name_servers_make_it_unknown() -> None:
    b = base()
    vpc = b.vpcs["vpc-1"]
    b.vpcs["vpc-1"] = type(vpc)(
        **{**{f: getattr(vpc, f) for f in vpc.__slots__}, "dhcp_options_id": "dopt-1"}
    )
    b.resources["dhcp_options"] = {
        "dopt-1": DhcpOptions(id="dopt-1", domain_name_servers=("10.0.0.53", "10.0.0.54"))
    }
    res = simulate(b.build(), "vpc-1", "erp.corp.internal")
    assert res.outcome is DnsOutcome.UNKNOWN
    assert res.decided_by is not None and res.decided_by.resource == "dopt-1"
    assert "--nameserver 10.0.0.53" in (res.steps[0].needs or "")


def test_function_outside_a_vpc_uses_public_dns(account: Account) -> None:
    res = simulate(account, None, "api.stripe.com")
    assert res.outcome is DnsOutcome.PUBLIC and res.vpc_id is None
    inside = simulate(account, None, "erp.corp.internal")
    assert inside.outcome is DnsOutcome.NXDOMAIN
    assert "DNS_PHZ_OUTSIDE_VPC" in failing(inside)


def test_unknown_vpc_is_unknown(account: Account) -> None:
    res = simulate(account, "vpc-404", "erp.corp.internal")
    assert res.outcome is DnsOutcome.UNKNOWN
    assert res.steps[0].needs == "aws ec2 describe-vpcs"


# ---- special-use names and the usual bug ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "foo.test",
        "a.example",
        "x.invalid",
        "localhost",
        "printer.local",
        "nas.home.arpa",
        "svc.internal",
    ],
)
def test_special_use_names_are_nxdomain_not_public(account: Account, name: str) -> None:
    res = simulate(account, "vpc-2", name)
    assert res.outcome is DnsOutcome.NXDOMAIN
    assert res.decided_by is None
    step = res.steps[-1]
    assert step.code == "DNS_SPECIAL_USE_NAME" and step.status is HopStatus.FAIL
    assert step.resource is None


def test_unassociated_phz_is_named_with_the_fix(account: Account) -> None:
    res = simulate(account, "vpc-2", "erp.corp.internal")
    assert res.outcome is DnsOutcome.NXDOMAIN
    assert res.decided_by is not None and res.decided_by.resource == "Z0CORP"
    step = res.deciding_step
    assert step is not None and step.code == "DNS_PHZ_NOT_ASSOCIATED"
    assert step.fix == (
        "aws route53 associate-vpc-with-hosted-zone --hosted-zone-id Z0CORP "
        f"--vpc VPCRegion={REGION},VPCId=vpc-2"
    )


def test_unassociated_rule_is_named_with_the_fix(account: Account) -> None:
    res = simulate(account, "vpc-2", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.NXDOMAIN
    assert res.decided_by is not None and res.decided_by.resource == "rslvr-rr-onprem"
    step = res.deciding_step
    assert step is not None and step.code == "DNS_RULE_NOT_ASSOCIATED"
    assert step.fix == (
        "aws route53resolver associate-resolver-rule --resolver-rule-id rslvr-rr-onprem "
        "--vpc-id vpc-2"
    )


def test_unassociated_phz_for_a_public_looking_name_fails_but_stays_public() -> None:
    b = base()
    b.resources["hosted_zones"]["Z0EX"] = HostedZone(
        id="Z0EX",
        name="corp.example.com",
        private=True,
        vpcs=(ZoneVpc(vpc_id="vpc-1"),),
        records=(rec("api.corp.example.com", "A", "10.0.3.3"),),
    )
    res = simulate(b.build(), "vpc-2", "api.corp.example.com")
    assert res.outcome is DnsOutcome.PUBLIC
    assert failing(res) == ["DNS_PHZ_NOT_ASSOCIATED"]
    assert res.decided_by is not None and res.decided_by.resource == "Z0EX"


def test_pending_rule_association_does_not_count() -> None:
    b = base()
    associate(b, rule("rslvr-rr-corp2", "corp2.internal"), vpc="vpc-2", status="CREATING")
    res = simulate(b.build(), "vpc-2", "a.corp2.internal")
    assert res.outcome is DnsOutcome.NXDOMAIN
    assert "CREATING" in res.deciding_step.detail  # type: ignore[union-attr]


# ---- interface endpoints and EC2 names -----------------------------------------------------


def test_interface_endpoint_private_dns_answers_with_its_enis() -> None:
    b = base()
    b.interface_endpoint(
        "vpce-sm",
        "vpc-1",
        "secretsmanager",
        subnets=["subnet-a", "subnet-c"],
        security_groups=["sg-fn"],
    )
    res = simulate(b.build(), "vpc-1", "secretsmanager.ap-northeast-1.amazonaws.com")
    assert res.outcome is DnsOutcome.ANSWER
    assert res.addresses == ("10.0.1.50", "10.0.2.51")
    assert res.target_resources == ("vpce-sm",)
    assert res.decided_by is not None and res.decided_by.kind == "vpc-endpoint"


def test_cname_to_a_service_name_lands_on_the_endpoint() -> None:
    b = base()
    b.interface_endpoint("vpce-sm", "vpc-1", "secretsmanager", subnets=["subnet-a"])
    res = simulate(b.build(), "vpc-1", "sm.corp.internal")
    assert res.outcome is DnsOutcome.ANSWER and res.addresses == ("10.0.1.50",)


def test_s3_interface_endpoint_covers_bucket_names() -> None:
    b = base()
    b.interface_endpoint("vpce-s3", "vpc-1", "s3", subnets=["subnet-a"])
    res = simulate(b.build(), "vpc-1", "mybucket.s3.ap-northeast-1.amazonaws.com")
    assert res.outcome is DnsOutcome.ANSWER and res.target_resources == ("vpce-s3",)


def test_private_dns_off_resolves_publicly_with_a_reason() -> None:
    b = base()
    b.interface_endpoint("vpce-sts", "vpc-1", "sts", subnets=["subnet-a"], private_dns=False)
    res = simulate(b.build(), "vpc-1", "sts.ap-northeast-1.amazonaws.com")
    assert res.outcome is DnsOutcome.PUBLIC
    step = next(s for s in res.steps if s.code == "DNS_ENDPOINT_PRIVATE_DNS_OFF")
    assert step.status is HopStatus.SKIP
    assert "modify-vpc-endpoint --vpc-endpoint-id vpce-sts --private-dns-enabled" in (
        step.fix or ""
    )


def test_private_dns_needs_dns_hostnames() -> None:
    b = base(dns_hostnames=False)
    b.interface_endpoint("vpce-sts", "vpc-1", "sts", subnets=["subnet-a"])
    res = simulate(b.build(), "vpc-1", "sts.ap-northeast-1.amazonaws.com")
    assert res.outcome is DnsOutcome.PUBLIC  # it resolves, to the public Regional addresses
    step = res.deciding_step
    assert step is not None and step.code == "DNS_PRIVATE_DNS_NEEDS_DNS_HOSTNAMES"
    assert step.status is HopStatus.FAIL and step.resource == "vpc-1"
    assert res.decided_by is not None and res.decided_by.resource == "vpc-1"


def test_endpoint_specific_name_answers_anywhere() -> None:
    b = base()
    b.interface_endpoint("vpce-sm", "vpc-1", "secretsmanager", subnets=["subnet-a"])
    res = simulate(b.build(), "vpc-2", "vpce-sm.secretsmanager.ap-northeast-1.vpce.amazonaws.com")
    assert res.outcome is DnsOutcome.ANSWER and res.addresses == ("10.0.1.50",)


def test_alb_dns_name_directly(account: Account) -> None:
    res = simulate(account, "vpc-2", ALB_DNS.upper())
    assert res.outcome is DnsOutcome.ANSWER
    assert res.decided_by is not None and res.decided_by.resource == ALB_ARN


def test_ec2_private_names(account: Account) -> None:
    res = simulate(account, "vpc-1", "ip-10-0-1-5.ap-northeast-1.compute.internal")
    assert res.outcome is DnsOutcome.ANSWER and res.addresses == ("10.0.1.5",)
    bad = simulate(account, "vpc-1", "nothing.ap-northeast-1.compute.internal")
    assert bad.outcome is DnsOutcome.NXDOMAIN


# ---- input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "a..b",
        "a" * 64 + ".com",
        ".".join(["a" * 60] * 5),
        "xn--zz.com",
        "☃.com",
        "https://x.com/",
        "10.0.0.1",
        "a b.com",
    ],
)
def test_invalid_names_raise_dns_error(account: Account, bad: str) -> None:
    with pytest.raises(DnsError):
        simulate(account, "vpc-1", bad)


def test_json_shape_follows_design(account: Account) -> None:
    doc = simulate(account, "vpc-1", "api.corp.internal").to_json()
    assert list(doc)[:7] == [
        "name",
        "vpc",
        "outcome",
        "addresses",
        "decided_by",
        "forwarded_to",
        "steps",
    ]
    assert set(doc["decided_by"]) == {"resource", "kind", "detail"}
    assert {"resource", "status", "code", "detail"} <= set(doc["steps"][0])


# ---- one route ranking: the outbound endpoint's routes follow the engine's lookup (R1) ------


def _engine_route(account: Account, ip: str) -> Route | None:
    """The route the engine's one lookup picks in rtb-app for ``ip``."""
    net = Network(graph_for(account))
    edge = lookup(net, account.route_tables["rtb-app"], Endpoint.address(ip)).edge
    return None if edge is None else edge.route


def _propagated_first(b: AccountBuilder) -> None:
    """rtb-app's route to on-prem learned by propagation (listed first in the table)."""
    b.route_tables["rtb-app"].routes = [
        r for r in b.route_tables["rtb-app"].routes if str(r.destination) != "192.168.0.0/16"
    ]
    b.route_tables["rtb-app"].route("192.168.0.0/16", "vgw-1", origin="EnableVgwRoutePropagation")


def test_static_route_beats_a_propagated_one_of_the_same_length() -> None:
    # Longest prefix alone ties, and table order would pick the propagated VGW route; AWS (and
    # the engine) prefer the static route, here a blackhole: the forwarded questions are lost.
    b = base()
    _propagated_first(b)
    b.route_tables["rtb-app"].route("192.168.0.0/16", "tgw-1", state="blackhole")
    account = b.build()
    chosen = _engine_route(account, "192.168.10.2")
    assert chosen is not None and chosen.target_id == "tgw-1"
    res = simulate(account, "vpc-1", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.SERVFAIL
    step = next(s for s in res.steps if s.status is HopStatus.FAIL)
    assert step.code == "DNS_ENDPOINT_NO_ROUTE" and "blackhole" in step.detail
    assert "tgw-1" in step.detail and "vgw-1" not in step.detail


def test_prefix_list_route_beats_a_propagated_one_of_the_same_length() -> None:
    b = base()
    _propagated_first(b)
    b.internet_gateway("igw-1", "vpc-1")
    b.prefix_list("pl-corp", "192.168.0.0/16")
    b.route_tables["rtb-app"].route("pl-corp", "igw-1")
    account = b.build()
    chosen = _engine_route(account, "192.168.10.2")
    assert chosen is not None and chosen.prefix_list_id == "pl-corp"
    res = simulate(account, "vpc-1", "ldap.onprem.local")
    assert failing(res) == ["DNS_ENDPOINT_NO_ROUTE"]
    assert "internet gateway" in next(s for s in res.steps if s.status is HopStatus.FAIL).detail


def test_filtered_route_is_not_used_for_forwarding() -> None:
    # A more specific route filtered by a route server is not in the forwarding table: the
    # VGW route carries the queries (the longest-prefix-only lookup picked the filtered one).
    b = base()
    b.internet_gateway("igw-1", "vpc-1")
    b.route_tables["rtb-app"].route("192.168.10.0/24", "igw-1", state="filtered")
    account = b.build()
    chosen = _engine_route(account, "192.168.10.2")
    assert chosen is not None and chosen.target_id == "vgw-1"
    res = simulate(account, "vpc-1", "ldap.onprem.local")
    assert res.outcome is DnsOutcome.FORWARDED
    assert "vgw-1" in next(s for s in res.steps if s.code == "DNS_ENDPOINT_ROUTES").detail

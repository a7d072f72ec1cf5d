"""The kinds added for multi-VPC networks (VPN, TGW route table parts, Block Public Access,
ELB target groups and listeners, ElastiCache, OpenSearch, DB subnet groups), dual-stack NACLs,
from tests/data/snapshot_full (unmodified AWS CLI output shapes): each parsed, each missing
(the field stays None), each malformed (a clear error naming the file)."""

from __future__ import annotations

import ipaddress
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import DATA
from tests.unit.sources.test_cache import assert_same_account
from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.model import Account, DbEndpoint
from vpcdoctor.graph.sources import cache
from vpcdoctor.graph.sources.snapshot import load_snapshot

FULL = DATA / "snapshot_full"
V1 = "vpc-0a1b2c3d4e5f60001"
S1, S2 = "subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"
TRT = "tgw-rtb-0a1b2c3d4e5f60001"
LB = (
    "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/internal-api/"
    "50dc6c495c0c9188"
)
_TG = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup"
TG = f"{_TG}/api-targets/73e2d6bc24d8a067"
TG2 = f"{_TG}/api-canary/8e4f1a2b3c4d5e6f"


@pytest.fixture(scope="module")
def account() -> Account:
    return load_snapshot(FULL)


def _copy(tmp_path: Path, *names: str) -> Path:
    snap = tmp_path / "snap"
    for name in names:
        (snap / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FULL / name, snap / name)
    return snap


def _edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


# ---- VPN ------------------------------------------------------------------------------------


def test_vpn_connections_with_tunnels_and_static_routes(account: Account) -> None:
    on_tgw = account.vpn_connections["vpn-0a1b2c3d4e5f60001"]
    assert on_tgw.transit_gateway_id == "tgw-0a1b2c3d4e5f60001" and on_tgw.vpn_gateway_id is None
    assert on_tgw.customer_gateway_id == "cgw-0a1b2c3d4e5f60001"
    assert on_tgw.static_routes_only is False and on_tgw.name == "onprem-tgw"
    assert on_tgw.tunnels is not None
    assert [(t.outside_ip, t.status, t.up) for t in on_tgw.tunnels] == [
        ("203.0.113.11", "UP", True),
        ("203.0.113.12", "DOWN", False),
    ]
    assert on_tgw.tunnels[0].accepted_route_count == 2
    assert on_tgw.tunnels[0].status_message == "2 BGP ROUTES"
    on_vgw = account.vpn_connections["vpn-0a1b2c3d4e5f60002"]
    assert on_vgw.vpn_gateway_id == "vgw-0a1b2c3d4e5f60001" and on_vgw.static_routes_only
    assert [(str(r.destination), r.state) for r in on_vgw.routes] == [
        ("192.168.0.0/16", "available"),
        ("172.31.0.0/16", "deleted"),
    ]
    assert on_vgw.tunnels is not None and not any(t.up for t in on_vgw.tunnels)


def test_vpn_gateways_and_route_propagation(account: Account) -> None:
    vgw = account.vpn_gateways["vgw-0a1b2c3d4e5f60001"]
    assert vgw.state == "available" and vgw.amazon_side_asn == 64512
    assert vgw.attached_to(V1) and not vgw.attached_to("vpc-other")
    rtb = account.route_tables["rtb-0a1b2c3d4e5f60002"]
    assert rtb.propagating_vgws == ("vgw-0a1b2c3d4e5f60001",)
    propagated = [r for r in rtb.routes if r.origin.value == "EnableVgwRoutePropagation"]
    assert ("172.20.0.0/16", "vgw-0a1b2c3d4e5f60001") in [
        (str(r.destination), r.target_id) for r in propagated
    ]
    assert account.route_tables["rtb-0a1b2c3d4e5f60001"].propagating_vgws == ()


def test_vpn_missing_telemetry_is_none_and_bad_status_names_the_file(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "ec2/describe-vpn-connections.json")
    path = snap / "ec2/describe-vpn-connections.json"
    _edit(path, lambda d: d["VpnConnections"][0].pop("VgwTelemetry"))
    assert load_snapshot(snap).vpn_connections["vpn-0a1b2c3d4e5f60001"].tunnels is None
    _edit(path, lambda d: d["VpnConnections"][1]["VgwTelemetry"][0].update(Status="SIDEWAYS"))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    assert "describe-vpn-connections.json" in str(info.value)
    assert "VpnConnections[1].VgwTelemetry[0].Status" in str(info.value)


# ---- TGW route tables: propagations, associations, static routes; peering ------------------


def test_tgw_route_table_parts(account: Account) -> None:
    table = account.transit_gateway_route_tables[TRT]
    assert table.propagations is not None and table.associations is not None
    assert [
        (p.attachment_id, p.resource_type, p.resource_id, p.state) for p in table.propagations
    ] == [
        ("tgw-attach-0a1b2c3d4e5f60001", "vpc", V1, "enabled"),
        ("tgw-attach-0a1b2c3d4e5f60002", "vpn", "vpn-0a1b2c3d4e5f60001", "disabled"),
    ]
    assert [(a.attachment_id, a.state) for a in table.associations] == [
        ("tgw-attach-0a1b2c3d4e5f60001", "associated")
    ]
    assert table.static_routes is not None
    assert [(str(r.destination), r.state, r.attachment_ids) for r in table.static_routes] == [
        ("10.99.0.0/16", "active", ("tgw-attach-0a1b2c3d4e5f60001",)),
        ("10.98.0.0/16", "blackhole", ()),
    ]
    assert table.routes is not None  # search-transit-gateway-routes keeps its meaning


def test_tgw_parts_missing_stay_none_and_static_routes_come_from_the_search(tmp_path: Path) -> None:
    snap = _copy(
        tmp_path,
        "ec2/describe-transit-gateway-route-tables.json",
        f"ec2/search-transit-gateway-routes@{TRT}.json",
    )
    account = load_snapshot(snap)
    table = account.transit_gateway_route_tables[TRT]
    assert table.propagations is None and table.associations is None
    assert table.routes is not None
    assert table.static_routes == tuple(r for r in table.routes if r.route_type == "static")
    bare = load_snapshot(_copy(tmp_path / "b", "ec2/describe-transit-gateway-route-tables.json"))
    t = bare.transit_gateway_route_tables[TRT]
    assert (t.routes, t.static_routes, t.propagations, t.associations) == (None,) * 4
    kinds = {(g.kind, g.owner) for g in bare.gaps}
    assert ("get-transit-gateway-route-table-propagations", TRT) in kinds
    assert ("get-transit-gateway-route-table-associations", TRT) in kinds


def test_tgw_propagations_without_the_at_id_are_set_aside(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "ec2/describe-transit-gateway-route-tables.json")
    shutil.copy(
        FULL / f"ec2/get-transit-gateway-route-table-propagations@{TRT}.json",
        snap / "ec2/propagations.json",
    )
    account = load_snapshot(snap)
    assert account.transit_gateway_route_tables[TRT].propagations is None
    (note,) = [s for s in account.sources if s.path.endswith("propagations.json")]
    assert "transit gateway route table id" in note.note and "@" in note.note


def test_tgw_peering(account: Account) -> None:
    peering = account.transit_gateway_peering_attachments["tgw-attach-0a1b2c3d4e5f60009"]
    assert peering.state == "available"
    peer = peering.peer_of("tgw-0a1b2c3d4e5f60001")
    assert peer is not None
    assert (peer.transit_gateway_id, peer.region, peer.owner_id) == (
        "tgw-0f0e0d0c0b0a00001",
        "us-east-1",
        "210987654321",
    )
    assert peering.peer_of("tgw-nope") is None


# ---- VPC Block Public Access -----------------------------------------------------------------


def test_block_public_access_mode_and_active_exclusions(account: Account) -> None:
    for_vpc = account.block_public_access_for(V1)
    # "off" in the full snapshot, so that the engine's verdicts on it are not all BPA's
    assert for_vpc.mode == "off"
    assert for_vpc.exclusion_mode is None  # the VPC's exclusion is delete-complete: not active
    mode, exclusion = account.block_public_access_for(V1, S1)
    assert (mode, exclusion) == ("off", "allow-egress")
    excl = account.block_public_access_exclusion(V1, S1)
    assert excl is not None and excl.id == "vpcbpa-exclude-0a1b2c3d4e5f60001"
    assert account.has("describe-vpc-block-public-access-exclusions")
    assert account.block_public_access_for(V1, S2).exclusion_mode is None


def test_block_public_access_not_exported_is_none(tmp_path: Path) -> None:
    account = load_snapshot(_copy(tmp_path, "ec2/describe-vpcs.json"))
    assert account.block_public_access_for(V1) == (None, None)
    assert not account.has("describe-vpc-block-public-access-exclusions")


def test_block_public_access_bad_mode_names_the_file(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "ec2/describe-vpc-block-public-access-options.json")
    path = snap / "ec2/describe-vpc-block-public-access-options.json"
    _edit(path, lambda d: d["VpcBlockPublicAccessOptions"].update(InternetGatewayBlockMode="on"))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    assert "describe-vpc-block-public-access-options.json" in str(info.value)
    assert "InternetGatewayBlockMode" in str(info.value)


def test_block_public_access_is_per_account_and_region(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    for account_id, mode in (("111111111111", "block-ingress"), ("222222222222", "off")):
        folder = snap / account_id / "ap-northeast-1"
        folder.mkdir(parents=True)
        options = json.loads(
            (FULL / "ec2/describe-vpc-block-public-access-options.json").read_text()
        )
        options["VpcBlockPublicAccessOptions"].update(
            AwsAccountId=account_id, InternetGatewayBlockMode=mode
        )
        (folder / "bpa.json").write_text(json.dumps(options))
        vpcs = json.loads((FULL / "ec2/describe-vpcs.json").read_text())
        for i, vpc in enumerate(vpcs["Vpcs"]):
            vpc["VpcId"] = f"vpc-{account_id[:4]}000000000{i}"
            vpc["OwnerId"] = account_id
        (folder / "vpcs.json").write_text(json.dumps(vpcs))
    account = load_snapshot(snap)
    assert account.block_public_access_for("vpc-11110000000000").mode == "block-ingress"
    assert account.block_public_access_for("vpc-22220000000000").mode == "off"


# ---- ELB ------------------------------------------------------------------------------------


def test_target_groups_listeners_and_health(account: Account) -> None:
    lb = account.load_balancers[LB]
    assert lb.listeners is not None
    assert [(x.protocol, x.port, x.default_target_group_arns) for x in lb.listeners] == [
        ("HTTP", 80, ()),  # a redirect forwards to no group
        ("HTTPS", 443, (TG, TG2)),  # a weighted forward: both groups
    ]
    assert all(x.load_balancer_arn == LB for x in lb.listeners)
    group = account.target_groups[TG]
    assert (group.name, group.protocol, group.port, group.target_type, group.vpc_id) == (
        "api-targets",
        "HTTP",
        8080,
        "ip",
        V1,
    )
    assert group.load_balancer_arns == (LB,)
    assert group.health is not None
    assert [(h.target_id, h.port, h.state, h.reason) for h in group.health] == [
        ("10.0.1.20", 8080, "healthy", None),
        ("10.0.2.20", 8080, "unhealthy", "Target.FailedHealthChecks"),
    ]
    assert account.target_groups[TG2].health is None
    assert ("describe-target-health", "api-canary.8e4f1a2b3c4d5e6f") in {
        (g.kind, g.owner) for g in account.gaps
    }


def test_listeners_not_exported_is_none_and_health_by_plain_name(tmp_path: Path) -> None:
    snap = _copy(
        tmp_path, "elbv2/describe-load-balancers.json", "elbv2/describe-target-groups.json"
    )
    shutil.copy(
        FULL / "elbv2/describe-target-health@api-targets.73e2d6bc24d8a067.json",
        snap / "elbv2/describe-target-health@api-targets.json",
    )
    account = load_snapshot(snap)
    assert account.load_balancers[LB].listeners is None
    health = account.target_groups[TG].health
    assert health is not None and len(health) == 2


def test_target_health_for_an_unknown_group_is_noted(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "elbv2/describe-target-groups.json")
    shutil.copy(
        FULL / "elbv2/describe-target-health@api-targets.73e2d6bc24d8a067.json",
        snap / "elbv2/describe-target-health@nope.0000.json",
    )
    account = load_snapshot(snap)
    assert account.target_groups[TG].health is None
    (note,) = [s for s in account.sources if s.path.endswith("@nope.0000.json")]
    assert "target group nope.0000 is not in the snapshot" in note.note


def test_target_health_without_its_group_named_is_set_aside(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "elbv2/describe-target-groups.json")
    shutil.copy(
        FULL / "elbv2/describe-target-health@api-targets.73e2d6bc24d8a067.json",
        snap / "elbv2/health.json",
    )
    account = load_snapshot(snap)
    (note,) = [s for s in account.sources if s.path.endswith("health.json")]
    assert note.note.startswith("not used:") and "NAME.ID" in note.note


def test_listener_with_a_bad_port_names_the_file(tmp_path: Path) -> None:
    snap = _copy(tmp_path, "elbv2/describe-load-balancers.json")
    shutil.copy(FULL / "elbv2/describe-listeners@internal-api.json", snap / "elbv2/l.json")
    _edit(snap / "elbv2/l.json", lambda d: d["Listeners"][0].update(Port=70000))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(snap)
    assert "l.json" in str(info.value) and "Listeners[0].Port" in str(info.value)


# ---- ElastiCache, OpenSearch, RDS subnet groups ---------------------------------------------


def test_elasticache(account: Account) -> None:
    redis = account.cache_clusters["sessions-001"]
    assert (redis.engine, redis.status, redis.replication_group_id) == (
        "redis",
        "available",
        "sessions",
    )
    assert redis.subnet_ids == (S1, S2) and redis.vpc_id == V1  # from the subnet group
    assert redis.security_group_ids == ("sg-0a1b2c3d4e5f60002",)
    (node,) = redis.nodes
    assert node.endpoint == DbEndpoint(
        address="sessions-001.abc123.0001.apne1.cache.amazonaws.com", port=6379
    )
    memcached = account.cache_clusters["catalog-cache"]
    assert memcached.configuration_endpoint is not None
    assert memcached.configuration_endpoint.port == 11211
    assert memcached.subnet_ids is None  # its subnet group is not in the snapshot
    group = account.cache_replication_groups["sessions"]
    assert [e.address for e in group.primary_endpoints] == [
        "master.sessions.abc123.apne1.cache.amazonaws.com"
    ]
    assert [e.address for e in group.reader_endpoints] == [
        "replica.sessions.abc123.apne1.cache.amazonaws.com"
    ]
    assert len(group.node_endpoints) == 1 and group.member_cluster_ids == ("sessions-001",)


def test_elasticache_without_subnet_groups_has_no_subnets(tmp_path: Path) -> None:
    account = load_snapshot(_copy(tmp_path, "elasticache/describe-cache-clusters.json"))
    assert account.cache_clusters["sessions-001"].subnet_ids is None


def test_opensearch(account: Account) -> None:
    domain = account.opensearch_domains["logs"]
    assert domain.endpoints == ("vpc-logs-abc123def456.ap-northeast-1.es.amazonaws.com",)
    assert (domain.vpc_id, domain.subnet_ids, domain.security_group_ids) == (
        V1,
        (S1, S2),
        ("sg-0a1b2c3d4e5f60002",),
    )
    assert domain.status == "active" and domain.engine_version == "OpenSearch_2.11"
    # listed by list-domain-names but not described: a gap that names it
    assert ("describe-domains", "old-search") in {(g.kind, g.owner) for g in account.gaps}


def test_db_cluster_subnets_from_its_subnet_group(account: Account, tmp_path: Path) -> None:
    cluster = account.db_clusters["orders-db"]
    assert cluster.subnet_group_name == "orders-db-subnets"
    assert cluster.subnet_ids == (S1, S2) and cluster.vpc_id == V1
    alone = load_snapshot(_copy(tmp_path, "rds/describe-db-clusters.json"))
    assert alone.db_clusters["orders-db"].subnet_ids is None


# ---- dual-stack network ACLs -----------------------------------------------------------------


def _dual_stack_acl(numbers: tuple[int, int]) -> dict[str, Any]:
    entries = []
    for egress in (False, True):
        entries += [
            {"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1", "RuleAction": "allow",
             "RuleNumber": 100},
            {"Egress": egress, "Ipv6CidrBlock": "::/0", "Protocol": "-1", "RuleAction": "allow",
             "RuleNumber": 101},
            {"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1", "RuleAction": "deny",
             "RuleNumber": numbers[0]},
            {"Egress": egress, "Ipv6CidrBlock": "::/0", "Protocol": "-1", "RuleAction": "deny",
             "RuleNumber": numbers[1]},
        ]  # fmt: skip
    return {"NetworkAcls": [{
        "Associations": [], "Entries": entries, "IsDefault": True,
        "NetworkAclId": "acl-0a1b2c3d4e5f60009", "Tags": [], "VpcId": V1,
        "OwnerId": "123456789012"}]}  # fmt: skip


def test_unmodified_dual_stack_export_with_32768_loads(tmp_path: Path) -> None:
    (tmp_path / "describe-network-acls.json").write_text(
        json.dumps(_dual_stack_acl((32767, 32768)))
    )
    acl = load_snapshot(tmp_path).network_acls["acl-0a1b2c3d4e5f60009"]
    inbound = acl.rules(egress=False)
    assert [e.rule_number for e in inbound] == [100, 101, 32767, 32768]
    assert [e.is_default_deny for e in inbound] == [False, False, True, True]
    assert inbound[3].cidr == ipaddress.ip_network("::/0")
    assert str(inbound[3]).startswith("#* in")


@pytest.mark.parametrize("number", [32769, 0])
def test_rule_numbers_outside_aws_range_are_refused(tmp_path: Path, number: int) -> None:
    (tmp_path / "acls.json").write_text(json.dumps(_dual_stack_acl((32767, number))))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(tmp_path)
    assert f"{number} is not a network ACL rule number" in str(info.value)
    assert "acls.json" in str(info.value)


# ---- the cache keeps all of it ---------------------------------------------------------------


def test_cache_round_trips_the_new_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPCDOCTOR_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("VPCDOCTOR_NO_CACHE", raising=False)
    calls: list[Path] = []

    def loader(p: Path) -> Account:
        calls.append(p)
        return load_snapshot(p)

    fresh = cache.load_snapshot_cached(FULL, loader=loader)
    cached = cache.load_snapshot_cached(FULL, loader=loader)
    assert len(calls) == 1
    assert_same_account(cached, fresh)
    assert cached.vpn_connections and cached.target_groups and cached.origins
    assert cached.block_public_access_for(V1, S1) == fresh.block_public_access_for(V1, S1)

"""The kinds for multi-VPC networks collected from moto (server mode, real HTTP): full and
scoped collections, export and the loader reading the export back; Block Public Access, which
moto does not serve, becomes a gap naming its IAM action."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.moto_network import add_network
from tests.support.moto_server import MOTO_LACKS, build_scenario
from vpcdoctor.graph.live import collect as C
from vpcdoctor.graph.live import export as E
from vpcdoctor.graph.live.requests import arn_owner
from vpcdoctor.graph.sources.snapshot import load_snapshot

pytestmark = pytest.mark.moto
pytest_plugins = ("tests.support.moto_server",)


def _kinds(collection: C.Collection) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(o.kind, o.owner): o.data for o in collection.outputs}


@pytest.mark.parametrize("scoped", [False, True], ids=["full", "scoped"])
def test_new_kinds_are_collected(aws: Any, scoped: bool) -> None:
    sc = build_scenario(aws.url)
    net = add_network(aws.url, sc)
    col = C.collect_live(function=sc.function if scoped else None)
    out = _kinds(col)
    assert ("describe-vpn-gateways", None) in out
    assert ("describe-vpn-connections", None) in out
    assert ("get-transit-gateway-route-table-propagations", net.tgw_rtb) in out
    assert ("get-transit-gateway-route-table-associations", net.tgw_rtb) in out
    assert ("describe-listeners", arn_owner(net.lb_arn)) in out
    assert ("describe-target-health", arn_owner(net.tg_arn)) in out
    assert ("describe-cache-clusters", None) in out
    assert ("describe-domains", net.domain) in out
    assert {(g.kind, g.iam_action) for g in col.gaps if g.kind in MOTO_LACKS} == {
        ("describe-vpc-block-public-access-options", "ec2:DescribeVpcBlockPublicAccessOptions"),
        (
            "describe-vpc-block-public-access-exclusions",
            "ec2:DescribeVpcBlockPublicAccessExclusions",
        ),
    }
    account = col.account()
    assert account.vpn_gateways[net.vgw_id].attached_to(sc.vpc_id)
    vpn = account.vpn_connections[net.vpn_id]
    assert vpn.vpn_gateway_id == net.vgw_id and vpn.state == "available"  # moto: no Options
    table = account.transit_gateway_route_tables[net.tgw_rtb]
    assert table.propagations is not None and table.associations is not None
    assert [p.attachment_id for p in table.propagations] == [net.tgw_attachment]
    assert [a.attachment_id for a in table.associations] == [net.tgw_attachment]
    lb = account.load_balancers[net.lb_arn]
    assert lb.listeners is not None
    assert [x.default_target_group_arns for x in lb.listeners] == [(net.tg_arn,)]
    health = account.target_groups[net.tg_arn].health
    assert health is not None and [h.target_id for h in health] == ["10.0.1.20"]
    cluster = account.cache_clusters[net.cache_cluster]
    assert cluster.subnet_group_name == net.cache_subnet_group
    assert cluster.subnet_ids is not None and set(cluster.subnet_ids) == set(sc.private_subnets)
    assert account.opensearch_domains[net.domain].subnet_ids == tuple(sc.private_subnets[:1])
    assert set(account.db_subnet_groups[net.db_subnet_group].subnet_ids) == set(sc.private_subnets)
    # Block Public Access not readable: unknown, not "off"
    assert account.block_public_access_for(sc.vpc_id).mode is None


def test_export_of_the_new_kinds_round_trips_through_the_loader(aws: Any, tmp_path: Path) -> None:
    sc = build_scenario(aws.url)
    net = add_network(aws.url, sc)
    col = C.collect_live()
    written = E.write_snapshot(col, tmp_path / "snap")
    files = {str(p.relative_to(written)) for p in written.rglob("*.json")}
    assert f"elbv2/describe-listeners@{arn_owner(net.lb_arn)}.json" in files
    assert f"elbv2/describe-target-health@{arn_owner(net.tg_arn)}.json" in files
    assert f"ec2/get-transit-gateway-route-table-propagations@{net.tgw_rtb}.json" in files
    assert f"opensearch/describe-domains@{net.domain}.json" in files
    offline = load_snapshot(written)
    live = col.account()
    for name in (
        "vpn_connections",
        "vpn_gateways",
        "transit_gateway_route_tables",
        "load_balancers",
        "target_groups",
        "cache_clusters",
        "opensearch_domains",
        "db_subnet_groups",
    ):
        assert dict(getattr(offline, name)) == dict(getattr(live, name)), name
    assert {(g.kind, g.owner) for g in offline.gaps} >= {(k, None) for k in MOTO_LACKS}


def test_scoped_collection_reads_the_tgw_and_listeners_only_of_its_path(aws: Any) -> None:
    sc = build_scenario(aws.url, extra_vpcs=2)
    net = add_network(aws.url, sc)
    col = C.collect_live(function=sc.function)
    listeners = [o for o in col.outputs if o.kind == "describe-listeners"]
    assert [o.owner for o in listeners] == [arn_owner(net.lb_arn)]
    searched = {o.owner for o in col.outputs if o.kind == "search-transit-gateway-routes"}
    tables = col.account().transit_gateway_route_tables
    assert net.tgw_rtb in searched
    assert {tables[t].transit_gateway_id for t in searched} == {net.tgw_id}  # its TGW's only

"""Batfish's AWS snapshot layout and wrapper files read as they are (tests/data/batfish_snapshot:
``aws_configs/accounts/<account>/<region>/``, the files named by their key)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.paths import DATA
from vpcdoctor.errors import SnapshotError
from vpcdoctor.graph.model import Origin
from vpcdoctor.graph.sources import unused_files
from vpcdoctor.graph.sources.snapshot import load_snapshot

SNAP = DATA / "batfish_snapshot"
NET, APP = "111111111111", "222222222222"
TRT = "tgw-rtb-0net000000000001"
LB = "arn:aws:elasticloadbalancing:us-east-2:222222222222:loadbalancer/net/lb-app/6f57a43b75d8f2c1"
TG = "arn:aws:elasticloadbalancing:us-east-2:222222222222:targetgroup/target1/10b6be82e58c40a8"


def test_accounts_and_regions_come_from_the_folders() -> None:
    account = load_snapshot(SNAP)
    assert account.accounts == (NET, APP) and account.regions == ("us-east-2",)
    assert account.origin_of(TRT) == Origin(NET, "us-east-2")
    assert account.origin_of("subnet-0app000000000001") == Origin(APP, "us-east-2")
    assert account.origin_of(TG) == Origin(APP, "us-east-2")


def test_wrapper_files_are_unwrapped() -> None:
    account = load_snapshot(SNAP)
    table = account.transit_gateway_route_tables[TRT]
    assert table.propagations is not None
    assert [(p.resource_type, p.resource_id, p.state) for p in table.propagations] == [
        ("vpc", "vpc-0net0000000000001", "enabled"),
        ("vpn", "vpn-0net0000000000001", "enabled"),
    ]
    assert table.static_routes is not None
    assert [(str(r.destination), r.attachment_ids) for r in table.static_routes] == [
        ("0.0.0.0/0", ("tgw-attach-0net00000000001",))
    ]
    assert table.routes is None  # no search-transit-gateway-routes: the engine derives them
    lb = account.load_balancers[LB]
    assert lb.listeners is not None
    assert [(x.protocol, x.port, x.default_target_group_arns) for x in lb.listeners] == [
        ("TCP", 80, (TG,))
    ]
    health = account.target_groups[TG].health
    assert health is not None
    assert [(h.target_id, h.state, h.reason) for h in health] == [
        ("10.20.1.4", "unhealthy", "Target.FailedHealthChecks")
    ]


def test_batfish_files_vpcdoctor_does_not_read_are_listed() -> None:
    account = load_snapshot(SNAP)
    why = {Path(s.path).name: s.note for s in unused_files(account)}
    assert "LoadBalancerAttributes" in why["LoadBalancerAttributes.json"]
    assert why["LoadBalancerAttributes.json"].startswith("not used: Batfish's")
    assert "does not read" in why["CustomerGateways.json"]
    assert why["README.md"] == "not used: not a .json file"


def test_flat_batfish_layout_and_older_listener_files(tmp_path: Path) -> None:
    flat = tmp_path / "aws_configs"
    flat.mkdir()
    app = SNAP / f"aws_configs/accounts/{APP}/us-east-2"
    for name in ("LoadBalancers.json", "TargetGroups.json"):
        shutil.copy(app / name, flat / name)
    listeners = json.loads((app / "LoadBalancerListeners.json").read_text())
    bare = listeners["LoadBalancerListeners"][0]["Listeners"]
    (flat / "LoadBalancerListeners.json").write_text(json.dumps({"LoadBalancerListeners": bare}))
    account = load_snapshot(tmp_path)
    listeners_of = account.load_balancers[LB].listeners
    assert listeners_of is not None and [x.port for x in listeners_of] == [80]
    assert account.origin_of(LB) == Origin(APP, "us-east-2")  # its ARN names them


def test_a_wrapper_item_without_its_id_names_the_file_and_path(tmp_path: Path) -> None:
    doc = {"TransitGatewayPropagations": [{"TransitGatewayRouteTablePropagations": []}]}
    (tmp_path / "TransitGatewayPropagations.json").write_text(json.dumps(doc))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(tmp_path)
    assert "TransitGatewayPropagations.json" in str(info.value)
    assert info.value.json_path == "TransitGatewayPropagations[0].TransitGatewayRouteTableId"


def test_a_bad_value_inside_a_wrapper_names_its_place_in_the_file(tmp_path: Path) -> None:
    doc = json.loads(
        (SNAP / f"aws_configs/accounts/{NET}/us-east-2/TransitGatewayStaticRoutes.json").read_text()
    )
    doc["TransitGatewayStaticRoutes"][0]["Routes"][0]["DestinationCidrBlock"] = "10.0.0.0/33"
    (tmp_path / "TransitGatewayStaticRoutes.json").write_text(json.dumps(doc))
    with pytest.raises(SnapshotError) as info:
        load_snapshot(tmp_path)
    assert info.value.json_path == ("TransitGatewayStaticRoutes[0].Routes[0].DestinationCidrBlock")

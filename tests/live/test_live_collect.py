"""Live collection against moto in server mode (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.support.moto_server import MOTO_LACKS, REGION, SECRET_VALUE, build_scenario
from vpcdoctor.errors import CollectionError, FunctionNotFound
from vpcdoctor.graph.live import collect as C
from vpcdoctor.graph.live.readonly import ReadOnlyGuard

pytestmark = pytest.mark.moto
pytest_plugins = ("tests.support.moto_server",)


def _kinds(collection: C.Collection) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(o.kind, o.owner): o.data for o in collection.outputs}


def test_endpoint_url_from_environment_is_honoured(aws: Any) -> None:
    clients = C.AwsClients(C.make_session())
    assert clients("ec2").meta.endpoint_url == aws.url
    assert clients.region == REGION


def test_full_collection_reads_everything(aws: Any) -> None:
    sc = build_scenario(aws.url)
    events: list[C.ProgressEvent] = []
    col = C.collect_live(progress=events.append)
    out = _kinds(col)
    assert col.account_id == "123456789012"
    assert col.region == REGION
    vpcs = {v["VpcId"] for v in out[("describe-vpcs", None)]["Vpcs"]}
    assert sc.vpc_id in vpcs
    # per-resource outputs carry their owner
    assert ("describe-vpc-attribute-enableDnsSupport", sc.vpc_id) in out
    assert out[("describe-vpc-attribute-enableDnsHostnames", sc.vpc_id)]["EnableDnsHostnames"] == {
        "Value": True
    }
    assert ("get-function-configuration", "orders-api") in out
    assert ("get-hosted-zone", sc.zone_id) in out
    assert ("list-resource-record-sets", sc.zone_id) in out
    assert ("get-managed-prefix-list-entries", sc.prefix_list) in out
    if sc.resolver_endpoint:
        assert ("list-resolver-endpoint-ip-addresses", sc.resolver_endpoint) in out
    # ResponseMetadata never kept
    assert all("ResponseMetadata" not in o.data for o in col.outputs)
    assert all(o.source.startswith("live:") for o in col.outputs)
    # moto 5.2 has no ListProvisionedConcurrencyConfigs and no VPC Block Public Access API:
    # gaps, and the rest went on
    gap_kinds = {g.kind for g in col.gaps}
    assert gap_kinds <= {"list-provisioned-concurrency-configs", *MOTO_LACKS}
    # progress: started/finished for every operation, totals at the end
    done = [e for e in events if e.event is C.ProgressKind.DONE]
    assert len(done) == 1 and done[0].calls == col.calls and done[0].done == done[0].total
    started = [e for e in events if e.event is C.ProgressKind.STARTED]
    assert len(started) == done[0].total


def test_lambda_environment_is_never_kept(aws: Any) -> None:
    build_scenario(aws.url)
    for function in (None, "orders-api"):
        col = C.collect_live(function=function)
        text = json.dumps([o.data for o in col.outputs], default=str)
        assert SECRET_VALUE not in text
        assert '"Environment"' not in text


def test_scoped_collection_reads_only_the_functions_path(aws: Any) -> None:
    sc = build_scenario(aws.url, extra_vpcs=2)
    col = C.collect_live(function="orders-api")
    out = _kinds(col)
    subnets = {s["VpcId"] for s in out[("describe-subnets", None)]["Subnets"]}
    assert subnets == {sc.vpc_id}
    rtbs = {r["VpcId"] for r in out[("describe-route-tables", None)]["RouteTables"]}
    assert rtbs == {sc.vpc_id}
    assert ("get-function-configuration", "orders-api") in out
    assert ("list-functions", None) not in out  # other functions are not read
    assert [k for k in out if k[0] == "get-hosted-zone"] == [("get-hosted-zone", sc.zone_id)]
    assert ("describe-vpc-attribute-enableDnsSupport", sc.vpc_id) in out


def test_scoped_call_count_does_not_grow_with_the_account(aws: Any) -> None:
    build_scenario(aws.url)
    small = C.collect_live(function="orders-api")
    small_full = C.collect_live()
    aws.reset()
    build_scenario(aws.url, extra_vpcs=10)
    large = C.collect_live(function="orders-api")
    large_full = C.collect_live()
    print(
        f"scoped calls: small {small.calls}, 10x {large.calls}; "
        f"full: small {small_full.calls}, 10x {large_full.calls}"
    )
    assert small.calls == large.calls
    assert small.calls_by_operation == large.calls_by_operation
    assert large_full.calls > small_full.calls  # the full collection does grow (sanity)


def test_unknown_function_is_a_clear_error(aws: Any) -> None:
    build_scenario(aws.url)
    with pytest.raises(FunctionNotFound, match="no-such-fn"):
        C.collect_live(function="no-such-fn")


def test_no_region_is_a_clear_error(aws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION")
    with pytest.raises(CollectionError, match="no AWS region"):
        C.collect_live()


def test_missing_profile_is_a_clear_error(aws: Any) -> None:
    with pytest.raises(CollectionError, match="profile 'nope' not found"):
        C.collect_live(profile="nope")


def test_pagination_with_small_pages_against_moto(aws: Any) -> None:
    """Page size 5 against moto. moto 5.2.5 pages only route53 ListHostedZones here (it ignores
    MaxResults on every EC2 describe the collector uses, and on list_functions), so the EC2
    results are compared for equality and the zone list is checked to have been paged."""
    build_scenario(aws.url, extra_vpcs=6)  # 7 private zones → 2 pages of 5
    big = C.collect_live()
    small = C.collect(C.AwsClients(C.make_session()), page_size=5)
    for kind in ("list-hosted-zones", "describe-subnets", "describe-security-groups"):
        a = _kinds(big)[(kind, None)]
        b = _kinds(small)[(kind, None)]
        key = C.KINDS_BY_NAME[kind].list_key
        assert key is not None
        assert sorted(json.dumps(x, sort_keys=True) for x in a[key]) == sorted(
            json.dumps(x, sort_keys=True) for x in b[key]
        )
        for token in ("NextToken", "NextMarker", "Marker", "IsTruncated", "MaxItems"):
            assert token not in b
    assert small.calls_by_operation["route53:ListHostedZones"] == 2
    assert big.calls_by_operation["route53:ListHostedZones"] == 1
    # RDS refuses MaxRecords < 20: the page size is raised to the operation's minimum
    assert not [g for g in small.gaps if g.kind.startswith("describe-db")]


def test_pagination_merges_pages_like_the_cli() -> None:
    """moto ignores MaxResults on describe_route_tables and list_functions: a Stubber pages."""
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name=REGION)
    ec2 = session.client("ec2", endpoint_url="http://127.0.0.1:9")
    lam = session.client("lambda", endpoint_url="http://127.0.0.1:9")
    ec2_stub, lam_stub = Stubber(ec2), Stubber(lam)
    ec2_stub.add_response(
        "describe_route_tables",
        {"RouteTables": [{"RouteTableId": "rtb-1"}], "NextToken": "t1"},
        {"MaxResults": 5},
    )
    ec2_stub.add_response(
        "describe_route_tables",
        {"RouteTables": [{"RouteTableId": "rtb-2"}], "NextToken": "t2"},
        {"MaxResults": 5, "NextToken": "t1"},
    )
    ec2_stub.add_response(
        "describe_route_tables",
        {"RouteTables": [{"RouteTableId": "rtb-3"}]},
        {"MaxResults": 5, "NextToken": "t2"},
    )
    lam_stub.add_response(
        "list_functions",
        {
            "Functions": [{"FunctionName": "a", "Environment": {"Variables": {"K": "v"}}}],
            "NextMarker": "m",
        },
        {"MaxItems": 5},
    )
    lam_stub.add_response(
        "list_functions", {"Functions": [{"FunctionName": "b"}]}, {"MaxItems": 5, "Marker": "m"}
    )
    guard = ReadOnlyGuard()
    guard.register(ec2)
    guard.register(lam)
    runner = C._Runner(
        {"ec2": ec2, "lambda": lam}.__getitem__,
        region=REGION,
        progress=None,
        page_size=5,
        max_workers=2,
        call_counter=lambda: guard.calls,
    )
    with ec2_stub, lam_stub:
        got = runner.run([C.Request("describe-route-tables"), C.Request("list-functions")])
    runner.close()
    rtbs, fns = got.values()
    assert rtbs == {"RouteTables": [{"RouteTableId": f"rtb-{n}"} for n in (1, 2, 3)]}
    assert fns == {"Functions": [{"FunctionName": "a"}, {"FunctionName": "b"}]}
    assert guard.calls == 5
    assert runner.records[("describe-route-tables", None)]["calls"] == 3
